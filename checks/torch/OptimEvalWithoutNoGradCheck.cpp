//===--- OptimEvalWithoutNoGradCheck.cpp - torch-optim-eval-without-no-grad ---===//

#include "OptimEvalWithoutNoGradCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimEvalWithoutNoGradCheck::OptimEvalWithoutNoGradCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimEvalWithoutNoGradCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-eval-without-no-grad.
}

void OptimEvalWithoutNoGradCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
