//===--- MemcpyInLoopCheck.cpp - cuda-memcpy-in-loop ---===//

#include "MemcpyInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

MemcpyInLoopCheck::MemcpyInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void MemcpyInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of cuda-memcpy-in-loop.
}

void MemcpyInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::cuda
