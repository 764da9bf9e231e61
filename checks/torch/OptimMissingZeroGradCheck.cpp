//===--- OptimMissingZeroGradCheck.cpp - torch-optim-missing-zero-grad ---===//

#include "OptimMissingZeroGradCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimMissingZeroGradCheck::OptimMissingZeroGradCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimMissingZeroGradCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-missing-zero-grad.
}

void OptimMissingZeroGradCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
