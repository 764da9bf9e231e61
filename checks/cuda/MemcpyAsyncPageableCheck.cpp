//===--- MemcpyAsyncPageableCheck.cpp - cuda-memcpy-async-pageable ---===//

#include "MemcpyAsyncPageableCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::cuda {

MemcpyAsyncPageableCheck::MemcpyAsyncPageableCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void MemcpyAsyncPageableCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of cuda-memcpy-async-pageable.
}

void MemcpyAsyncPageableCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::cuda
