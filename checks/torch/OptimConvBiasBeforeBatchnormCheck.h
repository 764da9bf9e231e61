//===--- OptimConvBiasBeforeBatchnormCheck.h - torch-optim-conv-bias-before-batchnorm ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H

#include "TrainlintCheck.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace trainlint::torch {

struct BuiltConvolution;

/// Finds convolutions with a bias immediately followed by batch normalization, which cancels the bias.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-conv-bias-before-batchnorm.md
class OptimConvBiasBeforeBatchnormCheck : public TrainlintCheck {
public:
  OptimConvBiasBeforeBatchnormCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }

private:
  /// Consecutive push_backs onto one Sequential.
  void checkPushBack(const clang::CXXMemberCallExpr &Push, clang::ASTContext &Ctx);
  /// `bn(conv(x))`, or `x = conv->forward(x); x = bn->forward(x);`.
  void checkForward(const clang::CallExpr &NormCall, clang::ASTContext &Ctx);
  /// The finding on \p Conv, built where \p Declared (when not null) writes
  /// its type, with a note on \p Norm.
  void report(const BuiltConvolution &Conv,
              const clang::DeclaratorDecl *Declared, const clang::Expr &Norm,
              clang::ASTContext &Ctx);

  llvm::SmallPtrSet<const clang::CXXConstructExpr *, 8> Reported;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMCONVBIASBEFOREBATCHNORMCHECK_H
