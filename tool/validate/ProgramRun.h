//===--- ProgramRun.h - running the observed program ------------*- C++ -*-===//

#ifndef TRAINLINT_TOOL_VALIDATE_PROGRAMRUN_H
#define TRAINLINT_TOOL_VALIDATE_PROGRAMRUN_H

#include "validate/ReportWriter.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trainlint {
namespace validate {

struct RunRequest {
  std::vector<std::string> Argv;
  /// Variables to set (an empty optional removes the variable).
  std::vector<std::pair<std::string, std::optional<std::string>>> Env;
  /// After this many seconds the program gets SIGTERM, five seconds later
  /// SIGKILL. 0: no limit.
  unsigned TimeoutSeconds = 0;
};

/// Runs the program with this process's standard streams and waits for it.
/// The program is looked up in PATH like a shell would. While it runs, this
/// process ignores SIGINT and SIGQUIT (the terminal sends them to the
/// program too, which ends and still gets its report).
ProgramExit runProgram(const RunRequest &Request);

} // namespace validate
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_PROGRAMRUN_H
