//===--- CheckCommand.cpp - `trainlint check`
//------------------------------===//
//
// Plans the translation units, analyzes them in worker processes, then turns
// the findings into the report: fingerprints, the baseline written or
// subtracted, the `--diff` filter, fix-its applied or shown, the chosen
// format written whole, and the exit status.
//
//===----------------------------------------------------------------------===//

#include "Analyzer.h"
#include "Arguments.h"
#include "Baseline.h"
#include "Commands.h"
#include "Fingerprint.h"
#include "Fixes.h"
#include "GitDiff.h"
#include "Output.h"
#include "Paths.h"
#include "ProjectHotPath.h"
#include "Runner.h"
#include "TranslationUnits.h"
#include "formats/Formats.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <thread>

namespace trainlint {

namespace {

enum class ColorMode { Auto, Always, Never };

struct CheckOptions {
  UnitSelection Selection;
  AnalysisOptions Analysis;
  unsigned Jobs = std::max(1u, std::thread::hardware_concurrency());
  OutputFormat Format = OutputFormat::Text;
  std::optional<std::string> Output;
  bool Fix = false;
  bool FixDryRun = false;
  std::optional<std::string> Baseline;
  std::optional<std::string> WriteBaseline;
  std::optional<std::string> DiffRevision;
  std::optional<Severity> FailLevel = Severity::Warning;
  std::optional<std::string> ProjectRoot;
  std::optional<std::string> ExportSummary;
  std::vector<std::string> Summaries;
  ColorMode Color = ColorMode::Auto;
  bool ShowProgress = true;
  bool ListFiles = false;
  bool Help = false;
  bool UseCache = true;
  bool UsePreamble = true;
  std::optional<std::string> CacheDir;
  uint64_t CacheBytes = DefaultCacheBytes;
  bool Stats = false;
};

std::vector<OptionSpec> checkOptionSpecs(CheckOptions &O) {
  auto Store = [](std::optional<std::string> &Out) {
    return [&Out](llvm::StringRef V) {
      Out = V.str();
      return std::string();
    };
  };
  auto Set = [](bool &Out, bool Value = true) {
    return [&Out, Value](llvm::StringRef) {
      Out = Value;
      return std::string();
    };
  };
  return {
      {{"-p", "--build-path"},
       "BUILD_DIR",
       "build directory with compile_commands.json (or the file itself)",
       [&O](llvm::StringRef V) {
         O.Selection.BuildPath = V.str();
         return std::string();
       }},
      {{"--checks"},
       "GLOBS",
       "check globs appended to those of .clang-tidy files (default: "
       "-*,torch-*,cuda-*)",
       Store(O.Analysis.Checks)},
      {{"--config"},
       "YAML",
       "a .clang-tidy configuration used instead of .clang-tidy files",
       Store(O.Analysis.Config)},
      {{"--level"},
       "LEVEL",
       "enable checks up to this level: 0, 1 (default), 2 or manual",
       [&O](llvm::StringRef V) {
         if (!parseLevel(V))
           return "invalid --level '" + V.str() +
                  "': expected 0, 1, 2 or manual";
         O.Analysis.Level = V.str();
         return std::string();
       }},
      {{"-j", "--jobs"},
       "N",
       "translation units analyzed at once (default: the number of cores)",
       [&O](llvm::StringRef V) {
         unsigned N;
         if (V.getAsInteger(10, N))
           return "invalid -j '" + V.str() + "': expected a number";
         if (N > 0)
           O.Jobs = N;
         return std::string();
       }},
      {{"--format"},
       "FORMAT",
       "text (default), json, sarif, codeclimate or github",
       [&O](llvm::StringRef V) {
         auto Format = parseOutputFormat(V);
         if (!Format)
           return "invalid --format '" + V.str() +
                  "': expected text, json, sarif, codeclimate or github";
         O.Format = *Format;
         return std::string();
       }},
      {{"-o", "--output"},
       "FILE",
       "write the report to FILE (written whole or not at all)",
       Store(O.Output)},
      {{"--fix"}, "", "apply the fix-its of the reported findings", Set(O.Fix)},
      {{"--fix-dry-run"},
       "",
       "print the fix-its as a unified diff on standard output instead",
       Set(O.FixDryRun)},
      {{"--baseline"},
       "FILE",
       "report only findings whose fingerprint is not in FILE",
       Store(O.Baseline)},
      {{"--write-baseline"},
       "FILE",
       "record today's findings in FILE (exit status 0 unless errors)",
       Store(O.WriteBaseline)},
      {{"--diff"},
       "REV",
       "report only findings on lines changed since git revision REV",
       Store(O.DiffRevision)},
      {{"--export-summary"},
       "FILE",
       "write the project's summary (its call graph and the findings that "
       "depend on it) to FILE, for 'merge --summary' and the plugin's "
       "trainlint.Summary",
       Store(O.ExportSummary)},
      summaryOption(O.Summaries, "also use the call graph of a summary from "
                                 "an earlier project run; repeatable"),
      {{"--shard"},
       "K/N",
       "analyze share K (1-based) of N of the translation units",
       [&O](llvm::StringRef V) {
         O.Selection.OnlyShard = parseShard(V);
         if (!O.Selection.OnlyShard)
           return "invalid --shard '" + V.str() +
                  "': expected K/N, 1 <= K <= N";
         return std::string();
       }},
      {{"--exclude"},
       "GLOB",
       "skip files matching GLOB (relative to the project root or the "
       "current directory); repeatable",
       [&O](llvm::StringRef V) {
         if (auto Glob = llvm::GlobPattern::create(V); !Glob)
           return "invalid --exclude '" + V.str() +
                  "': " + llvm::toString(Glob.takeError());
         O.Selection.Excludes.push_back(V.str());
         return std::string();
       }},
      failLevelOption(O.FailLevel),
      {{"--project-root"},
       "DIR",
       "root for relative paths and fingerprints (default: the git "
       "work tree or the current directory)",
       Store(O.ProjectRoot)},
      {{"--color"},
       "WHEN",
       "colour the text format: auto (default), always, never",
       [&O](llvm::StringRef V) {
         if (V == "auto")
           O.Color = ColorMode::Auto;
         else if (V == "always")
           O.Color = ColorMode::Always;
         else if (V == "never")
           O.Color = ColorMode::Never;
         else
           return "invalid --color '" + V.str() +
                  "': expected auto, always or never";
         return std::string();
       }},
      {{"--no-progress"},
       "",
       "no progress line, even on a terminal",
       [&O](llvm::StringRef) {
         O.ShowProgress = false;
         return std::string();
       }},
      {{"--no-cache"},
       "",
       "analyze every file, even those unchanged since the last run",
       Set(O.UseCache, false)},
      {{"--no-preamble"},
       "",
       "parse the system headers of each file anew instead of loading the "
       "shared precompiled preamble",
       Set(O.UsePreamble, false)},
      {{"--cache-dir"},
       "DIR",
       "keep the results and preambles in DIR (default: "
       ".trainlint-cache in the compile database's folder)",
       Store(O.CacheDir)},
      {{"--cache-size"},
       "SIZE",
       "keep the cache folder under SIZE bytes, with a K, M or G suffix "
       "(default: 4G); the least recently used go first",
       [&O](llvm::StringRef V) {
         std::optional<uint64_t> Bytes = parseByteSize(V);
         if (!Bytes)
           return "invalid --cache-size '" + V.str() +
                  "': expected a size such as 500M or 2G";
         O.CacheBytes = *Bytes;
         return std::string();
       }},
      {{"--stats"},
       "",
       "say on standard error how many files were analyzed and how many "
       "taken from the cache",
       Set(O.Stats)},
      {{"--list-files"},
       "",
       "print the translation units that would be analyzed, and stop",
       Set(O.ListFiles)},
      {{"-h", "--help"}, "", "show this help", Set(O.Help)},
  };
}

void printCheckHelp(llvm::ArrayRef<OptionSpec> Specs) {
  auto &OS = llvm::outs();
  OS << "usage: trainlint check [options] [FILES or FOLDERS...] [-- COMPILER "
        "FLAGS]\n\n"
        "Analyzes the translation units of a compile database (all of them,\n"
        "or the given files, or those under the given folders) with the\n"
        "checks of the chosen level. Flags after -- replace the compile\n"
        "database. Exit status: 0 no findings, 1 findings, 2 errors.\n\n"
        "options:\n";
  printOptionHelp(OS, Specs);
}

int usageError(const llvm::Twine &Message) {
  llvm::errs() << "trainlint check: error: " << Message
               << "\n(see 'trainlint check --help')\n";
  return ExitError;
}

bool colorFor(const CheckOptions &O) {
  switch (O.Color) {
  case ColorMode::Always:
    return true;
  case ColorMode::Never:
    return false;
  case ColorMode::Auto:
    return O.Format == OutputFormat::Text && (!O.Output || *O.Output == "-") &&
           llvm::sys::Process::StandardOutHasColors();
  }
  return false;
}

/// Drops findings by `--diff` and `--baseline`; problems become errors.
void filterFindings(const CheckOptions &O, Report &R) {
  if (O.DiffRevision) {
    std::string TopLevel;
    auto Changed =
        changedLinesSince(*O.DiffRevision, O.Selection.ProjectRoot, TopLevel);
    if (Changed)
      keepChangedLines(R.Findings, *Changed, TopLevel);
    else
      R.Errors.push_back({"", llvm::toString(Changed.takeError())});
  }
  if (O.Baseline) {
    auto Baseline = readBaseline(*O.Baseline);
    if (Baseline)
      subtractBaseline(R.Findings, *Baseline);
    else
      R.Errors.push_back(
          {"", "--baseline: " + llvm::toString(Baseline.takeError())});
  }
}

void handleFixes(const CheckOptions &O, Report &R, SourceCache &Sources) {
  FixSet Fixes = collectFixes(R.Findings);
  for (const Finding *F : Fixes.Conflicts)
    llvm::errs() << "trainlint: note: " << F->Where.File << ":" << F->Where.Line
                 << ":" << F->Where.Column << ": the fix-it of " << F->Check
                 << " overlaps another fix-it; not applied\n";
  if (O.FixDryRun) {
    writeFixDiff(Fixes, Sources, O.Selection.ProjectRoot, llvm::outs());
    llvm::outs().flush();
    return;
  }
  for (ToolError &E : applyFixes(Fixes, Sources))
    R.Errors.push_back(std::move(E));
}

int writeOutputs(const CheckOptions &O, Report &R, SourceCache &Sources) {
  EmitContext Ctx{O.Selection.ProjectRoot, &Sources, colorFor(O)};
  if (O.WriteBaseline) {
    Report Baseline;
    Baseline.Findings = R.Findings;
    if (llvm::Error Err =
            writeFileAtomically(*O.WriteBaseline, [&](llvm::raw_ostream &OS) {
              emitJson(Baseline, OS, Ctx);
            }))
      R.Errors.push_back(
          {"", "--write-baseline: " + llvm::toString(std::move(Err))});
  }
  filterFindings(O, R);
  if (O.Fix || O.FixDryRun)
    handleFixes(O, R, Sources);
  // With --fix-dry-run the diff owns standard output; the report goes only
  // to an --output file.
  if (!O.FixDryRun || O.Output)
    if (llvm::Error Err = writeFileAtomically(
            O.Output.value_or("-"),
            [&](llvm::raw_ostream &OS) { emitReport(O.Format, R, OS, Ctx); }))
      R.Errors.push_back({"", "--output: " + llvm::toString(std::move(Err))});
  printErrors(R);
  if (O.WriteBaseline)
    return R.Errors.empty() ? ExitClean : ExitError;
  return exitStatusFor(R, O.FailLevel);
}

int listFiles(const UnitPlan &Plan) {
  for (const TranslationUnit &Unit : Plan.Units)
    llvm::outs() << Unit.File << "\n";
  Report R;
  R.Errors = Plan.Errors;
  printErrors(R);
  return R.Errors.empty() ? ExitClean : ExitError;
}

/// Turns the candidates whose hot path crosses files into findings, with
/// the graphs of --summary files joined to the project's; a shard leaves
/// them to `trainlint merge`, which sees every shard's summary. Writes
/// --export-summary.
void decideAcrossFiles(const CheckOptions &O, ProjectSummary &Summary,
                       Report &R) {
  ProjectSummary Resolving = Summary;
  for (const std::string &Path : O.Summaries) {
    auto Earlier = readSummaryFile(Path);
    if (!Earlier) {
      R.Errors.push_back({"", "--summary: " + llvm::toString(Earlier.takeError())});
      continue;
    }
    // This run's functions are newer than the earlier run's.
    Resolving.Graph.merge(Earlier->Graph);
  }
  if (!O.Selection.OnlyShard)
    for (Finding &F : resolveCandidates(Resolving))
      R.Findings.push_back(std::move(F));
  else if (!O.ExportSummary && !Summary.Candidates.empty())
    llvm::errs() << "trainlint: note: " << Summary.Candidates.size()
                 << " possible findings depend on functions of other shards; "
                    "pass --export-summary and give the summaries to "
                    "'trainlint merge --summary'\n";
  if (O.ExportSummary)
    if (llvm::Error Err = writeFileAtomically(
            *O.ExportSummary,
            [&](llvm::raw_ostream &OS) { writeSummary(Summary, OS); }))
      R.Errors.push_back(
          {"", "--export-summary: " + llvm::toString(std::move(Err))});
}

} // namespace

OptionSpec failLevelOption(std::optional<Severity> &FailLevel) {
  return {{"--fail-level"},
          "LEVEL",
          "exit with 1 for findings at or above: note, warning (default), "
          "error or none",
          [&FailLevel](llvm::StringRef V) {
            if (V == "none") {
              FailLevel.reset();
              return std::string();
            }
            std::optional<Severity> Level = parseSeverity(V);
            if (!Level)
              return "invalid --fail-level '" + V.str() +
                     "': expected note, warning, error or none";
            FailLevel = *Level;
            return std::string();
          }};
}

OptionSpec summaryOption(std::vector<std::string> &Summaries,
                         llvm::StringRef Help) {
  return {{"--summary"}, "FILE", Help, [&Summaries](llvm::StringRef V) {
            Summaries.push_back(V.str());
            return std::string();
          }};
}

int exitStatusFor(const Report &R, std::optional<Severity> FailLevel) {
  if (!R.Errors.empty())
    return ExitError;
  if (FailLevel && llvm::any_of(R.Findings, [&](const Finding &F) {
        return F.Sev >= *FailLevel;
      }))
    return ExitFindings;
  return ExitClean;
}

void printErrors(const Report &R) {
  for (const ToolError &E : R.Errors) {
    llvm::errs() << "trainlint: error: ";
    if (!E.File.empty())
      llvm::errs() << E.File << ": ";
    llvm::errs() << E.Message << "\n";
  }
}

int runCheckCommand(llvm::ArrayRef<const char *> Args,
                    llvm::StringRef Executable) {
  CheckOptions O;
  std::vector<OptionSpec> Specs = checkOptionSpecs(O);
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/true);
  if (!Parsed)
    return usageError(llvm::toString(Parsed.takeError()));
  if (O.Help) {
    printCheckHelp(Specs);
    return ExitClean;
  }
  if (O.Fix && O.FixDryRun)
    return usageError("--fix and --fix-dry-run exclude each other");
  std::string Problem = validateAnalysisOptions(O.Analysis);
  if (!Problem.empty())
    return usageError(Problem);
  O.Selection.Paths = Parsed->Positional;
  O.Selection.FixedFlags = Parsed->AfterDashDash;
  O.Selection.ProjectRoot =
      O.ProjectRoot ? absolutePath(*O.ProjectRoot) : detectProjectRoot();

  UnitPlan Plan = planTranslationUnits(O.Selection);
  if (O.ListFiles)
    return listFiles(Plan);
  RunnerOptions Run;
  Run.Jobs = O.Jobs;
  Run.Analysis = O.Analysis;
  Run.ShowProgress =
      O.ShowProgress && llvm::sys::Process::StandardErrIsDisplayed();
  Run.ProjectRoot = O.Selection.ProjectRoot;
  std::string CacheDir = cacheFolder(O.CacheDir, Plan.DatabaseDirectory);
  std::optional<ResultCache> Cache;
  if (!CacheDir.empty()) {
    Cache.emplace(CacheDir, O.CacheBytes, O.Analysis, Executable);
    if (O.UseCache)
      Run.Cache = &*Cache;
    if (O.UsePreamble)
      Run.PreambleDirectory = Cache->preambleDirectory();
  }
  ProjectSummary Summary;
  Summary.ProjectRoot = O.Selection.ProjectRoot;
  RunStats Stats;
  Report R =
      runTranslationUnits(Plan.Units, Run, Executable, Summary.Graph, &Stats);
  if (O.Stats)
    llvm::errs() << "trainlint: " << Plan.Units.size()
                 << " translation units: " << Stats.Analyzed << " analyzed ("
                 << Stats.WithPreamble << " with a shared preamble), "
                 << Stats.FromCache << " from the cache\n";
  Summary.Candidates = takeCandidates(R);
  for (ToolError &E : Plan.Errors)
    R.Errors.push_back(std::move(E));
  decideAcrossFiles(O, Summary, R);
  R.normalize();
  SourceCache Sources;
  assignFingerprints(R.Findings, O.Selection.ProjectRoot, Sources);
  return writeOutputs(O, R, Sources);
}

} // namespace trainlint
