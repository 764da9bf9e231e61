//===--- LoopCatAccumulateCheck.cpp - torch-loop-cat-accumulate ---===//

#include "LoopCatAccumulateCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopCatAccumulateCheck::LoopCatAccumulateCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopCatAccumulateCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-cat-accumulate.
}

void LoopCatAccumulateCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
