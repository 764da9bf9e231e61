//===--- Mutation.cpp - which references may change a variable ------------===//

#include "Mutation.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace trainlint {

using namespace clang;

namespace {

bool isSame(const ValueDecl *A, const ValueDecl &B) {
  return A && A->getCanonicalDecl() == B.getCanonicalDecl();
}

/// \p E as a reference to \p D, looking through parentheses and the casts
/// that keep it an lvalue; null when \p E is anything else.
const Expr *refTo(const Expr *E, const ValueDecl &D) {
  if (!E)
    return nullptr;
  E = E->IgnoreParens();
  while (const auto *Cast = dyn_cast<ImplicitCastExpr>(E)) {
    // Reading the value (lvalue-to-rvalue) cannot change the variable.
    if (Cast->getCastKind() == CK_LValueToRValue)
      return nullptr;
    E = Cast->getSubExpr()->IgnoreParens();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return isSame(DRE->getDecl(), D) ? DRE : nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return isSame(ME->getMemberDecl(), D) ? ME : nullptr;
  return nullptr;
}

/// The tensor whose storage \p E views: `t` for `t`, `t[i]`, `t.index(...)`,
/// `t.select(0, i)`, `t.narrow(...)`; writing into the view writes into it.
const Expr *viewedTensor(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = Temp->getSubExpr();
      continue;
    }
    if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = Bind->getSubExpr();
      continue;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getOperator() != OO_Subscript || Op->getNumArgs() == 0)
        return E;
      E = Op->getArg(0);
      continue;
    }
    const auto *Member = dyn_cast<CXXMemberCallExpr>(E);
    if (!Member || !Member->getMethodDecl() ||
        !Member->getMethodDecl()->getDeclName().isIdentifier())
      return E;
    static constexpr llvm::StringLiteral Views[] = {
        "index", "select", "narrow", "slice", "view", "as_strided",
        "diagonal", "t", "transpose", "permute", "unsqueeze", "squeeze",
        "expand", "flatten", "reshape", "view_as", "unflatten", "detach"};
    if (!llvm::is_contained(Views, Member->getMethodDecl()->getName()))
      return E;
    E = Member->getImplicitObjectArgument();
  }
  return E;
}

/// Whether a parameter of type \p T lets the callee change its argument: a
/// reference to non-const, or an rvalue reference (the argument is moved).
bool bindsMutably(QualType T) {
  if (const auto *Ref = T->getAs<ReferenceType>())
    return T->isRValueReferenceType() ||
           !Ref->getPointeeType().isConstQualified();
  return false;
}

class Collector {
public:
  Collector(const ValueDecl &D, ModifyingReferences &Out, TensorWrites Writes)
      : D(D), Out(Out), Writes(Writes) {}

  void walk(const Stmt *S) {
    if (!S)
      return;
    visit(S);
    for (const Stmt *Child : S->children())
      walk(Child);
  }

private:
  void note(const Expr *E) {
    if (const Expr *Ref = refTo(E, D))
      Out.Refs.insert(Ref);
  }

  void noteArguments(const FunctionDecl *FD, llvm::ArrayRef<const Expr *> Args,
                     unsigned FirstParamArg) {
    for (unsigned I = FirstParamArg; I < Args.size(); ++I) {
      unsigned Param = I - FirstParamArg;
      // fmt::print("{}", t), spdlog::info("{}", t): a forwarding reference
      // to a tensor that is only formatted.
      if (isFormattingFunction(FD) && isTensorType(Args[I]->getType()))
        continue;
      // Variadic or unknown callees: assume the worst.
      if (!FD || Param >= FD->getNumParams() ||
          bindsMutably(FD->getParamDecl(Param)->getType()))
        note(Args[I]);
    }
  }

  void noteTensorWrite(const CallExpr &Call, const Expr *Object) {
    if (Writes == TensorWrites::Count && writesTensorInPlace(Call))
      note(viewedTensor(Object));
  }

  void visit(const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        note(BO->getLHS());
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
        note(UO->getSubExpr());
    } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(S)) {
      const auto *MD = Member->getMethodDecl();
      if (!MD || !MD->isConst())
        note(Member->getImplicitObjectArgument());
      noteTensorWrite(*Member, Member->getImplicitObjectArgument());
      noteArguments(MD, {Member->getArgs(), Member->getNumArgs()}, 0);
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
      const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
      // Reaching through a module holder or a smart pointer (`model->`,
      // `*model`) does not change the holder, whichever overload it picks;
      // nor does running the module (`model(x)`), though its buffers may
      // change.
      bool Access = Op->getOperator() == OO_Arrow ||
                    (Op->getOperator() == OO_Star && Op->getNumArgs() == 1) ||
                    (Op->getOperator() == OO_Call && MD &&
                     isModuleClass(MD->getParent()));
      if (MD) {
        if (!MD->isConst() && !Access && Op->getNumArgs() > 0)
          note(Op->getArg(0));
        if (Op->getNumArgs() > 0)
          noteTensorWrite(*Op, Op->getArg(0));
        // A module's call operator takes its inputs by forwarding reference
        // only to hand them to `forward`.
        if (Op->getOperator() != OO_Call || !isModuleClass(MD->getParent()))
          noteArguments(MD, {Op->getArgs(), Op->getNumArgs()}, 1);
      } else {
        noteArguments(Op->getDirectCallee(), {Op->getArgs(), Op->getNumArgs()},
                      0);
      }
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      noteArguments(Call->getDirectCallee(),
                    {Call->getArgs(), Call->getNumArgs()}, 0);
    } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      noteArguments(Construct->getConstructor(),
                    {Construct->getArgs(), Construct->getNumArgs()}, 0);
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *Declared : DS->decls())
        if (const auto *Var = dyn_cast<VarDecl>(Declared))
          if (bindsMutably(Var->getType()))
            note(Var->getInit());
    } else if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &Capture : Lambda->captures())
        if (Capture.capturesVariable() &&
            Capture.getCaptureKind() == LCK_ByRef &&
            isSame(Capture.getCapturedVar(), D))
          Out.CapturedByReference = true;
    }
  }

  const ValueDecl &D;
  ModifyingReferences &Out;
  TensorWrites Writes;
};

} // namespace

bool writesTensorInPlace(const CallExpr &Call) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call.getDirectCallee());
  if (!MD || !isSameOrDerivedFrom(MD->getParent(), "at::TensorBase"))
    return false;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call))
    return Op->isAssignmentOp();
  // libtorch's in-place operations end in an underscore: add_, copy_,
  // index_put_, zero_. Its private helpers start with one.
  return MD->getDeclName().isIdentifier() && MD->getName().ends_with("_") &&
         !MD->getName().starts_with("_");
}

void collectModifyingReferences(const Stmt *S, const ValueDecl &D,
                                ModifyingReferences &Out,
                                TensorWrites Writes) {
  Collector(D, Out, Writes).walk(S);
}

bool isModifiedIn(const ValueDecl &D, const Stmt &S) {
  ModifyingReferences Out;
  collectModifyingReferences(&S, D, Out, TensorWrites::Count);
  return Out.any();
}

} // namespace trainlint
