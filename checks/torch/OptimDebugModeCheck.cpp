//===--- OptimDebugModeCheck.cpp - torch-optim-debug-mode ---===//

#include "OptimDebugModeCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimDebugModeCheck::OptimDebugModeCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimDebugModeCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-debug-mode.
}

void OptimDebugModeCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
