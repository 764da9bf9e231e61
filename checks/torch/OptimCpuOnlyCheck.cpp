//===--- OptimCpuOnlyCheck.cpp - torch-optim-cpu-only ---------------------===//

#include "OptimCpuOnlyCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";
} // namespace

OptimCpuOnlyCheck::OptimCpuOnlyCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimCpuOnlyCheck::onStartOfTranslationUnit() { Reported = false; }

void OptimCpuOnlyCheck::registerMatchers(MatchFinder *Finder) {
  // for (int step = 0; step < n; ++step) { ...; loss.backward(); ... }
  // in a program with no torch::cuda::is_available(), no torch::kCUDA, no
  // device read from the command line or handed in by a caller.
  // FIXME: a device chosen through a library of the user's that only takes
  // a string ("cuda") is not seen as a choice.
  Finder->addMatcher(userLoop().bind(LoopId), this);
}

void OptimCpuOnlyCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matcher binds the loop");
  // The device is the program's choice: one finding per unit, on its first
  // training loop.
  if (Reported)
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  if (!Model.isStepLoop(*Loop) || Model.loopKind(*Loop) != LoopKind::Training)
    return;
  // A device is named, chosen at run time or handed in from elsewhere.
  std::optional<Lack> CpuOnly = Model.cpuOnlyProgram();
  if (!CpuOnly)
    return;
  Reported = true;
  diag(Loop->getBeginLoc(),
       "training loop runs on the CPU: the program names no accelerator and "
       "chooses no device; pick the device at run time "
       "('torch::cuda::is_available() ? torch::kCUDA : torch::kCPU') and move "
       "the model and each batch to it");
  noteLack(*CpuOnly);
}

} // namespace trainlint::torch
