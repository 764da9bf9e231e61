//===--- SyncDataDependentShapeCheck.cpp - torch-sync-data-dependent-shape ---===//

#include "SyncDataDependentShapeCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

SyncDataDependentShapeCheck::SyncDataDependentShapeCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncDataDependentShapeCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-sync-data-dependent-shape.
}

void SyncDataDependentShapeCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
