//===--- LoopPerElementCheck.cpp - torch-loop-per-element ---===//

#include "LoopPerElementCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

LoopPerElementCheck::LoopPerElementCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopPerElementCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-loop-per-element.
}

void LoopPerElementCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
