//===--- OptimZeroGradNotNoneCheck.cpp - torch-optim-zero-grad-not-none ---===//

#include "OptimZeroGradNotNoneCheck.h"
#include "model/TorchApi.h"
#include "model/TrainingFeatures.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "zeroGrad";
} // namespace

OptimZeroGradNotNoneCheck::OptimZeroGradNotNoneCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimZeroGradNotNoneCheck::registerMatchers(MatchFinder *Finder) {
  // optimizer.zero_grad(false); model->zero_grad(/*set_to_none=*/false);
  // model->zero_grad();   // libtorch 1.13: Module's default is false
  // FIXME: a parameter's `grad().zero_()` fills one gradient with zeros
  // too; its cure (`mutable_grad().reset()`) is not offered.
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("zero_grad"))),
                        unless(isExpansionInSystemHeader()))
          .bind(CallId),
      this);
}

void OptimZeroGradNotNoneCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CXXMemberCallExpr>(CallId);
  assert(Call && "the matcher binds the call");
  const CXXMethodDecl *Method = Call->getMethodDecl();
  const CXXRecordDecl *Class = Method->getParent();
  if (!isSameOrDerivedFrom(Class, "torch::nn::Module") &&
      !isSameOrDerivedFrom(Class, "torch::optim::Optimizer"))
    return;
  // libtorch 1.13's Optimizer::zero_grad() takes no argument: it zeroes,
  // and there is nothing to pass.
  if (Call->getNumArgs() == 0)
    return;
  const Expr *Arg = Call->getArg(0);
  const auto *Default = dyn_cast<CXXDefaultArgExpr>(Arg);
  // A value known only at run time (`zero_grad(cfg.set_to_none)`), or
  // `true`: the user chose.
  if (boolLiteralValue(Default ? Default->getExpr() : Arg) != false)
    return;
  const SourceManager &SM = *Result.SourceManager;
  std::optional<FixItHint> Fix;
  if (Default) {
    SourceLocation RParen = Call->getRParenLoc();
    if (RParen.isFileID())
      Fix = FixItHint::CreateInsertion(RParen, "true");
    diag(Call->getExprLoc(),
         "'zero_grad()' of '%0' fills every gradient with zeros: its "
         "'set_to_none' defaults to 'false' in these libtorch headers; pass "
         "'true' to set the gradients to none, so that the next backward "
         "writes them fresh")
        << Class->getQualifiedNameAsString() << (Fix ? *Fix : FixItHint());
    return;
  }
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(Arg->getSourceRange()), SM,
      Result.Context->getLangOpts());
  // Spelled by a macro: the fix would rewrite the macro for every use.
  if (Range.isValid() && Arg->getBeginLoc().isFileID())
    Fix = FixItHint::CreateReplacement(Range, "true");
  diag(Arg->getBeginLoc(),
       "'zero_grad(false)' fills every gradient with zeros; pass 'true' to "
       "set the gradients to none, so that the next backward writes them "
       "fresh")
      << (Fix ? *Fix : FixItHint());
}

} // namespace trainlint::torch
