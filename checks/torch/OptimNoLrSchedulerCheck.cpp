//===--- OptimNoLrSchedulerCheck.cpp - torch-optim-no-lr-scheduler ---===//

#include "OptimNoLrSchedulerCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimNoLrSchedulerCheck::OptimNoLrSchedulerCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoLrSchedulerCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-no-lr-scheduler.
}

void OptimNoLrSchedulerCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
