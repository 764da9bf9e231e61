//===--- OptimNoGradClippingCheck.cpp - torch-optim-no-grad-clipping ---===//

#include "OptimNoGradClippingCheck.h"
#include "model/TrainedModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";
} // namespace

OptimNoGradClippingCheck::OptimNoGradClippingCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoGradClippingCheck::registerMatchers(MatchFinder *Finder) {
  // for (...) { auto out = lstm_model->forward(x); loss.backward();
  //             optimizer.step(); }
  // FIXME: a loop that trains its model in a helper (`trainStep(model,
  // batch)`) is not looked at: the model is known by the loop's own
  // statements only.
  Finder->addMatcher(userLoop().bind(LoopId), this);
}

void OptimNoGradClippingCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matcher binds every loop");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<Lack> Missing = trainingLoopLacks(*Loop, Model, ClipGradSignal);
  // Not the loop that steps (an epoch loop around it), or clipped (by norm
  // or by value), or unknown code may clip.
  if (!Missing)
    return;
  // Feed-forward and convolutional models rarely see exploding gradients.
  for (const TrainedModule &Module : modulesTrainedIn(*Loop)) {
    std::optional<RecurrentPart> Part = recurrentPartOf(Module.Class);
    if (!Part)
      continue;
    // `torch::nn::LSTM`, as the user spells the holder of LSTMImpl.
    llvm::StringRef Name = Part->Class->getName();
    Name.consume_back("Impl");
    diag(Loop->getBeginLoc(),
         "training loop trains a model with a 'torch::nn::%0' and never clips "
         "its gradients, so one exploding gradient can throw the weights far "
         "off in a single step; call 'torch::nn::utils::clip_grad_norm_("
         "model->parameters(), max_norm)' between 'backward()' and 'step()'")
        << Name;
    llvm::StringRef Trained = Module.ThroughOptimizer
                                  ? "the optimizer that the loop steps "
                                    "updates the parameters of '%0'"
                                  : "'%0' is trained here";
    diag(Module.Evidence->getBeginLoc(), Trained, DiagnosticIDs::Note)
        << (Module.Decl ? Module.Decl->getName() : Module.Class->getName());
    if (Part->Member)
      diag(Part->Member->getLocation(), "member '%0' of '%1' is a '%2'",
           DiagnosticIDs::Note)
          << Part->Member->getName() << Module.Class->getName()
          << ("torch::nn::" + Name).str();
    else if (Part->RegisteredAt)
      diag(Part->RegisteredAt->getBeginLoc(),
           "'%0' registers a 'torch::nn::%1' here", DiagnosticIDs::Note)
          << Module.Class->getName() << Name;
    noteLack(*Missing);
    return;
  }
}

} // namespace trainlint::torch
