//===--- SyncHostToDeviceCheck.cpp - torch-sync-host-to-device ---===//

#include "SyncHostToDeviceCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

SyncHostToDeviceCheck::SyncHostToDeviceCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncHostToDeviceCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-sync-host-to-device.
}

void SyncHostToDeviceCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
