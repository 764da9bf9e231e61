//===--- HotPath.cpp - is this statement on the training hot path? --------===//

#include "HotPath.h"
#include "PerTranslationUnit.h"
#include "StepCounter.h"
#include "TorchApi.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <deque>
#include <map>

namespace trainlint {

using namespace clang;

namespace {

/// What a call does for the loop around it, as a bit set.
enum Signal : unsigned {
  NoSignal = 0,
  BackwardSignal = 1, // Tensor::backward, torch::autograd::backward/grad
  StepSignal = 2,     // an optimizer's step()
  ForwardSignal = 4,  // a module's forward, or calling a module
  LaunchSignal = 8,   // device work: a kernel launch, a graph, a cuBLAS call
};
constexpr unsigned TrainingSignals = BackwardSignal | StepSignal;

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

/// `do ... while (0)` or `while (false)`: the body runs once.
bool runsOnce(const DoStmt *Do) {
  const Expr *Cond = Do->getCond()->IgnoreParenImpCasts();
  if (const auto *Int = dyn_cast<IntegerLiteral>(Cond))
    return Int->getValue().isZero();
  if (const auto *Bool = dyn_cast<CXXBoolLiteralExpr>(Cond))
    return !Bool->getValue();
  return false;
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
          if (isSameOrDerivedFrom(MD->getParent(), "torch::nn::ModuleHolder") ||
              isSameOrDerivedFrom(MD->getParent(), "torch::nn::Module"))
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

/// A call made by a function, and the innermost loop of that function it
/// sits in (null when it is outside every loop).
struct CallSite {
  const CallExpr *Call;
  const FunctionDecl *Callee;
  const Stmt *Loop;
};

/// What one function definition contains.
struct FunctionFacts {
  const FunctionDecl *Def = nullptr;
  llvm::SmallVector<CallSite, 8> Calls;
  llvm::SmallVector<std::pair<unsigned, const Stmt *>, 4> Signals;
  /// Each loop and the loop around it (null at the top of the function).
  llvm::DenseMap<const Stmt *, const Stmt *> LoopParent;
  llvm::SmallPtrSet<const Stmt *, 2> LoaderLoops;
};

/// The parent of every statement in the user's function bodies. Clang's own
/// parent map (ASTContext::getParents) covers the whole translation unit,
/// system headers included, and building it costs a sixth of a libtorch
/// parse; this one covers only the code the model scans.
using ParentMap = llvm::DenseMap<const Stmt *, const Stmt *>;

/// Walks one function body, recording loops, calls, signals and parents.
class BodyScanner {
public:
  BodyScanner(FunctionFacts &Facts, bool &Accelerator, ParentMap &Parents)
      : Facts(Facts), Accelerator(Accelerator), Parents(Parents) {}

  void scan(const Stmt *S, const Stmt *Loop, const Stmt *Parent = nullptr) {
    if (!S)
      return;
    if (Parent)
      Parents.try_emplace(S, Parent);
    if (!Accelerator && isAcceleratorEvidence(S))
      Accelerator = true;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (unsigned Sig = signalOf(Call))
        Facts.Signals.push_back({Sig, Loop});
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        Facts.Calls.push_back({Call, Callee->getCanonicalDecl(), Loop});
    }
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(S)) {
      // The range and its iterators are evaluated once, before the loop.
      scan(Range->getInit(), Loop, S);
      scan(Range->getRangeInit(), Loop, S);
      enterLoop(S, Loop);
      if (isDataLoaderType(Range->getRangeInit()->getType()))
        Facts.LoaderLoops.insert(S);
      scan(Range->getBody(), S, S);
      return;
    }
    if (const auto *For = dyn_cast<ForStmt>(S)) {
      scan(For->getInit(), Loop, S);
      enterLoop(S, Loop);
      scan(For->getCond(), S, S);
      scan(For->getInc(), S, S);
      scan(For->getBody(), S, S);
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
      enterLoop(S, Loop);
      for (const Stmt *Child : S->children())
        scan(Child, S, S);
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

private:
  void enterLoop(const Stmt *S, const Stmt *Parent) {
    Facts.LoopParent[S] = Parent;
  }

  FunctionFacts &Facts;
  bool &Accelerator;
  ParentMap &Parents;
};

/// How a function is reached from a hot loop.
struct Reach {
  LoopKind Kind;
  const Stmt *Loop;
  llvm::SmallVector<const CallExpr *, 4> Chain;
  const Expr *Gate = nullptr;
  /// The callee's variables that carry the step counter (parameters bound to
  /// it), so that a condition on them inside the callee is a gate too.
  llvm::SmallPtrSet<const VarDecl *, 4> Counters;
};


} // namespace

llvm::StringRef loopKindName(LoopKind Kind) {
  switch (Kind) {
  case LoopKind::Training:
    return "training loop";
  case LoopKind::Evaluation:
    return "evaluation loop";
  case LoopKind::CudaStep:
    return "CUDA step loop";
  }
  return "hot loop";
}

struct HotPathModel::Impl {
  ASTContext &Ctx;
  bool Accelerator = false;
  std::map<const FunctionDecl *, FunctionFacts> Functions;
  ParentMap Parents;
  /// Each scanned function body and its function.
  llvm::DenseMap<const Stmt *, const FunctionDecl *> BodyOwner;
  /// Every loop of the user's code and the function that holds it.
  llvm::DenseMap<const Stmt *, const FunctionDecl *> LoopOwner;
  /// Step loops and their kind.
  llvm::DenseMap<const Stmt *, LoopKind> StepLoops;
  /// Functions called from hot loops, and how.
  llvm::DenseMap<const FunctionDecl *, Reach> HotFunctions;
  mutable llvm::DenseMap<const Stmt *, llvm::SmallPtrSet<const VarDecl *, 4>>
      CounterCache;
  std::map<std::pair<const FunctionDecl *, unsigned>, unsigned> DirectMemo,
      AllMemo;

  explicit Impl(ASTContext &Ctx) : Ctx(Ctx) {}

  void build();
  void collectFunctions();
  unsigned directSignals(const FunctionDecl *FD, unsigned Depth);
  unsigned allSignals(const FunctionDecl *FD, unsigned Depth);
  unsigned signalsIn(const FunctionFacts &F, const Stmt *Loop, bool Nested);
  bool isNestedIn(const FunctionFacts &F, const Stmt *Inner,
                  const Stmt *Outer) const;
  void classifyLoops();
  void propagateHotFunctions();
  const Stmt *stepLoopOf(const Stmt *Loop) const;
  const llvm::SmallPtrSet<const VarDecl *, 4> &countersOf(const Stmt *Loop) const;
  const Expr *gateBetween(const Stmt *S, const Stmt *Boundary,
                          const llvm::SmallPtrSetImpl<const VarDecl *> &Counters) const;
  std::optional<HotContext> classify(const Stmt &S) const;
  std::optional<HotContext>
  finish(const FunctionDecl *FD,
         llvm::ArrayRef<const Stmt *> Path) const;
};

namespace {
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
    if (!isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        !isLambdaCallOperator(FD))
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

void HotPathModel::Impl::collectFunctions() {
  llvm::SmallVector<const FunctionDecl *, 64> Defs;
  llvm::SmallVector<const Expr *, 16> GlobalInits;
  FunctionCollector(Ctx.getSourceManager(), Defs, GlobalInits)
      .TraverseDecl(Ctx.getTranslationUnitDecl());
  FunctionFacts Globals;
  for (const Expr *Init : GlobalInits)
    BodyScanner(Globals, Accelerator, Parents).scan(Init, nullptr);
  for (const FunctionDecl *FD : Defs) {
    FunctionFacts &Facts = Functions[FD->getCanonicalDecl()];
    if (Facts.Def)
      continue;
    Facts.Def = FD;
    BodyScanner(Facts, Accelerator, Parents).scan(FD->getBody(), nullptr);
    BodyOwner[FD->getBody()] = FD;
    for (const auto &Entry : Facts.LoopParent)
      LoopOwner[Entry.first] = FD->getCanonicalDecl();
  }
}

unsigned HotPathModel::Impl::directSignals(const FunctionDecl *FD,
                                           unsigned Depth) {
  auto It = Functions.find(FD);
  if (It == Functions.end() || Depth > MaxCallDepth)
    return NoSignal;
  auto Key = std::make_pair(FD, Depth);
  auto Memo = DirectMemo.find(Key);
  if (Memo != DirectMemo.end())
    return Memo->second;
  DirectMemo[Key] = NoSignal; // recursion ends here
  unsigned Result = NoSignal;
  for (const auto &[Sig, Loop] : It->second.Signals)
    if (!Loop)
      Result |= Sig;
  for (const CallSite &Site : It->second.Calls)
    if (!Site.Loop)
      Result |= directSignals(Site.Callee, Depth + 1);
  DirectMemo[Key] = Result;
  return Result;
}

unsigned HotPathModel::Impl::allSignals(const FunctionDecl *FD,
                                        unsigned Depth) {
  auto It = Functions.find(FD);
  if (It == Functions.end() || Depth > MaxCallDepth)
    return NoSignal;
  auto Key = std::make_pair(FD, Depth);
  auto Memo = AllMemo.find(Key);
  if (Memo != AllMemo.end())
    return Memo->second;
  AllMemo[Key] = NoSignal;
  unsigned Result = NoSignal;
  for (const auto &Entry : It->second.Signals)
    Result |= Entry.first;
  for (const CallSite &Site : It->second.Calls)
    Result |= allSignals(Site.Callee, Depth + 1);
  AllMemo[Key] = Result;
  return Result;
}

bool HotPathModel::Impl::isNestedIn(const FunctionFacts &F, const Stmt *Inner,
                                    const Stmt *Outer) const {
  for (const Stmt *L = Inner; L; L = F.LoopParent.lookup(L))
    if (L == Outer)
      return true;
  return false;
}

/// The signals of \p Loop's own iterations (calls directly in it, and what
/// the functions they call do outside loops), or with \p Nested those of its
/// nested loops and of everything its calls do.
unsigned HotPathModel::Impl::signalsIn(const FunctionFacts &F,
                                       const Stmt *Loop, bool Nested) {
  unsigned Result = NoSignal;
  for (const auto &[Sig, Where] : F.Signals)
    if (Where == Loop || (Nested && Where && isNestedIn(F, Where, Loop)))
      Result |= Sig;
  for (const CallSite &Site : F.Calls) {
    if (Site.Loop == Loop)
      Result |= Nested ? allSignals(Site.Callee, 1)
                       : directSignals(Site.Callee, 1);
    else if (Nested && Site.Loop && isNestedIn(F, Site.Loop, Loop))
      Result |= allSignals(Site.Callee, 1);
  }
  return Result;
}

void HotPathModel::Impl::classifyLoops() {
  for (const auto &[FD, F] : Functions) {
    for (const auto &Entry : F.LoopParent) {
      const Stmt *Loop = Entry.first;
      unsigned Own = signalsIn(F, Loop, /*Nested=*/false);
      unsigned All = signalsIn(F, Loop, /*Nested=*/true);
      if (Own & TrainingSignals)
        StepLoops[Loop] = LoopKind::Training;
      else if (F.LoaderLoops.count(Loop))
        StepLoops[Loop] =
            (All & TrainingSignals) ? LoopKind::Training : LoopKind::Evaluation;
      else if ((Own & ForwardSignal) && !(All & TrainingSignals))
        StepLoops[Loop] = LoopKind::Evaluation;
      else if (Own & LaunchSignal)
        StepLoops[Loop] = LoopKind::CudaStep;
      // Otherwise an epoch loop around a step loop, or ordinary code.
    }
  }
}

const Stmt *HotPathModel::Impl::stepLoopOf(const Stmt *Loop) const {
  auto Owner = LoopOwner.find(Loop);
  if (Owner == LoopOwner.end())
    return nullptr;
  const FunctionFacts &F = Functions.at(Owner->second);
  for (const Stmt *L = Loop; L; L = F.LoopParent.lookup(L))
    if (StepLoops.count(L))
      return L;
  return nullptr;
}

const llvm::SmallPtrSet<const VarDecl *, 4> &
HotPathModel::Impl::countersOf(const Stmt *Loop) const {
  auto It = CounterCache.find(Loop);
  if (It != CounterCache.end())
    return It->second;
  llvm::SmallPtrSet<const VarDecl *, 4> Counters;
  const SourceManager &SM = Ctx.getSourceManager();
  // The counters of this loop and of the loops around it in its function.
  auto Owner = LoopOwner.find(Loop);
  if (Owner != LoopOwner.end()) {
    const FunctionFacts &F = Functions.at(Owner->second);
    for (const Stmt *L = Loop; L; L = F.LoopParent.lookup(L)) {
      if (const auto *For = dyn_cast<ForStmt>(L))
        if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()))
          for (const Decl *D : DS->decls())
            if (const auto *VD = dyn_cast<VarDecl>(D))
              Counters.insert(VD->getCanonicalDecl());
      collectCounters(L, L, Counters, SM);
    }
  }
  return CounterCache[Loop] = std::move(Counters);
}

void HotPathModel::Impl::propagateHotFunctions() {
  std::deque<const FunctionDecl *> Work;
  auto Offer = [&](const FunctionDecl *Callee, Reach R) {
    if (!Functions.count(Callee))
      return;
    auto It = HotFunctions.find(Callee);
    if (It != HotFunctions.end()) {
      const Reach &Old = It->second;
      bool Better = (Old.Gate && !R.Gate) ||
                    (!Old.Gate == !R.Gate && R.Chain.size() < Old.Chain.size());
      if (!Better)
        return;
      It->second = std::move(R);
    } else {
      HotFunctions.try_emplace(Callee, std::move(R));
    }
    Work.push_back(Callee);
  };
  auto BindCounters = [&](const CallSite &Site,
                          const llvm::SmallPtrSetImpl<const VarDecl *> &Counters,
                          Reach &R) {
    auto Callee = Functions.find(Site.Callee);
    if (Callee == Functions.end())
      return;
    const FunctionDecl *Def = Callee->second.Def;
    // A member operator call passes the object as its first argument.
    unsigned Shift =
        isa<CXXOperatorCallExpr>(Site.Call) && isa<CXXMethodDecl>(Def) ? 1 : 0;
    for (unsigned I = 0; I < Def->getNumParams() &&
                         I + Shift < Site.Call->getNumArgs();
         ++I)
      if (mentions(Site.Call->getArg(I + Shift), Counters))
        R.Counters.insert(Def->getParamDecl(I)->getCanonicalDecl());
  };

  // Calls made inside hot loops.
  for (const auto &[FD, F] : Functions) {
    for (const CallSite &Site : F.Calls) {
      if (!Site.Loop)
        continue;
      const Stmt *Step = stepLoopOf(Site.Loop);
      if (!Step)
        continue;
      Reach R{StepLoops.lookup(Step), Step, {Site.Call}, nullptr, {}};
      const auto &Counters = countersOf(Site.Loop);
      R.Gate = gateBetween(Site.Call, Step, Counters);
      BindCounters(Site, Counters, R);
      Offer(Site.Callee, std::move(R));
    }
  }
  // And from there, a few calls deeper.
  while (!Work.empty()) {
    const FunctionDecl *FD = Work.front();
    Work.pop_front();
    const Reach From = HotFunctions.at(FD);
    if (From.Chain.size() >= MaxCallDepth)
      continue;
    for (const CallSite &Site : Functions.at(FD).Calls) {
      Reach R{From.Kind, From.Loop, From.Chain, From.Gate, {}};
      R.Chain.push_back(Site.Call);
      if (!R.Gate)
        R.Gate = gateBetween(Site.Call, Functions.at(FD).Def->getBody(),
                             From.Counters);
      BindCounters(Site, From.Counters, R);
      Offer(Site.Callee, std::move(R));
    }
  }
}

const Expr *HotPathModel::Impl::gateBetween(
    const Stmt *S, const Stmt *Boundary,
    const llvm::SmallPtrSetImpl<const VarDecl *> &Counters) const {
  if (Counters.empty())
    return nullptr;
  const Stmt *Child = S;
  for (unsigned Guard = 0; Child && Child != Boundary && Guard < 512; ++Guard) {
    const Stmt *Parent = Parents.lookup(Child);
    if (!Parent)
      return nullptr;
    if (const auto *If = dyn_cast<IfStmt>(Parent))
      if (If->getThen() == Child &&
          isRareCondition(If->getCond(), Counters, Ctx))
        return If->getCond();
    if (const auto *CO = dyn_cast<ConditionalOperator>(Parent))
      if (CO->getTrueExpr() == Child &&
          isRareCondition(CO->getCond(), Counters, Ctx))
        return CO->getCond();
    Child = Parent;
  }
  return nullptr;
}

void HotPathModel::Impl::build() {
  collectFunctions();
  classifyLoops();
  propagateHotFunctions();
}

std::optional<HotContext>
HotPathModel::Impl::finish(const FunctionDecl *FD,
                           llvm::ArrayRef<const Stmt *> Path) const {
  // Path runs from the statement up to the function body.
  for (const Stmt *Node : Path) {
    if (!isLoop(Node) || !LoopOwner.count(Node))
      continue;
    const Stmt *Step = stepLoopOf(Node);
    if (!Step)
      continue;
    HotContext Result;
    Result.Kind = StepLoops.lookup(Step);
    Result.Loop = Step;
    Result.Gate = gateBetween(Path.front(), Step, countersOf(Node));
    return Result;
  }
  auto It = HotFunctions.find(FD->getCanonicalDecl());
  if (It == HotFunctions.end())
    return std::nullopt;
  const Reach &R = It->second;
  HotContext Result;
  Result.Kind = R.Kind;
  Result.Loop = R.Loop;
  Result.CallChain = R.Chain;
  Result.Gate = R.Gate ? R.Gate
                       : gateBetween(Path.front(), FD->getBody(), R.Counters);
  return Result;
}

std::optional<HotContext> HotPathModel::Impl::classify(const Stmt &S) const {
  // The statements from S up to its function's body, leaving out loops whose
  // header (not body) S is in: a loop's header runs where the loop runs.
  llvm::SmallVector<const Stmt *, 32> Path;
  const Stmt *Child = nullptr;
  for (const Stmt *Node = &S; Node; Child = Node, Node = Parents.lookup(Node)) {
    bool InHeader = false;
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(Node))
      InHeader = Child && Child != Range->getBody();
    else if (const auto *For = dyn_cast<ForStmt>(Node))
      InHeader = Child && Child == For->getInit();
    if (!InHeader)
      Path.push_back(Node);
    if (Path.size() > 4096)
      return std::nullopt;
  }
  const Stmt *Top = Child ? Child : &S;
  for (const Stmt *Node = &S; Parents.lookup(Node); Node = Parents.lookup(Node))
    Top = Parents.lookup(Node);
  auto Owner = BodyOwner.find(Top);
  if (Owner == BodyOwner.end() || Path.empty())
    return std::nullopt; // not in a function body the model scanned
  return finish(Owner->second, Path);
}

HotPathModel::HotPathModel(ASTContext &Ctx) : P(std::make_unique<Impl>(Ctx)) {
  P->build();
}

HotPathModel::~HotPathModel() = default;

std::optional<HotContext> HotPathModel::classify(const Stmt &S) const {
  return P->classify(S);
}

std::optional<LoopKind> HotPathModel::loopKind(const Stmt &Loop) const {
  if (const Stmt *Step = P->stepLoopOf(&Loop))
    return P->StepLoops.lookup(Step);
  return std::nullopt;
}

bool HotPathModel::mayUseAccelerator() const { return P->Accelerator; }

const HotPathModel &HotPathModel::get(ASTContext &Ctx) {
  return perTranslationUnit<HotPathModel>(Ctx);
}

} // namespace trainlint
