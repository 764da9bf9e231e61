//===--- DataNoPinMemoryCheck.cpp - torch-data-no-pin-memory --------------===//

#include "DataNoPinMemoryCheck.h"
#include "model/DataLoading.h"
#include "model/TensorDevice.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MakeLoaderId = "make";

/// Whether \p S calls a method or function named pin_memory (a tensor's
/// `pin_memory()`, or TensorOptions' `pin_memory(true)`).
bool pinsIn(const Stmt &S) {
  if (const auto *Call = dyn_cast<CallExpr>(&S))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getDeclName().isIdentifier() && FD->getName() == "pin_memory")
      return true;
  for (const Stmt *Child : S.children())
    if (Child && pinsIn(*Child))
      return true;
  return false;
}

/// Whether the dataset class \p Dataset pins in one of its own methods.
bool datasetPins(const CXXRecordDecl *Dataset) {
  if (!Dataset || !Dataset->hasDefinition())
    return false;
  for (const CXXMethodDecl *Method : Dataset->getDefinition()->methods()) {
    const FunctionDecl *Def = nullptr;
    if (Method->getBody(Def) && Def && pinsIn(*Def->getBody()))
      return true;
  }
  return false;
}

/// The variable that holds each batch of \p Loop: a range-for's loop
/// variable, a for-loop's iterator, a while-loop's condition variable.
const VarDecl *batchVariableOf(const Stmt &Loop) {
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Loop))
    return Range->getLoopVariable();
  if (const auto *For = dyn_cast<ForStmt>(&Loop))
    if (const auto *Decls = dyn_cast_or_null<DeclStmt>(For->getInit());
        Decls && Decls->isSingleDecl())
      return dyn_cast<VarDecl>(Decls->getSingleDecl());
  if (const auto *While = dyn_cast<WhileStmt>(&Loop))
    return While->getConditionVariable();
  return nullptr;
}

/// Whether \p E reads \p Batch.
bool reads(const Stmt &E, const VarDecl &Batch) {
  if (const auto *Ref = dyn_cast<DeclRefExpr>(&E))
    return Ref->getDecl() == &Batch;
  for (const Stmt *Child : E.children())
    if (Child && reads(*Child, Batch))
      return true;
  return false;
}

/// The copies to an accelerator, or to a device only the run knows, that
/// \p S (a training loop's body, lambdas excluded) makes of \p Batch with
/// non_blocking=true.
void nonBlockingCopiesOf(
    const Stmt &S, const VarDecl &Batch, ASTContext &Ctx,
    llvm::SmallVectorImpl<const CXXMemberCallExpr *> &Out) {
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(&S))
    if (std::optional<DeviceMove> Move = asDeviceMove(*Call, Ctx);
        Move && Move->NonBlockingParam &&
        (Move->Target == DeviceTarget::Accelerator ||
         Move->Target == DeviceTarget::Unknown) &&
        flagArgument(*Call, *Move->NonBlockingParam, Ctx) == FlagValue::True &&
        reads(*Call->getImplicitObjectArgument(), Batch))
      Out.push_back(Call);
  for (const Stmt *Child : S.children())
    if (Child && !isa<LambdaExpr>(Child))
      nonBlockingCopiesOf(*Child, Batch, Ctx, Out);
}

} // namespace

DataNoPinMemoryCheck::DataNoPinMemoryCheck(llvm::StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataNoPinMemoryCheck::registerMatchers(MatchFinder *Finder) {
  // The loader; check() follows it to the training loop and its copies.
  // FIXME: copies made in a function the loop calls, or of a variable the
  // batch was first copied into, are not seen.
  Finder->addMatcher(makeDataLoaderCall().bind(MakeLoaderId), this);
}

void DataNoPinMemoryCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(MakeLoaderId);
  assert(Call && "the matcher binds the call");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // On the CPU alone nothing is copied to a device.
  if (!Model.mayUseAccelerator())
    return;
  const DataLoadingModel &Loading = DataLoadingModel::get(*Result.Context);
  const LoaderFacts *Loader = Loading.loaderOfCall(*Call);
  if (!Loader)
    return;
  std::optional<TrainingUse> Use = Loading.trainingUseOf(*Loader, Model);
  // The copies are looked for in the loop itself.
  if (!Use || !Use->Loop)
    return;
  const VarDecl *Batch = batchVariableOf(*Use->Loop);
  if (!Batch)
    return;
  llvm::SmallVector<const CXXMemberCallExpr *, 2> Copies;
  nonBlockingCopiesOf(*Use->Loop, *Batch, *Result.Context, Copies);
  // Blocking copies wait either way: torch-sync-host-to-device says so.
  if (Copies.empty())
    return;
  // Pinned somewhere on the way: in the loop, in the dataset's methods, in a
  // transform written where the loader is built.
  if (pinsIn(*Use->Loop) || datasetPins(Loader->DatasetClass) ||
      (Loader->Dataset && pinsIn(*Loader->Dataset)))
    return;
  for (const CXXMemberCallExpr *Copy : Copies) {
    diag(Copy->getExprLoc(),
         "the batch is copied with non_blocking=true but is never pinned, so "
         "the copy from pageable memory stays synchronous; pin the batch "
         "(pin_memory() in the dataset's get(), run by the loader's workers)");
    diag(Call->getBeginLoc(), "the batch comes from this data loader",
         DiagnosticIDs::Note);
    noteTrainingUse(*Use);
    noteProjectCondition(Model);
  }
}

} // namespace trainlint::torch
