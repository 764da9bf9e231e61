//===--- TranslationUnits.h - what `trainlint check` analyzes ---*- C++ -*-===//
//
// Turns the command line (a build directory, files and folders, `--` flags,
// exclusions, a shard) into translation units with their compile commands,
// and each input it cannot analyze into an error naming the file and why.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_TRANSLATIONUNITS_H
#define TRAINLINT_TOOL_TRANSLATIONUNITS_H

#include "Finding.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <optional>
#include <string>
#include <vector>

namespace trainlint {

/// One translation unit to analyze.
struct TranslationUnit {
  /// Absolute, without `.` or `..`.
  std::string File;
  clang::tooling::CompileCommand Command;
};

/// A compile database of one command, whatever file is asked: the one the
/// planner chose for a unit, or a command made from it.
class SingleCommandDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(clang::tooling::CompileCommand Command)
      : Command(std::move(Command)) {}

  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  clang::tooling::CompileCommand Command;
};

/// Share K (1-based) of N of the translation units.
struct Shard {
  unsigned Index = 1;
  unsigned Count = 1;
};

/// Parses "K/N" with 1 <= K <= N.
std::optional<Shard> parseShard(llvm::StringRef Text);

/// Whether the file at \p RelativePath (relative to the project root, so
/// that every machine of a CI matrix agrees) belongs to \p S.
bool inShard(llvm::StringRef RelativePath, Shard S);

/// Why \p Command does not compile C++ or CUDA (for example "it compiles
/// C"), or the empty string when it does.
std::string whyNotCxx(const clang::tooling::CompileCommand &Command);

struct UnitSelection {
  /// `-p`: a build directory or a compile_commands.json.
  std::optional<std::string> BuildPath;
  /// Files and folders; empty means every file of the compile database.
  std::vector<std::string> Paths;
  /// The compiler flags after `--`, used for every file when given.
  std::optional<std::vector<std::string>> FixedFlags;
  /// Glob patterns over paths relative to the project root or the current
  /// directory, or absolute.
  std::vector<std::string> Excludes;
  std::optional<Shard> OnlyShard;
  std::string ProjectRoot;
};

struct UnitPlan {
  std::vector<TranslationUnit> Units;
  std::vector<ToolError> Errors;
  /// The folder of the compile database (or compile_flags.txt); empty for
  /// the flags after `--`.
  std::string DatabaseDirectory;
};

/// The translation units to analyze, sorted by path, and the inputs that
/// cannot be analyzed.
UnitPlan planTranslationUnits(const UnitSelection &Selection);

} // namespace trainlint

#endif // TRAINLINT_TOOL_TRANSLATIONUNITS_H
