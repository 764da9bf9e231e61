//===--- DataIoInLoopCheck.cpp - torch-data-io-in-loop ---===//

#include "DataIoInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataIoInLoopCheck::DataIoInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataIoInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-io-in-loop.
}

void DataIoInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
