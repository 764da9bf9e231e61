//===--- BufferAnalyzer.h - the checks over an editor's buffer --*- C++ -*-===//
//
// The analysis half of `trainlint lsp`: runs the checks over the text the
// editor holds for a file (every other file read from disk), with the file's
// command from the nearest compile database or a fallback, and the project's
// summary when the build folder has one. It lives as long as the server, so
// it keeps per file what a later analysis of the same file can reuse: the
// preamble (the includes at the top, precompiled in memory, as clangd does).
//
// Where things are looked for:
// - the compile database: AnalyzerSettings::CompileCommandsDir, else the
//   nearest `compile_commands.json` in the file's folder or above it, or in a
//   `build/` folder of one of them (where CMake users keep it);
// - the summary: AnalyzerSettings::SummaryPath, else `trainlint-summary.json`
//   (SummaryFileName) in the compile database's folder, as
//   `trainlint check -p build --export-summary build/trainlint-summary.json`
//   writes it.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_LSP_BUFFERANALYZER_H
#define TRAINLINT_TOOL_LSP_BUFFERANALYZER_H

#include "Analyzer.h"
#include "Finding.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringRef.h"
#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace trainlint::lsp {

/// The summary's name in the compile database's folder.
inline constexpr llvm::StringLiteral SummaryFileName = "trainlint-summary.json";

struct AnalyzerSettings {
  /// `-p` / initializationOptions.compilationDatabasePath: a folder with a
  /// compile_commands.json, or the file itself; empty: search upward from
  /// each file.
  std::string CompileCommandsDir;
  /// checks / config / level (from initializationOptions or
  /// didChangeConfiguration).
  AnalysisOptions Analysis;
  /// Explicit; empty: SummaryFileName in the compile database's folder.
  std::string SummaryPath;
};

struct BufferResult {
  /// Findings located in this file only, and errors (logged, not shown).
  Report Result;
  /// The main file's parse reused a preamble kept from an earlier analysis
  /// or built for this one.
  bool UsedPreamble = false;
  /// "compile_commands.json in <dir>" or "fallback command" (for the log).
  std::string CommandSource;
  /// The summary whose graph joined the file's, empty when none.
  std::string SummaryPath;
};

/// The compile command for \p File and where it came from (see the file
/// comment), with \p CompileCommandsDir as AnalyzerSettings says. Never fails:
/// a file no database covers gets fallbackCommand.
struct CommandForFile {
  clang::tooling::CompileCommand Command;
  std::string Source;
  /// The folder of the compile database; empty for the fallback.
  std::string DatabaseDirectory;
};
CommandForFile findCompileCommand(llvm::StringRef File,
                                  llvm::StringRef CompileCommandsDir);

/// The command for a file no compile database covers: clang++ with C++17,
/// libtorch's include folders (those found when trainlint was built), and
/// for `.cu` files CUDA's include folder and `-x cuda`.
clang::tooling::CompileCommand fallbackCommand(llvm::StringRef File);

/// One per server; analyze() is called from one worker thread at a time.
class BufferAnalyzer {
public:
  explicit BufferAnalyzer(AnalyzerSettings Settings);
  ~BufferAnalyzer();
  BufferAnalyzer(const BufferAnalyzer &) = delete;
  BufferAnalyzer &operator=(const BufferAnalyzer &) = delete;

  /// Also drops cached configuration (`.clang-tidy` re-read) and commands.
  void updateSettings(AnalyzerSettings Settings);

  /// Analyzes \p File with \p Contents as its text (every other file from
  /// disk). Polls \p Cancelled between phases; std::nullopt when cancelled.
  std::optional<BufferResult> analyze(llvm::StringRef File,
                                      llvm::StringRef Contents,
                                      const std::atomic<bool> &Cancelled);

  /// didClose: drops the file's preamble.
  void forget(llvm::StringRef File);

  /// How many preambles were built since the analyzer was made (for tests
  /// and the log).
  unsigned preambleBuilds() const;

private:
  struct State;
  std::unique_ptr<State> S;
};

} // namespace trainlint::lsp

#endif // TRAINLINT_TOOL_LSP_BUFFERANALYZER_H
