//===--- DataTransformInLoopCheck.cpp - torch-data-transform-in-loop ---===//

#include "DataTransformInLoopCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

DataTransformInLoopCheck::DataTransformInLoopCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataTransformInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-data-transform-in-loop.
}

void DataTransformInLoopCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
