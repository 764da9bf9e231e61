//===--- OptimSgdWithoutMomentumCheck.cpp - torch-optim-sgd-without-momentum ---===//

#include "OptimSgdWithoutMomentumCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimSgdWithoutMomentumCheck::OptimSgdWithoutMomentumCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimSgdWithoutMomentumCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-sgd-without-momentum.
}

void OptimSgdWithoutMomentumCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
