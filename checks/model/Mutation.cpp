//===--- Mutation.cpp - which references may change a variable ------------===//

#include "Mutation.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

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

/// Whether \p FD, a libtorch function template, takes its \p Param by
/// forwarding reference (`TensorOptions::device(Args&&...)`): libtorch
/// forwards such arguments to build a value, and changes none of them.
bool forwardsToCopy(const FunctionDecl *FD, unsigned Param) {
  const FunctionTemplateDecl *Template = FD ? FD->getPrimaryTemplate() : nullptr;
  if (!Template || isa<CXXMethodDecl>(FD) &&
                       isModuleClass(cast<CXXMethodDecl>(FD)->getParent()))
    return false;
  if (!isInNamespace(FD, "c10") && !isInNamespace(FD, "at") &&
      !isInNamespace(FD, "torch"))
    return false;
  const FunctionDecl *Pattern = Template->getTemplatedDecl();
  if (Pattern->getNumParams() == 0)
    return false;
  QualType T = Pattern->getParamDecl(std::min<unsigned>(
                                         Param, Pattern->getNumParams() - 1))
                   ->getType();
  if (const auto *Pack = T->getAs<PackExpansionType>())
    T = Pack->getPattern();
  const auto *Ref = T->getAs<RValueReferenceType>();
  return Ref && Ref->getPointeeType()->getAs<TemplateTypeParmType>() &&
         !Ref->getPointeeType().hasQualifiers();
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
          (bindsMutably(FD->getParamDecl(Param)->getType()) &&
           !forwardsToCopy(FD, Param)))
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

namespace {

/// Tensor methods whose result may share its object's storage: writing into
/// the result writes into the object.
bool mayShareStorage(const CXXMethodDecl &MD) {
  if (!MD.getDeclName().isIdentifier())
    return false;
  static constexpr llvm::StringLiteral Methods[] = {
      "index", "select", "narrow", "slice", "view", "as_strided",
      "diagonal", "t", "transpose", "permute", "unsqueeze", "squeeze",
      "expand", "flatten", "reshape", "view_as", "unflatten", "detach",
      "to", "cuda", "cpu", "contiguous", "type_as", "toType", "expand_as"};
  return llvm::is_contained(Methods, MD.getName());
}

class ValueUses {
public:
  ValueUses(const Stmt &Scope,
            llvm::function_ref<const Stmt *(const Stmt &)> ParentOf)
      : Scope(Scope), ParentOf(ParentOf) {}

  /// Follows the value of \p E to the code that uses it.
  void value(const Expr &E, unsigned Depth) {
    const Stmt *Child = &E;
    for (unsigned Steps = 0; Steps < 32 && !(Out.Escapes && Out.WrittenInPlace);
         ++Steps) {
      const Stmt *Parent = ParentOf(*Child);
      if (!Parent)
        return;
      // Wrappers that hand the same tensor on.
      if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr, ExprWithCleanups, CXXFunctionalCastExpr,
              InitListExpr, CXXStdInitializerListExpr, ConditionalOperator>(
              Parent)) {
        Child = Parent;
        continue;
      }
      if (isa<ReturnStmt, LambdaExpr>(Parent)) {
        Out.Escapes = true;
        return;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(Parent)) {
        for (const Decl *D : DS->decls())
          if (const auto *Var = dyn_cast<VarDecl>(D))
            if (Var->getInit() == Child)
              variable(*Var, Depth);
        return;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(Parent)) {
        if (UO->getOpcode() == UO_AddrOf)
          Out.Escapes = true;
        return;
      }
      if (const auto *Construct = dyn_cast<CXXConstructExpr>(Parent)) {
        const CXXRecordDecl *Class = Construct->getConstructor()->getParent();
        // A copy of the handle, or a list that an operation reads
        // (`c10::ArrayRef`, `at::ITensorListRef`, an IValue).
        if (isSameOrDerivedFrom(Class, "at::TensorBase") ||
            isInNamespace(Class, "c10") || isInNamespace(Class, "at") ||
            isInNamespace(Class, "torch")) {
          Child = Parent;
          continue;
        }
        // A container or an object of the user's holds it.
        Out.Escapes = true;
        return;
      }
      if (const auto *Member = dyn_cast<MemberExpr>(Parent)) {
        const auto *Call =
            dyn_cast_or_null<CXXMemberCallExpr>(ParentOf(*Member));
        const CXXMethodDecl *MD = Call ? Call->getMethodDecl() : nullptr;
        if (!MD)
          return; // a data member, or a bound member that is not called
        if (writesTensorInPlace(*Call)) {
          Out.WrittenInPlace = true;
          return;
        }
        if (isSameOrDerivedFrom(MD->getParent(), "at::TensorBase") &&
            mayShareStorage(*MD)) {
          Child = Call;
          continue;
        }
        return; // a read: `t.sum()`, `t.size(0)`
      }
      if (const auto *Call = dyn_cast<CallExpr>(Parent)) {
        argument(*Call, *Child);
        if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
            Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() > 0 &&
            Op->getArg(0) == Child) {
          Child = Parent; // `t[i]` views `t`
          continue;
        }
        return;
      }
      return; // an operand of a built-in operator, a condition: a read
    }
  }

  void variable(const VarDecl &Var, unsigned Depth) {
    if (Var.isStaticLocal() || Var.hasGlobalStorage() || Depth > 3) {
      Out.Escapes = true;
      return;
    }
    if (!Seen.insert(&Var).second)
      return;
    references(&Scope, Var, Depth + 1);
  }

  TensorValueUses Out;

private:
  void references(const Stmt *S, const VarDecl &Var, unsigned Depth) {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (DRE->getDecl()->getCanonicalDecl() == Var.getCanonicalDecl())
        value(*DRE, Depth);
      return;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S))
      for (const LambdaCapture &Capture : Lambda->captures())
        if (Capture.capturesVariable() &&
            Capture.getCapturedVar()->getCanonicalDecl() ==
                Var.getCanonicalDecl())
          Out.Escapes = true;
    for (const Stmt *Child : S->children())
      references(Child, Var, Depth);
  }

  /// \p Arg, a child of \p Call: its object, its callee or an argument.
  void argument(const CallExpr &Call, const Stmt &Arg) {
    const FunctionDecl *FD = Call.getDirectCallee();
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
    unsigned Index = 0;
    while (Index < Call.getNumArgs() && Call.getArg(Index) != &Arg)
      ++Index;
    if (Index == Call.getNumArgs())
      return; // the callee
    if (!FD) {
      Out.Escapes = true; // a call through a pointer or a template
      return;
    }
    // A module's call operator takes its inputs by forwarding reference
    // only to hand them to `forward`.
    if (MD && isModuleClass(MD->getParent()))
      return;
    if (Op && MD && Index == 0) {
      // The object of an operator: `t += x` and `t[i] = v` write into it,
      // `t = u` only rebinds the variable, `t + u` reads.
      if (Op->getOperator() == OO_Equal)
        Out.WrittenInPlace |= MD->getRefQualifier() != RQ_LValue;
      else if (writesTensorInPlace(Call))
        Out.WrittenInPlace = true;
      return;
    }
    // `member_ = t`, `other = t`, `v[i] = t`.
    if (Op && Op->isAssignmentOp()) {
      Out.Escapes = true;
      return;
    }
    unsigned Param = Op && MD ? Index - 1 : Index;
    if (Param >= FD->getNumParams() ||
        (bindsMutably(FD->getParamDecl(Param)->getType()) &&
         !forwardsToCopy(FD, Param))) {
      Out.Escapes = true; // `std::move(t)`, `fill(t)` by reference, varargs
      return;
    }
    // A function of the user's that writes into the parameter: tensors are
    // handles, and libtorch's in-place operations are const methods, so a
    // copy or a const reference reaches the same storage.
    const FunctionDecl *Def = nullptr;
    if (FD->hasBody(Def) && Def && Param < Def->getNumParams() &&
        !isInNamespace(Def, "std") && !isInNamespace(Def, "c10") &&
        !isInNamespace(Def, "at") && !isInNamespace(Def, "torch")) {
      const ParmVarDecl &P = *Def->getParamDecl(Param);
      ModifyingReferences Any, Plain;
      collectModifyingReferences(Def->getBody(), P, Any, TensorWrites::Count);
      collectModifyingReferences(Def->getBody(), P, Plain, TensorWrites::Ignore);
      if (llvm::any_of(Any.Refs, [&](const Expr *R) { return !Plain.Refs.count(R); }))
        Out.WrittenInPlace = true;
    }
    // `v.push_back(t)`: a container or an object of the user's keeps it.
    if (isa<CXXMemberCallExpr>(Call))
      if (MD && !MD->isConst() && !MD->isStatic() &&
          !isSameOrDerivedFrom(MD->getParent(), "at::TensorBase"))
        Out.Escapes = true;
  }

  const Stmt &Scope;
  llvm::function_ref<const Stmt *(const Stmt &)> ParentOf;
  llvm::SmallPtrSet<const VarDecl *, 4> Seen;
};

} // namespace

TensorValueUses
tensorValueUses(const Expr &Value, const Stmt &Scope,
                llvm::function_ref<const Stmt *(const Stmt &)> ParentOf) {
  ValueUses Uses(Scope, ParentOf);
  Uses.value(Value, 0);
  return Uses.Out;
}

} // namespace trainlint
