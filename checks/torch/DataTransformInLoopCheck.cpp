//===--- DataTransformInLoopCheck.cpp - torch-data-transform-in-loop ---===//

#include "DataTransformInLoopCheck.h"
#include "model/LoaderBatches.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral OpId = "op";
constexpr llvm::StringLiteral TensorId = "tensor";
constexpr llvm::StringLiteral OperandId = "operand";
constexpr llvm::StringLiteral TransformId = "transform";

/// Whether \p E is a value that no iteration changes, as far as its
/// spelling says: a literal, or a variable declared outside \p Loop (a
/// normalization constant, a mean tensor built before the loop). A tensor
/// factory written in place (`sub(torch::tensor({...}))`) is
/// torch-loop-invariant-tensor's finding, on the same line.
bool isConstantOperand(const Expr &E, const Stmt &Loop,
                       const SourceManager &SM) {
  const Expr *Bare = E.IgnoreImplicit()->IgnoreParenImpCasts();
  // A number converted to the c10::Scalar parameter.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(Bare);
      Construct && Construct->getNumArgs() == 1)
    return isConstantOperand(*Construct->getArg(0), Loop, SM);
  if (isa<FloatingLiteral, IntegerLiteral>(Bare))
    return true;
  if (const auto *Neg = dyn_cast<UnaryOperator>(Bare))
    return Neg->getOpcode() == UO_Minus &&
           isConstantOperand(*Neg->getSubExpr(), Loop, SM);
  const auto *Ref = dyn_cast<DeclRefExpr>(Bare);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var)
    return false;
  SourceLocation Loc = SM.getExpansionLoc(Var->getLocation());
  const bool InLoop =
      SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Loop.getBeginLoc()),
                                   Loc) &&
      SM.isBeforeInTranslationUnit(Loc, SM.getExpansionLoc(Loop.getEndLoc()));
  return !InLoop;
}

} // namespace

DataTransformInLoopCheck::DataTransformInLoopCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataTransformInLoopCheck::registerMatchers(MatchFinder *Finder) {
  const auto UserCode = unless(isExpansionInSystemHeader());
  // batch.data.sub(mean), x.div_(255), batch.data.to(torch::kFloat).div(255)
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("sub", "div", "sub_",
                                                        "div_", "mul"),
                                             ofClass(tensorClass()))),
                        on(expr().bind(TensorId)),
                        hasArgument(0, expr().bind(OperandId)), UserCode)
          .bind(OpId),
      this);
  // (batch.data - mean) / stddev, x /= 255
  Finder->addMatcher(
      cxxOperatorCallExpr(hasAnyOverloadedOperatorName("-", "/", "-=", "/="),
                          hasArgument(0, expr(tensorExpr()).bind(TensorId)),
                          hasArgument(1, expr().bind(OperandId)), UserCode)
          .bind(OpId),
      this);
  // example.data.to(torch::kFloat), example.data.permute({2, 0, 1}),
  // torch::nn::functional::interpolate(example.data, ...), on one example.
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("to", "toType",
                                                        "permute"),
                                             ofClass(tensorClass()))),
                        on(expr().bind(TensorId)), UserCode)
          .bind(OpId),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(
                   "::torch::nn::functional::interpolate",
                   "::torch::upsample_bilinear2d", "::torch::upsample_nearest2d"))),
               hasArgument(0, expr().bind(TensorId)), UserCode)
          .bind(OpId),
      this);
  // torch::data::transforms::Normalize<> normalize(mean, stddev);
  // FIXME: a TensorLambda built in the loop is not matched.
  Finder->addMatcher(
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(cxxRecordDecl(
                           hasName("::torch::data::transforms::Normalize"))))),
                       argumentCountAtLeast(2), UserCode)
          .bind(TransformId),
      this);
}

void DataTransformInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;

  if (const auto *Transform =
          Result.Nodes.getNodeAs<CXXConstructExpr>(TransformId)) {
    std::optional<HotContext> Hot = Model.classify(*Transform);
    // Built once, before the loop or once per epoch.
    if (!Hot || Hot->isGated())
      return;
    // Building a small object costs on the CPU as well: whether the
    // project uses an accelerator does not matter.
    if (Hot->Deferred)
      Hot->Deferred->NeedsAccelerator = false;
    diag(Transform->getBeginLoc(),
         "'Normalize' is built with its constants on every iteration of the "
         "%0 and applied to one batch at a time on the training thread; map "
         "it onto the dataset once, before the loader: "
         "'.map(torch::data::transforms::Normalize<>(mean, stddev))'")
        << loopKindName(Hot->Kind);
    noteHotContext(*Hot);
    return;
  }

  const auto *Op = Result.Nodes.getNodeAs<CallExpr>(OpId);
  const auto *Tensor = Result.Nodes.getNodeAs<Expr>(TensorId);
  const auto *Operand = Result.Nodes.getNodeAs<Expr>(OperandId);
  assert(Op && Tensor && "the operation matchers bind the call and its tensor");

  // Per example: an operation on one example of an unstacked batch, in the
  // loop over the batch's examples.
  if (std::optional<ExampleWalk> Walk = exampleWalkOf(*Tensor, Model)) {
    const auto *Member = dyn_cast<CXXMemberCallExpr>(Op);
    // Only the first method on the example is reported; what follows it in
    // the same chain (`.to(kFloat).div(255)`) is the same finding.
    if (Member && !isa<DeclRefExpr, MemberExpr>(
                      Tensor->IgnoreImplicit()->IgnoreParenImpCasts()))
      return;
    // A `to()` that moves the example to a device is a copy, not
    // preprocessing.
    if (Member && Member->getMethodDecl()->getName() == "to" &&
        !convertsElementTypeOnly(*Member->getMethodDecl()))
      return;
    std::optional<HotContext> Hot =
        Model.classify(*Walk->LoaderLoop->getBody(), Deferral::Forbid);
    if (!Hot || Hot->isGated() || Model.isRareIn(*Op, *Walk->LoaderLoop))
      return;
    diag(Op->getExprLoc(),
         "each example of the batch is converted on its own on the training "
         "thread, on every iteration of the %0; convert it in the dataset's "
         "get() or a transform mapped onto the dataset, so that the loader's "
         "workers do it")
        << loopKindName(Hot->Kind);
    diag(Walk->Loop->getBeginLoc(), "the batch's examples are walked here",
         DiagnosticIDs::Note);
    noteHotContext(*Hot);
    return;
  }

  // Per batch: normalization of a stacked batch's tensor with constants,
  // before it leaves the CPU.
  if (!Operand || !isStackedBatchTensor(*Tensor, Model))
    return;

  std::optional<HotContext> Hot = Model.classify(*Op, Deferral::Forbid);
  if (!Hot || Hot->isGated() || !Hot->Loop)
    return;
  if (!isConstantOperand(*Operand, *Hot->Loop, SM))
    return;
  diag(Op->getExprLoc(),
       "the batch is normalized with constants on the training thread on "
       "every iteration of the %0; map the normalization onto the dataset "
       "('.map(torch::data::transforms::Normalize<>(mean, stddev))' before "
       "Stack, or a TensorLambda), so that the loader's workers do it")
      << loopKindName(Hot->Kind);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
