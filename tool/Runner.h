//===--- Runner.h - translation units in worker processes -------*- C++ -*-===//
//
// `trainlint check` analyzes each translation unit in a child process (the
// same executable, `trainlint __analyze JOB RESULT`), N at a time. A unit
// that crashes its worker becomes an error for that file; the others are
// still reported. Results are gathered in unit order, so the report does not
// depend on which worker finishes first.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_RUNNER_H
#define TRAINLINT_TOOL_RUNNER_H

#include "Analyzer.h"
#include "Finding.h"
#include "ResultCache.h"
#include "TranslationUnits.h"
#include "model/ProjectGraph.h"
#include "llvm/ADT/ArrayRef.h"

namespace trainlint {

struct RunnerOptions {
  unsigned Jobs = 1;
  AnalysisOptions Analysis;
  /// Files done of total, the current file and the time left, on standard
  /// error.
  bool ShowProgress = false;
  /// Progress names files relative to it.
  std::string ProjectRoot;
  /// Takes the analyses of unchanged units from here and keeps the new ones;
  /// none when null.
  ResultCache *Cache = nullptr;
  /// Where the shared preambles are kept; empty: none is used.
  std::string PreambleDirectory;
};

/// How the units of a run were analyzed, for `--stats`.
struct RunStats {
  size_t Analyzed = 0;
  size_t WithPreamble = 0;
  size_t FromCache = 0;
};

/// Analyzes \p Units with workers started from \p Executable, as one
/// project run: the findings whose hot path only the project can decide come
/// back as candidates (ProjectHotPath.h), and \p Graph receives the units'
/// graphs. \p Stats, when given, counts the units analyzed and those taken
/// from the cache.
Report runTranslationUnits(llvm::ArrayRef<TranslationUnit> Units,
                           const RunnerOptions &Options,
                           llvm::StringRef Executable, ProjectGraph &Graph,
                           RunStats *Stats = nullptr);

/// The worker: `trainlint __analyze JOB RESULT GRAPH INPUTS` reads the job
/// file, analyzes its unit and writes the JSON report to RESULT, the unit's
/// graph to GRAPH and the files it read to INPUTS. For tests only, the
/// environment variable TRAINLINT_TEST_CRASH_IN=NAME makes the worker abort
/// on a unit whose file name is NAME.
int runAnalyzeCommand(llvm::ArrayRef<const char *> Args);

} // namespace trainlint

#endif // TRAINLINT_TOOL_RUNNER_H
