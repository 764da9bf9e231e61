//===--- Baseline.h - findings accepted earlier -----------------*- C++ -*-===//
//
// A baseline is a JSON report (`--write-baseline FILE`); `--baseline FILE`
// then reports only findings whose fingerprint it does not hold, so that a
// team can adopt trainlint on an existing codebase and gate new code only.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_BASELINE_H
#define TRAINLINT_TOOL_BASELINE_H

#include "Finding.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

namespace trainlint {

/// The fingerprints recorded in the baseline file \p Path.
llvm::Expected<llvm::StringSet<>> readBaseline(llvm::StringRef Path);

/// Drops the findings whose fingerprint is in \p Baseline.
void subtractBaseline(std::vector<Finding> &Findings,
                      const llvm::StringSet<> &Baseline);

} // namespace trainlint

#endif // TRAINLINT_TOOL_BASELINE_H
