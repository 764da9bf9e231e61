//===--- Runner.cpp - translation units in worker processes
//----------------===//

#include "Runner.h"
#include "Output.h"
#include "Paths.h"
#include "Progress.h"
#include "formats/Formats.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace json = llvm::json;

namespace {

// --- The job file: one unit and the options, parent to worker ------------

json::Value jobToJson(const TranslationUnit &Unit,
                      const AnalysisOptions &Options,
                      llvm::StringRef PreambleDirectory) {
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
  if (!PreambleDirectory.empty())
    Job["preambles"] = PreambleDirectory;
  return Job;
}

bool jobFromJson(const json::Value &V, TranslationUnit &Unit,
                 AnalysisOptions &Options, std::string &PreambleDirectory) {
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
  if (auto S = Job->getString("preambles"))
    PreambleDirectory = S->str();
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

/// A unit's report and graph from what a worker wrote; \p Failed is set
/// when they do not read.
Report readUnitOutputs(const TranslationUnit &Unit, const UnitOutputs &Outputs,
                       ProjectGraph &Graph, bool &Failed) {
  auto Failure = [&](const std::string &Why) {
    Failed = true;
    Report R;
    R.Errors.push_back({Unit.File, Why});
    return R;
  };
  Failed = false;
  auto R = readJsonReport(Outputs.Result, Unit.File);
  if (!R)
    return Failure("the analysis wrote an unreadable result: " +
                   llvm::toString(R.takeError()));
  // A unit that did not get as far as its AST has no graph.
  if (!Outputs.Graph.empty()) {
    auto Parsed = json::parse(Outputs.Graph);
    if (!Parsed)
      return Failure("the analysis wrote an unreadable graph: " +
                     llvm::toString(Parsed.takeError()));
    auto UnitGraph = ProjectGraph::fromJson(*Parsed);
    if (!UnitGraph)
      return Failure("the analysis wrote an unreadable graph: " +
                     llvm::toString(UnitGraph.takeError()));
    Graph = std::move(*UnitGraph);
  }
  return std::move(*R);
}

/// What a worker read: `{"preamble": bool, "inputs": [paths]}`.
void readInputs(llvm::StringRef Text, UnitOutputs &Outputs) {
  auto Parsed = json::parse(Text);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return;
  }
  const json::Object *Root = Parsed->getAsObject();
  if (!Root)
    return;
  Outputs.UsedPreamble = Root->getBoolean("preamble").value_or(false);
  if (const json::Array *Inputs = Root->getArray("inputs"))
    for (const json::Value &Input : *Inputs)
      if (auto S = Input.getAsString())
        Outputs.Inputs.push_back(S->str());
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
    InputsPath = Base + ".inputs.json";
    LogPath = Base + ".log";
  }

  /// Fills \p Outputs with what the worker wrote; \p Failed is set when
  /// the unit has no readable result.
  Report run(const TranslationUnit &Unit, const RunnerOptions &Options,
             ProjectGraph &Graph, UnitOutputs &Outputs, bool &Failed) {
    Failed = true;
    if (!writeFile(JobPath, [&](llvm::raw_ostream &OS) {
          OS << jobToJson(Unit, Options.Analysis, Options.PreambleDirectory);
        }))
      return failure(Unit, "cannot write the worker's job file");
    llvm::StringRef Args[] = {Executable, "__analyze", JobPath,
                              ResultPath, GraphPath,   InputsPath};
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
    Outputs.Result = (*Buffer)->getBuffer().str();
    if (auto GraphBuffer = llvm::MemoryBuffer::getFile(GraphPath))
      Outputs.Graph = (*GraphBuffer)->getBuffer().str();
    if (auto InputsBuffer = llvm::MemoryBuffer::getFile(InputsPath))
      readInputs((*InputsBuffer)->getBuffer(), Outputs);
    return readUnitOutputs(Unit, Outputs, Graph, Failed);
  }

private:
  static Report failure(const TranslationUnit &Unit, const std::string &Why) {
    Report R;
    R.Errors.push_back({Unit.File, Why});
    return R;
  }

  std::string Executable;
  std::string JobPath, ResultPath, GraphPath, InputsPath, LogPath;
};

/// Analyzes unit \p Index, or takes it from the cache.
Report analyzeOrRecall(const TranslationUnit &Unit, size_t Index,
                       const RunnerOptions &Options, llvm::StringRef Executable,
                       llvm::StringRef TempDir, ProjectGraph &Graph,
                       RunStats &Stats, std::mutex &StatsLock) {
  std::string Key;
  bool Failed;
  if (Options.Cache) {
    Key = Options.Cache->keyOf(Unit);
    if (std::optional<UnitOutputs> Cached = Options.Cache->lookup(Key)) {
      Report R = readUnitOutputs(Unit, *Cached, Graph, Failed);
      // A damaged entry is as good as none.
      if (!Failed) {
        std::lock_guard<std::mutex> Guard(StatsLock);
        ++Stats.FromCache;
        return R;
      }
      Graph = ProjectGraph();
    }
  }
  auto Started = std::chrono::system_clock::now();
  UnitOutputs Outputs;
  Report R = WorkerRun(Executable, TempDir, Index)
                 .run(Unit, Options, Graph, Outputs, Failed);
  {
    std::lock_guard<std::mutex> Guard(StatsLock);
    ++Stats.Analyzed;
    Stats.WithPreamble += Outputs.UsedPreamble;
  }
  // A unit with errors (it does not compile, a header is missing) is
  // analyzed again next time: what it lacks may have appeared.
  if (Options.Cache && !Failed && R.Errors.empty() && !Outputs.Inputs.empty())
    Options.Cache->store(Key, Outputs, Started);
  return R;
}

} // namespace

Report runTranslationUnits(llvm::ArrayRef<TranslationUnit> Units,
                           const RunnerOptions &Options,
                           llvm::StringRef Executable, ProjectGraph &Graph,
                           RunStats *Stats) {
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
  RunStats Counts;
  std::mutex CountsLock;
  auto Work = [&] {
    for (size_t I = Next++; I < Units.size(); I = Next++) {
      std::string Name = relativeToRoot(Units[I].File, Options.ProjectRoot);
      Bar.started(Name);
      Results[I] = analyzeOrRecall(Units[I], I, Options, Executable, TempDir,
                                   Graphs[I], Counts, CountsLock);
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
  if (Options.Cache)
    Options.Cache->evict();
  if (Stats)
    *Stats = Counts;
  for (Report &R : Results)
    Total.append(std::move(R));
  // In unit order, so that the first definition of a header's function is
  // the same whichever worker finished first.
  for (const ProjectGraph &UnitGraph : Graphs)
    Graph.merge(UnitGraph);
  return Total;
}

int runAnalyzeCommand(llvm::ArrayRef<const char *> Args) {
  if (Args.size() != 4) {
    llvm::errs() << "trainlint: __analyze is internal: __analyze JOB RESULT "
                    "GRAPH INPUTS\n";
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
  UnitRunOptions Run;
  if (!Job || !jobFromJson(*Job, Unit, Options, Run.PreambleDirectory)) {
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
  std::vector<std::string> Inputs;
  Run.Inputs = &Inputs;
  Report R = analyzeTranslationUnit(Unit, Options, &Graph, &Run);
  EmitContext Ctx;
  json::Object Read{{"preamble", Run.UsedPreamble},
                    {"inputs", json::Array(Inputs)}};
  if (!writeFile(Args[1],
                 [&](llvm::raw_ostream &OS) { emitJson(R, OS, Ctx); }) ||
      !writeFile(Args[2],
                 [&](llvm::raw_ostream &OS) { OS << Graph.toJson(); }) ||
      !writeFile(Args[3], [&](llvm::raw_ostream &OS) {
        OS << json::Value(std::move(Read));
      })) {
    llvm::errs() << "trainlint: cannot write " << Args[1] << "\n";
    return 2;
  }
  return 0;
}

} // namespace trainlint
