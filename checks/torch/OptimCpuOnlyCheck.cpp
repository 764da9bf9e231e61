//===--- OptimCpuOnlyCheck.cpp - torch-optim-cpu-only ---===//

#include "OptimCpuOnlyCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimCpuOnlyCheck::OptimCpuOnlyCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimCpuOnlyCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-cpu-only.
}

void OptimCpuOnlyCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
