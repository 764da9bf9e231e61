//===--- LoopPerSampleForwardCheck.cpp - torch-loop-per-sample-forward ---===//

#include "LoopPerSampleForwardCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopPerSampleForwardCheck::LoopPerSampleForwardCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopPerSampleForwardCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-per-sample-forward.
}

void LoopPerSampleForwardCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
