//===--- OptimZeroGradNotNoneCheck.cpp - torch-optim-zero-grad-not-none ---===//

#include "OptimZeroGradNotNoneCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimZeroGradNotNoneCheck::OptimZeroGradNotNoneCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimZeroGradNotNoneCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-zero-grad-not-none.
}

void OptimZeroGradNotNoneCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
