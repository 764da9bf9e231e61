//===--- CudaMemory.cpp - where a CUDA copy's host memory comes from ------===//

#include "CudaMemory.h"
#include "PerTranslationUnit.h"
#include "TorchApi.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <map>

namespace trainlint {

using namespace clang;

namespace {

/// How deep the proof follows pointers initialized from other pointers.
constexpr unsigned MaxDerivationDepth = 4;

using VarSet = llvm::SmallPtrSet<const VarDecl *, 8>;

/// A function of the C library that returns pageable memory.
bool isCAllocator(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  static constexpr llvm::StringLiteral Allocators[] = {
      "malloc", "calloc", "realloc", "aligned_alloc", "valloc", "memalign"};
  if (!llvm::is_contained(Allocators, FD->getName()))
    return false;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit())
    return true;
  const auto *NS = dyn_cast<NamespaceDecl>(DC);
  return NS && NS->isStdNamespace();
}

/// The class template specialization \p T names, when it is `std::<Name>`
/// (in whatever inline namespace the standard library puts it).
const ClassTemplateSpecializationDecl *stdSpecialization(QualType T,
                                                         llvm::StringRef Name) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.isNull() ? nullptr : T->getAsCXXRecordDecl());
  if (!Spec || !Spec->getDeclName().isIdentifier() || Spec->getName() != Name)
    return nullptr;
  return Spec->isInStdNamespace() ? Spec : nullptr;
}

/// Whether template argument \p Index of \p Spec is the standard allocator:
/// a container with any other allocator may well hand out pinned memory.
bool usesStdAllocator(const ClassTemplateSpecializationDecl *Spec,
                      unsigned Index) {
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() <= Index || Args[Index].getKind() != TemplateArgument::Type)
    return false;
  return stdSpecialization(Args[Index].getAsType(), "allocator") != nullptr;
}

/// "allocated by a 'std::vector'" and the like when \p T is a standard
/// container whose elements live in pageable memory; empty for a std::array,
/// whose elements are where the array is.
std::optional<std::string> containerOrigin(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *Spec = stdSpecialization(T, "vector"))
    if (usesStdAllocator(Spec, 1))
      return std::string("allocated by a 'std::vector'");
  if (const auto *Spec = stdSpecialization(T, "basic_string"))
    if (usesStdAllocator(Spec, 2))
      return std::string("allocated by a 'std::string'");
  // Empty: wherever the array itself is.
  if (stdSpecialization(T, "array"))
    return std::string();
  return std::nullopt;
}

/// Whether \p T is `std::unique_ptr<T[]>` with the default deleter, so that
/// its memory came from `new[]` when it was made from `new[]`.
bool isUniqueArrayPtr(QualType T) {
  const auto *Spec = stdSpecialization(T.getNonReferenceType(), "unique_ptr");
  if (!Spec)
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() == 2 && Args[0].getKind() == TemplateArgument::Type &&
         Args[0].getAsType()->isArrayType() &&
         Args[1].getKind() == TemplateArgument::Type &&
         stdSpecialization(Args[1].getAsType(), "default_delete");
}

/// Whether \p VD is declared `__managed__`. Clang keeps the attribute only
/// for HIP and drops it in CUDA, so the declaration's text is read as well.
bool isManagedVariable(const VarDecl *VD, const ASTContext &Ctx) {
  if (VD->hasAttr<HIPManagedAttr>())
    return true;
  if (VD->isLocalVarDecl())
    return false; // __managed__ is for variables at namespace scope
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Head =
      CharSourceRange::getCharRange(SM.getExpansionLoc(VD->getBeginLoc()),
                                    SM.getExpansionLoc(VD->getLocation()));
  bool Invalid = false;
  llvm::StringRef Text =
      Lexer::getSourceText(Head, SM, Ctx.getLangOpts(), &Invalid);
  return Invalid || Text.contains("__managed__") || Text.contains("managed)");
}

/// Host memory of the user's own: not a parameter or reference (they point
/// anywhere), not device, constant or managed memory.
bool isOwnHostVariable(const VarDecl *VD, const ASTContext &Ctx) {
  if (!VD || isa<ParmVarDecl>(VD) || VD->getType()->isReferenceType())
    return false;
  return !VD->hasAttr<CUDADeviceAttr>() && !VD->hasAttr<CUDAConstantAttr>() &&
         !VD->hasAttr<CUDASharedAttr>() && !isManagedVariable(VD, Ctx);
}

/// Looks through parentheses, casts between pointer types and pointer
/// arithmetic: `(char *)buf + offset` is still `buf`'s memory.
const Expr *stripPointerNoise(const Expr *E) {
  while (true) {
    E = E->IgnoreParens();
    if (const auto *Cast = dyn_cast<CastExpr>(E)) {
      if (Cast->getCastKind() == CK_UserDefinedConversion ||
          Cast->getCastKind() == CK_ConstructorConversion)
        return E;
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub)
        return E;
      if (BO->getLHS()->getType()->isPointerType())
        E = BO->getLHS();
      else if (BO->getRHS()->getType()->isPointerType())
        E = BO->getRHS();
      else
        return E;
      continue;
    }
    return E;
  }
}

const VarDecl *referencedVar(const Expr *E) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// How a pointer expression reaches the variable that holds its memory.
enum class Access {
  ContainerData, // v.data(), &v[i]
  UniquePtrGet,  // u.get(), &u[i]
  Array,         // arr, &arr[i]
  AddressOf,     // &x
  PointerValue,  // p, &p[i]
};

struct Root {
  const VarDecl *Var;
  Access How;
};

/// The variable whose memory \p E points into, and how.
std::optional<Root> rootOf(const Expr *E) {
  E = stripPointerNoise(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    if (VD->getType()->isArrayType())
      return Root{VD, Access::Array};
    if (VD->getType()->isPointerType())
      return Root{VD, Access::PointerValue};
    return std::nullopt;
  }
  // v.data(), u.get()
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    const VarDecl *Object = referencedVar(Member->getImplicitObjectArgument());
    if (!MD || !Object || !MD->getDeclName().isIdentifier())
      return std::nullopt;
    if (MD->getName() == "data" && containerOrigin(Object->getType()))
      return Root{Object, Access::ContainerData};
    if (MD->getName() == "get" && isUniqueArrayPtr(Object->getType()))
      return Root{Object, Access::UniquePtrGet};
    return std::nullopt;
  }
  const auto *AddrOf = dyn_cast<UnaryOperator>(E);
  if (!AddrOf || AddrOf->getOpcode() != UO_AddrOf)
    return std::nullopt;
  const Expr *Operand = AddrOf->getSubExpr()->IgnoreParens();
  // &arr[i], &p[i]
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(Operand))
    return rootOf(Subscript->getBase());
  // &v[i], &u[i]
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Operand)) {
    if (Op->getOperator() != OO_Subscript || Op->getNumArgs() != 2)
      return std::nullopt;
    const VarDecl *Object = referencedVar(Op->getArg(0));
    if (!Object)
      return std::nullopt;
    if (containerOrigin(Object->getType()))
      return Root{Object, Access::ContainerData};
    if (isUniqueArrayPtr(Object->getType()))
      return Root{Object, Access::UniquePtrGet};
    return std::nullopt;
  }
  // &x
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Operand))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return Root{VD, Access::AddressOf};
  // FIXME: members (`&batch.values[0]`, `obj.buffer`) are not followed.
  return std::nullopt;
}

/// A reference to a variable, and the expression or statement that uses it.
struct VarUse {
  /// The reference, with the parentheses and no-op casts around it.
  const Expr *Ref;
  /// What uses it: the parent of Ref; null at the top of the walk.
  const Stmt *User;
};

/// Collects the uses of one variable in a function body, keeping the path
/// from the body down (clang's own parent map would be built for the whole
/// translation unit, system headers included).
class UseCollector {
public:
  UseCollector(const VarDecl *VD, llvm::SmallVectorImpl<VarUse> &Out)
      : VD(VD), Out(Out) {}

  void walk(const Stmt *S) {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD)
      record(DRE);
    Path.push_back(S);
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      // Captures and body, whatever the lambda's children are.
      for (const Expr *Init : Lambda->capture_inits())
        walk(Init);
      walk(Lambda->getBody());
    } else {
      for (const Stmt *Child : S->children())
        walk(Child);
    }
    Path.pop_back();
  }

private:
  void record(const DeclRefExpr *DRE) {
    const Expr *Ref = DRE;
    for (const Stmt *Up : llvm::reverse(Path)) {
      const auto *Cast = dyn_cast<ImplicitCastExpr>(Up);
      if (isa<ParenExpr>(Up) || (Cast && Cast->getCastKind() == CK_NoOp)) {
        Ref = cast<Expr>(Up);
        continue;
      }
      Out.push_back({Ref, Up});
      return;
    }
    Out.push_back({Ref, nullptr});
  }

  const VarDecl *VD;
  llvm::SmallVectorImpl<VarUse> &Out;
  llvm::SmallVector<const Stmt *, 32> Path;
};

/// The body of the function that declares the local variable \p VD.
const Stmt *enclosingBody(const VarDecl *VD) {
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  return FD ? FD->getBody() : nullptr;
}

/// Every use of the local variable \p VD in its function.
llvm::SmallVector<VarUse, 8> usesOf(const VarDecl *VD) {
  llvm::SmallVector<VarUse, 8> Uses;
  UseCollector(VD, Uses).walk(enclosingBody(VD));
  return Uses;
}

/// Proves that expressions point to pageable memory, remembering every
/// variable the proof goes through.
class PageableProof {
public:
  explicit PageableProof(ASTContext &Ctx) : Ctx(Ctx) {}

  /// Where the memory \p E points to comes from, when provably pageable.
  std::optional<std::string> originOf(const Expr *E, unsigned Depth) {
    if (Depth > MaxDerivationDepth)
      return std::nullopt;
    E = stripPointerNoise(E);
    if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
      // Placement new and class-specific operators put memory anywhere.
      const FunctionDecl *Operator = New->getOperatorNew();
      if (New->getNumPlacementArgs() != 0 ||
          (Operator && !Operator->isReplaceableGlobalAllocationFunction()))
        return std::nullopt;
      return std::string(New->isArray() ? "allocated by 'new[]'"
                                        : "allocated by 'new'");
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (isCAllocator(Call->getDirectCallee()))
        return "allocated by '" + Call->getDirectCallee()->getNameAsString() +
               "'";
      // std::make_unique<float[]>(n).get()
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
        if (const CXXMethodDecl *MD = Member->getMethodDecl())
          if (MD->getDeclName().isIdentifier() && MD->getName() == "get" &&
              isMakeUniqueArray(Member->getImplicitObjectArgument()))
            return std::string("allocated by 'std::make_unique<T[]>'");
    }
    std::optional<Root> R = rootOf(E);
    if (!R || !isOwnHostVariable(R->Var, Ctx))
      return std::nullopt;
    switch (R->How) {
    case Access::ContainerData: {
      std::optional<std::string> Origin = containerOrigin(R->Var->getType());
      if (!Origin)
        return std::nullopt;
      Vars.insert(R->Var);
      // A std::array keeps its elements where it is itself.
      return Origin->empty() ? storageOf(R->Var) : Origin;
    }
    case Access::Array:
    case Access::AddressOf:
      Vars.insert(R->Var);
      return storageOf(R->Var);
    case Access::UniquePtrGet:
      return uniquePtrOrigin(R->Var);
    case Access::PointerValue:
      return pointerOrigin(R->Var, Depth);
    }
    return std::nullopt;
  }

  VarSet Vars;

private:
  static std::string storageOf(const VarDecl *VD) {
    return VD->hasLocalStorage() ? "on the stack" : "in static storage";
  }

  /// `std::make_unique<T[]>(n)` or `std::unique_ptr<T[]>(new T[n])`.
  bool isMakeUniqueArray(const Expr *E) {
    E = E->IgnoreImplicit();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (!isUniqueArrayPtr(Construct->getType()) ||
          Construct->getNumArgs() != 1)
        return false;
      const Expr *Arg = Construct->getArg(0)->IgnoreImplicit();
      if (const auto *New = dyn_cast<CXXNewExpr>(Arg))
        return New->isArray() && New->getNumPlacementArgs() == 0;
      return isMakeUniqueArray(Arg);
    }
    if (const auto *Functional = dyn_cast<CXXFunctionalCastExpr>(E))
      return isMakeUniqueArray(Functional->getSubExpr());
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call || !isUniqueArrayPtr(Call->getType()))
      return false;
    const FunctionDecl *FD = Call->getDirectCallee();
    return FD && FD->getDeclName().isIdentifier() &&
           FD->getName() == "make_unique" && FD->isInStdNamespace();
  }

  /// A local `std::unique_ptr<T[]>` made from `new[]` that nothing but
  /// `get()` and `[]` touches.
  std::optional<std::string> uniquePtrOrigin(const VarDecl *VD) {
    if (!VD->hasLocalStorage() || !VD->getInit() ||
        !isMakeUniqueArray(VD->getInit()))
      return std::nullopt;
    for (const VarUse &Use : usesOf(VD)) {
      if (const auto *Member = dyn_cast_or_null<MemberExpr>(Use.User)) {
        const auto *MD = dyn_cast<CXXMethodDecl>(Member->getMemberDecl());
        if (MD && MD->getDeclName().isIdentifier() && MD->getName() == "get")
          continue;
        if (MD && isa<CXXConversionDecl>(MD)) // if (u)
          continue;
      }
      if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Use.User))
        if (Op->getOperator() == OO_Subscript && Op->getArg(0) == Use.Ref)
          continue;
      // reset(), release(), assignment, a move, a reference: the pointer may
      // now own other memory.
      return std::nullopt;
    }
    Vars.insert(VD);
    // `std::unique_ptr<float[]> u(new float[n])` names its allocation.
    const Expr *Init = VD->getInit()->IgnoreImplicit();
    if (const auto *Functional = dyn_cast<CXXFunctionalCastExpr>(Init))
      Init = Functional->getSubExpr()->IgnoreImplicit();
    if (isa<CXXConstructExpr>(Init))
      return std::string("allocated by 'new[]'");
    return std::string("allocated by 'std::make_unique<T[]>'");
  }

  /// A local pointer whose every value is provably pageable memory.
  std::optional<std::string> pointerOrigin(const VarDecl *VD, unsigned Depth) {
    if (!VD->hasLocalStorage())
      return std::nullopt; // assigned who knows where
    std::optional<std::string> Origin;
    auto Accept = [&](const Expr *Value) {
      if (Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        return true;
      std::optional<std::string> This = originOf(Value, Depth + 1);
      if (!This)
        return false;
      if (!Origin)
        Origin = This;
      return true;
    };
    if (VD->getInit() && !Accept(VD->getInit()))
      return std::nullopt;
    for (const VarUse &Use : usesOf(VD)) {
      const Stmt *Parent = Use.User;
      const Expr *Child = Use.Ref;
      if (!Parent)
        return std::nullopt;
      if (const auto *Cast = dyn_cast<ImplicitCastExpr>(Parent))
        if (Cast->getCastKind() == CK_LValueToRValue)
          continue; // a read
      if (isa<UnaryExprOrTypeTraitExpr>(Parent))
        continue; // sizeof(p)
      if (const auto *UO = dyn_cast<UnaryOperator>(Parent))
        if (UO->isIncrementDecrementOp())
          continue; // ++p still points into the same memory
      if (const auto *BO = dyn_cast<BinaryOperator>(Parent)) {
        if (BO->getLHS() == Child && (BO->getOpcode() == BO_AddAssign ||
                                      BO->getOpcode() == BO_SubAssign))
          continue;
        if (BO->getLHS() == Child && BO->getOpcode() == BO_Assign &&
            Accept(BO->getRHS()))
          continue;
      }
      // Its address is taken (`cudaMallocHost(&p, n)`), it is bound to a
      // reference or captured by one, or assigned something unproven.
      return std::nullopt;
    }
    if (Origin)
      Vars.insert(VD);
    return Origin;
  }

  ASTContext &Ctx;
};

/// The variables that \p E's memory may derive from, proven pageable or not:
/// the root, and what a local pointer root is initialized or assigned from.
void collectDerivation(const Expr *E, VarSet &Out, unsigned Depth = 0) {
  if (!E || Depth > MaxDerivationDepth)
    return;
  std::optional<Root> R = rootOf(E);
  if (!R)
    return;
  if (!Out.insert(R->Var).second)
    return;
  if (R->How != Access::PointerValue && R->How != Access::UniquePtrGet)
    return;
  if (R->Var->getInit())
    collectDerivation(R->Var->getInit(), Out, Depth + 1);
  if (!R->Var->hasLocalStorage() || isa<ParmVarDecl>(R->Var))
    return;
  for (const VarUse &Use : usesOf(R->Var))
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Use.User))
      if (BO->getOpcode() == BO_Assign && BO->getLHS() == Use.Ref)
        collectDerivation(BO->getRHS(), Out, Depth + 1);
}

/// Which variables' memory may be pinned: passed to `cudaHostRegister`, or
/// handed to a function of the user's code that may do so out of sight.
/// Computed once per translation unit.
class PinnedIndex {
public:
  explicit PinnedIndex(ASTContext &Ctx);

  bool mayBePinned(const VarSet &Vars) const {
    return llvm::any_of(Vars, [&](const VarDecl *VD) {
      return MayBePinned.count(VD->getCanonicalDecl());
    });
  }

  static const PinnedIndex &get(ASTContext &Ctx);

private:
  VarSet MayBePinned;
};

class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  explicit CallCollector(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    // The runtime's and the standard library's own code registers nothing
    // of the user's.
    if (isSystemHeaderDecl(D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitCallExpr(CallExpr *Call) {
    Calls.push_back(Call);
    return true;
  }

  std::vector<const CallExpr *> Calls;

private:
  const SourceManager &SM;
};

PinnedIndex::PinnedIndex(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CallCollector Collector(SM);
  Collector.TraverseDecl(Ctx.getTranslationUnitDecl());

  std::map<const FunctionDecl *, std::vector<const CallExpr *>> CallsTo;
  VarSet Seeds;
  auto AddDerivation = [&](const Expr *Arg) {
    VarSet Derived;
    collectDerivation(Arg, Derived);
    for (const VarDecl *VD : Derived)
      Seeds.insert(VD->getCanonicalDecl());
  };
  for (const CallExpr *Call : Collector.Calls) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      continue;
    CallsTo[FD->getCanonicalDecl()].push_back(Call);
    if (isCudaRuntimeFunction(FD)) {
      if (FD->getName() == "cudaHostRegister" && Call->getNumArgs() >= 1)
        AddDerivation(Call->getArg(0));
      continue;
    }
    // A function of the user's code with no body in sight may register what
    // it is given; the library's functions (memcpy, std::fill, ...) do not.
    if (FD->hasBody() || SM.isInSystemHeader(SM.getExpansionLoc(
                             FD->getCanonicalDecl()->getLocation())))
      continue;
    for (const Expr *Arg : Call->arguments()) {
      if (Arg->getType()->isPointerType())
        AddDerivation(Arg);
      else if (const VarDecl *VD = referencedVar(Arg))
        if (Arg->isGLValue())
          Seeds.insert(VD->getCanonicalDecl()); // a container by reference
    }
  }

  // A parameter that may be pinned makes the arguments passed to it so.
  llvm::SmallVector<const VarDecl *, 16> Work(Seeds.begin(), Seeds.end());
  MayBePinned = Seeds;
  while (!Work.empty()) {
    const auto *Param = dyn_cast<ParmVarDecl>(Work.pop_back_val());
    if (!Param)
      continue;
    const auto *FD =
        dyn_cast_or_null<FunctionDecl>(Param->getParentFunctionOrMethod());
    if (!FD)
      continue;
    unsigned Index = Param->getFunctionScopeIndex();
    // A member operator call passes the object as its first argument.
    for (const CallExpr *Call : CallsTo[FD->getCanonicalDecl()]) {
      unsigned Shift =
          isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
      if (Index + Shift >= Call->getNumArgs())
        continue;
      VarSet Derived;
      collectDerivation(Call->getArg(Index + Shift), Derived);
      for (const VarDecl *VD : Derived)
        if (MayBePinned.insert(VD->getCanonicalDecl()).second)
          Work.push_back(VD->getCanonicalDecl());
    }
  }
}

const PinnedIndex &PinnedIndex::get(ASTContext &Ctx) {
  return perTranslationUnit<PinnedIndex>(Ctx);
}

} // namespace

std::optional<MemcpyKind> memcpyKindOf(const Expr &Arg, const ASTContext &Ctx) {
  std::optional<llvm::APSInt> Value = Arg.getIntegerConstantExpr(Ctx);
  if (!Value || Value->isNegative() || Value->getZExtValue() > 4)
    return std::nullopt;
  return static_cast<MemcpyKind>(Value->getZExtValue());
}

llvm::StringRef cudaApiName(const FunctionDecl &FD) {
  if (!FD.getDeclName().isIdentifier())
    return {};
  llvm::StringRef Name = FD.getName();
  if (!Name.consume_back("_ptds"))
    Name.consume_back("_ptsz");
  return Name;
}

std::optional<PageableBuffer> findPageableBuffer(const Expr &HostPtr,
                                                 ASTContext &Ctx) {
  PageableProof Proof(Ctx);
  std::optional<std::string> Origin = Proof.originOf(&HostPtr, 0);
  if (!Origin)
    return std::nullopt;
  // The proof names at least the variable it ends at; without one there is
  // nothing to point the user to.
  std::optional<Root> R = rootOf(&HostPtr);
  if (!R)
    return std::nullopt;
  VarSet Derived;
  collectDerivation(&HostPtr, Derived);
  for (const VarDecl *VD : Proof.Vars)
    Derived.insert(VD);
  if (PinnedIndex::get(Ctx).mayBePinned(Derived))
    return std::nullopt;
  bool PointsToIt =
      R->How == Access::PointerValue || R->How == Access::UniquePtrGet;
  return PageableBuffer{R->Var, std::move(*Origin), PointsToIt};
}

} // namespace trainlint
