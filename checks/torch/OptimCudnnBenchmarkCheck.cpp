//===--- OptimCudnnBenchmarkCheck.cpp - torch-optim-cudnn-benchmark -------===//

#include "OptimCudnnBenchmarkCheck.h"
#include "model/TorchApi.h"
#include "model/TrainingFeatures.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";
constexpr llvm::StringLiteral ConvolutionId = "convolution";

AST_MATCHER(CXXConstructExpr, buildsConvolution) {
  return trainingFeaturesOf(Node) & ConvolutionSignal;
}
} // namespace

OptimCudnnBenchmarkCheck::OptimCudnnBenchmarkCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimCudnnBenchmarkCheck::onStartOfTranslationUnit() {
  Ctx = nullptr;
  FirstLoop = nullptr;
  FirstConvolution = nullptr;
}

void OptimCudnnBenchmarkCheck::registerMatchers(MatchFinder *Finder) {
  // for (auto &batch : *loader) { ...; loss.backward(); optimizer.step(); }
  Finder->addMatcher(userLoop().bind(LoopId), this);
  // torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 3)), also in a
  // member's initializer, which no function body holds.
  // FIXME: a convolution made with std::make_shared<Conv2dImpl>(...) is not
  // seen.
  Finder->addMatcher(cxxConstructExpr(buildsConvolution(),
                                      unless(isExpansionInSystemHeader()))
                         .bind(ConvolutionId),
                     this);
}

void OptimCudnnBenchmarkCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  if (const auto *Convolution =
          Result.Nodes.getNodeAs<CXXConstructExpr>(ConvolutionId)) {
    if (!FirstConvolution)
      FirstConvolution = Convolution;
    return;
  }
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matchers bind a loop or a convolution");
  if (FirstLoop)
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  if (Model.isStepLoop(*Loop) && Model.loopKind(*Loop) == LoopKind::Training)
    FirstLoop = Loop;
}

void OptimCudnnBenchmarkCheck::onEndOfTranslationUnit() {
  // The convolution may be built after the loop in the unit (a model class
  // defined below main): the finding waits for the whole unit.
  if (!FirstLoop || !Ctx)
    return;
  const HotPathModel &Model = HotPathModel::get(*Ctx);
  // cuDNN runs on the device only.
  if (!Model.mayUseAccelerator())
    return;
  // The autotuner is the program's setting: turned on anywhere, it holds
  // for every convolution. A network with no convolution has nothing to
  // tune; a convolution built in another file is known to the project.
  std::optional<Lack> Program = Model.programLacks(
      FirstConvolution ? NoSignal : unsigned(ConvolutionSignal),
      CudnnBenchmarkSignal);
  if (!Program)
    return;
  Lack Finding = bothHold(*Program, Lack{Model.projectCondition()});
  diag(FirstLoop->getBeginLoc(),
       "convolutional network trained on the device without the cuDNN "
       "autotuner; call 'at::globalContext().setBenchmarkCuDNN(true)' once "
       "before training, so that cuDNN times its algorithms for each input "
       "shape and keeps the fastest");
  if (FirstConvolution)
    diag(FirstConvolution->getBeginLoc(), "a convolution of the network",
         DiagnosticIDs::Note);
  noteLack(Finding);
}

} // namespace trainlint::torch
