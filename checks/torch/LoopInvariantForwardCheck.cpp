//===--- LoopInvariantForwardCheck.cpp - torch-loop-invariant-forward ---===//

#include "LoopInvariantForwardCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopInvariantForwardCheck::LoopInvariantForwardCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopInvariantForwardCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-invariant-forward.
}

void LoopInvariantForwardCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
