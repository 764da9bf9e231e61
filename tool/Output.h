//===--- Output.h - files written whole or not at all -----------*- C++ -*-===//

#ifndef TRAINLINT_TOOL_OUTPUT_H
#define TRAINLINT_TOOL_OUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace trainlint {

/// Writes \p Path through a temporary file in the same directory that is
/// renamed over it, so that readers see the old file or the new one, never
/// a part. An existing file keeps its permissions. "-" is standard output.
llvm::Error
writeFileAtomically(llvm::StringRef Path,
                    llvm::function_ref<void(llvm::raw_ostream &)> Write);

/// Removes a temporary file or folder, as far as it can: one left behind is
/// harmless.
void removeTemporary(llvm::StringRef Path);

} // namespace trainlint

#endif // TRAINLINT_TOOL_OUTPUT_H
