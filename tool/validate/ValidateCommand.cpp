//===--- ValidateCommand.cpp - `trainlint validate`
//------------------------===//
//
//   trainlint validate --findings FINDINGS.json [--steps N]
//       [--report REPORT.json] [--html REPORT.html] -- PROGRAM ARGS...
//
// Runs PROGRAM with the runtime library preloaded for a short smoke run,
// reads what the runtime recorded (one data file per process), symbolizes
// the stacks, judges each finding and writes the reports. docs/validator.md
// explains the whole way through.
//
//===----------------------------------------------------------------------===//

#include "validate/ValidateCommand.h"
#include "Arguments.h"
#include "Commands.h"
#include "Installation.h"
#include "Output.h"
#include "formats/Formats.h"
#include "validate/ProgramRun.h"
#include "validate/ReportWriter.h"
#include "validate/StackSymbolizer.h"
#include "validate/Validation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <map>
#include <memory>

namespace trainlint {

namespace {

struct ValidateOptions {
  std::optional<std::string> Findings;
  uint64_t Steps = 20;
  std::optional<std::string> Report;
  std::optional<std::string> Html;
  std::optional<std::string> Runtime;
  std::optional<std::string> DataDir;
  std::string StepOn = "optimizer";
  /// Unset: DefaultEvalBatches when a finding is about evaluation, else 0.
  std::optional<uint64_t> EvalBatches;
  unsigned EvalWait = 30;
  unsigned Timeout = 600;
  bool Quiet = false;
  bool Help = false;
};

std::vector<OptionSpec> validateOptionSpecs(ValidateOptions &O) {
  auto Store = [](std::optional<std::string> &Out) {
    return [&Out](llvm::StringRef V) {
      Out = V.str();
      return std::string();
    };
  };
  return {
      {{"--findings"},
       "FILE",
       "findings of `trainlint check --format json` (required)",
       Store(O.Findings)},
      {{"--steps"},
       "N",
       "measured training steps before the program is stopped (default 20; "
       "0 runs it to its end)",
       [&O](llvm::StringRef V) {
         if (V.getAsInteger(10, O.Steps))
           return std::string("--steps wants a number, not '") + V.str() + "'";
         return std::string();
       }},
      {{"--report"},
       "FILE",
       "write the JSON report here (- for standard output)",
       Store(O.Report)},
      {{"--html"}, "FILE", "write the HTML report here", Store(O.Html)},
      {{"--step-on"},
       "WHAT",
       "what ends a step: optimizer (default: an optimizer step after a "
       "backward pass) or backward (every backward pass)",
       [&O](llvm::StringRef V) {
         if (V != "optimizer" && V != "backward")
           return std::string("--step-on is optimizer or backward");
         O.StepOn = V.str();
         return std::string();
       }},
      {{"--eval-batches"},
       "N",
       "after the measured steps, keep the program running through its first "
       "evaluation phase, for at most N evaluation batches (default 8 when a "
       "finding is about evaluation, else 0: stop at once)",
       [&O](llvm::StringRef V) {
         uint64_t N;
         if (V.getAsInteger(10, N))
           return std::string("--eval-batches wants a number, not '") +
                  V.str() + "'";
         O.EvalBatches = N;
         return std::string();
       }},
      {{"--eval-wait"},
       "SECONDS",
       "wait at most this long for the evaluation after the measured steps "
       "(default 30)",
       [&O](llvm::StringRef V) {
         if (V.getAsInteger(10, O.EvalWait))
           return std::string("--eval-wait wants a number of seconds");
         return std::string();
       }},
      {{"--timeout"},
       "SECONDS",
       "stop the program after this long (default 600; 0: never)",
       [&O](llvm::StringRef V) {
         if (V.getAsInteger(10, O.Timeout))
           return std::string("--timeout wants a number of seconds");
         return std::string();
       }},
      {{"--runtime"},
       "LIB",
       "the runtime library to preload (default: the libtrainlint_runtime.so "
       "installed with this executable, in lib/trainlint/)",
       Store(O.Runtime)},
      {{"--data-dir"},
       "DIR",
       "keep the runtime's raw data files in DIR (default: a temporary folder "
       "that is removed)",
       Store(O.DataDir)},
      {{"--quiet", "-q"},
       "",
       "print no summary",
       [&O](llvm::StringRef) {
         O.Quiet = true;
         return std::string();
       }},
      {{"--help", "-h"},
       "",
       "print this help",
       [&O](llvm::StringRef) {
         O.Help = true;
         return std::string();
       }},
  };
}

/// Evaluation batches a run may go on for when a finding is about
/// evaluation: enough to see nodes repeat per batch, few enough to stay a
/// smoke run.
constexpr uint64_t DefaultEvalBatches = 8;

/// Whether the signal of \p Check shows in evaluation, which mostly runs
/// after the measured steps.
bool needsEvaluation(llvm::StringRef Check) {
  return validate::signalForCheck(Check).PerEvaluationBatch;
}

int usage(llvm::StringRef Message) {
  llvm::errs() << "trainlint validate: error: " << Message
               << " (see 'trainlint validate --help')\n";
  return ExitError;
}

int fail(llvm::StringRef Message) {
  llvm::errs() << "trainlint validate: error: " << Message << "\n";
  return ExitError;
}


std::optional<std::string> readFile(llvm::StringRef Path, std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = Path.str() + ": " + Buffer.getError().message();
    return std::nullopt;
  }
  return (*Buffer)->getBuffer().str();
}

/// The data files of the run: the root process's and its descendants'.
std::vector<validate::RuntimeData>
readDataFiles(llvm::StringRef Dir, llvm::StringRef Base,
              std::vector<std::string> &Errors) {
  std::vector<validate::RuntimeData> Out;
  std::error_code EC;
  std::vector<std::string> Paths;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (Name.starts_with(Base) && !Name.ends_with(".tmp"))
      Paths.push_back(It->path());
  }
  std::sort(Paths.begin(), Paths.end());
  for (const std::string &Path : Paths) {
    std::string Error;
    std::optional<std::string> Text = readFile(Path, Error);
    if (!Text) {
      Errors.push_back(Error);
      continue;
    }
    auto Data = validate::parseRuntimeData(*Text, Path);
    if (!Data) {
      Errors.push_back(llvm::toString(Data.takeError()));
      continue;
    }
    Data->FilePath = Path;
    Out.push_back(std::move(*Data));
  }
  return Out;
}

/// The process whose data is judged: the root process, unless it measured
/// no step and a descendant did (a launcher that forked the training).
const validate::RuntimeData *
choosePrimary(const std::vector<validate::RuntimeData> &All,
              llvm::StringRef RootPath) {
  const validate::RuntimeData *Root = nullptr, *Best = nullptr;
  for (const validate::RuntimeData &D : All) {
    if (D.FilePath == RootPath)
      Root = &D;
    auto Key = [](const validate::RuntimeData &X) {
      return std::make_pair(X.measuredSteps().size(), X.TopLevelOps);
    };
    if (!Best || Key(D) > Key(*Best))
      Best = &D;
  }
  if (Root &&
      (Root->measuredSteps().size() || !Best ||
       !Best->measuredSteps().size()) &&
      (Root->TopLevelOps || !Best || !Best->TopLevelOps))
    return Root;
  return Best;
}

} // namespace

int runValidateCommand(llvm::ArrayRef<const char *> Args) {
  // Tolerate being handed the subcommand's own name.
  if (!Args.empty() && llvm::StringRef(Args.front()) == "validate")
    Args = Args.drop_front();
  ValidateOptions O;
  std::vector<OptionSpec> Specs = validateOptionSpecs(O);
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/true);
  if (!Parsed)
    return usage(llvm::toString(Parsed.takeError()));
  if (O.Help) {
    llvm::outs()
        << "usage: trainlint validate --findings FINDINGS.json [options] -- "
           "PROGRAM ARGS...\n\n"
           "Runs a libtorch training program for a few steps with the runtime "
           "library preloaded\nand says, for each finding, whether the run "
           "confirmed it at its line, and what it costs.\n\noptions:\n";
    printOptionHelp(llvm::outs(), Specs);
    return ExitClean;
  }
  if (!Parsed->Positional.empty())
    return usage("unexpected argument '" + Parsed->Positional.front() +
                 "'; the program goes after --");
  if (!Parsed->AfterDashDash || Parsed->AfterDashDash->empty())
    return usage("no program to run: give it after --");
  if (!O.Findings)
    return usage("--findings is required");

  std::string Error;
  std::optional<std::string> FindingsText = readFile(*O.Findings, Error);
  if (!FindingsText)
    return fail(Error);
  auto Findings = readJsonReport(*FindingsText, *O.Findings);
  if (!Findings)
    return fail(llvm::toString(Findings.takeError()));

  std::string Runtime = O.Runtime ? *O.Runtime : bundledLibrary("libtrainlint_runtime.so");
  if (!llvm::sys::fs::exists(Runtime))
    return fail("no runtime library at " + Runtime +
                " (it is built with libtorch: configure with "
                "-DTRAINLINT_BUILD_RUNTIME=ON and -DTorch_DIR=...)");
  llvm::SmallString<256> RuntimeAbs(Runtime);
  llvm::sys::fs::make_absolute(RuntimeAbs);

  llvm::SmallString<256> Dir;
  bool TempDir = !O.DataDir;
  if (O.DataDir) {
    Dir = *O.DataDir;
    llvm::sys::fs::make_absolute(Dir);
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return fail(Dir.str().str() + ": " + EC.message());
  } else if (std::error_code EC = llvm::sys::fs::createUniqueDirectory(
                 "trainlint-validate", Dir)) {
    return fail("cannot create a temporary folder: " + EC.message());
  }
  const char *const Base = "runtime.json";
  {
    // Stale data from an earlier run in a kept folder would be misread.
    std::error_code EC;
    std::vector<std::string> Stale;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::path::filename(It->path()).starts_with(Base))
        Stale.push_back(It->path());
    for (const std::string &P : Stale)
      llvm::sys::fs::remove(P);
  }
  llvm::SmallString<256> OutPath(Dir);
  llvm::sys::path::append(OutPath, Base);

  validate::RunRequest Request;
  Request.Argv = *Parsed->AfterDashDash;
  Request.TimeoutSeconds = O.Timeout;
  std::string Preload = RuntimeAbs.str().str();
  if (std::optional<std::string> Old = llvm::sys::Process::GetEnv("LD_PRELOAD"))
    if (!Old->empty())
      Preload += ":" + *Old;
  uint64_t EvalBatches = 0;
  if (O.EvalBatches)
    EvalBatches = *O.EvalBatches;
  else if (llvm::any_of(Findings->Findings, [](const Finding &F) {
             return needsEvaluation(F.Check);
           }))
    EvalBatches = DefaultEvalBatches;
  Request.Env = {{"LD_PRELOAD", Preload},
                 {"TRAINLINT_RUNTIME_EVAL_BATCHES", std::to_string(EvalBatches)},
                 {"TRAINLINT_RUNTIME_EVAL_WAIT_MS",
                  std::to_string(uint64_t(O.EvalWait) * 1000)},
                 {"TRAINLINT_RUNTIME_OUT", OutPath.str().str()},
                 {"TRAINLINT_RUNTIME_STEPS", std::to_string(O.Steps)},
                 {"TRAINLINT_RUNTIME_STEP_ON", O.StepOn},
                 // The first process that loads the runtime is the root.
                 {"TRAINLINT_RUNTIME_ROOT_PID", std::nullopt}};
  llvm::outs().flush();
  validate::RunInfo Run;
  Run.Argv = Request.Argv;
  Run.StepsRequested = O.Steps;
  Run.StepOn = O.StepOn;
  Run.Exit = validate::runProgram(Request);
  if (Run.Exit.How == validate::ProgramExit::NotStarted) {
    if (TempDir)
      llvm::sys::fs::remove_directories(Dir);
    return fail("cannot run " + Run.Exit.Error);
  }

  std::vector<std::string> DataErrors;
  std::vector<validate::RuntimeData> All = readDataFiles(Dir, Base, DataErrors);
  for (const std::string &E : DataErrors)
    llvm::errs() << "trainlint validate: warning: " << E << "\n";
  Run.Primary = choosePrimary(All, OutPath);
  for (const validate::RuntimeData &D : All)
    Run.Processes.push_back(&D);

  validate::Validation V;
  int Status = ExitClean;
  if (!Run.Primary) {
    V.Warnings.push_back(
        "the runtime wrote no data: the program ended before the runtime "
        "loaded (is it dynamically linked?), was killed with SIGKILL, called "
        "_exit, or its libtorch could not take the runtime library (built "
        "against another libtorch)");
    for (const Finding &F : Findings->Findings) {
      validate::FindingResult R;
      R.Source = F;
      R.Result = validate::Status::NotCheckable;
      R.Reason = "no observations";
      V.Findings.push_back(std::move(R));
    }
    Status = ExitError;
  } else if (Run.Primary->EndReason == "refused") {
    llvm::errs() << "trainlint validate: error: " << Run.Primary->Message
                 << "\n";
    V.Warnings.push_back(Run.Primary->Message);
    for (const Finding &F : Findings->Findings) {
      validate::FindingResult R;
      R.Source = F;
      R.Result = validate::Status::NotCheckable;
      R.Reason = "the runtime refused the program's libtorch";
      V.Findings.push_back(std::move(R));
    }
    Status = ExitError;
  } else {
    validate::StackSymbolizer Symbolizer(*Run.Primary);
    std::map<std::string, std::string> Sources;
    auto SourceOf = [&Sources](llvm::StringRef File) -> const std::string & {
      auto It = Sources.find(File.str());
      if (It == Sources.end()) {
        std::string Error;
        std::optional<std::string> Text = readFile(File, Error);
        It = Sources.emplace(File.str(), Text.value_or("")).first;
      }
      return It->second;
    };
    validate::FunctionLookup Enclosing =
        [&SourceOf](llvm::StringRef File,
                    unsigned Line) -> std::optional<std::string> {
      return validate::enclosingFunctionName(SourceOf(File), Line);
    };
    validate::StatementEndLookup StatementEnd =
        [&SourceOf](llvm::StringRef File,
                    unsigned Line) -> std::optional<unsigned> {
      return validate::statementEndLine(SourceOf(File), Line);
    };
    V = validate::validateFindings(
        *Run.Primary,
        [&Symbolizer](unsigned Stack) -> const validate::SourceStack & {
          return Symbolizer.stack(Stack);
        },
        Findings->Findings, Enclosing, StatementEnd);
    for (const validate::FindingResult &F : V.Findings)
      if (F.Result == validate::Status::Confirmed)
        Status = ExitFindings;
  }
  if (All.size() > 1)
    V.Warnings.push_back(std::to_string(All.size()) +
                         " processes wrote observations; the report uses pid " +
                         std::to_string(Run.Primary ? Run.Primary->Pid : 0));

  if (O.Report)
    if (llvm::Error Err =
            writeFileAtomically(*O.Report, [&](llvm::raw_ostream &OS) {
              validate::writeJsonReport(OS, Run, V);
            }))
      return fail(llvm::toString(std::move(Err)));
  if (O.Html)
    if (llvm::Error Err =
            writeFileAtomically(*O.Html, [&](llvm::raw_ostream &OS) {
              validate::writeHtmlReport(OS, Run, V);
            }))
      return fail(llvm::toString(std::move(Err)));
  if (!O.Quiet && !(O.Report && *O.Report == "-"))
    validate::writeTextSummary(llvm::outs(), Run, V);
  if (TempDir)
    llvm::sys::fs::remove_directories(Dir);
  return Status;
}

} // namespace trainlint
