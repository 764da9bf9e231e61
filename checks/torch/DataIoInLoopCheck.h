//===--- DataIoInLoopCheck.h - torch-data-io-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATAIOINLOOPCHECK_H
#define TRAINLINT_CHECKS_TORCH_DATAIOINLOOPCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds file reading and image decoding on the training thread each step: in a hot loop, a function it calls, or the get() of a dataset loaded without workers.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-io-in-loop.md
class DataIoInLoopCheck : public TrainlintCheck {
public:
  DataIoInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATAIOINLOOPCHECK_H
