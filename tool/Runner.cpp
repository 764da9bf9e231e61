//===--- Runner.cpp - translation units in worker processes
//----------------===//

#include "Runner.h"
#include "Formats.h"
#include "Output.h"
#include "Paths.h"
#include "Progress.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <cstdlib>
#include <thread>

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace json = llvm::json;

namespace {

// --- The job file: one unit and the options, parent to worker ------------

json::Value jobToJson(const TranslationUnit &Unit,
                      const AnalysisOptions &Options) {
  json::Object Job{
      {"file", Unit.File},
      {"directory", Unit.Command.Directory},
      {"filename", Unit.Command.Filename},
      {"arguments", json::Array(Unit.Command.CommandLine)},
  };
  if (Options.Checks)
    Job["checks"] = *Options.Checks;
  if (Options.Config)
    Job["config"] = *Options.Config;
  if (Options.Level)
    Job["level"] = *Options.Level;
  return Job;
}

bool jobFromJson(const json::Value &V, TranslationUnit &Unit,
                 AnalysisOptions &Options) {
  const json::Object *Job = V.getAsObject();
  if (!Job)
    return false;
  auto File = Job->getString("file");
  auto Directory = Job->getString("directory");
  auto Filename = Job->getString("filename");
  const json::Array *Arguments = Job->getArray("arguments");
  if (!File || !Directory || !Filename || !Arguments)
    return false;
  Unit.File = File->str();
  Unit.Command.Directory = Directory->str();
  Unit.Command.Filename = Filename->str();
  for (const json::Value &Argument : *Arguments)
    if (auto S = Argument.getAsString())
      Unit.Command.CommandLine.push_back(S->str());
  auto Optional = [&](llvm::StringRef Key, std::optional<std::string> &Out) {
    if (auto S = Job->getString(Key))
      Out = S->str();
  };
  Optional("checks", Options.Checks);
  Optional("config", Options.Config);
  Optional("level", Options.Level);
  return true;
}

bool writeFile(llvm::StringRef Path,
               llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return false;
  Write(OS);
  OS.close();
  return !OS.has_error();
}

/// The last non-empty line a worker wrote to its standard error.
std::string lastLogLine(llvm::StringRef LogPath) {
  auto Buffer = llvm::MemoryBuffer::getFile(LogPath);
  if (!Buffer)
    return "";
  llvm::StringRef Text = (*Buffer)->getBuffer().rtrim();
  return Text.substr(Text.rfind('\n') + 1).trim().str();
}

/// Runs one worker and reads its report; anything else is an error for the
/// unit.
class WorkerRun {
public:
  WorkerRun(llvm::StringRef Executable, llvm::StringRef TempDir, size_t Index)
      : Executable(Executable) {
    std::string Base = (TempDir + "/" + llvm::Twine(Index)).str();
    JobPath = Base + ".job.json";
    ResultPath = Base + ".result.json";
    GraphPath = Base + ".graph.json";
    LogPath = Base + ".log";
  }

  Report run(const TranslationUnit &Unit, const AnalysisOptions &Options,
             ProjectGraph &Graph) {
    if (!writeFile(JobPath, [&](llvm::raw_ostream &OS) {
          OS << jobToJson(Unit, Options);
        }))
      return failure(Unit, "cannot write the worker's job file");
    llvm::StringRef Args[] = {Executable, "__analyze", JobPath, ResultPath,
                              GraphPath};
    std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                  llvm::StringRef(LogPath),
                                                  llvm::StringRef(LogPath)};
    std::string Message;
    int Status = llvm::sys::ExecuteAndWait(Executable, Args, std::nullopt,
                                           Redirects, 0, 0, &Message);
    if (Status == -2)
      return failure(Unit, "the analysis crashed (" + Message + ")");
    if (Status != 0) {
      std::string Detail = Message.empty() ? lastLogLine(LogPath) : Message;
      return failure(Unit, "the analysis failed (exit status " +
                               std::to_string(Status) + ")" +
                               (Detail.empty() ? "" : ": " + Detail));
    }
    auto Buffer = llvm::MemoryBuffer::getFile(ResultPath);
    if (!Buffer)
      return failure(Unit, "the analysis wrote no result");
    auto R = readJsonReport((*Buffer)->getBuffer(), ResultPath);
    if (!R)
      return failure(Unit, "the analysis wrote an unreadable result: " +
                               llvm::toString(R.takeError()));
    // A unit that did not get as far as its AST has no graph.
    if (auto GraphBuffer = llvm::MemoryBuffer::getFile(GraphPath)) {
      auto Parsed = json::parse((*GraphBuffer)->getBuffer());
      if (!Parsed)
        return failure(Unit, "the analysis wrote an unreadable graph: " +
                                 llvm::toString(Parsed.takeError()));
      auto UnitGraph = ProjectGraph::fromJson(*Parsed);
      if (!UnitGraph)
        return failure(Unit, "the analysis wrote an unreadable graph: " +
                                 llvm::toString(UnitGraph.takeError()));
      Graph = std::move(*UnitGraph);
    }
    return std::move(*R);
  }

private:
  static Report failure(const TranslationUnit &Unit, const std::string &Why) {
    Report R;
    R.Errors.push_back({Unit.File, Why});
    return R;
  }

  std::string Executable;
  std::string JobPath, ResultPath, GraphPath, LogPath;
};

} // namespace

Report runTranslationUnits(llvm::ArrayRef<TranslationUnit> Units,
                           const RunnerOptions &Options,
                           llvm::StringRef Executable, ProjectGraph &Graph) {
  Report Total;
  if (Units.empty())
    return Total;
  llvm::SmallString<128> TempDir;
  if (std::error_code EC = fs::createUniqueDirectory("trainlint", TempDir)) {
    Total.Errors.push_back(
        {"", "cannot create a temporary directory: " + EC.message()});
    return Total;
  }
  std::vector<Report> Results(Units.size());
  std::vector<ProjectGraph> Graphs(Units.size());
  Progress Bar(Units.size(), Options.ShowProgress);
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t I = Next++; I < Units.size(); I = Next++) {
      std::string Name = relativeToRoot(Units[I].File, Options.ProjectRoot);
      Bar.started(Name);
      Results[I] = WorkerRun(Executable, TempDir, I)
                       .run(Units[I], Options.Analysis, Graphs[I]);
      Bar.finished(Name);
    }
  };
  unsigned Threads =
      std::max(1u, std::min<unsigned>(Options.Jobs, Units.size()));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &Thread : Pool)
    Thread.join();
  Bar.done();
  removeTemporary(TempDir);
  for (Report &R : Results)
    Total.append(std::move(R));
  // In unit order, so that the first definition of a header's function is
  // the same whichever worker finished first.
  for (const ProjectGraph &UnitGraph : Graphs)
    Graph.merge(UnitGraph);
  return Total;
}

int runAnalyzeCommand(llvm::ArrayRef<const char *> Args) {
  if (Args.size() != 3) {
    llvm::errs()
        << "trainlint: __analyze is internal: __analyze JOB RESULT GRAPH\n";
    return 2;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Args[0]);
  if (!Buffer) {
    llvm::errs() << "trainlint: cannot read " << Args[0] << "\n";
    return 2;
  }
  auto Job = json::parse((*Buffer)->getBuffer());
  TranslationUnit Unit;
  AnalysisOptions Options;
  if (!Job || !jobFromJson(*Job, Unit, Options)) {
    if (!Job)
      llvm::consumeError(Job.takeError());
    llvm::errs() << "trainlint: malformed job file " << Args[0] << "\n";
    return 2;
  }
  // A test hook: the crash-isolation test needs a worker that crashes.
  if (auto CrashIn = llvm::sys::Process::GetEnv("TRAINLINT_TEST_CRASH_IN"))
    if (llvm::sys::path::filename(Unit.File) == *CrashIn)
      std::abort();
  ProjectGraph Graph;
  Report R = analyzeTranslationUnit(Unit, Options, &Graph);
  EmitContext Ctx;
  if (!writeFile(Args[1],
                 [&](llvm::raw_ostream &OS) { emitJson(R, OS, Ctx); }) ||
      !writeFile(Args[2],
                 [&](llvm::raw_ostream &OS) { OS << Graph.toJson(); })) {
    llvm::errs() << "trainlint: cannot write " << Args[1] << "\n";
    return 2;
  }
  return 0;
}

} // namespace trainlint
