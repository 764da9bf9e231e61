//===--- DataNoWorkersCheck.cpp - torch-data-no-workers -------------------===//

#include "DataNoWorkersCheck.h"
#include "model/DataLoading.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MakeLoaderId = "make";
constexpr llvm::StringLiteral OwnLoaderCallId = "own";
constexpr llvm::StringLiteral OwnLoaderMethodId = "method";
constexpr llvm::StringLiteral WorkersOption = "Workers";
constexpr unsigned DefaultWorkers = 2;

/// The text of \p E as written, or nothing inside a macro.
std::optional<std::string> writtenText(const Expr &E, const SourceManager &SM,
                                       const LangOptions &LangOpts) {
  CharSourceRange Range = CharSourceRange::getTokenRange(E.getSourceRange());
  if (E.getBeginLoc().isMacroID() || E.getEndLoc().isMacroID())
    return std::nullopt;
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, LangOpts);
  if (Text.empty())
    return std::nullopt;
  return Text.str();
}

/// The rewrite that gives \p Loader \p Workers workers, keeping what its
/// options say: `.workers(N)` after the options it builds, N for a written
/// `workers(0)`, options around a bare batch size, options after the
/// dataset. Nothing for options in a variable, or in a macro.
std::optional<FixItHint> workersFix(const LoaderFacts &Loader, unsigned Workers,
                                    const SourceManager &SM,
                                    const LangOptions &LangOpts) {
  std::string Count = std::to_string(Workers);
  if (Loader.Workers.Written) {
    const Expr &Arg = *Loader.Workers.Written;
    if (Arg.getBeginLoc().isMacroID() || Arg.getEndLoc().isMacroID())
      return std::nullopt;
    return FixItHint::CreateReplacement(Arg.getSourceRange(), Count);
  }
  std::string Options = "torch::data::DataLoaderOptions";
  if (!Loader.Options) {
    // After the dataset: the options parameter follows it in both
    // overloads of make_data_loader that take no sampler.
    if (Loader.Call->getNumArgs() != 2 || !Loader.Dataset)
      return std::nullopt;
    const Expr *Dataset = Loader.Call->getArg(0);
    if (Dataset->getEndLoc().isMacroID())
      return std::nullopt;
    SourceLocation After =
        Lexer::getLocForEndOfToken(Dataset->getEndLoc(), 0, SM, LangOpts);
    if (After.isInvalid())
      return std::nullopt;
    return FixItHint::CreateInsertion(After, ", " + Options + "().workers(" +
                                                 Count + ")");
  }
  if (Loader.OptionsInVariable)
    return std::nullopt;
  std::optional<std::string> Text = writtenText(*Loader.Options, SM, LangOpts);
  if (!Text)
    return std::nullopt;
  // A bare batch size converts to the options implicitly.
  if (!isSameOrDerivedFrom(
          recordOf(Loader.Options->IgnoreImplicit()->getType()),
          "torch::data::DataLoaderOptions") ||
      (isa<CXXConstructExpr>(Loader.Options) &&
       !isa<CXXTemporaryObjectExpr>(Loader.Options) &&
       cast<CXXConstructExpr>(Loader.Options)
           ->getParenOrBraceRange()
           .isInvalid()))
    return FixItHint::CreateReplacement(Loader.Options->getSourceRange(),
                                        Options + "(" + *Text + ").workers(" +
                                            Count + ")");
  SourceLocation After =
      Lexer::getLocForEndOfToken(Loader.Options->getEndLoc(), 0, SM, LangOpts);
  if (After.isInvalid())
    return std::nullopt;
  return FixItHint::CreateInsertion(After, ".workers(" + Count + ")");
}

/// The call in \p Body (a user loader's next() or operator()) that loads
/// data: a dataset's get() or get_batch(), or a file read (an input file
/// stream, fopen/fread, torch::load, torch::pickle_load, OpenCV's imread).
const Stmt *loadingCallIn(const Stmt &Body) {
  if (const auto *Call = dyn_cast<CallExpr>(&Body))
    if (const FunctionDecl *FD = Call->getDirectCallee()) {
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
          MD && isDatasetGetMethod(*MD))
        return Call;
      if (FD->getDeclName().isIdentifier()) {
        llvm::StringRef Name = FD->getName();
        if ((isInNamespace(FD, "torch") &&
             (Name == "load" || Name == "pickle_load")) ||
            (isInNamespace(FD, "cv") &&
             (Name == "imread" || Name == "imdecode")) ||
            (FD->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
             (Name == "fopen" || Name == "fread")))
          return Call;
      }
    }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&Body)) {
    const CXXRecordDecl *Class = Construct->getConstructor()->getParent();
    if (isInNamespace(Class, "std") && Class->getDeclName().isIdentifier() &&
        llvm::is_contained({"basic_ifstream", "basic_fstream", "ifstream"},
                           Class->getName()))
      return Construct;
  }
  for (const Stmt *Child : Body.children())
    if (Child && !isa<LambdaExpr>(Child))
      if (const Stmt *Found = loadingCallIn(*Child))
        return Found;
  return nullptr;
}

} // namespace

DataNoWorkersCheck::DataNoWorkersCheck(llvm::StringRef Name,
                                       tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context),
      Workers(Options.get(WorkersOption, DefaultWorkers)) {}

void DataNoWorkersCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, WorkersOption, Workers);
}

void DataNoWorkersCheck::registerMatchers(MatchFinder *Finder) {
  // torch::data::make_data_loader(dataset), (dataset, 64),
  // (dataset, DataLoaderOptions(64)), make_data_loader<Sampler>(...).
  // FIXME: StatelessDataLoader constructed directly is not seen.
  Finder->addMatcher(makeDataLoaderCall().bind(MakeLoaderId), this);

  // loader.next(), loader() on a class of the user's that is not a libtorch
  // loader: check() keeps those whose body loads data.
  // FIXME: a loader class whose next() loads through a helper function is
  // not seen.
  const auto OwnLoaderMethod =
      cxxMethodDecl(hasAnyName("next", "operator()"),
                    unless(isExpansionInSystemHeader()))
          .bind(OwnLoaderMethodId);
  Finder->addMatcher(
      callExpr(anyOf(cxxMemberCallExpr(callee(OwnLoaderMethod)),
                     cxxOperatorCallExpr(callee(OwnLoaderMethod))),
               unless(isExpansionInSystemHeader()))
          .bind(OwnLoaderCallId),
      this);
}

void DataNoWorkersCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>(MakeLoaderId))
    return checkLibtorchLoader(*Call, Result);
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(OwnLoaderCallId);
  const auto *Method = Result.Nodes.getNodeAs<CXXMethodDecl>(OwnLoaderMethodId);
  assert(Call && Method && "the second matcher binds both");
  checkOwnLoader(*Call, *Method, Result);
}

void DataNoWorkersCheck::checkLibtorchLoader(
    const CallExpr &Call, const MatchFinder::MatchResult &Result) {
  const DataLoadingModel &Loading = DataLoadingModel::get(*Result.Context);
  const LoaderFacts *Loader = Loading.loaderOfCall(Call);
  // A call in a template's pattern: its instantiations are checked.
  if (!Loader)
    return;
  // Workers > 0 load ahead on their threads; a count that only the run
  // knows (a flag, a parameter) may be.
  if (!Loader->hasNoWorkers())
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  std::optional<TrainingUse> Use = Loading.trainingUseOf(*Loader, Model);
  // Evaluation or inference only, or batches that go nowhere the unit sees:
  // the training steps do not wait for them.
  if (!Use)
    return;
  // Examples already in memory cost little to collate: a worker saves less
  // than it costs, so say it only at the noisier level.
  if (Loader->InMemory && !levelEnabled(CheckLevel::Level2))
    return;
  // On the CPU alone, workers collating in-memory examples compete with the
  // step for the same cores. In a project run, whether some unit names an
  // accelerator is the project's to say.
  if (Loader->InMemory) {
    if (!Model.mayUseAccelerator())
      return;
    if (std::optional<DeferredHotPath> Needs = Model.projectCondition()) {
      if (Use->Condition.Deferred)
        Use->Condition.Deferred->NeedsAccelerator = true;
      else
        Use->Condition = Lack{std::move(*Needs)};
    }
  }

  if (Loader->InMemory)
    diag(Call.getBeginLoc(),
         "data loader has no workers, so the training thread collates every "
         "batch of its in-memory dataset itself; set workers in its options "
         "if collation shows in the step time");
  else
    diag(Call.getBeginLoc(),
         "data loader has no workers, so the training thread loads and "
         "collates every batch itself, and the step waits for it; set "
         "workers in its options");
  noteTrainingUse(*Use);
  std::optional<FixItHint> Fix =
      workersFix(*Loader, Workers, *Result.SourceManager, getLangOpts());
  SourceLocation NoteAt =
      Loader->Options ? Loader->Options->getBeginLoc() : Call.getEndLoc();
  auto Note = diag(NoteAt,
                   "with %0 workers, each calls the dataset's get() on a "
                   "thread of its own: get() must be thread-safe",
                   DiagnosticIDs::Note)
              << Workers;
  if (Fix)
    Note << *Fix;
}

void DataNoWorkersCheck::checkOwnLoader(
    const CallExpr &Call, const CXXMethodDecl &Method,
    const MatchFinder::MatchResult &Result) {
  const CXXRecordDecl *Class = Method.getParent();
  // libtorch's loaders, datasets and modules have their own checks; a
  // lambda's call operator is not a loader class.
  if (!Class || Class->isLambda() ||
      isSameOrDerivedFrom(Class, "torch::data::DataLoaderBase") ||
      isSameOrDerivedFrom(Class, "torch::data::datasets::BatchDataset") ||
      isModuleClass(Class))
    return;
  const FunctionDecl *Def = nullptr;
  if (!Method.getBody(Def) || !Def)
    return;
  const Stmt *Loading = loadingCallIn(*Def->getBody());
  // A next() that hands out what is already loaded (or loaded by a thread
  // of its own) costs the training thread nothing.
  if (!Loading)
    return;
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  // The unit decides: the loader class and the loop that calls it are
  // usually in one file.
  // FIXME: a call in a function that a training loop of another file calls
  // is not seen.
  std::optional<HotContext> Hot = Model.classify(Call, Deferral::Forbid);
  // Outside training loops, or every N steps: not on each step.
  if (!Hot || Hot->Kind != LoopKind::Training || Hot->isGated())
    return;
  diag(Call.getBeginLoc(),
       "'%0' loads a batch on the training thread each step, so the device "
       "waits for it; load batches ahead on worker threads, for example with "
       "torch::data::make_data_loader and workers in its options")
      << Class->getNameAsString() + "::" + Method.getNameAsString();
  diag(Loading->getBeginLoc(), "it loads here", DiagnosticIDs::Note);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
