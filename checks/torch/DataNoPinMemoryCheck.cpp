//===--- DataNoPinMemoryCheck.cpp - torch-data-no-pin-memory ---===//

#include "DataNoPinMemoryCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataNoPinMemoryCheck::DataNoPinMemoryCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataNoPinMemoryCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-no-pin-memory.
}

void DataNoPinMemoryCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
