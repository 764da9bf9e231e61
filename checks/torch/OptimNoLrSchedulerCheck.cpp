//===--- OptimNoLrSchedulerCheck.cpp - torch-optim-no-lr-scheduler ---===//

#include "OptimNoLrSchedulerCheck.h"
#include "model/LoopFacts.h"
#include "model/TrainedModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral LoopId = "loop";

/// The first loop nested in \p S, in its function, that \p Keep accepts.
const Stmt *firstNestedLoop(const Stmt &S,
                            llvm::function_ref<bool(const Stmt &)> Keep) {
  for (const Stmt *Child : S.children()) {
    if (!Child || isa<LambdaExpr>(Child))
      continue;
    if (isLoopStatement(*Child) && Keep(*Child))
      return Child;
    if (const Stmt *Found = firstNestedLoop(*Child, Keep))
      return Found;
  }
  return nullptr;
}
} // namespace

OptimNoLrSchedulerCheck::OptimNoLrSchedulerCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoLrSchedulerCheck::registerMatchers(MatchFinder *Finder) {
  // for (int epoch = 0; epoch < n; ++epoch) { for (auto &b : *loader) ... }
  // FIXME: a training loop of many steps with no epoch loop around it
  // (`for (step < max_steps)`) is not looked at: it has no epoch to
  // schedule by, though a per-step schedule would serve it too.
  Finder->addMatcher(userLoop().bind(LoopId), this);
}

void OptimNoLrSchedulerCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>(LoopId);
  assert(Loop && "the matcher binds every loop");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  if (!Model.isEpochLoop(*Loop))
    return;
  auto IsEpochLoop = [&](const Stmt &S) { return Model.isEpochLoop(S); };
  // Loops over folds or trials around the epochs: the innermost epoch loop
  // gets the one finding, where the scheduler's step belongs.
  if (firstNestedLoop(*Loop, IsEpochLoop))
    return;
  std::optional<Lack> Missing =
      Model.lacks(Loop, nullptr, TrainingSignals, LearningRateSignal);
  // A scheduler steps, per epoch or per batch, or the learning rate is set
  // in the optimizer's options, or unknown code may do either.
  if (!Missing)
    return;
  diag(Loop->getBeginLoc(),
       "epoch loop trains with a constant learning rate: no scheduler steps "
       "in it and no learning rate is set; step a scheduler such as "
       "'torch::optim::StepLR' once per epoch");
  auto IsTrainingLoop = [&](const Stmt &S) {
    return Model.loopKind(S) == LoopKind::Training;
  };
  if (const Stmt *Training = firstNestedLoop(*Loop, IsTrainingLoop))
    diag(Training->getBeginLoc(), "training loop starts here",
         DiagnosticIDs::Note);
  noteLack(*Missing);
}

} // namespace trainlint::torch
