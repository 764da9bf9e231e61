//===--- SyncDeviceToHostCheck.cpp - torch-sync-device-to-host ---===//

#include "SyncDeviceToHostCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

SyncDeviceToHostCheck::SyncDeviceToHostCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncDeviceToHostCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-sync-device-to-host.
}

void SyncDeviceToHostCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
