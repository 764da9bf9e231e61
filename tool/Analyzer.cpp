//===--- Analyzer.cpp - runs the checks over one translation unit
//----------===//

#include "Analyzer.h"
#include "InputFiles.h"
#include "Paths.h"
#include "Preamble.h"
#include "SourceCache.h"
#include "UnitGraphConsumer.h"
#include "model/HotPath.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "compat.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace trainlint {

// Defined next to the module's registration; referencing it keeps the
// registration in any link.
extern volatile int TrainlintModuleAnchorSource;
[[maybe_unused]] static int TrainlintModuleAnchorDestination =
    TrainlintModuleAnchorSource;

using namespace clang::tidy;

namespace {

/// The command-line part of the Checks globs. Only trainlint's checks can be
/// enabled: clang's warnings and the static analyzer's checks are always
/// off, whatever `--checks` or a project's `.clang-tidy` say.
std::string overrideChecks(const std::optional<std::string> &Checks) {
  std::string Result;
  if (Checks && !llvm::StringRef(*Checks).trim().empty())
    Result = *Checks + ",";
  return Result + "-clang-analyzer-*,-clang-diagnostic-*";
}

ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = DefaultChecks.str();
  // Findings in the project's own headers count; system headers (libtorch,
  // the CUDA runtime) never do.
  Defaults.HeaderFilterRegex = ".*";
  Defaults.SystemHeaders = false;
  return Defaults;
}

ClangTidyOptions overrideOptions(const AnalysisOptions &Options,
                                 bool ProjectRun) {
  ClangTidyOptions Overrides;
  Overrides.Checks = overrideChecks(Options.Checks);
  if (Options.Level)
    Overrides.CheckOptions.insert_or_assign(
        LevelOptionKey, ClangTidyOptions::ClangTidyValue(*Options.Level));
  if (ProjectRun)
    Overrides.CheckOptions.insert_or_assign(
        ProjectRunOptionKey, ClangTidyOptions::ClangTidyValue("true"));
  if (Options.Summary)
    Overrides.CheckOptions.insert_or_assign(
        SummaryOptionKey, ClangTidyOptions::ClangTidyValue(*Options.Summary));
  return Overrides;
}

/// Whether a Checks value says anything about trainlint's checks: some glob
/// in it other than `*` and `-*` matches one of them.
bool namesTrainlintChecks(llvm::StringRef Checks) {
  for (llvm::StringRef Line : llvm::split(Checks, '\n'))
    for (llvm::StringRef Item : llvm::split(Line, ',')) {
      Item = Item.trim();
      Item.consume_front("-");
      if (Item.empty() || Item == "*")
        continue;
      auto Glob = llvm::GlobPattern::create(Item);
      if (!Glob)
        continue;
      for (const CheckInfo &Info : allChecks())
        if (Glob->match(Info.Name))
          return true;
    }
  return false;
}

/// The `.clang-tidy` files of each source's folders, as clang-tidy reads
/// them, with two differences. A file whose Checks name none of trainlint's
/// checks (a project's `-*,bugprone-*` for clang-tidy's own checks) leaves
/// trainlint's checks as they are instead of turning them all off. A file
/// that does not parse is recorded as an error for the report instead of
/// printed on the worker's standard error.
class RecordingFileOptionsProvider : public FileOptionsProvider {
public:
  RecordingFileOptionsProvider(ClangTidyOptions Defaults,
                               ClangTidyOptions Overrides,
                               std::vector<ToolError> &Errors)
      // The constructor that takes handlers leaves the file system unset,
      // so the handler is replaced after the one that sets it.
      : FileOptionsProvider(ClangTidyGlobalOptions(), std::move(Defaults),
                            std::move(Overrides),
                            llvm::vfs::getRealFileSystem()) {
    ConfigHandlers = {{".clang-tidy", [&Errors](llvm::MemoryBufferRef Buffer) {
                         return parseRecordingErrors(Buffer, Errors);
                       }}};
  }

private:
  static llvm::ErrorOr<ClangTidyOptions>
  parseRecordingErrors(llvm::MemoryBufferRef Buffer,
                       std::vector<ToolError> &Errors) {
    std::string Problem;
    auto Parsed = parseConfigurationWithDiags(
        Buffer, [&](const llvm::SMDiagnostic &Diag) {
          if (Problem.empty())
            Problem = (llvm::Twine("line ") + llvm::Twine(Diag.getLineNo()) +
                       ": " + Diag.getMessage())
                          .str();
        });
    if (!Parsed)
      Errors.push_back(
          {Buffer.getBufferIdentifier().str(),
           "invalid configuration: " +
               (Problem.empty() ? Parsed.getError().message() : Problem)});
    else if (std::optional<std::string> &Checks = Parsed->Checks;
             Checks && !namesTrainlintChecks(*Checks))
      Checks.reset();
    return Parsed;
  }
};

std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const AnalysisOptions &Options,
                    std::vector<ToolError> &Errors, bool ProjectRun) {
  if (Options.Config) {
    auto Parsed =
        parseConfiguration(llvm::MemoryBufferRef(*Options.Config, "--config"));
    // validateAnalysisOptions has refused a --config that does not parse.
    return std::make_unique<ConfigOptionsProvider>(
        ClangTidyGlobalOptions(), defaultOptions(),
        Parsed ? *Parsed : ClangTidyOptions(),
        overrideOptions(Options, ProjectRun));
  }
  return std::make_unique<RecordingFileOptionsProvider>(
      defaultOptions(), overrideOptions(Options, ProjectRun), Errors);
}

/// The unit's command with clang's resource directory (its builtin headers)
/// named, unless the command names one: clang-tidy's library would look for
/// it next to the trainlint executable.
clang::tooling::CompileCommand
withResourceDir(clang::tooling::CompileCommand Command) {
#ifdef TRAINLINT_CLANG_RESOURCE_DIR
  auto &Args = Command.CommandLine;
  bool Named = llvm::any_of(Args, [](llvm::StringRef Arg) {
    return Arg.starts_with("-resource-dir");
  });
  if (!Named && !Args.empty())
    Args.insert(Args.begin() + 1,
                {"-resource-dir", TRAINLINT_CLANG_RESOURCE_DIR});
#endif
  return Command;
}

/// A `.clang-tidy`'s ExtraArgsBefore (after the compiler's name) and
/// ExtraArgs (at the end) added to each command, as clang-tidy adds them.
clang::tooling::ArgumentsAdjuster extraArguments(ClangTidyContext &Context) {
  return [&Context](const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef File) {
    ClangTidyOptions Options = Context.getOptionsForFile(File);
    clang::tooling::CommandLineArguments Result = Args;
    if (Options.ExtraArgsBefore) {
      auto At = Result.begin();
      if (At != Result.end() && !llvm::StringRef(*At).starts_with("-"))
        ++At;
      Result.insert(At, Options.ExtraArgsBefore->begin(),
                    Options.ExtraArgsBefore->end());
    }
    if (Options.ExtraArgs)
      Result.insert(Result.end(), Options.ExtraArgs->begin(),
                    Options.ExtraArgs->end());
    return Result;
  };
}

/// As clang-tidy: `__clang_analyzer__` is defined, so code that hides from
/// analyzers hides from trainlint too. A preamble is built the same way.
void setUpAsAnalysis(clang::CompilerInvocation &Invocation) {
  Invocation.getPreprocessorOpts().SetUpStaticAnalyzer = true;
}

/// clang-tidy's frontend action, with one difference: clang's fatal errors
/// are ordinary errors and their number is not limited. A missing `#include`
/// is a fatal error, after which clang reports nothing and instantiates no
/// template, so that every use of `std::vector<torch::Tensor>` or
/// `loss.item<float>()` after it becomes an invalid expression and the checks
/// would find nothing there. As an ordinary error, the missing header reads
/// as an empty one and only the code that needed it is lost. (The checks'
/// own diagnostics go through the context's engine, which the compiler's
/// fatal error does not silence.)
class KeepGoingActionFactory : public clang::tooling::FrontendActionFactory {
public:
  /// With \p UnitGraph, the unit's graph is stored there once the checks
  /// are done; with \p Inputs, the files the parse enters are recorded.
  KeepGoingActionFactory(
      ClangTidyContext &Context,
      llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FileSystem,
      ProjectGraph *UnitGraph, std::shared_ptr<InputCollector> Inputs)
      : Consumers(Context, std::move(FileSystem)), UnitGraph(UnitGraph),
        Inputs(std::move(Inputs)) {}

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(Consumers, UnitGraph, Inputs);
  }

  bool
  runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                clang::FileManager *Files,
                std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                clang::DiagnosticConsumer *Consumer) override {
    setUpAsAnalysis(*Invocation);
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps), Consumer);
  }

private:
  class Action : public clang::ASTFrontendAction {
  public:
    Action(ClangTidyASTConsumerFactory &Consumers, ProjectGraph *UnitGraph,
           std::shared_ptr<InputCollector> Inputs)
        : Consumers(Consumers), UnitGraph(UnitGraph),
          Inputs(std::move(Inputs)) {}

    bool BeginSourceFileAction(clang::CompilerInstance &Compiler) override {
      Compiler.getDiagnostics().setFatalsAsError(true);
      Compiler.getDiagnostics().setErrorLimit(0);
      if (Inputs)
        Inputs->attachToPreprocessor(Compiler.getPreprocessor());
      return ASTFrontendAction::BeginSourceFileAction(Compiler);
    }

    std::unique_ptr<clang::ASTConsumer>
    CreateASTConsumer(clang::CompilerInstance &Compiler,
                      llvm::StringRef File) override {
      std::unique_ptr<clang::ASTConsumer> Checks =
          Consumers.createASTConsumer(Compiler, File);
      if (!UnitGraph || !Checks)
        return Checks;
      std::vector<std::unique_ptr<clang::ASTConsumer>> Both;
      Both.push_back(std::move(Checks));
      Both.push_back(unitGraphConsumer(*UnitGraph));
      return std::make_unique<clang::MultiplexConsumer>(std::move(Both));
    }

  private:
    ClangTidyASTConsumerFactory &Consumers;
    ProjectGraph *UnitGraph;
    std::shared_ptr<InputCollector> Inputs;
  };

  ClangTidyASTConsumerFactory Consumers;
  ProjectGraph *UnitGraph;
  std::shared_ptr<InputCollector> Inputs;
};

/// Runs the context's checks over \p File as clang-tidy's runClangTidy does,
/// through KeepGoingActionFactory.
std::vector<ClangTidyError>
runChecks(ClangTidyContext &Context,
          const clang::tooling::CompilationDatabase &Database,
          llvm::StringRef File,
          llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FileSystem,
          ProjectGraph *UnitGraph, std::shared_ptr<InputCollector> Inputs) {
  clang::tooling::ClangTool Tool(
      Database, {File.str()}, std::make_shared<clang::PCHContainerOperations>(),
      FileSystem);
  Tool.appendArgumentsAdjuster(extraArguments(Context));
  Tool.appendArgumentsAdjuster(clang::tooling::getStripPluginsAdjuster());
  // clang-tidy's "Error while processing FILE" is the report's error.
  Tool.setPrintErrorMessage(false);
  ClangTidyDiagnosticConsumer Consumer(Context);
  std::unique_ptr<clang::DiagnosticsEngine> CheckDiagnostics =
      attachCheckDiagnostics(Context, &Consumer);
  Tool.setDiagnosticConsumer(&Consumer);
  KeepGoingActionFactory Factory(Context, std::move(FileSystem), UnitGraph,
                                 std::move(Inputs));
  Tool.run(&Factory);
  return Consumer.take();
}

bool hasEnabledCheck(const ClangTidyContext &Context, llvm::StringRef File) {
  for (const std::string &Name :
       getCheckNames(Context.getOptionsForFile(File),
                     /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                     /*ExperimentalCustomChecks=*/false))
    if (findCheck(Name))
      return true;
  return false;
}

/// Turns clang-tidy's errors (diagnostics with file offsets) into findings
/// and tool errors with lines and columns.
class Converter {
public:
  Converter(const TranslationUnit &Unit, Report &R,
            llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files)
      : Unit(Unit), R(R), Sources(std::move(Files)) {}

  void convert(llvm::ArrayRef<ClangTidyError> Errors) {
    for (const ClangTidyError &E : Errors) {
      llvm::StringRef Name = E.DiagnosticName;
      if (E.DiagLevel == ClangTidyError::Error &&
          Name.starts_with("clang-diagnostic-"))
        CompileErrors.push_back(describe(E.Message, E.BuildDirectory));
      else if (Name.starts_with("clang-tidy-"))
        // An unmatched block-suppression comment, an invalid check option.
        R.Errors.push_back({"", describe(E.Message, E.BuildDirectory)});
      else if (const CheckInfo *Info = findCheck(Name))
        R.Findings.push_back(finding(E, *Info));
    }
    if (CompileErrors.empty())
      return;
    // The AST of a unit that does not compile is incomplete: its findings
    // are reported, as clang-tidy and clangd report them, but marked, since
    // they could be false alarms, and without their fix-its, since a rewrite
    // of code that did not parse whole is not certainly safe.
    for (Finding &F : R.Findings) {
      F.FromFileWithErrors = true;
      F.FixIts.clear();
      for (Note &N : F.Notes)
        N.Suggestion.clear();
    }
    std::string Message = "does not compile: " + CompileErrors.front();
    if (CompileErrors.size() > 1)
      Message +=
          " (and " + std::to_string(CompileErrors.size() - 1) + " more errors)";
    R.Errors.push_back({Unit.File, Message});
  }

private:
  Location locate(llvm::StringRef FilePath, unsigned Offset,
                  llvm::StringRef BuildDirectory) {
    Location Where;
    if (FilePath.empty())
      return Where;
    Where.File = absolutePath(FilePath, BuildDirectory);
    if (auto LineColumn = Sources.lineAndColumn(Where.File, Offset)) {
      Where.Line = LineColumn->first;
      Where.Column = LineColumn->second;
    }
    return Where;
  }

  std::string describe(const clang::tooling::DiagnosticMessage &Message,
                       llvm::StringRef BuildDirectory) {
    Location Where =
        locate(Message.FilePath, Message.FileOffset, BuildDirectory);
    if (Where.File.empty())
      return Message.Message;
    return Where.File + ":" + std::to_string(Where.Line) + ":" +
           std::to_string(Where.Column) + ": " + Message.Message;
  }

  Finding finding(const ClangTidyError &E, const CheckInfo &Info) {
    Finding F;
    F.Check = Info.Name.str();
    F.Level = Info.Level;
    F.Sev = E.IsWarningAsError ? Severity::Error : Severity::Warning;
    F.Message = E.Message.Message;
    F.Where =
        locate(E.Message.FilePath, E.Message.FileOffset, E.BuildDirectory);
    // A note's fix-it is a suggestion the user chooses, never applied
    // with the warning's own.
    for (const clang::tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back(
          {N.Message, locate(N.FilePath, N.FileOffset, E.BuildDirectory),
           edits(N, E.BuildDirectory)});
    F.FixIts = edits(E.Message, E.BuildDirectory);
    return F;
  }

  /// \p Message's fix-it as edits in file and offset order.
  std::vector<FixIt> edits(const clang::tooling::DiagnosticMessage &Message,
                           llvm::StringRef BuildDirectory) {
    std::vector<FixIt> Edits;
    for (const auto &Entry : Message.Fix)
      for (const clang::tooling::Replacement &Rep : Entry.getValue()) {
        FixIt Fix;
        Fix.Where = locate(Rep.getFilePath(), Rep.getOffset(), BuildDirectory);
        Fix.Offset = Rep.getOffset();
        Fix.Length = Rep.getLength();
        Fix.Replacement = Rep.getReplacementText().str();
        Edits.push_back(std::move(Fix));
      }
    llvm::sort(Edits, [](const FixIt &A, const FixIt &B) {
      return std::tie(A.Where.File, A.Offset) <
             std::tie(B.Where.File, B.Offset);
    });
    return Edits;
  }

  const TranslationUnit &Unit;
  Report &R;
  SourceCache Sources;
  std::vector<std::string> CompileErrors;
};

} // namespace

std::string validateAnalysisOptions(const AnalysisOptions &Options) {
  if (Options.Config) {
    auto Parsed =
        parseConfiguration(llvm::MemoryBufferRef(*Options.Config, "--config"));
    if (!Parsed)
      return "invalid --config: " + Parsed.getError().message();
  }
  if (Options.Level && !parseLevel(*Options.Level))
    return "invalid --level '" + *Options.Level +
           "': expected 0, 1, 2 or manual";
  return "";
}

namespace {

std::unique_ptr<ClangTidyContext> makeContext(const AnalysisOptions &Options,
                                              std::vector<ToolError> &Errors,
                                              bool ProjectRun) {
  return std::make_unique<ClangTidyContext>(
      makeOptionsProvider(Options, Errors, ProjectRun),
      /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*EnableModuleHeadersParsing=*/false,
      /*ExperimentalCustomChecks=*/false);
}

/// The shared preamble of \p Command's leading system headers, when one of
/// them is heavy and the command allows it. \p Command is the one the
/// analysis runs, before the `.clang-tidy` ExtraArgs that the context adds.
std::optional<Preamble>
preambleFor(ClangTidyContext &Context,
            const clang::tooling::CompileCommand &Command,
            const TranslationUnit &Unit, llvm::StringRef Directory) {
  if (!whyNoPreamble(Command).empty())
    return std::nullopt;
  std::vector<std::string> Headers = preambleHeaders(Command);
  if (Headers.empty())
    return std::nullopt;
  clang::tooling::CompileCommand Final = Command;
  Final.CommandLine = clang::tooling::getStripPluginsAdjuster()(
      extraArguments(Context)(Command.CommandLine, Unit.File), Unit.File);
  std::string Problem;
  // Without a preamble the unit is analyzed as it would be anyway: the
  // problem is not the unit's.
  return PreambleStore(Directory.str())
      .get(Final, Headers, setUpAsAnalysis, Problem);
}

/// One analysis of \p Unit with \p Command, a context of its own, and the
/// files it read added to \p Inputs.
Report analyzeOnce(const TranslationUnit &Unit, const AnalysisOptions &Options,
                   const clang::tooling::CompileCommand &Command,
                   ProjectGraph *UnitGraph, std::vector<std::string> *Inputs,
                   llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Overlay) {
  Report R;
  std::unique_ptr<ClangTidyContext> Context =
      makeContext(Options, R.Errors, UnitGraph != nullptr);
  SingleCommandDatabase Database(Command);
  auto FileSystem = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  if (Overlay)
    FileSystem->pushOverlay(Overlay);
  std::shared_ptr<InputCollector> Collector;
  if (Inputs)
    Collector = std::make_shared<InputCollector>(Command.Directory);
  std::vector<ClangTidyError> Errors = runChecks(
      *Context, Database, Unit.File, FileSystem, UnitGraph, Collector);
  R.append(convertClangTidyErrors(Errors, Unit, FileSystem));
  if (Collector)
    for (std::string &Input : Collector->inputs())
      Inputs->push_back(std::move(Input));
  return R;
}

} // namespace

Report analyzeTranslationUnit(const TranslationUnit &Unit,
                              const AnalysisOptions &Options,
                              ProjectGraph *UnitGraph, UnitRunOptions *Run) {
  Report R;
  std::unique_ptr<ClangTidyContext> Context =
      makeContext(Options, R.Errors, UnitGraph != nullptr);
  if (!hasEnabledCheck(*Context, Unit.File)) {
    R.Errors.push_back({Unit.File, "no trainlint check is enabled for this "
                                   "file by --checks and its .clang-tidy"});
    return R;
  }
  // The errors of the configuration are reported by the analysis itself.
  R.Errors.clear();
  clang::tooling::CompileCommand Command = withResourceDir(Unit.Command);
  std::vector<std::string> *Inputs = Run ? Run->Inputs : nullptr;
  if (Run && !Run->PreambleDirectory.empty())
    if (std::optional<Preamble> P =
            preambleFor(*Context, Command, Unit, Run->PreambleDirectory)) {
      Report WithPreamble =
          analyzeOnce(Unit, Options, PreambleStore::withPreamble(Command, *P),
                      UnitGraph, Inputs, Run->Overlay);
      bool Compiles =
          llvm::none_of(WithPreamble.Errors, [&](const ToolError &E) {
            return E.File == Unit.File;
          });
      if (Compiles) {
        Run->UsedPreamble = true;
        if (Inputs)
          Inputs->insert(Inputs->end(), P->Inputs.begin(), P->Inputs.end());
        return WithPreamble;
      }
      // A unit that does not compile with the preamble may be one whose
      // headers are not what the preamble assumed: the analysis without it
      // decides.
      if (UnitGraph)
        *UnitGraph = ProjectGraph();
      if (Inputs)
        Inputs->clear();
    }
  return analyzeOnce(Unit, Options, Command, UnitGraph, Inputs,
                     Run ? Run->Overlay : nullptr);
}

Report convertClangTidyErrors(
    llvm::ArrayRef<ClangTidyError> Errors, const TranslationUnit &Unit,
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files) {
  Report R;
  Converter(Unit, R, std::move(Files)).convert(Errors);
  return R;
}

} // namespace trainlint
