//===--- TrainlintCheck.cpp - what every trainlint check shares ------------===//

#include "TrainlintCheck.h"
#include "model/Timing.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include <mutex>
#include <set>

namespace trainlint {

using namespace clang;

namespace {

/// The hot-path options of \p CheckOptions; each problem is handed to
/// \p Report once per process, not once per check.
HotPathOptions
readHotPathOptions(const tidy::ClangTidyOptions::OptionMap &CheckOptions,
                   llvm::function_ref<void(const std::string &)> Report) {
  static std::mutex Mutex;
  static std::set<std::string> Reported;
  auto ReportOnce = [&](const std::string &Problem) {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (Reported.insert(Problem).second)
      Report(Problem);
  };
  HotPathOptions Options;
  if (auto It = CheckOptions.find(AssumeAcceleratorOptionKey);
      It != CheckOptions.end()) {
    if (auto Parsed = parseAcceleratorAssumption(It->second.Value))
      Options.Accelerator = *Parsed;
    else
      ReportOnce("invalid value '" + It->second.Value + "' for '" +
                 AssumeAcceleratorOptionKey.str() +
                 "': expected auto, always or never; using auto");
  }
  if (auto It = CheckOptions.find(SummaryOptionKey); It != CheckOptions.end())
    if (!It->second.Value.empty()) {
      if (auto Graph = loadSummaryGraph(It->second.Value))
        Options.SummaryFile = It->second.Value;
      else
        ReportOnce(llvm::toString(Graph.takeError()) +
                   "; analyzing one translation unit at a time");
    }
  if (auto It = CheckOptions.find(ProjectRunOptionKey);
      It != CheckOptions.end())
    Options.ProjectRun = llvm::StringRef(It->second.Value).equals_insensitive("true");
  return Options;
}

} // namespace

TrainlintCheck::TrainlintCheck(llvm::StringRef Name,
                               tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  const CheckInfo *Info = findCheck(Name);
  assert(Info && "every registered check has a row in CheckList.def");
  CheckLevel Configured = DefaultLevel;
  const auto &CheckOptions = Context->getOptions().CheckOptions;
  auto It = CheckOptions.find(LevelOptionKey);
  if (It != CheckOptions.end()) {
    if (auto Parsed = parseLevel(It->second.Value))
      Configured = *Parsed;
    else
      configurationDiag("invalid value '%0' for '%1': expected 0, 1, 2 or "
                        "manual; using 1")
          << It->second.Value << LevelOptionKey;
  }
  const std::string &Globs = Context->getOptions().Checks.value_or("");
  ConfiguredLevel = Configured;
  EnabledByLevel = levelEnables(Configured, Info->Level) ||
                   namesCheckExplicitly(Globs, Name);
  // The checks of a unit are made before it is parsed, and its models are
  // built after: they take these options.
  setHotPathOptions(readHotPathOptions(
      CheckOptions, [&](const std::string &Problem) {
        configurationDiag("%0") << Problem;
      }));
}

bool TrainlintCheck::isLanguageVersionSupported(
    const LangOptions &LangOpts) const {
  return LangOpts.CPlusPlus && EnabledByLevel;
}

void TrainlintCheck::noteHotContext(const HotContext &Context) {
  if (Context.Deferred) {
    diag(SourceLocation(), "%0", DiagnosticIDs::Note)
        << encodeDeferredNote(*Context.Deferred);
    return;
  }
  for (const HotCall &Call : llvm::reverse(Context.CallChain))
    diag(Call.Where, "%0", DiagnosticIDs::Note)
        << callNoteText(Call.CalleeName, Context.Kind);
  diag(Context.LoopLoc, "%0", DiagnosticIDs::Note)
      << loopNoteText(Context.Kind);
}

void TrainlintCheck::noteProjectCondition(const HotPathModel &Model) {
  if (std::optional<DeferredHotPath> Condition = Model.projectCondition())
    diag(SourceLocation(), "%0", DiagnosticIDs::Note)
        << encodeDeferredNote(*Condition);
}

clang::ast_matchers::internal::BindableMatcher<clang::Stmt> userLoop() {
  using namespace clang::ast_matchers;
  return stmt(anyOf(forStmt(), cxxForRangeStmt(), whileStmt(), doStmt()),
              unless(isExpansionInSystemHeader()));
}

void TrainlintCheck::noteLack(const Lack &L) {
  if (L.Deferred)
    diag(SourceLocation(), "%0", DiagnosticIDs::Note)
        << encodeDeferredNote(*L.Deferred);
}

void TrainlintCheck::noteTrainingUse(const TrainingUse &Use) {
  std::string Callee;
  if (Use.HandedTo)
    if (const FunctionDecl *FD = Use.HandedTo->getDirectCallee())
      Callee = FD->getNameAsString();
  if (!Use.Loop) {
    diag(Use.HandedTo->getBeginLoc(),
         "the loader is handed to '%0', which may train on its batches",
         DiagnosticIDs::Note)
        << Callee;
  } else {
    if (Use.HandedTo)
      diag(Use.HandedTo->getBeginLoc(), "the loader is handed to '%0' here",
           DiagnosticIDs::Note)
          << Callee;
    diag(Use.Loop->getBeginLoc(), "its batches feed this training loop",
         DiagnosticIDs::Note);
  }
  noteLack(Use.Condition);
}

bool TrainlintCheck::hotLoopTimesItself(HotContext &Context,
                                        ASTContext &Ctx) {
  if (Context.Deferred) {
    Context.Deferred->NeedsUntimedLoop = true;
    return false;
  }
  if (Context.Loop ? loopTimesItself(*Context.Loop, Ctx)
                   : Context.LoopTimesItself)
    return true;
  // A helper on the way that times the step it is called for.
  for (const HotCall &Call : Context.CallChain) {
    if (Call.CalleeTimesItself)
      return true;
    const FunctionDecl *Helper = Call.Call ? Call.Call->getDirectCallee() : nullptr;
    const FunctionDecl *Def = nullptr;
    if (Helper && Helper->getBody(Def) && Def &&
        loopTimesItself(*Def->getBody(), Ctx))
      return true;
  }
  return false;
}

} // namespace trainlint
