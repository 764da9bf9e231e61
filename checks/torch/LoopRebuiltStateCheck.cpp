//===--- LoopRebuiltStateCheck.cpp - torch-loop-rebuilt-state ---===//

#include "LoopRebuiltStateCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopRebuiltStateCheck::LoopRebuiltStateCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopRebuiltStateCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-rebuilt-state.
}

void LoopRebuiltStateCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
