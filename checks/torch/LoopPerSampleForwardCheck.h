//===--- LoopPerSampleForwardCheck.h - torch-loop-per-sample-forward ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPPERSAMPLEFORWARDCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPPERSAMPLEFORWARDCHECK_H

#include "TrainlintCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace trainlint::torch {

/// Finds module calls made once per sample of a batch inside a loop over the batch dimension.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-per-sample-forward.md
class LoopPerSampleForwardCheck : public TrainlintCheck {
public:
  LoopPerSampleForwardCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }

private:
  /// Where the calls already reported are, so that a template's pattern and
  /// its instantiations report once.
  llvm::DenseSet<unsigned> Reported;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPPERSAMPLEFORWARDCHECK_H
