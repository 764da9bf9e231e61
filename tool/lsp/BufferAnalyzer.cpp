//===--- BufferAnalyzer.cpp - the checks over an editor's buffer ----------===//

#include "lsp/BufferAnalyzer.h"
#include "Paths.h"
#include "TranslationUnits.h"
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

/// A compile database loaded once, with the commands it infers for files
/// it does not list (headers, new files) as clangd infers them.
struct LoadedDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  llvm::sys::TimePoint<> Modified;
};

/// The compile_commands.json for \p File: \p Given (a folder or the file)
/// when set, else the nearest in the file's folders or their `build/`.
std::string databasePathFor(llvm::StringRef File, llvm::StringRef Given) {
  if (!Given.empty()) {
    if (!fs::is_directory(Given))
      return Given.str();
    llvm::SmallString<256> Json(Given);
    path::append(Json, "compile_commands.json");
    return std::string(Json);
  }
  for (llvm::StringRef Dir = path::parent_path(File); !Dir.empty();
       Dir = path::parent_path(Dir))
    for (llvm::StringRef Sub : {"", "build"}) {
      llvm::SmallString<256> Json(Dir);
      path::append(Json, Sub, "compile_commands.json");
      if (fs::exists(Json))
        return std::string(Json);
    }
  return "";
}

/// The databases read so far, by path, reloaded when the file changes (a
/// build that re-ran CMake).
class DatabaseCache {
public:
  const clang::tooling::CompilationDatabase *get(const std::string &Json) {
    std::lock_guard<std::mutex> Lock(Mutex);
    fs::file_status Status;
    if (fs::status(Json, Status))
      return nullptr;
    LoadedDatabase &Entry = Loaded[Json];
    if (Entry.Database && Entry.Modified == Status.getLastModificationTime())
      return Entry.Database.get();
    std::string Message;
    auto Database = clang::tooling::JSONCompilationDatabase::loadFromFile(
        Json, Message, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (!Database)
      return nullptr;
    Entry.Database = clang::tooling::inferTargetAndDriverMode(
        clang::tooling::inferMissingCompileCommands(
            clang::tooling::expandResponseFiles(
                std::move(Database), llvm::vfs::getRealFileSystem())));
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
  std::string Json = databasePathFor(File, CompileCommandsDir);
  if (!Json.empty())
    if (const auto *Database = databases().get(Json)) {
      std::vector<CompileCommand> Commands = Database->getCompileCommands(File);
      if (!Commands.empty()) {
        Result.Command = std::move(Commands.front());
        Result.DatabaseDirectory = path::parent_path(Json).str();
        Result.Source = "compile_commands.json in " + Result.DatabaseDirectory;
        return Result;
      }
    }
  Result.Command = fallbackCommand(File);
  Result.Source = "fallback command";
  return Result;
}

struct BufferAnalyzer::State {
  AnalyzerSettings Settings;
  unsigned PreambleBuilds = 0;
};

BufferAnalyzer::BufferAnalyzer(AnalyzerSettings Settings)
    : S(std::make_unique<State>()) {
  S->Settings = std::move(Settings);
}

BufferAnalyzer::~BufferAnalyzer() = default;

void BufferAnalyzer::updateSettings(AnalyzerSettings Settings) {
  S->Settings = std::move(Settings);
  databases().clear();
}

void BufferAnalyzer::forget(llvm::StringRef File) {}

unsigned BufferAnalyzer::preambleBuilds() const { return S->PreambleBuilds; }

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
  CommandForFile Found =
      findCompileCommand(Absolute, S->Settings.CompileCommandsDir);
  BufferResult Result;
  Result.CommandSource = Found.Source;
  Result.SummaryPath = summaryFor(S->Settings, Found.DatabaseDirectory);
  AnalysisOptions Options = S->Settings.Analysis;
  if (!Result.SummaryPath.empty() && !Options.Summary)
    Options.Summary = Result.SummaryPath;
  if (Cancelled)
    return std::nullopt;

  auto Buffers = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Buffers->addFile(Absolute, /*ModificationTime=*/0,
                   llvm::MemoryBuffer::getMemBufferCopy(Contents, Absolute));
  UnitRunOptions Run;
  Run.Overlay = Buffers;
  TranslationUnit Unit{Absolute, Found.Command};
  Report R = analyzeTranslationUnit(Unit, Options, nullptr, &Run);
  if (Cancelled)
    return std::nullopt;
  for (Finding &F : R.Findings)
    if (F.Where.File == Absolute)
      Result.Result.Findings.push_back(std::move(F));
  Result.Result.Errors = std::move(R.Errors);
  Result.Result.normalize();
  return Result;
}

} // namespace trainlint::lsp
