//===--- HotPath.cpp - is this statement on the training hot path? --------===//

#include "HotPath.h"
#include "LoopFacts.h"
#include "Mutation.h"
#include "PerTranslationUnit.h"
#include "StepCounter.h"
#include "Timing.h"
#include "TorchApi.h"
#include "TrainingFeatures.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>
#include <mutex>

namespace trainlint {

using namespace clang;

// --- Options ----------------------------------------------------------------

namespace {
std::mutex OptionsMutex;
HotPathOptions CurrentOptions;
} // namespace

std::optional<AcceleratorAssumption>
parseAcceleratorAssumption(llvm::StringRef Value) {
  if (Value == "auto")
    return AcceleratorAssumption::Auto;
  if (Value == "always")
    return AcceleratorAssumption::Always;
  if (Value == "never")
    return AcceleratorAssumption::Never;
  return std::nullopt;
}

void setHotPathOptions(HotPathOptions Options) {
  std::lock_guard<std::mutex> Lock(OptionsMutex);
  CurrentOptions = std::move(Options);
}

HotPathOptions hotPathOptions() {
  std::lock_guard<std::mutex> Lock(OptionsMutex);
  return CurrentOptions;
}

// --- Summaries --------------------------------------------------------------

llvm::Expected<std::shared_ptr<const ProjectGraph>>
loadSummaryGraph(llvm::StringRef Path) {
  // Kept with the file's size and time: a long-lived process (the editor
  // server) reads a summary again once a new project run rewrote it.
  struct Kept {
    std::shared_ptr<const ProjectGraph> Graph;
    uint64_t Size = 0;
    llvm::sys::TimePoint<> Modified;
  };
  static std::mutex Mutex;
  static std::map<std::string, Kept> Loaded;
  std::lock_guard<std::mutex> Lock(Mutex);
  llvm::sys::fs::file_status Status;
  bool Known = !llvm::sys::fs::status(Path, Status);
  if (auto It = Loaded.find(Path.str()); It != Loaded.end())
    if (!Known || (It->second.Size == Status.getSize() &&
                   It->second.Modified == Status.getLastModificationTime()))
      return It->second.Graph;
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot use the summary " + Path + ": " +
                                       Why);
  };
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return Fail(Buffer.getError().message());
  auto Root = llvm::json::parse((*Buffer)->getBuffer());
  if (!Root)
    return Fail(llvm::toString(Root.takeError()));
  const llvm::json::Object *O = Root->getAsObject();
  const llvm::json::Value *Graph = O ? O->get("graph") : nullptr;
  if (!Graph)
    return Fail("not a trainlint summary (no 'graph')");
  auto Parsed = ProjectGraph::fromJson(*Graph);
  if (!Parsed)
    return Fail(llvm::toString(Parsed.takeError()));
  auto Shared = std::make_shared<const ProjectGraph>(std::move(*Parsed));
  Loaded[Path.str()] = {Shared, Known ? Status.getSize() : 0,
                        Known ? Status.getLastModificationTime()
                              : llvm::sys::TimePoint<>()};
  return Shared;
}

namespace {

/// `do ... while (0)` or `while (false)`: the body runs once.
bool runsOnce(const DoStmt *Do) {
  return boolLiteralValue(Do->getCond()) == false;
}

unsigned signalOf(const CallExpr *Call) {
  if (isa<CUDAKernelCallExpr>(Call))
    return LaunchSignal;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier()) {
    // `module(x)` runs the module's forward.
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
      if (Op->getOperator() == OO_Call)
        if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD))
          if (isModuleClass(MD->getParent()))
            return ForwardSignal;
    return NoSignal;
  }
  llvm::StringRef Name = FD->getName();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *Class = MD->getParent();
    if (Name == "backward" && (isSameOrDerivedFrom(Class, "at::Tensor") ||
                               isSameOrDerivedFrom(Class, "at::TensorBase")))
      return BackwardSignal;
    if (Name == "step" &&
        isSameOrDerivedFrom(Class, "torch::optim::Optimizer"))
      return StepSignal;
    if (Name == "forward" &&
        (isSameOrDerivedFrom(Class, "torch::nn::Module") ||
         isSameOrDerivedFrom(Class, "torch::jit::Module") ||
         isSameOrDerivedFrom(Class, "torch::jit::script::Module")))
      return ForwardSignal;
    return NoSignal;
  }
  if ((Name == "backward" || Name == "grad") &&
      isInNamespace(FD, "torch::autograd"))
    return BackwardSignal;
  if (isCudaRuntimeFunction(FD) &&
      (Name.starts_with("cudaLaunch") || Name == "cudaGraphLaunch"))
    return LaunchSignal;
  // cuBLAS, cuDNN and cuFFT compute calls launch kernels; their handle and
  // descriptor management does not.
  if ((Name.starts_with("cublas") || Name.starts_with("cudnn") ||
       Name.starts_with("cufft")) &&
      !Name.contains("Create") && !Name.contains("Destroy") &&
      !Name.contains("Set") && !Name.contains("Get"))
    return LaunchSignal;
  return NoSignal;
}

/// Whether \p E names an accelerator or leaves the device to run time.
bool isAcceleratorEvidence(const Stmt *S) {
  if (isa<CUDAKernelCallExpr>(S))
    return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (!D->getDeclName().isIdentifier())
      return false;
    llvm::StringRef Name = D->getName();
    static constexpr llvm::StringLiteral Accelerators[] = {
        "kCUDA", "kHIP", "kMPS", "kXPU", "kMTIA", "kHPU", "kXLA", "kIPU",
        "kVulkan", "kPrivateUse1"};
    if (llvm::is_contained(Accelerators, Name) &&
        (isInNamespace(D, "c10") || isInNamespace(D, "at") ||
         isInNamespace(D, "torch")))
      return true;
    if (const auto *EC = dyn_cast<EnumConstantDecl>(D))
      if (Name != "CPU" && Name != "Meta" &&
          EC->getType().getAsString().find("DeviceType") != std::string::npos)
        return isInNamespace(EC, "c10");
    return false;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getDeclName().isIdentifier())
      return false;
    if (isCudaRuntimeFunction(FD) || isInNamespace(FD, "torch::cuda") ||
        isInNamespace(FD, "at::cuda") || isInNamespace(FD, "c10::cuda"))
      return true;
    if (isa<CXXMethodDecl>(FD) && FD->getName() == "cuda")
      return true;
    return false;
  }
  // `torch::Device device(name)` with a name other than "cpu" picks a device
  // at run time or names an accelerator.
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
    const CXXRecordDecl *RD = Construct->getConstructor()->getParent();
    if (RD->getQualifiedNameAsString() != "c10::Device" ||
        Construct->getNumArgs() == 0 ||
        Construct->getConstructor()->isCopyOrMoveConstructor())
      return false;
    const Expr *Arg = Construct->getArg(0)->IgnoreImplicit();
    // Device("cuda:0") goes through a std::string.
    if (const auto *Inner = dyn_cast<CXXConstructExpr>(Arg))
      if (Inner->getNumArgs() >= 1)
        Arg = Inner->getArg(0)->IgnoreImplicit();
    if (const auto *Lit = dyn_cast<StringLiteral>(Arg))
      return !Lit->getString().starts_with("cpu");
    // A DeviceType names its device itself (kCUDA is evidence where it is
    // written); a string or Device from elsewhere is chosen at run time.
    return !Arg->getType()->isEnumeralType() && !Arg->getType()->isIntegerType();
  }
  return false;
}


/// A type that says where tensors live: c10::Device, c10::DeviceType,
/// c10::TensorOptions, or an optional device.
bool isDeviceLike(QualType T) {
  T = T.getNonReferenceType();
  if (const EnumDecl *ED = T->getAsEnumDecl())
    return ED->getDeclName().isIdentifier() && ED->getName() == "DeviceType" &&
           isInNamespace(ED, "c10");
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = RD->getName();
  if (Name == "Device" || Name == "TensorOptions")
    return isInNamespace(RD, "c10");
  if (Name == "optional")
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      return Spec->getTemplateArgs().size() == 1 &&
             Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
             isDeviceLike(Spec->getTemplateArgs()[0].getAsType());
  return false;
}

/// What the scanned code says about devices, with the parameters and
/// members whose devices depend on who else calls or builds them.
struct DeviceFacts {
  DeviceEvidence Evidence = DeviceEvidence::None;
  /// Functions whose device parameters the code reads.
  llvm::SmallPtrSet<const FunctionDecl *, 8> ParamReaders;
  /// Classes whose device members the code reads.
  llvm::SmallPtrSet<const CXXRecordDecl *, 4> MemberHolders;
  /// Functions and constructors the code calls.
  llvm::SmallPtrSet<const FunctionDecl *, 32> Called;

  void note(DeviceEvidence E) { Evidence = strongest(Evidence, E); }

  /// A device parameter is as good as its arguments when every caller is
  /// here; a function nothing here calls (or a virtual one) is called from
  /// elsewhere, with any device. A device member is as good as the
  /// constructors that set it when all of them are here.
  void settle() {
    for (const FunctionDecl *FD : ParamReaders) {
      const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      if (!Called.count(FD->getCanonicalDecl()) || (MD && MD->isVirtual()))
        note(DeviceEvidence::MaybeAccelerator);
    }
    for (const CXXRecordDecl *RD : MemberHolders) {
      bool AllHere = RD->hasDefinition();
      bool AnyUserConstructor = false;
      if (AllHere)
        for (const CXXConstructorDecl *Ctor : RD->ctors())
          if (Ctor->isUserProvided()) {
            AnyUserConstructor = true;
            AllHere &= Ctor->isDefined();
          }
      // An aggregate is filled in by whoever makes it.
      if (!AllHere || !AnyUserConstructor)
        note(DeviceEvidence::MaybeAccelerator);
    }
  }
};

/// What \p S says about devices: an accelerator or a device that comes from
/// elsewhere (a global of another file, a function's return, the command
/// line) may be one; a CPU constant is the CPU. Parameters and members are
/// recorded in \p Facts to be settled once all the code is seen.
std::optional<DeviceEvidence> deviceEvidenceOf(const Stmt *S,
                                               const SourceManager &SM,
                                               DeviceFacts &Facts) {
  if (isAcceleratorEvidence(S))
    return DeviceEvidence::MaybeAccelerator;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (const auto *EC = dyn_cast<EnumConstantDecl>(D))
      return EC->getDeclName().isIdentifier() && EC->getName() == "CPU" &&
                     isDeviceLike(EC->getType())
                 ? std::optional(DeviceEvidence::CpuOnly)
                 : std::nullopt;
    if (!isDeviceLike(D->getType()))
      return std::nullopt;
    if (D->getDeclName().isIdentifier() && D->getName() == "kCPU")
      return DeviceEvidence::CpuOnly;
    if (const auto *Param = dyn_cast<ParmVarDecl>(D)) {
      if (const auto *FD = dyn_cast<FunctionDecl>(Param->getDeclContext()))
        if (!isLambdaCallOperator(FD))
          Facts.ParamReaders.insert(FD->getCanonicalDecl());
      return std::nullopt;
    }
    // A global defined in another file: `extern torch::Device device;`.
    if (const auto *VD = dyn_cast<VarDecl>(D))
      if (VD->hasGlobalStorage() && !VD->isStaticLocal() && !VD->getAnyInitializer() &&
          !SM.isInSystemHeader(SM.getExpansionLoc(VD->getLocation())))
        return DeviceEvidence::MaybeAccelerator;
    return std::nullopt;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      if (isDeviceLike(Field->getType()))
        if (const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent()))
          Facts.MemberHolders.insert(RD);
    return std::nullopt;
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !isDeviceLike(Call->getType()))
      return std::nullopt;
    // A tensor's own device() or options() name no device of their own:
    // where the tensor came from is what the rest of the project says.
    // The user's own `pickDevice()` or `config.device()`, defined in another
    // file; where its body is here, the body says what it returns.
    // libtorch's own functions build devices from what they are given,
    // also where its headers are not system headers.
    if (!FD->hasBody() &&
        !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
        !isInNamespace(FD, "c10") && !isInNamespace(FD, "at") &&
        !isInNamespace(FD, "torch"))
      return DeviceEvidence::MaybeAccelerator;
    return std::nullopt;
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S))
    if (Construct->getNumArgs() > 0 &&
        !Construct->getConstructor()->isCopyOrMoveConstructor() &&
        isDeviceLike(Construct->getType()))
      return DeviceEvidence::CpuOnly; // isAcceleratorEvidence said not more
  return std::nullopt;
}

/// cudaMalloc and its kin, whose first argument receives device memory.
bool allocatesDeviceMemory(const FunctionDecl *FD) {
  if (!FD || !isCudaRuntimeFunction(FD))
    return false;
  llvm::StringRef Name = FD->getName();
  return Name == "cudaMalloc" || Name == "cudaMallocManaged" ||
         Name == "cudaMallocAsync" || Name == "cudaMallocPitch";
}

/// The variable or member that \p E names, through casts and `&`.
const ValueDecl *namedStorage(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return namedStorage(ASE->getBase());
  return nullptr;
}

bool isCudaStream(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *TT = T->getAs<TypedefType>())
    if (TT->getDecl()->getName() == "cudaStream_t")
      return true;
  if (const auto *PT = T->getAs<PointerType>())
    if (const auto *RD = PT->getPointeeType()->getAsRecordDecl())
      return RD->getDeclName().isIdentifier() && RD->getName() == "CUstream_st";
  return false;
}

/// One function of the user's code as the scanner saw it: the AST nodes
/// behind its graph entry.
struct ScannedFunction {
  const FunctionDecl *Def = nullptr;
  /// Its key in the graph (functionKey()).
  std::string Key;
  std::vector<const Stmt *> Loops;
  std::vector<int> LoopParents;
  llvm::SmallPtrSet<const Stmt *, 2> LoaderLoops;
  /// Calls to functions of the user's code, and the innermost loop of each.
  std::vector<std::pair<const CallExpr *, int>> Calls;
  /// Those of the calls made with gradient recording off (NoGradSignal).
  llvm::SmallPtrSet<const CallExpr *, 4> NoGradCalls;
  /// The calls that set a module's mode (EvalModeSignal, TrainModeSignal),
  /// with their bits.
  std::vector<std::pair<const CallExpr *, unsigned>> ModeCalls;
  std::vector<GraphSignal> Signals;
};

/// libtorch's inline code is not the user's, also where its headers are
/// included with -I rather than as system headers.
bool isLibtorchFunction(const FunctionDecl *FD) {
  return isInNamespace(FD, "c10") || isInNamespace(FD, "at") ||
         isInNamespace(FD, "torch") || isInNamespace(FD, "caffe2");
}

/// The parent of every statement in the user's function bodies. Clang's own
/// parent map (ASTContext::getParents) covers the whole translation unit,
/// system headers included, and building it costs a sixth of a libtorch
/// parse; this one covers only the code the model scans.
using ParentMap = llvm::DenseMap<const Stmt *, const Stmt *>;

/// Walks one function body, recording loops, calls, signals, parents and
/// what it says about devices.
class BodyScanner {
public:
  BodyScanner(ScannedFunction &F, ParentMap &Parents, DeviceFacts &Devices,
              llvm::SmallPtrSetImpl<const ValueDecl *> &DeviceMemory,
              llvm::DenseMap<const Stmt *, std::pair<ScannedFunction *, int>>
                  &LoopIndex,
              const SourceManager &SM)
      : F(F), Parents(Parents), Devices(Devices), DeviceMemory(DeviceMemory),
        LoopIndex(LoopIndex), SM(SM) {}

  void scan(const Stmt *S, int Loop, const Stmt *Parent = nullptr) {
    if (!S)
      return;
    if (Parent)
      Parents.try_emplace(S, Parent);
    if (Devices.Evidence != DeviceEvidence::MaybeAccelerator)
      if (auto E = deviceEvidenceOf(S, SM, Devices))
        Devices.note(*E);
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      Devices.Called.insert(Construct->getConstructor()->getCanonicalDecl());
      if (isNoGradGuard(*Construct))
        F.Signals.push_back({NoGradSignal, Loop});
      if (unsigned Sig = trainingFeaturesOf(*Construct))
        F.Signals.push_back({Sig, Loop});
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (namesReducedPrecision(*Ref))
        F.Signals.push_back({ReducedPrecisionSignal, Loop});
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        Devices.Called.insert(Callee->getCanonicalDecl());
      if (unsigned Sig = signalOf(Call) | trainingFeaturesOf(*Call)) {
        F.Signals.push_back({Sig, Loop});
        if (unsigned Mode = Sig & (EvalModeSignal | TrainModeSignal))
          F.ModeCalls.push_back({Call, Mode});
      }
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (allocatesDeviceMemory(Callee) && Call->getNumArgs() > 0)
        if (const ValueDecl *Storage = namedStorage(Call->getArg(0)))
          DeviceMemory.insert(Storage);
      if (Callee && isUserFunction(Callee)) {
        F.Calls.push_back({Call, Loop});
        if (NoGradGuards)
          F.NoGradCalls.insert(Call);
      }
    }
    if (isa<CompoundStmt>(S)) {
      // A guard declared in a block turns recording off until the block
      // ends.
      unsigned Outside = NoGradGuards;
      for (const Stmt *Child : S->children())
        scan(Child, Loop, S);
      NoGradGuards = Outside;
      return;
    }
    if (const auto *Decl = dyn_cast<DeclStmt>(S)) {
      for (const Stmt *Child : S->children())
        scan(Child, Loop, S);
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(
                  Var->getInit() ? Var->getInit()->IgnoreImplicit() : nullptr))
            if (isNoGradGuard(*Construct))
              ++NoGradGuards;
      return;
    }
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(S)) {
      // The range and its iterators are evaluated once, before the loop.
      scan(Range->getInit(), Loop, S);
      scan(Range->getRangeInit(), Loop, S);
      int Index = enterLoop(S, Loop);
      if (isDataLoaderType(Range->getRangeInit()->getType()))
        F.LoaderLoops.insert(S);
      scan(Range->getBody(), Index, S);
      return;
    }
    if (const auto *For = dyn_cast<ForStmt>(S)) {
      scan(For->getInit(), Loop, S);
      int Index = enterLoop(S, Loop);
      scan(For->getCond(), Index, S);
      scan(For->getInc(), Index, S);
      scan(For->getBody(), Index, S);
      return;
    }
    if (const auto *Do = dyn_cast<DoStmt>(S); Do && runsOnce(Do)) {
      // `do { ... } while (0)`, the body of a statement-like macro
      // (CUDA_CHECK), is a block, not a loop.
      for (const Stmt *Child : S->children())
        scan(Child, Loop, S);
      return;
    }
    if (isa<WhileStmt, DoStmt>(S)) {
      int Index = enterLoop(S, Loop);
      for (const Stmt *Child : S->children())
        scan(Child, Index, S);
      return;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      // A lambda's body runs where it is called; treating it as part of the
      // enclosing code covers the common `optimizer.step(closure)` shape.
      for (const Expr *Init : Lambda->capture_inits())
        scan(Init, Loop, S);
      scan(Lambda->getBody(), Loop, S);
      return;
    }
    for (const Stmt *Child : S->children())
      scan(Child, Loop, S);
  }

  /// A function the project may define: not a library's, not the CUDA
  /// runtime.
  bool isUserFunction(const FunctionDecl *FD) const {
    return !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
           !isCudaRuntimeFunction(FD) && !isLibtorchFunction(FD);
  }

private:
  /// How many no-grad guards are in scope at the statement being scanned.
  unsigned NoGradGuards = 0;

  int enterLoop(const Stmt *S, int Parent) {
    int Index = static_cast<int>(F.Loops.size());
    F.Loops.push_back(S);
    F.LoopParents.push_back(Parent);
    LoopIndex[S] = {&F, Index};
    return Index;
  }

  ScannedFunction &F;
  ParentMap &Parents;
  DeviceFacts &Devices;
  llvm::SmallPtrSetImpl<const ValueDecl *> &DeviceMemory;
  llvm::DenseMap<const Stmt *, std::pair<ScannedFunction *, int>> &LoopIndex;
  const SourceManager &SM;
};

/// Finds the function definitions of the user's code (not system headers),
/// template instantiations included and template patterns excluded: a
/// pattern's calls are unresolved, its instantiations' are not.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  FunctionCollector(const SourceManager &SM,
                    llvm::SmallVectorImpl<const FunctionDecl *> &Out,
                    llvm::SmallVectorImpl<const Expr *> &GlobalInits)
      : SM(SM), Out(Out), GlobalInits(GlobalInits) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (isSystemHeaderDecl(D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        !isLambdaCallOperator(FD) && !isLibtorchFunction(FD))
      Out.push_back(FD);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    // `torch::Device device(torch::kCUDA);` at namespace scope.
    if (VD->hasGlobalStorage() && !VD->isLocalVarDecl() && VD->getInit() &&
        !VD->isTemplated())
      GlobalInits.push_back(VD->getInit());
    return true;
  }
  // Bodies are scanned separately; nothing to find inside them here but
  // local classes, which are rare in training code.
  bool TraverseStmt(Stmt *) { return true; }

private:
  const SourceManager &SM;
  llvm::SmallVectorImpl<const FunctionDecl *> &Out;
  llvm::SmallVectorImpl<const Expr *> &GlobalInits;
};
} // namespace

struct HotPathModel::Impl {
  ASTContext &Ctx;
  HotPathOptions Options;
  DeviceFacts DeviceScan;
  /// What the unit's code says about devices, once all of it is seen.
  DeviceEvidence Devices = DeviceEvidence::None;
  /// By canonical declaration; the map keeps each entry in place, so the
  /// loop index can point at it.
  std::map<const FunctionDecl *, ScannedFunction> Functions;
  std::map<std::string, const ScannedFunction *> ByKey;
  /// For each graph call of a function, the call.
  std::map<const ScannedFunction *, std::vector<const CallExpr *>> GraphCalls;
  ParentMap Parents;
  /// Each scanned function body and its function.
  llvm::DenseMap<const Stmt *, const ScannedFunction *> BodyOwner;
  /// Every loop of the user's code, its function and its index there.
  llvm::DenseMap<const Stmt *, std::pair<ScannedFunction *, int>> LoopIndex;
  llvm::SmallPtrSet<const ValueDecl *, 8> DeviceMemory;
  /// What the initializers of globals contain.
  ScannedFunction Globals;
  /// This unit's functions, and with a summary, the project's.
  ProjectGraph Own, Combined;
  std::unique_ptr<HotAnalysis> Local, Project;
  mutable llvm::DenseMap<const Stmt *, llvm::SmallPtrSet<const VarDecl *, 4>>
      CounterCache;

  Impl(ASTContext &Ctx, HotPathOptions Options)
      : Ctx(Ctx), Options(std::move(Options)) {}

  void build();
  void collectFunctions();
  void buildGraph();
  std::string usrOf(const Decl *D) const;
  std::string diagnosticName(const FunctionDecl *FD) const;
  SourcePoint pointOf(SourceLocation Loc) const;
  SourceLocation locationOf(const SourcePoint &P) const;
  const llvm::SmallPtrSet<const VarDecl *, 4> &countersOf(const Stmt *Loop) const;
  const ScannedFunction *ownerOf(const Stmt &S) const;
  GraphPosition positionOf(const Stmt &S, const ScannedFunction &F) const;
  const HotAnalysis &analysis() const { return Project ? *Project : *Local; }
  const ProjectGraph &graph() const { return Project ? Combined : Own; }
  HotContext toContext(const HotReach &R) const;
  bool mayUseAccelerator() const;
  /// A unit that names no device but the CPU runs on an accelerator only if
  /// the rest of the project hands it device tensors: the project decides.
  bool needsProjectAccelerator() const {
    return Options.ProjectRun &&
           Options.Accelerator == AcceleratorAssumption::Auto &&
           Devices != DeviceEvidence::MaybeAccelerator;
  }
  std::optional<HotContext> classify(const Stmt &S, Deferral D) const;
  /// The statements of \p F that set a module's mode, with their bits, in
  /// source order.
  std::vector<std::pair<const Stmt *, unsigned>>
  modeSettersOf(const ScannedFunction &F) const;
  /// With \p Setters, modeSettersOf(F).
  ModeSetting
  modeBefore(const Stmt &S, const ScannedFunction &F,
             const std::vector<std::pair<const Stmt *, unsigned>> &Setters) const;
  /// Fills GraphCall::ModeBefore in the unit's graph, once what each
  /// function does is known.
  void recordModes();
};

void HotPathModel::Impl::collectFunctions() {
  llvm::SmallVector<const FunctionDecl *, 64> Defs;
  llvm::SmallVector<const Expr *, 16> GlobalInits;
  const SourceManager &SM = Ctx.getSourceManager();
  FunctionCollector(SM, Defs, GlobalInits)
      .TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const Expr *Init : GlobalInits)
    BodyScanner(Globals, Parents, DeviceScan, DeviceMemory, LoopIndex, SM)
        .scan(Init, -1);
  for (const FunctionDecl *FD : Defs) {
    ScannedFunction &F = Functions[FD->getCanonicalDecl()];
    if (F.Def)
      continue;
    F.Def = FD;
    BodyScanner Scanner(F, Parents, DeviceScan, DeviceMemory, LoopIndex, SM);
    // A constructor's member initializers set the members it holds.
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->isWritten())
          Scanner.scan(Init->getInit(), -1);
    Scanner.scan(FD->getBody(), -1);
    BodyOwner[FD->getBody()] = &F;
  }
  DeviceScan.settle();
  Devices = DeviceScan.Evidence;
}

std::string HotPathModel::Impl::usrOf(const Decl *D) const {
  llvm::SmallString<128> Buf;
  // generateUSRForDecl reports failure with true.
  if (index::generateUSRForDecl(D, Buf))
    return "";
  return std::string(Buf);
}

std::string HotPathModel::Impl::diagnosticName(const FunctionDecl *FD) const {
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  FD->getNameForDiagnostic(OS, Ctx.getPrintingPolicy(), /*Qualified=*/false);
  return Name;
}

SourcePoint HotPathModel::Impl::pointOf(SourceLocation Loc) const {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  SourcePoint P;
  if (auto File = SM.getFileEntryRefForID(SM.getFileID(Expansion))) {
    llvm::SmallString<256> Path(File->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    P.File = std::string(Path);
  }
  P.Line = SM.getExpansionLineNumber(Expansion);
  P.Column = SM.getExpansionColumnNumber(Expansion);
  return P;
}

SourceLocation HotPathModel::Impl::locationOf(const SourcePoint &P) const {
  SourceManager &SM = Ctx.getSourceManager();
  auto File = SM.getFileManager().getOptionalFileRef(P.File);
  if (!File)
    return {};
  FileID ID = SM.getOrCreateFileID(*File, SrcMgr::C_User);
  return SM.translateLineCol(ID, P.Line, P.Column);
}

const llvm::SmallPtrSet<const VarDecl *, 4> &
HotPathModel::Impl::countersOf(const Stmt *Loop) const {
  auto It = CounterCache.find(Loop);
  if (It != CounterCache.end())
    return It->second;
  llvm::SmallPtrSet<const VarDecl *, 4> Counters;
  const SourceManager &SM = Ctx.getSourceManager();
  // The counters of this loop and of the loops around it in its function.
  if (auto Entry = LoopIndex.find(Loop); Entry != LoopIndex.end()) {
    const ScannedFunction &F = *Entry->second.first;
    for (int L = Entry->second.second; L >= 0; L = F.LoopParents[L]) {
      const Stmt *S = F.Loops[L];
      if (const auto *For = dyn_cast<ForStmt>(S))
        if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()))
          for (const Decl *D : DS->decls())
            if (const auto *VD = dyn_cast<VarDecl>(D))
              Counters.insert(VD->getCanonicalDecl());
      collectCounters(S, S, Counters, SM);
    }
  }
  return CounterCache[Loop] = std::move(Counters);
}

const ScannedFunction *HotPathModel::Impl::ownerOf(const Stmt &S) const {
  const Stmt *Top = &S;
  for (unsigned Guard = 0; Guard < 4096; ++Guard) {
    const Stmt *Parent = Parents.lookup(Top);
    if (!Parent)
      break;
    Top = Parent;
  }
  return BodyOwner.lookup(Top);
}

/// Whether \p Child is the part of \p Loop that runs once, before it: a
/// for-loop's init, a range-for's range.
static bool isLoopHeader(const Stmt *Loop, const Stmt *Child) {
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop))
    return Child != Range->getBody();
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return Child == For->getInit();
  return false;
}

/// The condition that decides whether \p Child of \p Parent runs, and
/// whether it runs when the condition holds (an if's then-branch, a
/// conditional operator's true arm) or when it fails (the else-branch, the
/// false arm).
static std::optional<std::pair<const Expr *, bool>>
conditionFor(const Stmt *Parent, const Stmt *Child) {
  if (const auto *If = dyn_cast<IfStmt>(Parent)) {
    if (If->getThen() == Child)
      return std::make_pair(If->getCond(), true);
    if (If->getElse() == Child)
      return std::make_pair(If->getCond(), false);
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(Parent)) {
    if (CO->getTrueExpr() == Child)
      return std::make_pair(CO->getCond(), true);
    if (CO->getFalseExpr() == Child)
      return std::make_pair(CO->getCond(), false);
  }
  return std::nullopt;
}

/// Whether the branch that \p Condition leads to runs on a few steps only:
/// the then-branch of a rare condition, the else-branch of a frequent one.
static bool isRareBranch(std::pair<const Expr *, bool> Condition,
                         const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                         const ASTContext &Ctx) {
  return Condition.second
             ? isRareCondition(Condition.first, Counters, Ctx)
             : isFrequentCondition(Condition.first, Counters, Ctx);
}

GraphPosition HotPathModel::Impl::positionOf(const Stmt &S,
                                             const ScannedFunction &F) const {
  // The statements from S up to its function's body.
  llvm::SmallVector<const Stmt *, 32> Chain;
  for (const Stmt *N = &S; N && Chain.size() < 4096; N = Parents.lookup(N))
    Chain.push_back(N);
  // The loops around S; a loop's header runs where the loop runs.
  llvm::SmallVector<bool, 32> Encloses(Chain.size(), false);
  const Stmt *Innermost = nullptr;
  GraphPosition P;
  for (size_t I = 1; I < Chain.size(); ++I)
    if (isLoopStatement(*Chain[I]) && LoopIndex.count(Chain[I]) &&
        !isLoopHeader(Chain[I], Chain[I - 1])) {
      Encloses[I] = true;
      if (!Innermost) {
        Innermost = Chain[I];
        P.Loop = LoopIndex.lookup(Chain[I]).second;
      }
    }
  llvm::SmallPtrSet<const VarDecl *, 4> Counters;
  if (Innermost)
    Counters = countersOf(Innermost);
  bool Gated = false;
  for (size_t I = 1; I < Chain.size(); ++I) {
    if (Encloses[I])
      P.GatedUpTo.push_back(Gated);
    auto Cond = conditionFor(Chain[I], Chain[I - 1]);
    if (!Cond)
      continue;
    if (!Gated && isRareBranch(*Cond, Counters, Ctx))
      Gated = true;
    for (unsigned Param = 0; Param < F.Def->getNumParams(); ++Param) {
      llvm::SmallPtrSet<const VarDecl *, 1> One;
      One.insert(F.Def->getParamDecl(Param)->getCanonicalDecl());
      if (!llvm::is_contained(P.GateParams, Param) &&
          isRareBranch(*Cond, One, Ctx))
        P.GateParams.push_back(Param);
    }
  }
  return P;
}

void HotPathModel::Impl::buildGraph() {
  for (auto &[Canonical, F] : Functions) {
    std::string Usr = usrOf(F.Def);
    if (Usr.empty())
      continue;
    F.Key = functionKey(Usr, pointOf(F.Def->getLocation()));
    GraphFunction G;
    G.Name = diagnosticName(F.Def);
    G.Where = pointOf(F.Def->getLocation());
    for (size_t L = 0; L < F.Loops.size(); ++L)
      G.Loops.push_back({F.LoopParents[L], pointOf(F.Loops[L]->getBeginLoc()),
                         F.LoaderLoops.count(F.Loops[L]) != 0, false});
    std::vector<const CallExpr *> &Calls = GraphCalls[&F];
    for (const auto &[Call, Loop] : F.Calls) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      GraphCall C;
      C.Callee = usrOf(Callee->getCanonicalDecl());
      if (C.Callee.empty())
        continue;
      C.CalleeName = diagnosticName(Callee);
      C.Where = pointOf(Call->getBeginLoc());
      C.At = positionOf(*Call, F);
      // A member operator call passes the object as its first argument.
      unsigned Shift =
          isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
      llvm::SmallPtrSet<const VarDecl *, 4> LoopCounters;
      if (C.At.Loop >= 0)
        LoopCounters = countersOf(F.Loops[C.At.Loop]);
      for (unsigned I = 0;
           I < Callee->getNumParams() && I + Shift < Call->getNumArgs(); ++I) {
        const Expr *Arg = Call->getArg(I + Shift);
        CounterArgument A;
        A.Param = I;
        A.LoopCounter = mentions(Arg, LoopCounters);
        for (unsigned Param = 0; Param < F.Def->getNumParams(); ++Param) {
          llvm::SmallPtrSet<const VarDecl *, 1> One;
          One.insert(F.Def->getParamDecl(Param)->getCanonicalDecl());
          if (mentions(Arg, One))
            A.CallerParams.push_back(Param);
        }
        if (A.LoopCounter || !A.CallerParams.empty())
          C.Counters.push_back(std::move(A));
      }
      for (const Expr *Arg : Call->arguments()) {
        const ValueDecl *Storage = namedStorage(Arg);
        if ((Storage && DeviceMemory.count(Storage)) ||
            isCudaStream(Arg->getType()))
          C.PassesDeviceWork = true;
      }
      C.UnderNoGrad = F.NoGradCalls.count(Call) != 0;
      Calls.push_back(Call);
      G.Calls.push_back(std::move(C));
    }
    G.Signals = F.Signals;
    ByKey[F.Key] = &F;
    Own.Functions.try_emplace(F.Key, std::move(G));
  }
  Own.Devices = Devices;
}

void HotPathModel::Impl::build() {
  collectFunctions();
  buildGraph();
  Local = std::make_unique<HotAnalysis>(Own);
  recordModes();
  if (!Options.SummaryFile.empty()) {
    auto Summary = loadSummaryGraph(Options.SummaryFile);
    if (Summary) {
      // The unit's own functions first: they are what this parse saw.
      Combined = Own;
      Combined.merge(**Summary);
      Project = std::make_unique<HotAnalysis>(Combined);
    } else {
      // The checks report an unusable summary when they read the option.
      llvm::consumeError(Summary.takeError());
    }
  }
}

std::vector<std::pair<const Stmt *, unsigned>>
HotPathModel::Impl::modeSettersOf(const ScannedFunction &F) const {
  std::vector<std::pair<const Stmt *, unsigned>> Setters(F.ModeCalls.begin(),
                                                         F.ModeCalls.end());
  const ProjectGraph &G = graph();
  for (const auto &[Call, Loop] : F.Calls) {
    std::string Usr = usrOf(Call->getDirectCallee()->getCanonicalDecl());
    unsigned Mode = NoSignal;
    for (const std::string &Key : G.keysOf(Usr))
      Mode |= analysis().functionSignals(Key);
    Mode &= EvalModeSignal | TrainModeSignal;
    if (Mode)
      Setters.push_back({Call, Mode});
  }
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Setters, [&](const auto &A, const auto &B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A.first->getBeginLoc()),
                                        SM.getExpansionLoc(B.first->getBeginLoc()));
  });
  return Setters;
}

ModeSetting HotPathModel::Impl::modeBefore(
    const Stmt &S, const ScannedFunction &F,
    const std::vector<std::pair<const Stmt *, unsigned>> &Setters) const {
  const SourceManager &SM = Ctx.getSourceManager();
  auto Begin = [&](const Stmt *X) { return SM.getExpansionLoc(X->getBeginLoc()); };
  auto Before = [&](const Stmt *A, const Stmt *B) {
    return SM.isBeforeInTranslationUnit(Begin(A), Begin(B));
  };
  auto Within = [&](const Stmt *X, const Stmt *Region) {
    SourceLocation Loc = Begin(X);
    return !SM.isBeforeInTranslationUnit(Loc, Begin(Region)) &&
           !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Region->getEndLoc()),
                                         Loc);
  };
  // The loops around S, innermost first, then the function's body.
  llvm::SmallVector<const Stmt *, 4> Regions;
  const Stmt *Child = &S;
  for (const Stmt *N = Parents.lookup(Child); N; Child = N, N = Parents.lookup(N))
    if (LoopIndex.count(N) && !isLoopHeader(N, Child))
      Regions.push_back(N);
  Regions.push_back(F.Def->getBody());
  auto Setting = [](const std::pair<const Stmt *, unsigned> &X) {
    bool Eval = X.second & EvalModeSignal, Train = X.second & TrainModeSignal;
    return ModeSetting{Eval && Train ? ModuleMode::Unknown
                       : Train       ? ModuleMode::Train
                                     : ModuleMode::Eval,
                       X.first};
  };
  for (const Stmt *Region : Regions) {
    const std::pair<const Stmt *, unsigned> *Last = nullptr, *Wrap = nullptr;
    for (const auto &X : Setters) {
      if (!Within(X.first, Region) || Within(X.first, &S))
        continue;
      if (Before(X.first, &S))
        Last = &X;
      else if (Region != F.Def->getBody())
        Wrap = &X;
    }
    if (Last)
      return Setting(*Last);
    if (Wrap)
      return Setting(*Wrap);
  }
  return {};
}

void HotPathModel::Impl::recordModes() {
  for (auto &[Key, G] : Own.Functions) {
    const ScannedFunction &F = *ByKey.at(Key);
    const std::vector<const CallExpr *> &Calls = GraphCalls.at(&F);
    auto Setters = modeSettersOf(F);
    for (size_t I = 0; I < Calls.size(); ++I)
      G.Calls[I].ModeBefore = modeBefore(*Calls[I], F, Setters).Mode;
  }
}

HotContext HotPathModel::Impl::toContext(const HotReach &R) const {
  HotContext Result;
  Result.Kind = R.Kind;
  Result.Gated = R.Gated;
  const ProjectGraph &G = graph();
  if (auto It = ByKey.find(R.LoopFunction); It != ByKey.end()) {
    Result.Loop = It->second->Loops[R.Loop];
    Result.LoopLoc = Result.Loop->getBeginLoc();
  } else {
    const GraphLoop &Loop = G.Functions.at(R.LoopFunction).Loops[R.Loop];
    Result.LoopLoc = locationOf(Loop.Where);
    Result.LoopTimesItself = Loop.TimesItself;
  }
  for (const auto &[Caller, Index] : R.Chain) {
    const GraphCall &Call = G.Functions.at(Caller).Calls[Index];
    HotCall Step;
    Step.CalleeName = Call.CalleeName;
    if (auto It = ByKey.find(Caller); It != ByKey.end()) {
      Step.Call = GraphCalls.at(It->second)[Index];
      Step.Where = Step.Call->getBeginLoc();
    } else {
      Step.Where = locationOf(Call.Where);
      Step.CalleeTimesItself = G.timesItself(Call.Callee);
    }
    Result.CallChain.push_back(std::move(Step));
  }
  return Result;
}

bool HotPathModel::Impl::mayUseAccelerator() const {
  switch (Options.Accelerator) {
  case AcceleratorAssumption::Always:
    return true;
  case AcceleratorAssumption::Never:
    return false;
  case AcceleratorAssumption::Auto:
    break;
  }
  if (Devices == DeviceEvidence::MaybeAccelerator)
    return true;
  // A unit that names no device but the CPU may still be handed device
  // tensors by the rest of the project: the summary, or the project run,
  // decides.
  if (Project)
    return Combined.Devices == DeviceEvidence::MaybeAccelerator;
  return Options.ProjectRun;
}

std::optional<HotContext> HotPathModel::Impl::classify(const Stmt &S,
                                                       Deferral D) const {
  const ScannedFunction *F = ownerOf(S);
  if (!F || F->Key.empty())
    return std::nullopt; // not in a function body the model scanned
  GraphPosition At = positionOf(S, *F);
  std::optional<HotReach> Reach = Local->resolve(F->Key, At);
  // A step loop of the statement's own function decides here; anything that
  // goes through calls may change with the rest of the project.
  bool Decided = Reach && Reach->Chain.empty();
  bool NeedsAccelerator = needsProjectAccelerator();
  if (Options.ProjectRun && D == Deferral::Allow &&
      (!Decided || NeedsAccelerator)) {
    HotContext Result;
    Result.Kind = LoopKind::Undecided;
    DeferredHotPath Deferred;
    Deferred.Function = F->Key;
    Deferred.At = std::move(At);
    Deferred.NeedsAccelerator = NeedsAccelerator;
    Result.Deferred = std::move(Deferred);
    return Result;
  }
  // A check that cannot defer decides with this unit alone, in a project
  // run and with a summary alike, so that the two agree.
  if (Project && !Decided && D == Deferral::Allow)
    Reach = Project->resolve(F->Key, At);
  if (!Reach)
    return std::nullopt;
  return toContext(*Reach);
}

HotPathModel::HotPathModel(ASTContext &Ctx, HotPathOptions Options)
    : P(std::make_unique<Impl>(Ctx, std::move(Options))) {
  P->build();
}

HotPathModel::~HotPathModel() = default;

std::optional<HotContext> HotPathModel::classify(const Stmt &S,
                                                 Deferral D) const {
  return P->classify(S, D);
}

std::optional<LoopKind> HotPathModel::loopKind(const Stmt &Loop) const {
  auto Entry = P->LoopIndex.find(&Loop);
  if (Entry == P->LoopIndex.end() || Entry->second.first->Key.empty())
    return std::nullopt;
  if (auto Step = P->analysis().stepLoopOf(Entry->second.first->Key,
                                           Entry->second.second))
    return Step->first;
  return std::nullopt;
}

llvm::SmallVector<const Stmt *, 4>
HotPathModel::enclosingLoops(const Stmt &S) const {
  llvm::SmallVector<const Stmt *, 4> Loops;
  const Stmt *Child = &S;
  for (const Stmt *N = P->Parents.lookup(Child); N && Loops.size() < 64;
       Child = N, N = P->Parents.lookup(N))
    if (P->LoopIndex.count(N) && !isLoopHeader(N, Child))
      Loops.push_back(N);
  return Loops;
}

const Stmt *HotPathModel::parentOf(const Stmt &S) const {
  return P->Parents.lookup(&S);
}

const Stmt *HotPathModel::writtenParentOf(const Stmt &S) const {
  const Stmt *Up = P->Parents.lookup(&S);
  while (Up && isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                   CXXBindTemporaryExpr, ExprWithCleanups, ParenExpr,
                   ConstantExpr>(Up))
    Up = P->Parents.lookup(Up);
  return Up;
}

const FunctionDecl *HotPathModel::enclosingFunction(const Stmt &S) const {
  const ScannedFunction *F = P->ownerOf(S);
  return F ? F->Def : nullptr;
}

bool HotPathModel::isRareIn(const Stmt &S, const Stmt &Loop) const {
  const llvm::SmallPtrSet<const VarDecl *, 4> &Counters = P->countersOf(&Loop);
  const Stmt *Child = &S;
  for (const Stmt *N = P->Parents.lookup(Child); N && N != &Loop;
       Child = N, N = P->Parents.lookup(N))
    if (auto Cond = conditionFor(N, Child))
      if (isRareBranch(*Cond, Counters, P->Ctx))
        return true;
  return false;
}

bool HotPathModel::isEpochLoop(const Stmt &Loop) const {
  auto Entry = P->LoopIndex.find(&Loop);
  if (Entry == P->LoopIndex.end() || Entry->second.first->Key.empty())
    return false;
  return P->analysis().isEpochLoop(Entry->second.first->Key,
                                   Entry->second.second);
}

/// Whether \p VD keeps its value from one run of \p Region to the next:
/// declared outside it, or, when \p Region is a function body, a global, a
/// static local or a parameter passed by reference.
static bool outlives(const VarDecl &VD, const Stmt &Region, bool RegionIsBody,
                     const SourceManager &SM) {
  if (VD.hasGlobalStorage())
    return true;
  if (RegionIsBody)
    return isa<ParmVarDecl>(VD) && VD.getType()->isReferenceType();
  SourceLocation Loc = SM.getExpansionLoc(VD.getLocation());
  return !(SM.isBeforeInTranslationUnit(
               SM.getExpansionLoc(Region.getBeginLoc()), Loc) &&
           SM.isBeforeInTranslationUnit(
               Loc, SM.getExpansionLoc(Region.getEndLoc())));
}

/// Adds to \p Out the variables and members that \p E reads and that keep
/// their value across runs of \p Region.
static void collectGuardState(const Stmt *E, const Stmt &Region,
                              bool RegionIsBody, const SourceManager &SM,
                              llvm::SmallVectorImpl<const ValueDecl *> &Out) {
  if (!E)
    return;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl()))
      if (outlives(*VD, Region, RegionIsBody, SM))
        Out.push_back(VD);
    return;
  }
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    // A member of a local object lives as long as the object.
    const Expr *Base = Member->getBase()->IgnoreParenImpCasts();
    const auto *BaseRef = dyn_cast<DeclRefExpr>(Base);
    const auto *BaseVar = BaseRef ? dyn_cast<VarDecl>(BaseRef->getDecl()) : nullptr;
    if (isa<FieldDecl>(Member->getMemberDecl()) &&
        (!BaseVar || BaseVar->getType()->isPointerType() ||
         outlives(*BaseVar, Region, RegionIsBody, SM)))
      Out.push_back(Member->getMemberDecl());
  }
  for (const Stmt *Child : E->children())
    collectGuardState(Child, Region, RegionIsBody, SM, Out);
}

bool HotPathModel::isGuardedInit(const Stmt &S, const Stmt *Within) const {
  // The conditions between S and the region, each with the branch S is in.
  llvm::SmallVector<std::pair<const Expr *, const Stmt *>, 4> Guards;
  const Stmt *Child = &S, *Region = nullptr;
  for (const Stmt *N = P->Parents.lookup(Child); N;
       Child = N, N = P->Parents.lookup(N)) {
    if (N == Within) {
      Region = N;
      break;
    }
    if (const auto *If = dyn_cast<IfStmt>(N))
      if (If->getThen() == Child)
        Guards.push_back({If->getCond(), Child});
    Region = N;
  }
  if (!Region || Guards.empty())
    return false;
  bool RegionIsBody = Region != Within;
  const SourceManager &SM = P->Ctx.getSourceManager();
  for (const auto &[Cond, Branch] : Guards) {
    llvm::SmallVector<const ValueDecl *, 4> State;
    collectGuardState(Cond, *Region, RegionIsBody, SM, State);
    for (const ValueDecl *D : State)
      if (isModifiedIn(*D, *Branch))
        return true;
  }
  return false;
}

unsigned HotPathModel::signalsIn(const Stmt &Loop) const {
  auto Entry = P->LoopIndex.find(&Loop);
  if (Entry == P->LoopIndex.end() || Entry->second.first->Key.empty())
    return OpaqueCallSignal;
  return P->analysis().loopSignals(Entry->second.first->Key,
                                   Entry->second.second);
}

unsigned HotPathModel::signalsOf(const FunctionDecl &Function) const {
  auto It = P->Functions.find(Function.getCanonicalDecl());
  if (It == P->Functions.end() || It->second.Key.empty())
    return OpaqueCallSignal;
  return P->analysis().functionSignals(It->second.Key);
}

unsigned HotPathModel::signalsOutsideTrainingLoops(
    const FunctionDecl &Function) const {
  auto It = P->Functions.find(Function.getCanonicalDecl());
  if (It == P->Functions.end() || It->second.Key.empty())
    return OpaqueCallSignal;
  return P->analysis().signalsOutsideTrainingLoops(It->second.Key);
}

ModeSetting HotPathModel::modeBefore(const Stmt &S) const {
  const ScannedFunction *F = P->ownerOf(S);
  if (!F)
    return {};
  return P->modeBefore(S, *F, P->modeSettersOf(*F));
}

unsigned HotPathModel::programSignals() const {
  unsigned Result = P->graph().programSignals();
  for (const GraphSignal &S : P->Globals.Signals)
    Result |= S.Bits;
  return Result;
}

std::optional<Lack> HotPathModel::lacks(const Stmt *Loop,
                                        const FunctionDecl *Function,
                                        unsigned MustDo,
                                        unsigned MustLack) const {
  DeferredHotPath D;
  D.Decided = true;
  D.MustDo = MustDo;
  D.MustLack = MustLack;
  if (Loop) {
    auto Entry = P->LoopIndex.find(Loop);
    if (Entry == P->LoopIndex.end())
      return std::nullopt;
    D.Function = Entry->second.first->Key;
    D.At.Loop = Entry->second.second;
  } else if (Function) {
    auto It = P->Functions.find(Function->getCanonicalDecl());
    if (It == P->Functions.end())
      return std::nullopt;
    D.Function = It->second.Key;
  } else {
    return std::nullopt;
  }
  if (D.Function.empty())
    return std::nullopt;
  unsigned Does = Loop ? signalsIn(*Loop) : signalsOf(*Function);
  if (Does & MustLack)
    return std::nullopt;
  if (!(Does & OpaqueCallSignal))
    return (Does & MustDo) == MustDo ? std::optional<Lack>(Lack{})
                                     : std::nullopt;
  // The calls that leave the unit may do what is missing.
  if (!P->Options.ProjectRun)
    return std::nullopt;
  return Lack{std::move(D)};
}

bool HotPathModel::knowsOnlyTheUnit() const {
  return !P->Options.ProjectRun && P->Options.SummaryFile.empty();
}

std::optional<Lack> HotPathModel::programLacks(unsigned MustDo,
                                               unsigned MustLack) const {
  unsigned Does = programSignals();
  if (Does & MustLack)
    return std::nullopt;
  unsigned Missing = MustDo & ~Does;
  // With a summary the program is the project; alone, it is the unit.
  if (!P->Options.ProjectRun)
    return Missing ? std::nullopt : std::optional<Lack>(Lack{});
  if (!Missing && !MustLack)
    return Lack{};
  // Another unit of the project may do what is missing, or what must lack.
  DeferredHotPath D;
  D.Decided = true;
  D.ProgramMustDo = Missing;
  D.ProgramMustLack = MustLack;
  return Lack{std::move(D)};
}

std::optional<Lack> HotPathModel::cpuOnlyProgram() const {
  switch (P->Options.Accelerator) {
  case AcceleratorAssumption::Always:
    return std::nullopt;
  case AcceleratorAssumption::Never:
    return Lack{};
  case AcceleratorAssumption::Auto:
    break;
  }
  if (P->Devices == DeviceEvidence::MaybeAccelerator ||
      (P->Project && P->Combined.Devices == DeviceEvidence::MaybeAccelerator))
    return std::nullopt;
  if (!P->Options.ProjectRun)
    return Lack{};
  DeferredHotPath D;
  D.Decided = true;
  D.NeedsCpuOnly = true;
  return Lack{std::move(D)};
}

bool HotPathModel::isStepLoop(const Stmt &Loop) const {
  auto Entry = P->LoopIndex.find(&Loop);
  if (Entry == P->LoopIndex.end() || Entry->second.first->Key.empty())
    return false;
  auto Step = P->analysis().stepLoopOf(Entry->second.first->Key,
                                       Entry->second.second);
  return Step && Step->second == Entry->second.second;
}

Lack bothHold(const Lack &A, const Lack &B) {
  if (!A.Deferred || !B.Deferred)
    return A.Deferred ? A : B;
  return Lack{bothHold(*A.Deferred, *B.Deferred)};
}

std::pair<std::vector<GraphCall>, bool>
HotPathModel::callsTo(const FunctionDecl &Function) const {
  std::pair<std::vector<GraphCall>, bool> Result;
  std::string Usr = P->usrOf(Function.getCanonicalDecl());
  const ProjectGraph &G = P->graph();
  for (const auto &[Caller, Index] : P->analysis().callsTo(Usr))
    Result.first.push_back(G.Functions.at(Caller).Calls[Index]);
  Result.second = P->Project || !Function.isExternallyVisible();
  return Result;
}

bool HotPathModel::mayUseAccelerator() const { return P->mayUseAccelerator(); }

DeviceEvidence HotPathModel::deviceEvidence() const { return P->Devices; }

std::optional<DeferredHotPath> HotPathModel::projectCondition() const {
  if (!P->needsProjectAccelerator())
    return std::nullopt;
  DeferredHotPath D;
  D.Decided = true;
  D.NeedsAccelerator = true;
  return D;
}

ProjectGraph HotPathModel::exportGraph() const {
  ProjectGraph G = P->Own;
  for (auto &[Key, Function] : G.Functions) {
    const ScannedFunction &F = *P->ByKey.at(Key);
    Function.TimesItself = loopTimesItself(*F.Def->getBody(), P->Ctx);
    for (size_t L = 0; L < F.Loops.size(); ++L)
      Function.Loops[L].TimesItself = loopTimesItself(*F.Loops[L], P->Ctx);
  }
  return G;
}

const HotPathModel &HotPathModel::get(ASTContext &Ctx) {
  return perTranslationUnit<HotPathModel>(Ctx);
}

} // namespace trainlint
