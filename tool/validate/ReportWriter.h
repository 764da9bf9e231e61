//===--- ReportWriter.h - the validation report's three forms ---*- C++ -*-===//
//
// JSON (schema in docs/validator.md), a self-contained HTML page (inline CSS
// and SVG, nothing fetched) and the text summary printed after the run.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_VALIDATE_REPORTWRITER_H
#define TRAINLINT_TOOL_VALIDATE_REPORTWRITER_H

#include "validate/Validation.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace trainlint {
namespace validate {

/// How the observed program ended, as its parent saw it.
struct ProgramExit {
  enum Kind { NotStarted, Exited, Signaled, TimedOut } How = NotStarted;
  int Code = 0;
  int Signal = 0;
  std::string Error;
};

/// One process that wrote a data file.
struct ProcessData {
  RuntimeData Data;
  bool Primary = false;
};

/// Everything about the run besides the judgement.
struct RunInfo {
  std::vector<std::string> Argv;
  ProgramExit Exit;
  uint64_t StepsRequested = 0;
  std::string StepOn = "optimizer";
  /// The data the judgement used; null when no process wrote any.
  const RuntimeData *Primary = nullptr;
  std::vector<const RuntimeData *> Processes;
};

/// The run's end in a word: "steps-reached", "exit", "signal", "refused",
/// "timed-out" or "no-data".
std::string endName(const RunInfo &Run);
/// The name of \p Signal ("SIGSEGV"), or "signal N" where it has none.
std::string describeSignal(int Signal);

void writeJsonReport(llvm::raw_ostream &OS, const RunInfo &Run,
                     const Validation &V);
void writeHtmlReport(llvm::raw_ostream &OS, const RunInfo &Run,
                     const Validation &V);
void writeTextSummary(llvm::raw_ostream &OS, const RunInfo &Run,
                      const Validation &V);

} // namespace validate
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_REPORTWRITER_H
