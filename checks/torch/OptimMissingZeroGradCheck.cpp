//===--- OptimMissingZeroGradCheck.cpp - torch-optim-missing-zero-grad ---===//

#include "OptimMissingZeroGradCheck.h"
#include "model/TrainedModel.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";
} // namespace

OptimMissingZeroGradCheck::OptimMissingZeroGradCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimMissingZeroGradCheck::registerMatchers(MatchFinder *Finder) {
  // for (auto &batch : *loader) { ...; loss.backward(); optimizer.step(); }
  // FIXME: a loop in a function that a caller's loop zeroes around
  // (`for (epoch...) { model->zero_grad(); trainEpoch(); }`) is reported:
  // only the loops of the loop's own function count as its enclosing loops.
  Finder->addMatcher(userLoop().bind(LoopId), this);
}

void OptimMissingZeroGradCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matcher binds every loop");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<Lack> Missing = trainingLoopLacks(*Loop, Model, ZeroGradSignal);
  // Not the loop that steps (an epoch loop around it), or it clears the
  // gradients (under a condition too: that is gradient accumulation), or it
  // calls code that may.
  if (!Missing)
    return;
  // A loop around it clears them: the gradients of several steps add up on
  // purpose (accumulation over an epoch).
  for (const Stmt *Outer : Model.enclosingLoops(*Loop))
    if (Model.signalsIn(*Outer) & ZeroGradSignal)
      return;
  diag(Loop->getBeginLoc(),
       "training loop runs backward and an optimizer step but never clears "
       "the gradients, so each step adds the gradients of every earlier step "
       "to its own; call 'optimizer.zero_grad()' once per step, before "
       "'backward()'");
  noteLack(*Missing);
}

} // namespace trainlint::torch
