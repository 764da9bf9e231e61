//===--- LoopPerElementCheck.h - torch-loop-per-element ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H
#define TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H

#include "TrainlintCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <utility>

namespace trainlint::torch {

/// Finds loops that run one tensor operation per element of a tensor, indexing it with the loop counter, and scalars drawn through one-element tensors.
///
/// For the user-facing documentation see:
/// docs/checks/torch-loop-per-element.md
class LoopPerElementCheck : public TrainlintCheck {
public:
  LoopPerElementCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }

private:
  void checkAccess(const clang::CallExpr &Call, clang::ASTContext &Ctx);
  void checkDraw(const clang::CXXMemberCallExpr &Item,
                 const clang::CallExpr &Factory, clang::ASTContext &Ctx);

  /// Loops with fewer iterations than this (when the count is a constant)
  /// stay silent.
  const unsigned MinTripCount;
  /// The loops and tensors already reported, by where they are written, so
  /// that each is reported once, also across a template's instantiations.
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_LOOPPERELEMENTCHECK_H
