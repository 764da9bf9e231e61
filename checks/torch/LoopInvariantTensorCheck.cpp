//===--- LoopInvariantTensorCheck.cpp - torch-loop-invariant-tensor ---===//

#include "LoopInvariantTensorCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopInvariantTensorCheck::LoopInvariantTensorCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopInvariantTensorCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-invariant-tensor.
}

void LoopInvariantTensorCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
