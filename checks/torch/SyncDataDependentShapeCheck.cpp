//===--- SyncDataDependentShapeCheck.cpp - torch-sync-data-dependent-shape ===//

#include "SyncDataDependentShapeCheck.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral MemberId = "member";
constexpr llvm::StringLiteral WhereId = "where";
constexpr llvm::StringLiteral IndexId = "index";

/// Which alternative the message suggests.
enum class Advice { UseMask, MaskedSelect, Unique, MaskIndex, MaskAssign };

/// How many variables deep isMaskExpr() follows `auto m = x > 0;`.
constexpr unsigned MaxMaskDepth = 4;

/// Tensor methods and at:: functions that return a boolean tensor.
bool isMaskProducerName(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Names[] = {
      "gt", "lt", "ge", "le", "eq", "ne", "greater", "less", "greater_equal",
      "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor",
      "logical_not", "isnan", "isinf", "isfinite", "isposinf", "isneginf",
      "isclose", "signbit"};
  return llvm::is_contained(Names, Name);
}

/// Whether \p E names the boolean scalar type: `torch::kBool`, `at::kBool`,
/// `c10::ScalarType::Bool`.
bool namesBoolDtype(const Expr *E) {
  E = E->IgnoreImplicit();
  // Converted to the parameter's type: optional<ScalarType>, TensorOptions.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    if (Construct->getNumArgs() == 1)
      E = Construct->getArg(0)->IgnoreImplicit();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  if (!DRE || !DRE->getDecl()->getDeclName().isIdentifier())
    return false;
  const ValueDecl *D = DRE->getDecl();
  if (isa<EnumConstantDecl>(D))
    return D->getName() == "Bool" && isInNamespace(D, "c10");
  return D->getName() == "kBool" &&
         (isInNamespace(D, "c10") || isInNamespace(D, "at") ||
          isInNamespace(D, "torch"));
}

/// Whether \p E is a boolean mask tensor that the code shows: a comparison
/// of tensors, a logical or `isnan`-like method, a `~`, `&`, `|` or `^` of
/// masks, a conversion `.to(torch::kBool)`, or a local variable initialized
/// from one of those. A tensor whose dtype the code does not show (a
/// parameter, a member, a function's result) is not a mask here.
bool isMaskExpr(const Expr *E, unsigned Depth) {
  if (!E || Depth > MaxMaskDepth)
    return false;
  E = E->IgnoreImplicit()->IgnoreParens();
  // A copy of a tensor: `Tensor(x > 0)`, a by-value argument.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() == 1 &&
        Construct->getConstructor()->isCopyOrMoveConstructor())
      return isMaskExpr(Construct->getArg(0), Depth);
    return false;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (Op->getOperator()) {
    case OO_Greater:
    case OO_Less:
    case OO_GreaterEqual:
    case OO_LessEqual:
    case OO_EqualEqual:
    case OO_ExclaimEqual:
      return isTensorType(Op->getType());
    case OO_Tilde:
    case OO_Exclaim:
      return Op->getNumArgs() == 1 && isMaskExpr(Op->getArg(0), Depth);
    case OO_Amp:
    case OO_Pipe:
    case OO_Caret:
      // A mask combined with another tensor is a mask unless the other one
      // is an integer tensor, which nobody combines with a mask.
      return Op->getNumArgs() == 2 && (isMaskExpr(Op->getArg(0), Depth) ||
                                       isMaskExpr(Op->getArg(1), Depth));
    default:
      return false;
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getDeclName().isIdentifier() ||
        !isTensorType(Call->getType()))
      return false;
    llvm::StringRef Name = FD->getName();
    // A method of the tensor class, or a function of libtorch: the user's
    // own `isValid(x)` may return anything.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      if (!isSameOrDerivedFrom(MD->getParent(), "at::TensorBase") &&
          !isSameOrDerivedFrom(MD->getParent(), "at::Tensor"))
        return false;
    } else if (!isInNamespace(FD, "at") && !isInNamespace(FD, "torch")) {
      return false;
    }
    if (isMaskProducerName(Name))
      return true;
    // x.to(torch::kBool), x.to(device, torch::kBool)
    if (Name == "to" && isa<CXXMethodDecl>(FD))
      return llvm::any_of(Call->arguments(), [](const Expr *Arg) {
        return namesBoolDtype(Arg);
      });
    return false;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    // Only a local variable's initializer tells what it holds; a parameter
    // holds what each caller passes.
    // FIXME: a later assignment to the variable is not seen.
    return VD && VD->isLocalVarDecl() && VD->getInit() &&
           isMaskExpr(VD->getInit(), Depth + 1);
  }
  return false;
}

/// The tensors among the elements of an index list \p E (an initializer list
/// of TensorIndex, an ArrayRef built from one), looking through the
/// conversions that wrap each element.
void collectIndexTensors(const Expr *E,
                         llvm::SmallVectorImpl<const Expr *> &Out) {
  if (!E)
    return;
  E = E->IgnoreImplicit()->IgnoreParens();
  if (isTensorType(E->getType())) {
    Out.push_back(E);
    return;
  }
  if (const auto *List = dyn_cast<CXXStdInitializerListExpr>(E)) {
    collectIndexTensors(List->getSubExpr(), Out);
    return;
  }
  if (const auto *Init = dyn_cast<InitListExpr>(E)) {
    for (const Expr *Element : Init->inits())
      collectIndexTensors(Element, Out);
    return;
  }
  // TensorIndex(mask), ArrayRef<TensorIndex>({...}), optional<Tensor>(mask)
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    for (const Expr *Arg : Construct->arguments())
      collectIndexTensors(Arg, Out);
    return;
  }
}

std::string calleeName(const CallExpr &Call, const MemberExpr *Member) {
  if (Member)
    return "'" + Member->getMemberDecl()->getNameAsString() + "()'";
  return "'" + Call.getDirectCallee()->getQualifiedNameAsString() + "()'";
}

Advice adviceFor(llvm::StringRef Name) {
  if (Name == "masked_select")
    return Advice::MaskedSelect;
  if (Name.contains("unique"))
    return Advice::Unique;
  return Advice::UseMask;
}
} // namespace

SyncDataDependentShapeCheck::SyncDataDependentShapeCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncDataDependentShapeCheck::registerMatchers(MatchFinder *Finder) {
  // x.nonzero(), x.nonzero_numpy(), x.argwhere(), x.masked_select(mask)
  // FIXME: a call through a pointer to member is not seen.
  const auto DataDependentMethod =
      cxxMethodDecl(hasAnyName("nonzero", "nonzero_numpy", "argwhere",
                               "masked_select"),
                    ofClass(tensorClass()));
  Finder->addMatcher(cxxMemberCallExpr(callee(DataDependentMethod),
                                       callee(memberExpr().bind(MemberId)))
                         .bind(CallId),
                     this);

  // torch::nonzero(x), at::argwhere(x), torch::masked_select(x, mask),
  // at::_unique(x), at::_unique2(x), at::unique_dim(x, 0),
  // at::unique_consecutive(x), at::unique_dim_consecutive(x, 0)
  // FIXME: the `_out` variants write into a tensor the caller resizes and
  // are not matched; `torch::unique` of libtorch 2.x's Python-like API is
  // matched only if it is declared under one of these names.
  const auto DataDependentFunction = functionDecl(hasAnyName(
      "::at::nonzero", "::at::nonzero_numpy", "::at::argwhere",
      "::at::masked_select", "::at::_unique", "::at::_unique2",
      "::at::unique_dim", "::at::unique_consecutive",
      "::at::unique_dim_consecutive", "::torch::nonzero",
      "::torch::nonzero_numpy", "::torch::argwhere", "::torch::masked_select",
      "::torch::_unique", "::torch::_unique2", "::torch::unique_dim",
      "::torch::unique_consecutive", "::torch::unique_dim_consecutive"));
  Finder->addMatcher(callExpr(callee(DataDependentFunction)).bind(CallId),
                     this);

  // torch::where(cond), the one-argument form that returns the indices of
  // the true elements (the three-argument form keeps the shape)
  // FIXME: a call through a function pointer or std::invoke is not seen.
  const auto WhereIndices =
      functionDecl(hasAnyName("::at::where", "::torch::where"),
                   parameterCountIs(1));
  Finder->addMatcher(callExpr(callee(WhereIndices)).bind(WhereId), this);

  // x.index({mask}), x.index({Slice(), mask}), x.index_put_({mask}, v);
  // check() decides whether an index is a mask.
  // FIXME: an index list built elsewhere (a std::vector<TensorIndex>
  // variable) is not looked into.
  const auto IndexMethod = cxxMethodDecl(hasAnyName("index", "index_put_"),
                                         ofClass(tensorClass()));
  Finder->addMatcher(cxxMemberCallExpr(callee(IndexMethod),
                                       callee(memberExpr().bind(MemberId)))
                         .bind(IndexId),
                     this);
}

void SyncDataDependentShapeCheck::check(
    const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  const auto *Where = Result.Nodes.getNodeAs<CallExpr>(WhereId);
  const auto *Index = Result.Nodes.getNodeAs<CXXMemberCallExpr>(IndexId);
  const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId);
  assert((Call || Where || Index) && "every matcher binds a call");
  const CallExpr *Found = Call ? Call : Where ? Where : Index;

  // Indexing with integers, slices or index tensors keeps the shape static;
  // only a boolean mask makes it depend on the values.
  const Expr *Mask = nullptr;
  if (Index) {
    assert(Member && "the index matchers bind the member");
    llvm::SmallVector<const Expr *, 4> Tensors;
    collectIndexTensors(Index->getArg(0), Tensors);
    const auto *It = llvm::find_if(
        Tensors, [](const Expr *T) { return isMaskExpr(T, 0); });
    if (It == Tensors.end())
      return;
    Mask = *It;
  }

  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // With no accelerator anywhere in the program, every tensor is on the CPU,
  // where learning the output size is a plain read.
  if (!Model.mayUseAccelerator())
    return;
  std::optional<HotContext> Hot = Model.classify(*Found);
  // Before or after the loop, or once per epoch: a single wait costs nothing.
  if (!Hot)
    return;
  // Under `if (step % N == 0)` and the like: the wait is already amortized.
  if (Hot->isGated())
    return;

  SourceLocation Loc = Member ? Member->getMemberLoc() : Found->getBeginLoc();
  std::string What = calleeName(*Found, Member);
  Advice Suggestion = Advice::UseMask;
  if (Index) {
    What += " with a boolean mask";
    Suggestion = Member->getMemberDecl()->getName() == "index_put_"
                     ? Advice::MaskAssign
                     : Advice::MaskIndex;
  } else if (Where) {
    What += " with only a condition";
  } else {
    Suggestion = adviceFor(Found->getDirectCallee()->getName());
  }
  diag(Loc,
       "%0 %select{has an output size that depends on tensor values|turns a "
       "boolean mask into indices whose number depends on tensor values}1, "
       "which synchronizes the host with the device on every iteration of "
       "the %2; %select{keep the shape static by using the mask itself: "
       "'torch::where(mask, x, y)', 'masked_fill' or a multiplication by the "
       "mask|keep the shape static: 'torch::where(mask, x, "
       "torch::zeros_like(x))' or 'x * mask', then reduce over the whole "
       "tensor|count into a fixed-size tensor ('one_hot', 'scatter_add_') or "
       "compute it once outside the loop|keep the shape static: "
       "'torch::where(mask, x, torch::zeros_like(x))' or 'x * mask'|use "
       "'masked_fill_(mask, value)' or 'torch::where(mask, value, x)', which "
       "need no indices}3")
      << What << (Index ? 1u : 0u) << loopKindName(Hot->Kind)
      << static_cast<unsigned>(Suggestion);
  if (Mask)
    diag(Mask->getBeginLoc(), "this index is a boolean mask",
         DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
