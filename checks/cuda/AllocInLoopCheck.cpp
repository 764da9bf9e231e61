//===--- AllocInLoopCheck.cpp - cuda-alloc-in-loop ---===//

#include "AllocInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

AllocInLoopCheck::AllocInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void AllocInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of cuda-alloc-in-loop.
}

void AllocInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::cuda
