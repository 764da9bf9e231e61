//===--- DataNoWorkersCheck.h - torch-data-no-workers -----------*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_DATANOWORKERSCHECK_H
#define TRAINLINT_CHECKS_TORCH_DATANOWORKERSCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds data loaders that load, decode and collate batches on the training thread (no workers) while feeding a training loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-data-no-workers.md
class DataNoWorkersCheck : public TrainlintCheck {
public:
  DataNoWorkersCheck(llvm::StringRef Name,
                     clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  void checkLibtorchLoader(
      const clang::CallExpr &Call,
      const clang::ast_matchers::MatchFinder::MatchResult &Result);
  void
  checkOwnLoader(const clang::CallExpr &Call,
                 const clang::CXXMethodDecl &Method,
                 const clang::ast_matchers::MatchFinder::MatchResult &Result);

  /// The workers the suggested rewrite gives a loader.
  const unsigned Workers;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_DATANOWORKERSCHECK_H
