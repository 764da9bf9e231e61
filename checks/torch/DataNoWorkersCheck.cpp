//===--- DataNoWorkersCheck.cpp - torch-data-no-workers ---===//

#include "DataNoWorkersCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataNoWorkersCheck::DataNoWorkersCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataNoWorkersCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-no-workers.
}

void DataNoWorkersCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
