//===--- OptimNoMixedPrecisionCheck.cpp - torch-optim-no-mixed-precision ---===//

#include "OptimNoMixedPrecisionCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";

/// What makes a step run in reduced precision: autocast, or a model or
/// inputs converted to half or bfloat16.
constexpr unsigned ReducedPrecision = AutocastSignal | ReducedPrecisionSignal;
} // namespace

OptimNoMixedPrecisionCheck::OptimNoMixedPrecisionCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoMixedPrecisionCheck::registerMatchers(MatchFinder *Finder) {
  // for (auto &batch : *loader) { ...; loss.backward(); optimizer.step(); }
  // FIXME: precision chosen in a way the model does not record (a dtype in
  // a configuration struct, a model loaded already converted) is not seen,
  // and the loop is reported.
  Finder->addMatcher(userLoop().bind(LoopId), this);
}

void OptimNoMixedPrecisionCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matcher binds the loop");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // The step loop itself: a loop nested in a step is part of it, and an
  // evaluation loop has no backward pass to speed up.
  if (!Model.isStepLoop(*Loop) || Model.loopKind(*Loop) != LoopKind::Training)
    return;
  // On the CPU there are no tensor cores for half precision to use.
  if (!Model.mayUseAccelerator())
    return;
  // The loop, or code it calls, turns autocast on or converts to half.
  std::optional<Lack> InLoop =
      Model.lacks(Loop, nullptr, TrainingSignals, ReducedPrecision);
  if (!InLoop)
    return;
  // Anywhere else in the program: `model->to(torch::kHalf)` in main, a
  // helper that turns autocast on for the whole run.
  std::optional<Lack> InProgram = Model.programLacks(NoSignal, ReducedPrecision);
  if (!InProgram)
    return;
  Lack Finding = bothHold(bothHold(*InLoop, *InProgram),
                          Lack{Model.projectCondition()});
  diag(Loop->getBeginLoc(),
       "training loop runs every step in full precision on the device, with "
       "neither autocast nor a half or bfloat16 model; turn autocast on "
       "around the forward pass and the loss (at::autocast::set_enabled(true)) "
       "or train in bfloat16, so that matrix products and convolutions run "
       "on the tensor cores");
  noteLack(Finding);
}

} // namespace trainlint::torch
