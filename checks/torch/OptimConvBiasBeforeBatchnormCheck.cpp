//===--- OptimConvBiasBeforeBatchnormCheck.cpp - torch-optim-conv-bias-before-batchnorm ---===//

#include "OptimConvBiasBeforeBatchnormCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimConvBiasBeforeBatchnormCheck::OptimConvBiasBeforeBatchnormCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimConvBiasBeforeBatchnormCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-conv-bias-before-batchnorm.
}

void OptimConvBiasBeforeBatchnormCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
