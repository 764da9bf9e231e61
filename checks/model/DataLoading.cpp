//===--- DataLoading.cpp - how a program loads its batches ----------------===//

#include "DataLoading.h"
#include "PerTranslationUnit.h"
#include "TorchApi.h"
#include "TrainedModel.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace trainlint {

using namespace clang;

bool isMakeDataLoaderCall(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  return FD && FD->getDeclName().isIdentifier() &&
         FD->getName() == "make_data_loader" &&
         isInNamespace(FD, "torch::data");
}

clang::ast_matchers::internal::BindableMatcher<Stmt> makeDataLoaderCall() {
  using namespace clang::ast_matchers;
  return callExpr(
      callee(functionDecl(hasName("::torch::data::make_data_loader"))),
      unless(isExpansionInSystemHeader()));
}

bool isDatasetGetMethod(const CXXMethodDecl &Method) {
  if (!Method.getDeclName().isIdentifier() ||
      (Method.getName() != "get" && Method.getName() != "get_batch"))
    return false;
  return isSameOrDerivedFrom(Method.getParent(),
                             "torch::data::datasets::BatchDataset");
}

namespace {

/// \p E past implicit nodes, parentheses, std::move and the copies or moves
/// that pass a value into a parameter.
const Expr *pastCopies(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
        Construct && !isa<CXXTemporaryObjectExpr>(Construct) &&
        Construct->getNumArgs() == 1 &&
        Construct->getConstructor()->isCopyOrMoveConstructor()) {
      E = Construct->getArg(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && Call->getNumArgs() == 1 && FD->getDeclName().isIdentifier() &&
          FD->getName() == "move" && isInNamespace(FD, "std")) {
        E = Call->getArg(0);
        continue;
      }
    return E;
  }
  return nullptr;
}

/// The template argument \p Index of \p RD when it is a specialization of
/// the class template \p QualifiedName.
const CXXRecordDecl *templateArgClass(const CXXRecordDecl *RD,
                                      llvm::StringRef QualifiedName,
                                      unsigned Index) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getQualifiedNameAsString() != QualifiedName ||
      Spec->getTemplateArgs().size() <= Index ||
      Spec->getTemplateArgs()[Index].getKind() != TemplateArgument::Type)
    return nullptr;
  return recordOf(Spec->getTemplateArgs()[Index].getAsType());
}

/// The type a class or one of its bases names \p Name (`BatchType`).
QualType memberType(const CXXRecordDecl *RD, llvm::StringRef Name,
                    unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return QualType();
  RD = RD->getDefinition();
  for (const NamedDecl *Found :
       RD->lookup(&RD->getASTContext().Idents.get(Name)))
    if (const auto *Alias = dyn_cast<TypedefNameDecl>(Found))
      return Alias->getUnderlyingType();
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (QualType T = memberType(recordOf(Base.getType()), Name, Depth + 1);
        !T.isNull())
      return T;
  return QualType();
}

bool isStdVector(const CXXRecordDecl *RD) {
  return RD && RD->getDeclName().isIdentifier() && RD->getName() == "vector" &&
         isInNamespace(RD, "std");
}

/// A setting's value from the argument that sets it.
LoaderSetting settingFrom(const Expr *Arg, const ASTContext &Ctx) {
  LoaderSetting Setting{LoaderSetting::Source::Unknown, 0, Arg};
  Expr::EvalResult Result;
  if (Arg && !Arg->isValueDependent() && Arg->EvaluateAsInt(Result, Ctx) &&
      !Result.Val.getInt().isNegative()) {
    Setting.How = LoaderSetting::Source::Constant;
    Setting.Value = Result.Val.getInt().getZExtValue();
  }
  return Setting;
}

bool isOptionsType(QualType T) {
  return isSameOrDerivedFrom(recordOf(T), "torch::data::DataLoaderOptions");
}

/// The setter \p Call of DataLoaderOptions (`batch_size`, `workers`, ...)
/// with one argument, or null.
const CXXMethodDecl *optionsSetter(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *MD = Call.getMethodDecl();
  if (!MD || Call.getNumArgs() != 1 || !MD->getDeclName().isIdentifier() ||
      !isSameOrDerivedFrom(MD->getParent(), "torch::data::DataLoaderOptions"))
    return nullptr;
  return MD;
}

/// Applies the setter \p Call to \p Facts.
void applySetter(const CXXMemberCallExpr &Call, LoaderFacts &Facts,
                 const ASTContext &Ctx) {
  const CXXMethodDecl *MD = optionsSetter(Call);
  if (!MD)
    return;
  if (MD->getName() == "workers")
    Facts.Workers = settingFrom(Call.getArg(0), Ctx);
  else if (MD->getName() == "batch_size")
    Facts.BatchSize = settingFrom(Call.getArg(0), Ctx);
}

/// Reads the options expression \p E into \p Facts: a chain of setters
/// over `DataLoaderOptions(n)` or `DataLoaderOptions()`, a bare batch size,
/// or a variable (\p SettersOf gives the setters the code calls on it).
void readOptions(const Expr *E, LoaderFacts &Facts, const ASTContext &Ctx,
                 llvm::function_ref<
                     llvm::ArrayRef<const CXXMemberCallExpr *>(const VarDecl &)>
                     SettersOf,
                 unsigned Depth = 0) {
  E = pastCopies(E);
  if (!E || Depth > 16)
    return;
  // `DataLoaderOptions(64)`, spelled as a functional cast.
  if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
    return readOptions(Cast->getSubExpr(), Facts, Ctx, SettersOf, Depth + 1);
  if (const auto *Setter = dyn_cast<CXXMemberCallExpr>(E)) {
    if (!optionsSetter(*Setter)) {
      // Options that a function of the user's returns.
      Facts.BatchSize = Facts.Workers = {LoaderSetting::Source::Unknown, 0, E};
      return;
    }
    // The innermost setting first, so that the outermost wins.
    readOptions(Setter->getImplicitObjectArgument(), Facts, Ctx, SettersOf,
                Depth + 1);
    applySetter(*Setter, Facts, Ctx);
    return;
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    // DataLoaderOptions() or DataLoaderOptions(batch_size), also the
    // conversion of a bare batch size.
    if (Construct->getNumArgs() == 1 &&
        !isOptionsType(Construct->getArg(0)->getType()))
      Facts.BatchSize = settingFrom(Construct->getArg(0), Ctx);
    return;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
    Facts.OptionsInVariable = true;
    // A local variable: its initializer and the setters called on it. A
    // parameter or a global is set elsewhere.
    if (!VD || !VD->isLocalVarDecl() || isa<ParmVarDecl>(VD)) {
      Facts.BatchSize = Facts.Workers = {LoaderSetting::Source::Unknown, 0, E};
      return;
    }
    if (VD->getInit())
      readOptions(VD->getInit(), Facts, Ctx, SettersOf, Depth + 1);
    for (const CXXMemberCallExpr *Setter : SettersOf(*VD))
      applySetter(*Setter, Facts, Ctx);
    return;
  }
  // A member, a function's result, a conditional: the run decides.
  Facts.BatchSize = Facts.Workers = {LoaderSetting::Source::Unknown, 0, E};
}

/// Whether \p Body, a get() of a dataset class, only reads tensors it
/// holds: it calls tensor methods, at:: operators and operator[] of
/// vectors, constructs only libtorch's and the standard's containers, and
/// reads a member.
bool onlyIndexesMembers(const Stmt &Body) {
  bool ReadsMember = false;
  bool Other = false;
  std::function<void(const Stmt &)> Walk = [&](const Stmt &S) {
    if (Other)
      return;
    if (const auto *Member = dyn_cast<MemberExpr>(&S))
      if (isa<FieldDecl>(Member->getMemberDecl()) &&
          isa<CXXThisExpr>(Member->getBase()->IgnoreImplicit()))
        ReadsMember = true;
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(&S)) {
      const CXXRecordDecl *Class = Construct->getConstructor()->getParent();
      if (!isInNamespace(Class, "torch") && !isInNamespace(Class, "at") &&
          !isInNamespace(Class, "c10") && !isStdVector(Class))
        Other = true;
    }
    if (const auto *Call = dyn_cast<CallExpr>(&S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
      bool Allowed =
          FD &&
          ((MD && (isSameOrDerivedFrom(MD->getParent(), "at::TensorBase") ||
                   isSameOrDerivedFrom(MD->getParent(), "at::Tensor") ||
                   isStdVector(MD->getParent()))) ||
           (!MD && isInNamespace(FD, "at")));
      if (!Allowed)
        Other = true;
    }
    for (const Stmt *Child : S.children())
      if (Child)
        Walk(*Child);
  };
  Walk(Body);
  return ReadsMember && !Other;
}

} // namespace

bool isInMemoryDataset(const CXXRecordDecl &Dataset) {
  const CXXRecordDecl *RD =
      Dataset.getDefinition() ? Dataset.getDefinition() : &Dataset;
  // libtorch's own: TensorDataset holds its tensors; MNIST reads its files
  // in the constructor and get() indexes them.
  for (llvm::StringRef Name :
       {"torch::data::datasets::TensorDataset", "torch::data::datasets::MNIST"})
    if (RD->getQualifiedNameAsString() == Name)
      return true;
  if (isInNamespace(RD, "torch") || !RD->hasDefinition())
    return false;
  // The user's class: the get() or get_batch() it (or the nearest base of
  // the user's) defines.
  for (const CXXMethodDecl *Method : RD->methods()) {
    if (!isDatasetGetMethod(*Method))
      continue;
    const FunctionDecl *Def = nullptr;
    if (!Method->getBody(Def) || !Def)
      return false;
    return onlyIndexesMembers(*Def->getBody());
  }
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (const CXXRecordDecl *BaseClass = recordOf(Base.getType());
        BaseClass &&
        isSameOrDerivedFrom(BaseClass, "torch::data::datasets::BatchDataset") &&
        !(isInNamespace(BaseClass, "torch") &&
          BaseClass->getQualifiedNameAsString() !=
              "torch::data::datasets::TensorDataset" &&
          BaseClass->getQualifiedNameAsString() !=
              "torch::data::datasets::MNIST"))
      return isInMemoryDataset(*BaseClass);
  return false;
}

namespace {

/// Collects, in the user's code, the make_data_loader calls, what stores
/// their loaders, the setters called on options variables, the loops that
/// may iterate a loader and the calls that hand a loader on.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (isSystemHeaderDecl(D, SM))
      return true;
    // Template patterns: their instantiations say the same with types.
    if (const auto *FD = dyn_cast<FunctionDecl>(D);
        FD && FD->isDependentContext())
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (isMakeDataLoaderCall(*Call)) {
      MakeCalls.push_back(Call);
      return true;
    }
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      if (optionsSetter(*Member))
        if (const auto *Ref = dyn_cast<DeclRefExpr>(
                Member->getImplicitObjectArgument()->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl()))
            Setters[VD->getCanonicalDecl()].push_back(Member);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      Stores.push_back({Op->getArg(0), Op->getArg(1)});
    // Calls of the user's functions that pass something of loader type.
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && !isInNamespace(FD, "torch") && !isInNamespace(FD, "std"))
      for (unsigned I = 0; I < Call->getNumArgs(); ++I)
        if (isLoaderOrPointerToOne(Call->getArg(I)->getType())) {
          HandOffs.push_back(Call);
          break;
        }
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getInit() && !isa<ParmVarDecl>(VD))
      Stores.push_back({VD, VD->getInit()});
    return true;
  }
  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    if (Init->getMember() && Init->getInit())
      Stores.push_back({Init->getMember(), Init->getInit()});
    return RecursiveASTVisitor::TraverseConstructorInitializer(Init);
  }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *Loop) {
    if (Loop->getRangeInit() && !Loop->getRangeInit()->isTypeDependent())
      Loops.push_back({Loop, Loop->getRangeInit()});
    return true;
  }
  bool VisitForStmt(ForStmt *Loop) {
    // for (auto it = loader->begin(); it != loader->end(); ++it)
    if (const auto *Decls = dyn_cast_or_null<DeclStmt>(Loop->getInit()))
      for (const Decl *D : Decls->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
          Loops.push_back({Loop, VD->getInit()});
    return true;
  }
  bool VisitWhileStmt(WhileStmt *Loop) {
    // while (auto batch = loader->next())
    if (const VarDecl *VD = Loop->getConditionVariable(); VD && VD->getInit())
      Loops.push_back({Loop, VD->getInit()});
    return true;
  }

  static bool isLoaderOrPointerToOne(QualType T) {
    if (T.isNull() || T->isDependentType())
      return false;
    return isDataLoaderType(T) || isDataLoaderType(pointeeOfSmartPointer(T));
  }
  /// The `T` of `std::unique_ptr<T>` or `std::shared_ptr<T>`.
  static QualType pointeeOfSmartPointer(QualType T) {
    const auto *Spec =
        dyn_cast_or_null<ClassTemplateSpecializationDecl>(recordOf(T));
    if (!Spec || !isInNamespace(Spec, "std") ||
        (Spec->getName() != "unique_ptr" && Spec->getName() != "shared_ptr") ||
        Spec->getTemplateArgs().size() == 0 ||
        Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return QualType();
    return Spec->getTemplateArgs()[0].getAsType();
  }

  std::vector<const CallExpr *> MakeCalls;
  llvm::DenseMap<const VarDecl *,
                 llvm::SmallVector<const CXXMemberCallExpr *, 2>>
      Setters;
  /// What is stored where: a variable's or member's initializer, or an
  /// assignment's target and value.
  struct Store {
    llvm::PointerUnion<const ValueDecl *, const Expr *> Target;
    const Expr *Value;
  };
  std::vector<Store> Stores;
  std::vector<std::pair<const Stmt *, const Expr *>> Loops;
  std::vector<const CallExpr *> HandOffs;

private:
  const SourceManager &SM;
};

} // namespace

struct DataLoadingModel::Impl {
  ASTContext &Ctx;
  std::vector<LoaderFacts> Loaders;
  llvm::DenseMap<const CallExpr *, size_t> ByCall;
  /// The loaders stored in each variable or member: one, or several when
  /// the program picks one of them (`loader = workers ? make(a) : make(b)`).
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<size_t, 1>> ByVariable;
  /// Loops that may iterate a loader, with what they iterate.
  std::vector<std::pair<const Stmt *, const Expr *>> Loops;
  /// Calls of the user's functions that pass a loader.
  std::vector<const CallExpr *> HandOffs;
  /// The functions that a dataset's get() loaded without workers runs, with
  /// that get(); built on first use.
  llvm::DenseMap<const FunctionDecl *, const CXXMethodDecl *> GetReach;
  bool GetReachBuilt = false;

  explicit Impl(ASTContext &Ctx) : Ctx(Ctx) {}

  void build();
  LoaderFacts factsOf(const CallExpr &Call, const Collector &C) const;
  /// The loader \p E is, when it can only be one.
  const LoaderFacts *resolve(const Expr *E, unsigned Depth) const;
  /// Whether \p E may be \p Loader: it is, or it is a variable that holds
  /// it among others.
  bool mayBe(const Expr *E, const LoaderFacts &Loader) const;
  /// The loaders \p E may be, added to \p Found.
  void candidates(const Expr *E, unsigned Depth,
                  llvm::SmallVectorImpl<const LoaderFacts *> &Found) const;
  void throughParameter(const ParmVarDecl &Param, unsigned Depth,
                        llvm::SmallVectorImpl<const LoaderFacts *> &Found) const;
};

LoaderFacts DataLoadingModel::Impl::factsOf(const CallExpr &Call,
                                            const Collector &C) const {
  LoaderFacts Facts;
  Facts.Call = &Call;
  if (Call.getNumArgs() == 0)
    return Facts;
  Facts.Dataset = pastCopies(Call.getArg(0));
  // Under the chain of MapDataset<Source, Transform>, outermost first.
  const CXXRecordDecl *Outer = recordOf(Call.getArg(0)->getType());
  const CXXRecordDecl *Class = Outer;
  llvm::SmallVector<const CXXRecordDecl *, 2> Transforms;
  for (int Depth = 0; Class && Depth < 16; ++Depth) {
    const CXXRecordDecl *Source =
        templateArgClass(Class, "torch::data::datasets::MapDataset", 0);
    if (!Source)
      break;
    if (const CXXRecordDecl *Transform =
            templateArgClass(Class, "torch::data::datasets::MapDataset", 1))
      Transforms.push_back(Transform);
    Class = Source;
  }
  Facts.DatasetClass = Class;
  Facts.Transforms.assign(Transforms.rbegin(), Transforms.rend());
  for (const CXXRecordDecl *Transform : Facts.Transforms)
    if (isSameOrDerivedFrom(Transform, "torch::data::transforms::Collation"))
      Facts.HasCollation = true;
  if (!Facts.HasCollation)
    if (QualType Batch = memberType(Outer, "BatchType"); !Batch.isNull())
      Facts.HasCollation = !isStdVector(recordOf(Batch));
  Facts.InMemory = Class && isInMemoryDataset(*Class);

  // The options: the last argument, unless it is left to its default.
  const Expr *Last = Call.getArg(Call.getNumArgs() - 1);
  if (Call.getNumArgs() >= 2 && !isa<CXXDefaultArgExpr>(Last)) {
    Facts.Options = pastCopies(Last);
    readOptions(Last, Facts, Ctx, [&](const VarDecl &VD) {
      auto It = C.Setters.find(VD.getCanonicalDecl());
      return It == C.Setters.end()
                 ? llvm::ArrayRef<const CXXMemberCallExpr *>()
                 : llvm::ArrayRef<const CXXMemberCallExpr *>(It->second);
    });
  }
  return Facts;
}

void DataLoadingModel::Impl::build() {
  Collector C(Ctx.getSourceManager());
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  // Source order: the visitor meets instantiations after their patterns'
  // place, so sort by location.
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(C.MakeCalls, [&](const CallExpr *A, const CallExpr *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  });
  C.MakeCalls.erase(std::unique(C.MakeCalls.begin(), C.MakeCalls.end()),
                    C.MakeCalls.end());
  for (const CallExpr *Call : C.MakeCalls) {
    ByCall[Call] = Loaders.size();
    Loaders.push_back(factsOf(*Call, C));
  }
  for (const Collector::Store &Store : C.Stores) {
    const auto *Value = dyn_cast_or_null<CallExpr>(pastCopies(Store.Value));
    if (!Value)
      continue;
    auto It = ByCall.find(Value);
    if (It == ByCall.end())
      continue;
    const ValueDecl *Target =
        isa<const ValueDecl *>(Store.Target)
            ? cast<const ValueDecl *>(Store.Target)
            : namedDeclOf(cast<const Expr *>(Store.Target));
    if (!Target)
      continue;
    Loaders[It->second].Variable = Target;
    ByVariable[Target].push_back(It->second);
  }
  Loops = std::move(C.Loops);
  HandOffs = std::move(C.HandOffs);
}

const LoaderFacts *DataLoadingModel::Impl::resolve(const Expr *E,
                                                   unsigned Depth) const {
  llvm::SmallVector<const LoaderFacts *, 2> Found;
  candidates(E, Depth, Found);
  return Found.size() == 1 ? Found.front() : nullptr;
}

bool DataLoadingModel::Impl::mayBe(const Expr *E,
                                   const LoaderFacts &Loader) const {
  llvm::SmallVector<const LoaderFacts *, 2> Found;
  candidates(E, 0, Found);
  return llvm::is_contained(Found, &Loader);
}

void DataLoadingModel::Impl::candidates(
    const Expr *E, unsigned Depth,
    llvm::SmallVectorImpl<const LoaderFacts *> &Found) const {
  if (!E || Depth > 4)
    return;
  E = pastCopies(E);
  if (!E)
    return;
  // `*loader`, `loader->begin()`, `loader->next()`, `loader.get()`.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && (Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
      Op->getNumArgs() == 1)
    return candidates(Op->getArg(0), Depth, Found);
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_Deref)
    return candidates(Unary->getSubExpr(), Depth, Found);
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Member->getMethodDecl();
    if (MD && MD->getDeclName().isIdentifier() &&
        llvm::is_contained({"begin", "next", "get"}, MD->getName()))
      candidates(Member->getImplicitObjectArgument(), Depth, Found);
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (auto It = ByCall.find(Call); It != ByCall.end())
      Found.push_back(&Loaders[It->second]);
    return;
  }
  const ValueDecl *D = nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    D = Ref->getDecl();
  else if (const auto *Member = dyn_cast<MemberExpr>(E))
    D = Member->getMemberDecl();
  if (!D)
    return;
  if (auto It = ByVariable.find(D); It != ByVariable.end()) {
    for (size_t Index : It->second)
      Found.push_back(&Loaders[Index]);
    return;
  }
  // A reference initialized from a loader: `auto &loader = *train_loader;`.
  if (const auto *VD = dyn_cast<VarDecl>(D); VD && !isa<ParmVarDecl>(VD) &&
                                             VD->getType()->isReferenceType() &&
                                             VD->getInit())
    return candidates(VD->getInit(), Depth + 1, Found);
  if (const auto *Param = dyn_cast<ParmVarDecl>(D))
    throughParameter(*Param, Depth + 1, Found);
}

void DataLoadingModel::Impl::throughParameter(
    const ParmVarDecl &Param, unsigned Depth,
    llvm::SmallVectorImpl<const LoaderFacts *> &Found) const {
  QualType T = Param.getType();
  if (!Collector::isLoaderOrPointerToOne(T))
    return;
  const auto *Function =
      dyn_cast_or_null<FunctionDecl>(Param.getParentFunctionOrMethod());
  if (!Function)
    return;
  unsigned Index = Param.getFunctionScopeIndex();
  // What this unit's calls pass: each may be the one.
  bool Passed = false;
  for (const CallExpr *Call : HandOffs) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Callee->getCanonicalDecl() != Function->getCanonicalDecl() ||
        Index >= Call->getNumArgs())
      continue;
    Passed = true;
    llvm::SmallVector<const LoaderFacts *, 2> Args;
    candidates(Call->getArg(Index), Depth, Args);
    for (const LoaderFacts *Facts : Args)
      if (!llvm::is_contained(Found, Facts))
        Found.push_back(Facts);
  }
  if (Passed)
    return;
  // No call here: the unit's one loader of that type.
  QualType Loader = T.getNonReferenceType();
  if (!isDataLoaderType(Loader))
    Loader = Collector::pointeeOfSmartPointer(Loader);
  const CXXRecordDecl *LoaderClass = recordOf(Loader);
  const LoaderFacts *Only = nullptr;
  for (const LoaderFacts &Facts : Loaders) {
    QualType Made = Collector::pointeeOfSmartPointer(Facts.Call->getType());
    if (recordOf(Made) != LoaderClass)
      continue;
    if (Only)
      return;
    Only = &Facts;
  }
  if (Only)
    Found.push_back(Only);
}

DataLoadingModel::DataLoadingModel(ASTContext &Ctx)
    : P(std::make_unique<Impl>(Ctx)) {
  P->build();
}

DataLoadingModel::~DataLoadingModel() = default;

const DataLoadingModel &DataLoadingModel::get(ASTContext &Ctx) {
  return perTranslationUnit<DataLoadingModel>(Ctx);
}

llvm::ArrayRef<LoaderFacts> DataLoadingModel::loaders() const {
  return P->Loaders;
}

const LoaderFacts *DataLoadingModel::loaderOfCall(const CallExpr &Call) const {
  auto It = P->ByCall.find(&Call);
  return It == P->ByCall.end() ? nullptr : &P->Loaders[It->second];
}

const LoaderFacts *DataLoadingModel::loaderOf(const Expr &RangeInit) const {
  return P->resolve(&RangeInit, 0);
}

bool DataLoadingModel::datasetLoadedWithoutWorkers(
    const CXXRecordDecl &Dataset) const {
  bool SomeWithout = false, SomeWith = false, SomeUnknown = false;
  for (const LoaderFacts &Facts : P->Loaders) {
    if (!Facts.DatasetClass ||
        !isSameOrDerivedFrom(Facts.DatasetClass,
                             Dataset.getQualifiedNameAsString()))
      continue;
    if (Facts.hasNoWorkers())
      SomeWithout = true;
    else if (Facts.Workers.isKnown())
      SomeWith = true;
    else
      SomeUnknown = true;
  }
  return SomeWithout || (SomeUnknown && !SomeWith);
}

namespace {

/// Adds to \p Reached each function of the unit that \p Caller's body calls,
/// down to \p Depth more calls, with the method they are reached from.
void reachFrom(const FunctionDecl &Caller, const CXXMethodDecl &Get,
               unsigned Depth,
               llvm::DenseMap<const FunctionDecl *, const CXXMethodDecl *>
                   &Reached) {
  const FunctionDecl *Def = Caller.getDefinition();
  if (!Def || !Def->getBody() || Depth == 0)
    return;
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        const FunctionDecl *CalleeDef = Callee->getDefinition();
        if (CalleeDef && CalleeDef->getBody() &&
            !Def->getASTContext().getSourceManager().isInSystemHeader(
                CalleeDef->getLocation()) &&
            Reached.try_emplace(CalleeDef->getCanonicalDecl(), &Get).second)
          reachFrom(*CalleeDef, Get, Depth - 1, Reached);
      }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
}

} // namespace

const CXXMethodDecl *DataLoadingModel::getRunningOnLoaderThread(
    const FunctionDecl &Function) const {
  if (!P->GetReachBuilt) {
    P->GetReachBuilt = true;
    for (const LoaderFacts &Facts : P->Loaders) {
      if (!Facts.DatasetClass ||
          !datasetLoadedWithoutWorkers(*Facts.DatasetClass))
        continue;
      for (const CXXMethodDecl *Method : Facts.DatasetClass->methods())
        if (isDatasetGetMethod(*Method) &&
            P->GetReach.try_emplace(Method->getCanonicalDecl(), Method)
                .second)
          reachFrom(*Method, *Method, 3, P->GetReach);
    }
  }
  auto It = P->GetReach.find(Function.getCanonicalDecl());
  return It == P->GetReach.end() ? nullptr : It->second;
}

llvm::SmallVector<std::pair<const Stmt *, const CallExpr *>, 2>
DataLoadingModel::loopsOver(const LoaderFacts &Loader) const {
  llvm::SmallVector<std::pair<const Stmt *, const CallExpr *>, 2> Found;
  for (const auto &[Loop, Iterated] : P->Loops) {
    if (!P->mayBe(Iterated, Loader))
      continue;
    // The call that hands the loader to the loop's function, when the
    // loop iterates a parameter.
    const CallExpr *HandedTo = nullptr;
    const Expr *Base = pastCopies(Iterated);
    while (Base) {
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Base);
          Op && Op->getNumArgs() == 1) {
        Base = pastCopies(Op->getArg(0));
        continue;
      }
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Base)) {
        Base = pastCopies(Member->getImplicitObjectArgument());
        continue;
      }
      break;
    }
    if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Base))
      if (const auto *Param = dyn_cast<ParmVarDecl>(Ref->getDecl()))
        if (const auto *Function = dyn_cast_or_null<FunctionDecl>(
                Param->getParentFunctionOrMethod()))
          for (const CallExpr *Call : P->HandOffs)
            if (const FunctionDecl *Callee = Call->getDirectCallee();
                Callee &&
                Callee->getCanonicalDecl() == Function->getCanonicalDecl() &&
                Param->getFunctionScopeIndex() < Call->getNumArgs() &&
                P->mayBe(Call->getArg(Param->getFunctionScopeIndex()),
                         Loader)) {
              HandedTo = Call;
              break;
            }
    Found.push_back({Loop, HandedTo});
  }
  return Found;
}

std::optional<TrainingUse>
DataLoadingModel::trainingUseOf(const LoaderFacts &Loader,
                                const HotPathModel &Model) const {
  for (const auto &[Loop, HandedTo] : loopsOver(Loader)) {
    // A loop that steps and runs backward trains, whatever the calls it
    // makes elsewhere do.
    if ((Model.signalsIn(*Loop) & TrainingSignals) == TrainingSignals)
      return TrainingUse{Loop, HandedTo, Lack{}};
    // One that may, through calls only the project knows.
    if (std::optional<Lack> Trains =
            Model.lacks(Loop, nullptr, TrainingSignals, NoSignal))
      return TrainingUse{Loop, HandedTo, *Trains};
  }
  // Handed to a function that the unit does not define: it may train.
  for (const CallExpr *Call : P->HandOffs) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Callee->hasBody())
      continue;
    bool PassesThisLoader = false;
    for (const Expr *Arg : Call->arguments())
      if (P->mayBe(Arg, Loader))
        PassesThisLoader = true;
    if (!PassesThisLoader)
      continue;
    // What the callee does is known to the project (or a summary) by the
    // loop around the call, or else the function that makes it: they train
    // through the call when the callee trains.
    // (HotPathModel::lacks reads the function only when there is no loop.)
    llvm::SmallVector<const Stmt *, 4> Around = Model.enclosingLoops(*Call);
    if (std::optional<Lack> Trains =
            Model.lacks(Around.empty() ? nullptr : Around.front(),
                        Model.enclosingFunction(*Call), TrainingSignals,
                        NoSignal))
      return TrainingUse{nullptr, Call, *Trains};
    // Alone, the unit cannot see the callee: a loader handed out is
    // iterated there, maybe by a training loop.
    if (Model.knowsOnlyTheUnit())
      return TrainingUse{nullptr, Call, Lack{}};
  }
  return std::nullopt;
}

} // namespace trainlint
