//===--- Arguments.h - a small command-line parser --------------*- C++ -*-===//
//
// Each subcommand declares its options as a table; the parser accepts
// `--name=value`, `--name value`, `-x value` and `-xvalue`, collects the
// positional arguments and, where allowed, everything after `--`.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_ARGUMENTS_H
#define TRAINLINT_TOOL_ARGUMENTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trainlint {

struct OptionSpec {
  /// Spellings: "--format", "-j". A short spelling also takes `-j8`.
  std::vector<llvm::StringRef> Names;
  /// The value's name in help, or empty for a flag.
  llvm::StringRef ValueName;
  llvm::StringRef Help;
  /// Applies a value (empty for a flag); returns an error message or "".
  std::function<std::string(llvm::StringRef Value)> Apply;
  bool Hidden = false;
};

struct ParsedArguments {
  std::vector<std::string> Positional;
  /// What followed `--`, when it was given.
  std::optional<std::vector<std::string>> AfterDashDash;
};

/// Parses \p Args against \p Specs. `--` is accepted when \p AllowDashDash.
llvm::Expected<ParsedArguments>
parseArguments(llvm::ArrayRef<const char *> Args,
               llvm::ArrayRef<OptionSpec> Specs, bool AllowDashDash);

/// Parses \p Args of a command that takes options and no other arguments;
/// prints `trainlint COMMAND: error: ...` and returns false for a bad one.
bool parseOptionsOnly(llvm::ArrayRef<const char *> Args,
                      llvm::ArrayRef<OptionSpec> Specs,
                      llvm::StringRef Command);

/// The `-h, --help` flag, which sets \p Help.
OptionSpec helpOption(bool &Help);

/// Writes the options of \p Specs as help text.
void printOptionHelp(llvm::raw_ostream &OS, llvm::ArrayRef<OptionSpec> Specs);

} // namespace trainlint

#endif // TRAINLINT_TOOL_ARGUMENTS_H
