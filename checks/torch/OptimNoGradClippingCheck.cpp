//===--- OptimNoGradClippingCheck.cpp - torch-optim-no-grad-clipping ---===//

#include "OptimNoGradClippingCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimNoGradClippingCheck::OptimNoGradClippingCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoGradClippingCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-no-grad-clipping.
}

void OptimNoGradClippingCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
