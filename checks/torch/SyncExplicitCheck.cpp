//===--- SyncExplicitCheck.cpp - torch-sync-explicit ---===//

#include "SyncExplicitCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

SyncExplicitCheck::SyncExplicitCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncExplicitCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-sync-explicit.
}

void SyncExplicitCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
