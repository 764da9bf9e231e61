//===--- LoopAccessorInLoopCheck.h - torch-loop-accessor-in-loop ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPACCESSORINLOOPCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPACCESSORINLOOPCHECK_H

#include "TrainlintCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace trainlint::torch {

/// Finds accessors, data pointers and contiguous copies of the same tensor fetched on every iteration of an inner loop.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-accessor-in-loop.md
class LoopAccessorInLoopCheck : public TrainlintCheck {
public:
  LoopAccessorInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }

private:
  /// Where the calls already reported are, so that a template's pattern and
  /// its instantiations report once.
  llvm::DenseSet<unsigned> Reported;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPACCESSORINLOOPCHECK_H
