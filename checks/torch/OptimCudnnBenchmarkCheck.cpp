//===--- OptimCudnnBenchmarkCheck.cpp - torch-optim-cudnn-benchmark ---===//

#include "OptimCudnnBenchmarkCheck.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

OptimCudnnBenchmarkCheck::OptimCudnnBenchmarkCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimCudnnBenchmarkCheck::registerMatchers(MatchFinder *Finder) {
  // FIXME: match the candidates of torch-optim-cudnn-benchmark.
}

void OptimCudnnBenchmarkCheck::check(const MatchFinder::MatchResult &Result) {}

} // namespace trainlint::torch
