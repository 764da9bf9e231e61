//===--- DataUnbatchedCheck.cpp - torch-data-unbatched ---===//

#include "DataUnbatchedCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataUnbatchedCheck::DataUnbatchedCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataUnbatchedCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-unbatched.
}

void DataUnbatchedCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
