//===--- TensorDevice.cpp - where tensors live and where they move --------===//

#include "TensorDevice.h"
#include "Mutation.h"
#include "PerTranslationUnit.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"
#include <map>
#include <memory>
#include <mutex>

namespace trainlint {

using namespace clang;

namespace {

/// How far the device analysis follows variables and method chains.
constexpr unsigned MaxDepth = 8;

bool isClass(QualType T, llvm::StringRef QualifiedName) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getQualifiedNameAsString() == QualifiedName;
}

/// c10::optional (libtorch 1.13) or std::optional (2.x, where c10::optional
/// is an alias of it).
bool isOptional(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->getDeclName().isIdentifier() || RD->getName() != "optional")
    return false;
  return RD->isInStdNamespace() || isInNamespace(RD, "c10");
}

bool isString(QualType T) {
  if (const auto *RD = recordOf(T))
    return RD->isInStdNamespace() && RD->getDeclName().isIdentifier() &&
           RD->getName() == "basic_string";
  T = T.getNonReferenceType();
  if (T->isArrayType() || T->isPointerType()) {
    QualType Elem = T->isArrayType()
                        ? QualType(T->getArrayElementTypeNoTypeQual(), 0)
                        : T->getPointeeType();
    return Elem->isCharType();
  }
  return false;
}

bool isEnum(QualType T, llvm::StringRef QualifiedName) {
  const EnumDecl *ED = T.getNonReferenceType()->getAsEnumDecl();
  return ED && ED->getQualifiedNameAsString() == QualifiedName;
}

bool isDeviceType(QualType T) { return isEnum(T, "c10::DeviceType"); }
bool isDevice(QualType T) { return isClass(T, "c10::Device"); }
bool isTensorOptions(QualType T) { return isClass(T, "c10::TensorOptions"); }
bool isTensorOptionsClass(const CXXRecordDecl *RD) {
  return RD && RD->getQualifiedNameAsString() == "c10::TensorOptions";
}
bool isBackend(QualType T) { return isEnum(T, "c10::Backend"); }
/// What `tensor.type()` returns: a backend (and so a device type) and a
/// dtype. Older libtorch called it at::Type.
bool isTypePropertiesClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string Name = RD->getQualifiedNameAsString();
  return Name == "at::DeprecatedTypeProperties" || Name == "at::Type";
}

bool isTensorMethod(const CXXMethodDecl *MD) {
  return MD && (isSameOrDerivedFrom(MD->getParent(), "at::TensorBase") ||
                isSameOrDerivedFrom(MD->getParent(), "at::Tensor"));
}

/// Whether \p FD is declared in namespace torch or at themselves.
bool isInTorchOrAt(const FunctionDecl &FD) {
  const auto *NS = dyn_cast<NamespaceDecl>(
      FD.getDeclContext()->getEnclosingNamespaceContext());
  if (!NS)
    return false;
  std::string Namespace = NS->getQualifiedNameAsString();
  return Namespace == "torch" || Namespace == "at";
}

bool isNulloptType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getDeclName().isIdentifier() && RD->getName() == "nullopt_t";
}

bool isInPlaceTag(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName() == "in_place_t";
}

/// What an expression of \p T points at when nothing else is known of it.
DeviceTarget targetByType(QualType T) {
  if (isTensorOptions(T))
    return DeviceTarget::Opaque;
  if (isDevice(T) || isDeviceType(T) || isString(T) || isOptional(T) ||
      isBackend(T) || isTypePropertiesClass(recordOf(T)))
    return DeviceTarget::Unknown;
  // A dtype, a layout, a memory format, a bool.
  return DeviceTarget::None;
}

DeviceTarget targetOfDeviceString(llvm::StringRef S) {
  llvm::StringRef Type = S.split(':').first.trim();
  if (Type == "cpu")
    return DeviceTarget::Cpu;
  if (Type == "meta")
    return DeviceTarget::Other;
  static constexpr llvm::StringLiteral Accelerators[] = {
      "cuda", "hip",    "mps",   "xpu", "xla",  "hpu",          "mtia",
      "ipu",  "vulkan", "metal", "ve",  "lazy", "privateuseone"};
  if (llvm::is_contained(Accelerators, Type))
    return DeviceTarget::Accelerator;
  return DeviceTarget::Unknown;
}

DeviceTarget targetOfDeviceTypeEnumerator(const EnumConstantDecl &EC) {
  llvm::StringRef Name = EC.getName();
  if (Name == "CPU")
    return DeviceTarget::Cpu;
  if (Name == "Meta")
    return DeviceTarget::Other;
  return DeviceTarget::Accelerator;
}

/// Where a c10::Backend enumerator points: every backend of the CPU (dense,
/// sparse, quantized, MKL-DNN) ends in "CPU".
DeviceTarget targetOfBackendEnumerator(const EnumConstantDecl &EC) {
  llvm::StringRef Name = EC.getName();
  if (Name.ends_with("CPU"))
    return DeviceTarget::Cpu;
  if (Name == "Meta")
    return DeviceTarget::Other;
  if (Name == "Undefined" || Name == "NumOptions")
    return DeviceTarget::Unknown;
  return DeviceTarget::Accelerator;
}

/// What either of two branches points at.
DeviceTarget combine(DeviceTarget A, DeviceTarget B) {
  if (A == B)
    return A;
  if (A == DeviceTarget::Opaque || B == DeviceTarget::Opaque ||
      A == DeviceTarget::None || B == DeviceTarget::None)
    return DeviceTarget::Opaque;
  return DeviceTarget::Unknown;
}

/// The body of the function that declares the local variable \p VD.
const Stmt *enclosingBody(const VarDecl &VD) {
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(VD.getParentFunctionOrMethod());
  return FD ? FD->getBody() : nullptr;
}

/// The references to \p VD in \p S, and those of them that are the input of
/// a module call, `model(x)`: ModuleHolder's call operator takes its inputs
/// by forwarding reference only to pass them on to `forward`.
void collectReferences(
    const Stmt *S, const VarDecl *VD,
    llvm::SmallVectorImpl<const DeclRefExpr *> &Refs,
    llvm::SmallPtrSetImpl<const DeclRefExpr *> &ModuleInputs) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl()->getCanonicalDecl() == VD->getCanonicalDecl())
      Refs.push_back(DRE);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->getOperator() == OO_Call)
      if (const auto *MD =
              dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee()))
        if (isModuleClass(MD->getParent()))
          for (unsigned I = 1; I < Op->getNumArgs(); ++I)
            if (const auto *DRE =
                    dyn_cast<DeclRefExpr>(Op->getArg(I)->IgnoreParenImpCasts()))
              ModuleInputs.insert(DRE);
  for (const Stmt *Child : S->children())
    collectReferences(Child, VD, Refs, ModuleInputs);
}

/// The initial value of \p VD when it is a constant, or a local variable
/// (not a parameter, not a reference) that nothing in its function modifies.
const Expr *unmodifiedValue(const VarDecl &VD, ASTContext &Ctx) {
  const Expr *Init = VD.getAnyInitializer();
  if (!Init || Init->isValueDependent())
    return nullptr;
  if (VD.isConstexpr() ||
      (VD.getType().isConstQualified() && !VD.getType()->isReferenceType()))
    return Init;
  if (isa<ParmVarDecl>(VD) || !VD.hasLocalStorage() ||
      VD.getType()->isReferenceType())
    return nullptr;
  const Stmt *Body = enclosingBody(VD);
  if (!Body)
    return nullptr;
  llvm::SmallVector<const DeclRefExpr *, 8> Refs;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> ModuleInputs;
  collectReferences(Body, &VD, Refs, ModuleInputs);
  ModifyingReferences Modifying;
  collectModifyingReferences(Body, VD, Modifying);
  if (Modifying.CapturedByReference)
    return nullptr;
  for (const DeclRefExpr *Ref : Refs)
    if (!ModuleInputs.count(Ref) && Modifying.Refs.count(Ref))
      return nullptr;
  return Init;
}

DeviceTarget deviceTargetImpl(const Expr *E, ASTContext &Ctx, unsigned Depth);

/// Where a tensor is provably: on a device, or on the host.
enum class Side { Device, Host };

bool isProvablyOnImpl(Side Where, const Expr *E, ASTContext &Ctx,
                      unsigned Depth);

std::optional<DeviceMove> asDeviceMoveImpl(const CXXMemberCallExpr &Call,
                                           ASTContext &Ctx, unsigned Depth);

/// Where the tensor \p E lives, as the target of a move to its device: the
/// device when it is provably there (a device chosen at run time counts, as
/// everywhere in this model), the host when it is provably there, Unknown
/// otherwise.
DeviceTarget tensorTarget(const Expr *E, ASTContext &Ctx, unsigned Depth) {
  if (isProvablyOnImpl(Side::Device, E, Ctx, Depth + 1))
    return DeviceTarget::Accelerator;
  if (isProvablyOnImpl(Side::Host, E, Ctx, Depth + 1))
    return DeviceTarget::Cpu;
  return DeviceTarget::Unknown;
}

/// Where the methods of a tensor's type properties point (`x.type()`,
/// DeprecatedTypeProperties, which converts to TensorOptions with its
/// backend's device).
DeviceTarget typePropertiesMethodTarget(const CXXMemberCallExpr &Member,
                                        llvm::StringRef Name, ASTContext &Ctx,
                                        unsigned Depth) {
  if (Name == "cpu")
    return DeviceTarget::Cpu;
  if (Name == "cuda" || Name == "hip")
    return DeviceTarget::Accelerator;
  if (Name == "toBackend")
    return Member.getNumArgs()
               ? deviceTargetImpl(Member.getArg(0), Ctx, Depth + 1)
               : DeviceTarget::Unknown;
  // options(index) and options(device) keep the backend's device type.
  if (Name == "toScalarType" || Name == "options")
    return deviceTargetImpl(Member.getImplicitObjectArgument(), Ctx, Depth + 1);
  return targetByType(Member.getType());
}

/// The free functions of c10 (re-exported by at and torch) that build
/// TensorOptions.
DeviceTarget optionsFunctionTarget(const CallExpr &Call, const FunctionDecl &FD,
                                   ASTContext &Ctx, unsigned Depth) {
  llvm::StringRef Name = FD.getName();
  if (Name == "device")
    return Call.getNumArgs() ? deviceTargetImpl(Call.getArg(0), Ctx, Depth + 1)
                             : DeviceTarget::Unknown;
  if (Name == "device_index")
    return DeviceTarget::Accelerator;
  if (Name == "dtype" || Name == "layout" || Name == "requires_grad" ||
      Name == "memory_format")
    return DeviceTarget::None;
  return DeviceTarget::Opaque;
}

DeviceTarget deviceTargetImpl(const Expr *E, ASTContext &Ctx, unsigned Depth) {
  if (!E)
    return DeviceTarget::Unknown;
  if (isa<CXXDefaultArgExpr>(E))
    return DeviceTarget::None; // `to()` with its default options
  E = ignoreUnwritten(E);
  if (Depth > MaxDepth || E->isValueDependent() || E->isTypeDependent())
    return targetByType(E->getType());

  if (const auto *Lit = dyn_cast<StringLiteral>(E))
    return Lit->getCharByteWidth() == 1 ? targetOfDeviceString(Lit->getString())
                                        : DeviceTarget::Unknown;

  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl())) {
      if (isDeviceType(EC->getType()))
        return targetOfDeviceTypeEnumerator(*EC);
      if (isBackend(EC->getType()))
        return targetOfBackendEnumerator(*EC);
    }
    if (isNulloptType(DRE->getType()))
      return DeviceTarget::None;
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (const Expr *Init = unmodifiedValue(*VD, Ctx))
        return deviceTargetImpl(Init, Ctx, Depth + 1);
    return targetByType(E->getType());
  }

  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    return deviceTargetImpl(Cast->getSubExpr(), Ctx, Depth + 1);

  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    QualType T = Construct->getType();
    unsigned First = 0;
    if (isOptional(T) && Construct->getNumArgs() &&
        isInPlaceTag(Construct->getArg(0)->getType()))
      First = 1; // optional<Device>(in_place, type, index)
    if (Construct->getNumArgs() <= First ||
        isa<CXXDefaultArgExpr>(Construct->getArg(First)))
      return (isOptional(T) || isTensorOptions(T)) ? DeviceTarget::None
                                                   : targetByType(T);
    if (isDevice(T) || isOptional(T) || isTensorOptions(T) || isString(T))
      return deviceTargetImpl(Construct->getArg(First), Ctx, Depth + 1);
    return targetByType(T);
  }

  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    if (MD && isTensorOptionsClass(MD->getParent()) &&
        MD->getDeclName().isIdentifier()) {
      llvm::StringRef Name = MD->getName();
      if (Name == "device")
        return Member->getNumArgs()
                   ? deviceTargetImpl(Member->getArg(0), Ctx, Depth + 1)
                   : DeviceTarget::Unknown;
      if (Name == "device_index")
        return DeviceTarget::Accelerator;
      if (Name == "dtype" || Name == "layout" || Name == "requires_grad" ||
          Name == "pinned_memory" || Name == "memory_format")
        return deviceTargetImpl(Member->getImplicitObjectArgument(), Ctx,
                                Depth + 1);
      return DeviceTarget::Opaque;
    }
    if (MD && MD->getDeclName().isIdentifier()) {
      llvm::StringRef Name = MD->getName();
      // x.device(), x.options(), x.type(): wherever the tensor x lives.
      if (isTensorMethod(MD) && Member->getNumArgs() == 0 &&
          (Name == "device" || Name == "options" || Name == "type"))
        return tensorTarget(Member->getImplicitObjectArgument(), Ctx, Depth);
      if (isTypePropertiesClass(MD->getParent()))
        return typePropertiesMethodTarget(*Member, Name, Ctx, Depth);
    }
    return targetByType(E->getType());
  }

  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getDeclName().isIdentifier() &&
        isTensorOptions(FD->getReturnType()) &&
        (isInNamespace(FD, "c10") || isInNamespace(FD, "at") ||
         isInNamespace(FD, "torch")))
      return optionsFunctionTarget(*Call, *FD, Ctx, Depth);
    return targetByType(E->getType());
  }

  if (const auto *CO = dyn_cast<ConditionalOperator>(E))
    return combine(deviceTargetImpl(CO->getTrueExpr(), Ctx, Depth + 1),
                   deviceTargetImpl(CO->getFalseExpr(), Ctx, Depth + 1));

  return targetByType(E->getType());
}

/// Tensor methods whose result may live on another device than their object.
bool changesDevice(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Names[] = {
      "to",   "cpu",  "cuda",   "hip",       "mps",        "xpu",    "ve",
      "meta", "type", "toType", "toBackend", "pin_memory", "vulkan", "metal"};
  return llvm::is_contained(Names, Name);
}

bool isOnDeviceTarget(DeviceTarget Target) {
  return Target == DeviceTarget::Accelerator || Target == DeviceTarget::Unknown;
}

/// Where the options of the factory call \p Call put its tensor: its
/// TensorOptions argument, or its `device` argument in the overloads that
/// take dtype, layout, device and pin_memory apart; None when it names no
/// device.
DeviceTarget factoryOptionsTarget(const CallExpr &Call, const FunctionDecl &FD,
                                  ASTContext &Ctx, unsigned Depth) {
  std::optional<unsigned> Param = tensorOptionsParam(FD);
  if (!Param)
    Param = paramIndex(FD, "device");
  if (!Param || *Param >= Call.getNumArgs())
    return DeviceTarget::None;
  return deviceTargetImpl(Call.getArg(*Param), Ctx, Depth + 1);
}

/// Whether the factory call \p Call creates its tensor provably on \p Where:
/// where its options say, and otherwise on the host, or for a factory that
/// inherits a device, where the tensor it inherits from is.
bool isProvablyCreatedOn(Side Where, const CallExpr &Call,
                         const FunctionDecl &FD, ASTContext &Ctx,
                         unsigned Depth) {
  DeviceTarget Target = factoryOptionsTarget(Call, FD, Ctx, Depth);
  if (Target == DeviceTarget::None) {
    if (const Expr *Source = deviceSourceOf(Call))
      return isProvablyOnImpl(Where, Source, Ctx, Depth + 1);
    return Where == Side::Host;
  }
  return Where == Side::Device ? isOnDeviceTarget(Target)
                               : Target == DeviceTarget::Cpu;
}

bool isProvablyOnImpl(Side Where, const Expr *E, ASTContext &Ctx,
                      unsigned Depth) {
  if (!E || Depth > MaxDepth)
    return false;
  E = ignoreUnwritten(E);
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier())
      return false;
    // model->forward(x): the module's parameters, and so its output, are on
    // the device the program trains on.
    if (MD->getName() == "forward" && isModuleClass(MD->getParent()))
      return Where == Side::Device;
    if (!isTensorMethod(MD))
      return false;
    // x.to(device), x.cpu(), and x.to(other), which goes wherever other is.
    if (std::optional<DeviceMove> Move = asDeviceMoveImpl(*Member, Ctx, Depth))
      return Where == Side::Device ? isOnDeviceTarget(Move->Target)
                                   : Move->Target == DeviceTarget::Cpu;
    // x.new_zeros({n}): created on x's device unless its options name one.
    if (isDeviceInheritingFactory(MD))
      return isProvablyCreatedOn(Where, *Member, *MD, Ctx, Depth);
    // x.cuda().to(torch::kHalf), x.cuda().toType(torch::kHalf): to() and
    // toType() that are no move convert the dtype on the tensor's device.
    const bool IsDtypeConversion =
        MD->getName() == "to" || MD->getName() == "toType";
    // x.cuda().float(): most tensor methods keep their object's device.
    if ((IsDtypeConversion || !changesDevice(MD->getName())) &&
        isTensorType(Member->getType()))
      return isProvablyOnImpl(Where, Member->getImplicitObjectArgument(), Ctx,
                              Depth + 1);
    return false;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    // model(x) runs the module's forward.
    if (Op->getOperator() == OO_Call)
      if (const auto *MD =
              dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee()))
        return Where == Side::Device && isModuleClass(MD->getParent());
    return false;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    // torch::zeros({n}), torch::zeros_like(x).
    if (isTensorFactory(FD) || isDeviceInheritingFactory(FD))
      return isProvablyCreatedOn(Where, *Call, *FD, Ctx, Depth);
    return false;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (!VD->getType()->isReferenceType())
        if (const Expr *Init = unmodifiedValue(*VD, Ctx))
          return isProvablyOnImpl(Where, Init, Ctx, Depth + 1);
  return false;
}

/// Whether \p Options (a TensorOptions expression) asks for pinned memory
/// with a constant `pinned_memory(true)`.
bool asksForPinnedMemory(const Expr *Options, ASTContext &Ctx) {
  for (unsigned Depth = 0; Options && Depth < MaxDepth; ++Depth) {
    const auto *Member = dyn_cast<CXXMemberCallExpr>(ignoreUnwritten(Options));
    if (!Member)
      return false;
    const CXXMethodDecl *MD = Member->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier() ||
        !isTensorOptionsClass(MD->getParent()))
      return false;
    if (MD->getName() == "pinned_memory")
      return flagArgument(*Member, 0, Ctx) == FlagValue::True;
    Options = Member->getImplicitObjectArgument();
  }
  return false;
}

/// Whether \p E allocates a new tensor in pinned host memory, or pins one.
bool isPinningExpr(const Expr *E, ASTContext &Ctx) {
  E = ignoreUnwritten(E);
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    return isTensorMethod(MD) && MD->getDeclName().isIdentifier() &&
           MD->getName() == "pin_memory";
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!isTensorFactory(FD))
      return false;
    std::optional<unsigned> Options = tensorOptionsParam(*FD);
    if (!Options || *Options >= Call->getNumArgs())
      return false;
    const Expr *Arg = Call->getArg(*Options);
    DeviceTarget Target = deviceTargetOf(Arg, Ctx);
    return (Target == DeviceTarget::None || Target == DeviceTarget::Cpu) &&
           asksForPinnedMemory(Arg, Ctx);
  }
  return false;
}

unsigned countReferences(const Stmt *S, const VarDecl *VD) {
  if (!S)
    return 0;
  unsigned Count = 0;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl()->getCanonicalDecl() == VD->getCanonicalDecl())
      ++Count;
  for (const Stmt *Child : S->children())
    Count += countReferences(Child, VD);
  return Count;
}

/// The bodies of the templates of the user's code (function templates,
/// members of class templates, generic lambdas). An instantiation's
/// statements carry the source locations of its pattern, so a statement is in
/// a template, pattern or instantiation, when it lies in one of these.
class TemplateBodies {
public:
  explicit TemplateBodies(ASTContext &Ctx) : SM(Ctx.getSourceManager()) {
    Collector(*this).TraverseDecl(Ctx.getTranslationUnitDecl());
  }

  bool contains(SourceLocation Loc) const {
    Loc = SM.getExpansionLoc(Loc);
    return llvm::any_of(Bodies, [&](SourceRange R) {
      return !SM.isBeforeInTranslationUnit(Loc, R.getBegin()) &&
             !SM.isBeforeInTranslationUnit(R.getEnd(), Loc);
    });
  }

private:
  class Collector : public RecursiveASTVisitor<Collector> {
  public:
    explicit Collector(TemplateBodies &Out) : Out(Out) {}
    bool TraverseDecl(Decl *D) {
      // libtorch's own templates are not the user's code to rewrite.
      if (isSystemHeaderDecl(D, Out.SM))
        return true;
      return RecursiveASTVisitor::TraverseDecl(D);
    }
    bool VisitFunctionDecl(FunctionDecl *FD) {
      if (FD->isTemplated() && FD->doesThisDeclarationHaveABody())
        add(FD->getBody());
      return true;
    }
    bool VisitLambdaExpr(LambdaExpr *Lambda) {
      if (Lambda->isGenericLambda())
        add(Lambda->getBody());
      return true;
    }

  private:
    void add(const Stmt *Body) {
      if (Body)
        Out.Bodies.push_back(
            SourceRange(Out.SM.getExpansionLoc(Body->getBeginLoc()),
                        Out.SM.getExpansionLoc(Body->getEndLoc())));
    }
    TemplateBodies &Out;
  };

  const SourceManager &SM;
  llvm::SmallVector<SourceRange, 8> Bodies;
};

std::mutex TemplateBodiesMutex;
std::map<const ASTContext *, std::unique_ptr<TemplateBodies>> &
templateBodies() {
  static std::map<const ASTContext *, std::unique_ptr<TemplateBodies>> Map;
  return Map;
}
void forgetTemplateBodies(void *Ctx) {
  std::lock_guard<std::mutex> Lock(TemplateBodiesMutex);
  templateBodies().erase(static_cast<const ASTContext *>(Ctx));
}

/// The template bodies of \p Ctx's translation unit, found on first use and
/// freed with the ASTContext.
const TemplateBodies &templateBodiesOf(ASTContext &Ctx) {
  std::lock_guard<std::mutex> Lock(TemplateBodiesMutex);
  auto &Entry = templateBodies()[&Ctx];
  if (!Entry) {
    Entry = std::make_unique<TemplateBodies>(Ctx);
    Ctx.AddDeallocation(forgetTemplateBodies, &Ctx);
  }
  return *Entry;
}

} // namespace

const Expr *ignoreUnwritten(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreUnlessSpelledInSource()->IgnoreParens();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

DeviceTarget deviceTargetOf(const Expr *E, ASTContext &Ctx) {
  return deviceTargetImpl(E, Ctx, 0);
}

std::optional<unsigned> paramIndex(const FunctionDecl &FD,
                                   llvm::StringRef Name) {
  for (unsigned I = 0, N = FD.getNumParams(); I < N; ++I) {
    const ParmVarDecl *P = FD.getParamDecl(I);
    if (P->getDeclName().isIdentifier() && P->getName() == Name)
      return I;
  }
  return std::nullopt;
}

namespace {
std::optional<DeviceMove> asDeviceMoveImpl(const CXXMemberCallExpr &Call,
                                           ASTContext &Ctx, unsigned Depth) {
  if (Depth > MaxDepth)
    return std::nullopt;
  const CXXMethodDecl *MD = Call.getMethodDecl();
  if (!isTensorMethod(MD) || !MD->getDeclName().isIdentifier())
    return std::nullopt;
  DeviceMove Move;
  Move.Call = &Call;
  Move.NonBlockingParam = paramIndex(*MD, "non_blocking");
  llvm::StringRef Name = MD->getName();
  if (Name == "cpu") {
    Move.Target = DeviceTarget::Cpu;
    return Move;
  }
  if (Name == "cuda") {
    Move.Target = DeviceTarget::Accelerator;
    return Move;
  }
  if (Name == "toType" || Name == "toBackend") {
    // toType(ScalarType) converts the dtype on the tensor's device.
    if (!Call.getNumArgs() || !MD->getNumParams() ||
        isScalarTypeEnum(MD->getParamDecl(0)->getType()))
      return std::nullopt;
    // toBackend(Backend), and older libtorch's toType(const Type &), whose
    // type carries a backend.
    Move.DeviceArg = Call.getArg(0);
    Move.Target = deviceTargetImpl(Move.DeviceArg, Ctx, Depth + 1);
    if (Move.Target == DeviceTarget::None)
      Move.Target = DeviceTarget::Unknown;
    return Move;
  }
  if (Name != "to")
    return std::nullopt;
  // to(other, ...): wherever the other tensor is.
  if (MD->getNumParams() && Call.getNumArgs() &&
      isTensorType(MD->getParamDecl(0)->getType())) {
    Move.DeviceArg = Call.getArg(0);
    Move.TargetTensor = Move.DeviceArg;
    Move.Target = tensorTarget(Move.DeviceArg, Ctx, Depth);
    return Move;
  }
  // to(device, dtype, ...) and to(dtype, layout, device, ...) name the device;
  // to(options, ...) may; to(dtype, ...) does not.
  std::optional<unsigned> Param = paramIndex(*MD, "device");
  if (!Param)
    Param = paramIndex(*MD, "options");
  if (!Param || *Param >= Call.getNumArgs() ||
      isa<CXXDefaultArgExpr>(Call.getArg(*Param)))
    return std::nullopt;
  Move.DeviceArg = Call.getArg(*Param);
  Move.Target = deviceTargetImpl(Move.DeviceArg, Ctx, Depth + 1);
  if (Move.Target == DeviceTarget::None)
    return std::nullopt;
  return Move;
}
} // namespace

std::optional<DeviceMove> asDeviceMove(const CXXMemberCallExpr &Call,
                                       ASTContext &Ctx) {
  return asDeviceMoveImpl(Call, Ctx, 0);
}

llvm::ArrayRef<llvm::StringRef> deviceMoveMethodNames() {
  static const llvm::StringRef Names[] = {"to", "cpu", "cuda", "toType",
                                          "toBackend"};
  return Names;
}

FlagValue flagArgument(const CallExpr &Call, unsigned Param, ASTContext &Ctx) {
  if (Param >= Call.getNumArgs() || isa<CXXDefaultArgExpr>(Call.getArg(Param)))
    return FlagValue::Default;
  const Expr *Arg = ignoreUnwritten(Call.getArg(Param));
  // pinned_memory(true) passes an optional<bool>.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(Arg))
    if (Construct->getNumArgs() == 1)
      Arg = ignoreUnwritten(Construct->getArg(0));
  if (Arg->isValueDependent() || Arg->isTypeDependent())
    return FlagValue::Unknown;
  bool Value = false;
  if (!Arg->getType()->isScalarType() ||
      !Arg->EvaluateAsBooleanCondition(Value, Ctx))
    return FlagValue::Unknown;
  return Value ? FlagValue::True : FlagValue::False;
}

unsigned writtenArgCount(const CallExpr &Call) {
  unsigned Count = 0;
  for (const Expr *Arg : Call.arguments()) {
    if (isa<CXXDefaultArgExpr>(Arg))
      break;
    ++Count;
  }
  return Count;
}

bool isTensorFactory(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() || isa<CXXMethodDecl>(FD))
    return false;
  static constexpr llvm::StringLiteral Factories[] = {
      "zeros",   "ones",   "full", "empty",    "rand",  "randn",
      "randint", "arange", "eye",  "linspace", "tensor"};
  return llvm::is_contained(Factories, FD->getName()) && isInTorchOrAt(*FD);
}

bool isDeviceInheritingFactory(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    static constexpr llvm::StringLiteral Methods[] = {
        "new_zeros", "new_ones", "new_full", "new_empty", "new_empty_strided"};
    return isTensorMethod(MD) && llvm::is_contained(Methods, Name);
  }
  static constexpr llvm::StringLiteral Factories[] = {
      "zeros_like", "ones_like",  "full_like",   "empty_like",
      "rand_like",  "randn_like", "randint_like"};
  return llvm::is_contained(Factories, Name) && isInTorchOrAt(*FD);
}

const Expr *deviceSourceOf(const CallExpr &Call) {
  if (!isDeviceInheritingFactory(Call.getDirectCallee()))
    return nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    return Member->getImplicitObjectArgument();
  return Call.getNumArgs() ? Call.getArg(0) : nullptr;
}

bool isRandomTensorFactory(const FunctionDecl *FD) {
  if (!isTensorFactory(FD) && !isDeviceInheritingFactory(FD))
    return false;
  static constexpr llvm::StringLiteral Random[] = {
      "rand", "randn", "randint", "rand_like", "randn_like", "randint_like"};
  return llvm::is_contained(Random, FD->getName());
}

std::optional<unsigned> tensorOptionsParam(const FunctionDecl &FD) {
  for (unsigned I = 0, N = FD.getNumParams(); I < N; ++I)
    if (isTensorOptions(FD.getParamDecl(I)->getType().getNonReferenceType()))
      return I;
  return std::nullopt;
}

bool isProvablyOnDevice(const Expr *E, ASTContext &Ctx) {
  return isProvablyOnImpl(Side::Device, E, Ctx, 0);
}

bool isProvablyOnHost(const Expr *E, ASTContext &Ctx) {
  return isProvablyOnImpl(Side::Host, E, Ctx, 0);
}

PinState pinStateOf(const Expr *E, ASTContext &Ctx) {
  E = ignoreUnwritten(E);
  // x.pin_memory().to(...): a temporary that nothing else can name.
  if (isa<CXXMemberCallExpr>(E))
    return isPinningExpr(E, Ctx) ? PinState::PinnedUnshared : PinState::Unknown;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() ||
      VD->getType()->isReferenceType() || !VD->getInit())
    return PinState::Unknown;
  if (!isPinningExpr(VD->getInit(), Ctx))
    return PinState::Unknown;
  // Named only here: no other code can write the buffer.
  return countReferences(enclosingBody(*VD), VD) == 1 ? PinState::PinnedUnshared
                                                      : PinState::PinnedShared;
}

bool isInTemplate(const Stmt &S, ASTContext &Ctx) {
  return templateBodiesOf(Ctx).contains(S.getBeginLoc());
}

bool involvesMacro(const Stmt &S) {
  if (S.getBeginLoc().isMacroID() || S.getEndLoc().isMacroID())
    return true;
  for (const Stmt *Child : S.children()) {
    // Default arguments are spelled at the callee's declaration.
    if (!Child || isa<CXXDefaultArgExpr, CXXDefaultInitExpr>(Child))
      continue;
    if (involvesMacro(*Child))
      return true;
  }
  return false;
}

} // namespace trainlint
