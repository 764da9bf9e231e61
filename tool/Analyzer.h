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
#include "llvm/Support/VirtualFileSystem.h"
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
  /// Sets the `trainlint.Summary` check option: a project run's summary
  /// whose graph joins each unit's (the plugin's way, which the editor
  /// server takes; `check --summary` joins graphs after the run instead).
  std::optional<std::string> Summary;
};

/// What a run asks of the analysis of one unit beyond its findings.
struct UnitRunOptions {
  /// Where shared preambles (Preamble.h) are kept; empty: none is used.
  std::string PreambleDirectory;
  /// Receives every file the analysis read, absolute, the preamble's
  /// included.
  std::vector<std::string> *Inputs = nullptr;
  /// Set when the unit was analyzed with a preamble.
  bool UsedPreamble = false;
  /// Files read from here rather than from disk (the editor's buffers),
  /// laid over the real file system; null: the disk only.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Overlay;
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
/// With \p Run, the unit's leading system headers come from a shared
/// preamble when they can (a unit that does not compile with it is analyzed
/// again without it, so that the preamble never changes a finding), and the
/// files read are recorded.
Report analyzeTranslationUnit(const TranslationUnit &Unit,
                              const AnalysisOptions &Options,
                              ProjectGraph *UnitGraph = nullptr,
                              UnitRunOptions *Run = nullptr);

/// Turns what clang-tidy reported for \p Unit into findings (trainlint's
/// checks only, each with its warning's own fix-it; a note's fix-it is the
/// note's Suggestion) and errors (the unit does not compile, the
/// configuration is invalid). The findings of a unit that does not compile
/// are marked FromFileWithErrors and lose their fix-its and suggestions.
/// Lines and columns are those of the files as \p Files has them (the real
/// file system when null).
Report convertClangTidyErrors(
    llvm::ArrayRef<clang::tidy::ClangTidyError> Errors,
    const TranslationUnit &Unit,
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files = nullptr);

} // namespace trainlint

#endif // TRAINLINT_TOOL_ANALYZER_H
