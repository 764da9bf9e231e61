//===--- OptimTrainEvalModeCheck.cpp - torch-optim-train-eval-mode ---===//

#include "OptimTrainEvalModeCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimTrainEvalModeCheck::OptimTrainEvalModeCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimTrainEvalModeCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-train-eval-mode.
}

void OptimTrainEvalModeCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
