//===--- LoopAccessorInLoopCheck.cpp - torch-loop-accessor-in-loop ---===//

#include "LoopAccessorInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopAccessorInLoopCheck::LoopAccessorInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopAccessorInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-accessor-in-loop.
}

void LoopAccessorInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
