//===--- SyncCreateThenMoveCheck.cpp - torch-sync-create-then-move ---===//

#include "SyncCreateThenMoveCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

SyncCreateThenMoveCheck::SyncCreateThenMoveCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncCreateThenMoveCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-sync-create-then-move.
}

void SyncCreateThenMoveCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
