//===--- Commands.h - the subcommands of `trainlint` ------------*- C++ -*-===//
//
// Each takes its arguments without the program name and the subcommand's
// name, and returns the exit status: 0 nothing to report, 1 findings at or
// above the fail level, 2 a usage or tool error.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_COMMANDS_H
#define TRAINLINT_TOOL_COMMANDS_H

#include "Arguments.h"
#include "Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include <optional>

namespace trainlint {

enum ExitStatus { ExitClean = 0, ExitFindings = 1, ExitError = 2 };

/// `trainlint check`; \p Executable starts the workers.
int runCheckCommand(llvm::ArrayRef<const char *> Args,
                    llvm::StringRef Executable);
int runMergeCommand(llvm::ArrayRef<const char *> Args);
int runListChecksCommand(llvm::ArrayRef<const char *> Args);
/// `trainlint lsp`: its status is the server's (0 after an orderly
/// shutdown, 1 when the client left without one), 2 for bad arguments.
int runLspCommand(llvm::ArrayRef<const char *> Args);

/// The `--fail-level` option of the commands that report: note, warning,
/// error, or none (never fail).
OptionSpec failLevelOption(std::optional<Severity> &FailLevel);

/// The repeatable `--summary FILE` option of the commands that decide the
/// project's hot path, described by \p Help (which must outlive it: a
/// string literal).
OptionSpec summaryOption(std::vector<std::string> &Summaries,
                         llvm::StringRef Help);

/// The exit status for \p R: 2 with errors, 1 with a finding at or above
/// \p FailLevel (none: never), else 0.
int exitStatusFor(const Report &R, std::optional<Severity> FailLevel);

/// Prints each error on standard error as `trainlint: error: FILE: message`.
void printErrors(const Report &R);

} // namespace trainlint

#endif // TRAINLINT_TOOL_COMMANDS_H
