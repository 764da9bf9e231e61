//===--- DataUnbatchedCheck.cpp - torch-data-unbatched ---===//

#include "DataUnbatchedCheck.h"
#include "model/DataLoading.h"
#include "model/LoaderBatches.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral CallId = "call";

constexpr llvm::StringLiteral StackTransform =
    ".map(torch::data::transforms::Stack<>())";

/// The dataset expression handed to the `make_data_loader` call of the
/// loader that \p LoaderLoop iterates (DataLoadingModel::loaderOf), past the
/// copy into the by-value parameter; null when the loader comes from
/// elsewhere.
const Expr *datasetOf(const CXXForRangeStmt &LoaderLoop, ASTContext &Ctx) {
  const LoaderFacts *Loader =
      DataLoadingModel::get(Ctx).loaderOf(*LoaderLoop.getRangeInit());
  if (!Loader || Loader->Call->getNumArgs() == 0)
    return nullptr;
  const Expr *Dataset = Loader->Call->getArg(0);
  if (const auto *Construct =
          dyn_cast<CXXConstructExpr>(Dataset->IgnoreImplicit());
      Construct && Construct->getNumArgs() == 1)
    Dataset = Construct->getArg(0);
  return Dataset->IgnoreImplicit();
}

} // namespace

DataUnbatchedCheck::DataUnbatchedCheck(llvm::StringRef Name,
                                       tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataUnbatchedCheck::registerMatchers(MatchFinder *Finder) {
  // for (auto &example : batch) model->forward(example.data);
  // for (size_t i = 0; i < batch.size(); ++i) model(batch[i].data);
  // FIXME: a batch fetched with `loader->next()` or a dataset's get_batch(),
  // and examples copied into a container before the model runs on each, are
  // not seen.
  Finder->addMatcher(
      callExpr(anyOf(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("forward")))),
                     cxxOperatorCallExpr(hasOverloadedOperatorName("()"))),
               unless(isExpansionInSystemHeader()))
          .bind(CallId),
      this);
}

void DataUnbatchedCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  assert(Call && "the matcher binds the call");
  // A call of something that is not a module (a functor, a transform) may
  // batch inside.
  if (!isModuleCall(*Call))
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<ExampleWalk> Walk;
  for (const Expr *Arg : Call->arguments())
    if ((Walk = exampleWalkOf(*Arg, Model)))
      break;
  // The model runs on something else than an example of a loader's batch.
  if (!Walk)
    return;
  // The walk is in the loader loop of this function, which decides: the
  // batch's type alone says that the dataset has no collation. The loop
  // over the examples may be a step loop of its own (it runs the model);
  // the finding belongs to the loader loop around it.
  std::optional<HotContext> Hot =
      Model.classify(*Walk->LoaderLoop->getBody(), Deferral::Forbid);
  // A loader loop that neither trains nor evaluates.
  if (!Hot)
    return;
  // `if (step % 100 == 0) for (auto &ex : batch) model(ex.data)`: a
  // per-example look every N steps.
  if (Hot->isGated() || Model.isRareIn(*Call, *Walk->LoaderLoop))
    return;

  diag(Call->getExprLoc(),
       "the model runs once per example of each batch, since the dataset has "
       "no collation and the loader yields a 'std::vector' of examples; add "
       "'%0' to the dataset and run the model once per batch")
      << StackTransform;
  diag(Walk->Loop->getBeginLoc(), "the batch's examples are walked here",
       DiagnosticIDs::Note);
  if (const Expr *Dataset = datasetOf(*Walk->LoaderLoop, *Result.Context);
      Dataset && !Dataset->getEndLoc().isMacroID()) {
    SourceLocation End = Lexer::getLocForEndOfToken(
        Dataset->getEndLoc(), 0, *Result.SourceManager,
        Result.Context->getLangOpts());
    diag(Dataset->getBeginLoc(),
         "stack the examples into one batch here; the loop then gets an "
         "'Example<>' whose 'data' holds the whole batch",
         DiagnosticIDs::Note)
        << FixItHint::CreateInsertion(End, StackTransform);
  }
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
