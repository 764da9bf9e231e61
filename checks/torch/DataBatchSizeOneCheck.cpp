//===--- DataBatchSizeOneCheck.cpp - torch-data-batch-size-one ---===//

#include "DataBatchSizeOneCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataBatchSizeOneCheck::DataBatchSizeOneCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataBatchSizeOneCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-batch-size-one.
}

void DataBatchSizeOneCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
