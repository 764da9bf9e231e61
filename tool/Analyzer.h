//===--- Analyzer.h - runs the checks over one translation unit -*- C++ -*-===//
//
// The in-process half of `trainlint check`: clang-tidy's library with only
// the trainlint module registered, configured the way clang-tidy is
// (`.clang-tidy` files, CheckOptions, `--checks`, `--config`), NOLINT
// honoured by clang-tidy's diagnostic consumer. Each translation unit runs
// in a worker process of its own (see Runner.h), so a crash loses only it.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_ANALYZER_H
#define TRAINLINT_TOOL_ANALYZER_H

#include "Finding.h"
#include "TranslationUnits.h"
#include "model/ProjectGraph.h"
#include <optional>
#include <string>

namespace clang::tidy {
struct ClangTidyError;
} // namespace clang::tidy

namespace trainlint {

/// The checks a run enables when neither `--checks` nor a `.clang-tidy`
/// says otherwise.
inline constexpr llvm::StringLiteral DefaultChecks = "-*,torch-*,cuda-*";

/// How the checks are configured, the same for every translation unit.
struct AnalysisOptions {
  /// `--checks`: appended to the Checks of `.clang-tidy` files.
  std::optional<std::string> Checks;
  /// `--config`: used instead of `.clang-tidy` files.
  std::optional<std::string> Config;
  /// `--level`: sets the `trainlint.Level` check option.
  std::optional<std::string> Level;
};

/// Checks that \p Options can configure a run (a `--config` that parses);
/// returns a message or the empty string.
std::string validateAnalysisOptions(const AnalysisOptions &Options);

/// Runs the enabled checks over \p Unit. Findings have no fingerprints yet;
/// errors name what kept the unit from being analyzed, or from being
/// analyzed whole (a unit that does not compile is analyzed as far as it
/// parses, a missing `#include` being an ordinary error rather than a fatal
/// one). With \p UnitGraph, the run is part of a project run: findings whose
/// hot path only the project can decide come back as candidates
/// (ProjectHotPath.h), and the unit's graph is stored there.
Report analyzeTranslationUnit(const TranslationUnit &Unit,
                              const AnalysisOptions &Options,
                              ProjectGraph *UnitGraph = nullptr);

/// Turns what clang-tidy reported for \p Unit into findings (trainlint's
/// checks only, each with its warning's own fix-it and never a note's) and
/// errors (the unit does not compile, the configuration is invalid). The
/// findings of a unit that does not compile are marked FromFileWithErrors
/// and lose their fix-its.
Report
convertClangTidyErrors(llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
                       const TranslationUnit &Unit);

} // namespace trainlint

#endif // TRAINLINT_TOOL_ANALYZER_H
