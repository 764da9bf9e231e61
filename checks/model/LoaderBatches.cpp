//===--- LoaderBatches.cpp - what a training loop does with a loader's batches ===//

#include "LoaderBatches.h"
#include "TorchApi.h"
#include "clang/AST/DeclTemplate.h"

namespace trainlint {

using namespace clang;

namespace {

/// How many local variables an expression is followed through: `auto x =
/// example.data; auto y = x.unsqueeze(0); model(y)` is two.
constexpr unsigned MaxLocalHops = 3;

/// `torch::data::Example<...>`, through references and typedefs.
bool isExampleType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getName() == "Example" &&
         isInNamespace(RD, "torch::data");
}

/// A local variable (not a parameter) with an initializer, the only kind
/// that is followed to the expression it holds.
const VarDecl *localWithInit(const Expr &E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E.IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || isa<ParmVarDecl>(Var) || !Var->hasLocalStorage() ||
      !Var->getInit())
    return nullptr;
  return Var;
}

/// `t.to(torch::kFloat)`, `t.toType(torch::kFloat)`: a conversion of the
/// element type that leaves the tensor where it is.
const Expr *convertedTensor(const Expr &E) {
  const auto *Call = dyn_cast<CXXMemberCallExpr>(E.IgnoreParenImpCasts());
  const CXXMethodDecl *Method = Call ? Call->getMethodDecl() : nullptr;
  if (!Method || !convertsElementTypeOnly(*Method) ||
      !isTensorType(Call->getImplicitObjectArgument()->getType()))
    return nullptr;
  return Call->getImplicitObjectArgument();
}

std::optional<ExampleWalk> walkOf(const Stmt &S, const HotPathModel &Model,
                                  unsigned Hops);

/// The walk that the reference \p Ref to an example variable, or to a local
/// holding one, stands for.
std::optional<ExampleWalk> walkOfReference(const DeclRefExpr &Ref,
                                           const HotPathModel &Model,
                                           unsigned Hops) {
  const auto *Var = dyn_cast<VarDecl>(Ref.getDecl());
  if (!Var)
    return std::nullopt;
  for (const Stmt *Loop : Model.enclosingLoops(Ref)) {
    const auto *Range = dyn_cast<CXXForRangeStmt>(Loop);
    if (!Range || Range->getLoopVariable() != Var)
      continue;
    const auto *BatchRef =
        dyn_cast<DeclRefExpr>(Range->getRangeInit()->IgnoreParenImpCasts());
    const auto *Batch =
        BatchRef ? dyn_cast<VarDecl>(BatchRef->getDecl()) : nullptr;
    if (!Batch || !isUnstackedBatchType(Batch->getType()))
      return std::nullopt;
    if (const CXXForRangeStmt *LoaderLoop =
            loaderLoopOf(*Batch, *Range, Model))
      return ExampleWalk{Range, Batch, LoaderLoop};
    return std::nullopt;
  }
  if (Hops == 0)
    return std::nullopt;
  if (const VarDecl *Local = localWithInit(Ref))
    return walkOf(*Local->getInit(), Model, Hops - 1);
  return std::nullopt;
}

/// The walk that `batch[i]` or `batch.at(i)` stands for, with `i` the
/// counter of a for-loop around \p Call.
std::optional<ExampleWalk> walkOfIndexing(const CallExpr &Call,
                                          const HotPathModel &Model) {
  const Expr *Object = nullptr;
  const Expr *Index = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call)) {
    if (Op->getOperator() != OO_Subscript || Op->getNumArgs() != 2)
      return std::nullopt;
    Object = Op->getArg(0);
    Index = Op->getArg(1);
  } else if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call)) {
    const CXXMethodDecl *Method = Member->getMethodDecl();
    if (!Method || !Method->getDeclName().isIdentifier() ||
        Method->getName() != "at" || Member->getNumArgs() != 1)
      return std::nullopt;
    Object = Member->getImplicitObjectArgument();
    Index = Member->getArg(0);
  } else {
    return std::nullopt;
  }
  const auto *BatchRef = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
  const auto *Batch = BatchRef ? dyn_cast<VarDecl>(BatchRef->getDecl()) : nullptr;
  const auto *IndexRef = dyn_cast<DeclRefExpr>(Index->IgnoreParenImpCasts());
  if (!Batch || !IndexRef || !isUnstackedBatchType(Batch->getType()))
    return std::nullopt;
  for (const Stmt *Loop : Model.enclosingLoops(Call)) {
    const auto *For = dyn_cast<ForStmt>(Loop);
    const auto *Init = For ? dyn_cast_or_null<DeclStmt>(For->getInit()) : nullptr;
    if (!Init || !Init->isSingleDecl() ||
        Init->getSingleDecl() != IndexRef->getDecl())
      continue;
    if (const CXXForRangeStmt *LoaderLoop = loaderLoopOf(*Batch, *For, Model))
      return ExampleWalk{For, Batch, LoaderLoop};
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ExampleWalk> walkOf(const Stmt &S, const HotPathModel &Model,
                                  unsigned Hops) {
  if (const auto *Ref = dyn_cast<DeclRefExpr>(&S))
    return walkOfReference(*Ref, Model, Hops);
  if (const auto *Call = dyn_cast<CallExpr>(&S))
    if (std::optional<ExampleWalk> Walk = walkOfIndexing(*Call, Model))
      return Walk;
  for (const Stmt *Child : S.children())
    if (Child)
      if (std::optional<ExampleWalk> Walk = walkOf(*Child, Model, Hops))
        return Walk;
  return std::nullopt;
}

bool stackedBatchTensor(const Expr &E, const HotPathModel &Model,
                        unsigned Hops) {
  const Expr *Bare = E.IgnoreImplicit()->IgnoreParenImpCasts();
  // `auto x = batch.data;`: a copy of the tensor handle.
  if (const auto *Copy = dyn_cast<CXXConstructExpr>(Bare);
      Copy && Copy->getNumArgs() == 1 &&
      Copy->getConstructor()->isCopyOrMoveConstructor())
    Bare = Copy->getArg(0)->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto *Member = dyn_cast<MemberExpr>(Bare)) {
    const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl());
    const auto *BatchRef =
        dyn_cast<DeclRefExpr>(Member->getBase()->IgnoreParenImpCasts());
    const auto *Batch =
        BatchRef ? dyn_cast<VarDecl>(BatchRef->getDecl()) : nullptr;
    return Field && Field->getDeclName().isIdentifier() &&
           (Field->getName() == "data" || Field->getName() == "target") &&
           Batch && isExampleType(Batch->getType()) &&
           loaderLoopOf(*Batch, *Member, Model);
  }
  if (const Expr *Converted = convertedTensor(*Bare))
    return stackedBatchTensor(*Converted, Model, Hops);
  if (Hops == 0)
    return false;
  if (const VarDecl *Local = localWithInit(*Bare))
    return stackedBatchTensor(*Local->getInit(), Model, Hops - 1);
  return false;
}

} // namespace

bool isUnstackedBatchType(QualType T) {
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(recordOf(T));
  return Spec && Spec->getName() == "vector" && isInNamespace(Spec, "std") &&
         Spec->getTemplateArgs().size() > 0 &&
         Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
         isExampleType(Spec->getTemplateArgs()[0].getAsType());
}

const CXXForRangeStmt *loaderLoopOf(const VarDecl &Batch, const Stmt &Use,
                                    const HotPathModel &Model) {
  for (const Stmt *Loop : Model.enclosingLoops(Use)) {
    const auto *Range = dyn_cast<CXXForRangeStmt>(Loop);
    if (Range && Range->getLoopVariable() == &Batch &&
        isDataLoaderType(Range->getRangeInit()->getType()))
      return Range;
  }
  return nullptr;
}

std::optional<ExampleWalk> exampleWalkOf(const Expr &E,
                                         const HotPathModel &Model) {
  return walkOf(E, Model, MaxLocalHops);
}

bool isStackedBatchTensor(const Expr &E, const HotPathModel &Model) {
  return stackedBatchTensor(E, Model, MaxLocalHops);
}

} // namespace trainlint
