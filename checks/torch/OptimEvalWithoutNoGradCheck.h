//===--- OptimEvalWithoutNoGradCheck.h - torch-optim-eval-without-no-grad ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H
#define TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H

#include "TrainlintCheck.h"

namespace trainlint::torch {

/// Finds evaluation loops and functions that run forward passes while recording gradients, with no 'NoGradGuard' or 'InferenceMode' in scope.
///
/// For the user-facing documentation see:
/// docs/checks/torch-optim-eval-without-no-grad.md
class OptimEvalWithoutNoGradCheck : public TrainlintCheck {
public:
  OptimEvalWithoutNoGradCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// Where the guard goes: the start of the function whose forward passes
  /// are outside loops, the start of the function around an evaluation
  /// loop, or the loop.
  enum class Where { Function, FunctionOfLoop, Loop };
  void report(clang::SourceLocation Loc, Where GuardGoes,
              llvm::StringRef FunctionName,
              const std::optional<clang::FixItHint> &Fix, const Lack &L);
  /// The insertion of `torch::NoGradGuard no_grad;` as the first statement
  /// of \p Block, indented like the statement it precedes; nothing where
  /// that is not certainly right (a macro, a `no_grad` already named in
  /// \p Function, no `torch::NoGradGuard` in the unit).
  std::optional<clang::FixItHint>
  guardAtStart(const clang::CompoundStmt &Block,
               const clang::FunctionDecl &Function,
               clang::ASTContext &Ctx) const;
};

} // namespace trainlint::torch

#endif // TRAINLINT_CHECKS_TORCH_OPTIMEVALWITHOUTNOGRADCHECK_H
