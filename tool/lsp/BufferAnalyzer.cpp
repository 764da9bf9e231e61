//===--- BufferAnalyzer.cpp - the checks over an editor's buffer ----------===//

#include "lsp/BufferAnalyzer.h"
#include "Paths.h"
#include "TranslationUnits.h"
#include "compat.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <map>
#include <mutex>

namespace trainlint::lsp {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
using clang::tooling::CompileCommand;

namespace {
#include "FallbackCommand.inc"

/// The CUDA toolkit's root for the fallback command of a `.cu` file: the
/// one found at configure time, else the usual environment variables and
/// place; empty when there is none.
std::string cudaRoot() {
  if (FallbackCudaRoot[0])
    return FallbackCudaRoot;
  for (const char *Variable : {"CUDA_PATH", "CUDA_HOME"})
    if (std::optional<std::string> Value = llvm::sys::Process::GetEnv(Variable))
      if (fs::is_directory(*Value))
        return *Value;
  if (fs::is_directory("/usr/local/cuda/include"))
    return "/usr/local/cuda";
  return "";
}

struct LoadedDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  llvm::sys::TimePoint<> Modified;
};

/// The compile database for \p File: \p Given (a folder or the file) when
/// set, else the nearest in the file's folders, looked for in each as clangd
/// does: its compile_commands.json, its build/compile_commands.json, its
/// compile_flags.txt.
std::string databasePathFor(llvm::StringRef File, llvm::StringRef Given) {
  if (!Given.empty()) {
    if (!fs::is_directory(Given))
      return Given.str();
    for (llvm::StringRef Name : {"compile_commands.json", "compile_flags.txt"}) {
      llvm::SmallString<256> Database(Given);
      path::append(Database, Name);
      if (fs::exists(Database))
        return std::string(Database);
    }
    return "";
  }
  for (llvm::StringRef Dir = path::parent_path(File); !Dir.empty();
       Dir = path::parent_path(Dir))
    for (llvm::StringRef Name : {"compile_commands.json",
                                 "build/compile_commands.json",
                                 "compile_flags.txt"}) {
      llvm::SmallString<256> Database(Dir);
      path::append(Database, Name);
      if (fs::exists(Database))
        return std::string(Database);
    }
  return "";
}

/// The databases read so far, by path, reloaded when the file changes (a
/// build that re-ran CMake). A compile_commands.json gives the files it does
/// not list (headers, new files) the command of a similar file, as clangd
/// does.
class DatabaseCache {
public:
  const clang::tooling::CompilationDatabase *get(const std::string &Path) {
    std::lock_guard<std::mutex> Lock(Mutex);
    fs::file_status Status;
    if (fs::status(Path, Status))
      return nullptr;
    LoadedDatabase &Entry = Loaded[Path];
    if (Entry.Database && Entry.Modified == Status.getLastModificationTime())
      return Entry.Database.get();
    std::string Message;
    if (path::filename(Path) == "compile_flags.txt") {
      Entry.Database =
          clang::tooling::FixedCompilationDatabase::loadFromFile(Path, Message);
    } else {
      auto Database = clang::tooling::JSONCompilationDatabase::loadFromFile(
          Path, Message, clang::tooling::JSONCommandLineSyntax::AutoDetect);
      if (Database)
        Entry.Database = clang::tooling::inferTargetAndDriverMode(
            clang::tooling::inferMissingCompileCommands(
                clang::tooling::expandResponseFiles(
                    std::move(Database), llvm::vfs::getRealFileSystem())));
    }
    if (!Entry.Database)
      return nullptr;
    Entry.Modified = Status.getLastModificationTime();
    return Entry.Database.get();
  }

  void clear() {
    std::lock_guard<std::mutex> Lock(Mutex);
    Loaded.clear();
  }

private:
  std::mutex Mutex;
  std::map<std::string, LoadedDatabase> Loaded;
};

DatabaseCache &databases() {
  static DatabaseCache Cache;
  return Cache;
}

} // namespace

CompileCommand fallbackCommand(llvm::StringRef File) {
  CompileCommand Command;
  Command.Directory = path::parent_path(File).str();
  Command.Filename = File.str();
  Command.Heuristic = "trainlint's fallback command";
  auto &Args = Command.CommandLine;
  Args = {"clang++", "-std=c++17"};
  for (const char *const *Flag = FallbackTorchFlags; *Flag; ++Flag)
    Args.push_back(*Flag);
  if (path::extension(File) == ".cu" || path::extension(File) == ".cuh") {
    Args.insert(Args.end(), {"-x", "cuda", "--cuda-host-only", "-nocudalib",
                             "-Wno-unknown-cuda-version"});
    std::string Root = cudaRoot();
    if (!Root.empty())
      Args.push_back("--cuda-path=" + Root);
    else
      Args.push_back("-nocudainc");
  }
  Args.insert(Args.end(), {"-c", File.str()});
  return Command;
}

CommandForFile findCompileCommand(llvm::StringRef File,
                                  llvm::StringRef CompileCommandsDir) {
  CommandForFile Result;
  std::string DatabasePath = databasePathFor(File, CompileCommandsDir);
  if (!DatabasePath.empty())
    if (const auto *Database = databases().get(DatabasePath)) {
      std::vector<CompileCommand> Commands = Database->getCompileCommands(File);
      if (!Commands.empty()) {
        Result.Command = std::move(Commands.front());
        Result.DatabaseDirectory = path::parent_path(DatabasePath).str();
        Result.Source = path::filename(DatabasePath).str() + " in " +
                        Result.DatabaseDirectory;
        return Result;
      }
    }
  Result.Command = fallbackCommand(File);
  Result.Source = "fallback command";
  return Result;
}

namespace {

/// Records the first error of a preamble's build, for the report: the main
/// file's parse does not report the preamble's diagnostics again.
class PreambleErrors : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < clang::DiagnosticsEngine::Error)
      return;
    ++Count;
    if (!First.empty())
      return;
    llvm::SmallString<128> Message;
    Info.FormatDiagnostic(Message);
    First = std::string(Message);
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      clang::PresumedLoc Where =
          Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (Where.isValid())
        First = std::string(Where.getFilename()) + ":" +
                std::to_string(Where.getLine()) + ":" +
                std::to_string(Where.getColumn()) + ": " + First;
    }
  }

  unsigned Count = 0;
  std::string First;
};

/// The preamble's build skips the bodies of the system headers' functions,
/// as clangd's does (it skips all of them): the checks look at the user's
/// code only, and clang keeps every body it needs to parse the rest
/// (constexpr functions, deduced return types). The project's own headers
/// keep theirs, which the hot-path model follows.
class SkipSystemBodies : public clang::PreambleCallbacks {
public:
  void BeforeExecute(clang::CompilerInstance &Compiler) override {
    Sources = &Compiler.getSourceManager();
  }
  bool shouldSkipFunctionBody(clang::Decl *D) override {
    return Sources && Sources->isInSystemHeader(
                          Sources->getExpansionLoc(D->getLocation()));
  }

private:
  const clang::SourceManager *Sources = nullptr;
};

/// A file's preamble, kept between its analyses.
struct KeptPreamble {
  /// The cc1 command line it was built with: a command that changes (a new
  /// flag, a `.clang-tidy`'s ExtraArgs) needs a new preamble even when the
  /// includes are the same.
  std::string CommandKey;
  std::unique_ptr<clang::PrecompiledPreamble> Preamble;
  /// What made its build fail to compile, reported with every analysis
  /// that uses it.
  std::vector<ToolError> Errors;
  /// When its file was last analyzed, in analyses since the start.
  uint64_t LastUse = 0;
};

std::string commandKey(const clang::CompilerInvocation &Invocation) {
  std::string Key;
  for (const std::string &Arg : Invocation.getCC1CommandLine()) {
    Key += Arg;
    Key += '\0';
  }
  return Key;
}

} // namespace

struct BufferAnalyzer::State {
  std::mutex Mutex;
  AnalyzerSettings Settings;
  llvm::StringMap<std::shared_ptr<KeptPreamble>> Preambles;
  std::atomic<unsigned> PreambleBuilds{0};
  std::function<void(llvm::StringRef)> PhaseObserver;

  void passed(llvm::StringRef Phase) {
    if (PhaseObserver)
      PhaseObserver(Phase);
  }

  uint64_t Analyses = 0;

  std::shared_ptr<KeptPreamble> preambleOf(llvm::StringRef File) {
    std::lock_guard<std::mutex> Lock(Mutex);
    std::shared_ptr<KeptPreamble> P = Preambles.lookup(File);
    if (P)
      P->LastUse = ++Analyses;
    return P;
  }
  /// Keeps \p P for \p File, dropping the least recently used others
  /// beyond the limit.
  void keep(llvm::StringRef File, std::shared_ptr<KeptPreamble> P) {
    std::lock_guard<std::mutex> Lock(Mutex);
    P->LastUse = ++Analyses;
    Preambles[File] = std::move(P);
    while (Preambles.size() > std::max(Settings.MaxPreambles, 1u)) {
      auto Oldest = Preambles.begin();
      for (auto It = Preambles.begin(); It != Preambles.end(); ++It)
        if (It->second->LastUse < Oldest->second->LastUse)
          Oldest = It;
      Preambles.erase(Oldest);
    }
  }
};

BufferAnalyzer::BufferAnalyzer(AnalyzerSettings Settings)
    : S(std::make_unique<State>()) {
  S->Settings = std::move(Settings);
}

BufferAnalyzer::~BufferAnalyzer() = default;

void BufferAnalyzer::updateSettings(AnalyzerSettings Settings) {
  std::lock_guard<std::mutex> Lock(S->Mutex);
  S->Settings = std::move(Settings);
  databases().clear();
}

void BufferAnalyzer::forget(llvm::StringRef File) {
  std::lock_guard<std::mutex> Lock(S->Mutex);
  S->Preambles.erase(absolutePath(File));
}

unsigned BufferAnalyzer::preambleBuilds() const { return S->PreambleBuilds; }

void BufferAnalyzer::onPhase(
    std::function<void(llvm::StringRef Phase)> Observer) {
  S->PhaseObserver = std::move(Observer);
}

/// The summary for a file whose database is in \p DatabaseDirectory.
static std::string summaryFor(const AnalyzerSettings &Settings,
                              llvm::StringRef DatabaseDirectory) {
  if (!Settings.SummaryPath.empty())
    return Settings.SummaryPath;
  if (DatabaseDirectory.empty())
    return "";
  llvm::SmallString<256> Summary(DatabaseDirectory);
  path::append(Summary, SummaryFileName);
  return fs::exists(Summary) ? std::string(Summary) : "";
}

std::optional<BufferResult>
BufferAnalyzer::analyze(llvm::StringRef File, llvm::StringRef Contents,
                        const std::atomic<bool> &Cancelled) {
  std::string Absolute = absolutePath(File);
  AnalyzerSettings Settings;
  {
    std::lock_guard<std::mutex> Lock(S->Mutex);
    Settings = S->Settings;
  }
  CommandForFile Found =
      findCompileCommand(Absolute, Settings.CompileCommandsDir);
  BufferResult Result;
  Result.CommandSource = Found.Source;
  Result.SummaryPath = summaryFor(Settings, Found.DatabaseDirectory);
  AnalysisOptions Options = Settings.Analysis;
  if (!Result.SummaryPath.empty() && !Options.Summary)
    Options.Summary = Result.SummaryPath;
  if (Cancelled)
    return std::nullopt;

  auto Buffers = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Buffers->addFile(Absolute, /*ModificationTime=*/0,
                   llvm::MemoryBuffer::getMemBufferCopy(Contents, Absolute));
  // The parse's copy of the text, which the preamble's remapping of the
  // main file refers to until the parse is done.
  std::unique_ptr<llvm::MemoryBuffer> MainFile =
      llvm::MemoryBuffer::getMemBufferCopy(Contents, Absolute);
  std::shared_ptr<KeptPreamble> Used;
  UnitRunOptions Run;
  Run.Overlay = Buffers;
  Run.Cancelled = &Cancelled;
  Run.AfterParse = [&] { S->passed("parsed"); };
  Run.BeforeParse =
      [&](clang::CompilerInvocation &Invocation,
          llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &FileSystem) {
        // The findings are the result; clang's "N warnings generated." on
        // the server's log would only be noise.
        Invocation.getDiagnosticOpts().ShowCarets = false;
        clang::PreambleBounds Bounds = clang::ComputePreambleBounds(
            Invocation.getLangOpts(), MainFile->getMemBufferRef(),
            /*MaxLines=*/0);
        if (Bounds.Size == 0)
          return;
        std::string Key = commandKey(Invocation);
        std::shared_ptr<KeptPreamble> Kept = S->preambleOf(Absolute);
        if (!Kept || Kept->CommandKey != Key ||
            !Kept->Preamble->CanReuse(Invocation, MainFile->getMemBufferRef(),
                                      Bounds, *FileSystem)) {
          clang::CompilerInvocation ForPreamble(Invocation);
          // The templates that the headers' inline functions use are
          // instantiated once, in the preamble, rather than at the end of
          // every parse that loads it (see Preamble.cpp).
          ForPreamble.getLangOpts().PCHInstantiateTemplates = true;
          ForPreamble.getFrontendOpts().SkipFunctionBodies = true;
          PreambleErrors Errors;
          SkipSystemBodies Callbacks;
          auto Built = buildPreambleInMemory(ForPreamble, *MainFile, Bounds,
                                             Errors, FileSystem, Callbacks);
          ++S->PreambleBuilds;
          if (!Built)
            return;
          Kept = std::make_shared<KeptPreamble>();
          Kept->CommandKey = std::move(Key);
          Kept->Preamble =
              std::make_unique<clang::PrecompiledPreamble>(std::move(*Built));
          if (Errors.Count)
            Kept->Errors.push_back(
                {Absolute,
                 "does not compile: " + Errors.First +
                     (Errors.Count > 1
                          ? " (and " + std::to_string(Errors.Count - 1) +
                                " more errors)"
                          : "")});
          S->keep(Absolute, Kept);
        }
        S->passed("preamble");
        if (Cancelled)
          return;
        Kept->Preamble->AddImplicitPreamble(Invocation, FileSystem,
                                            MainFile.get());
        // The main file's text stays ours (the parse would free it), also
        // when the parse is cancelled before it starts.
        Invocation.getPreprocessorOpts().RetainRemappedFileBuffers = true;
        Used = std::move(Kept);
      };
  TranslationUnit Unit{Absolute, Found.Command};
  Report R = analyzeTranslationUnit(Unit, Options, nullptr, &Run);
  if (Run.WasCancelled || Cancelled)
    return std::nullopt;
  Result.UsedPreamble = Used != nullptr;
  for (Finding &F : R.Findings)
    if (F.Where.File == Absolute)
      Result.Result.Findings.push_back(std::move(F));
  Result.Result.Errors = std::move(R.Errors);
  if (Used && !Used->Errors.empty()) {
    markFromFileWithErrors(Result.Result.Findings);
    Result.Result.Errors.insert(Result.Result.Errors.end(),
                                Used->Errors.begin(), Used->Errors.end());
  }
  Result.Result.normalize();
  return Result;
}

} // namespace trainlint::lsp
