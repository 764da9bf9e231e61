//===--- SyncInLoopCheck.cpp - cuda-sync-in-loop ---===//

#include "SyncInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

SyncInLoopCheck::SyncInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of cuda-sync-in-loop.
}

void SyncInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::cuda
