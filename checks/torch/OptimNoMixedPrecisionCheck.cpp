//===--- OptimNoMixedPrecisionCheck.cpp - torch-optim-no-mixed-precision ---===//

#include "OptimNoMixedPrecisionCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimNoMixedPrecisionCheck::OptimNoMixedPrecisionCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimNoMixedPrecisionCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-no-mixed-precision.
}

void OptimNoMixedPrecisionCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
