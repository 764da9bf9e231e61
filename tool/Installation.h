//===--- Installation.h - where trainlint's own files lie -------*- C++ -*-===//
//
// The files that ship with the executable (the clang-tidy plugin, the
// runtime validator library) are found from the executable's own location,
// so that an installed tree works wherever it is put.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_INSTALLATION_H
#define TRAINLINT_TOOL_INSTALLATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace trainlint {

/// The library \p Name that ships with this executable: `lib/trainlint/NAME`
/// next to its `bin/` when installed (`cmake --install`, the package), else
/// `lib/NAME` of the build tree. When neither exists, the installed path, so
/// that an error names where it was expected.
std::string bundledLibrary(llvm::StringRef Name);

/// `trainlint --version`: trainlint's version, the LLVM it was built
/// against, and the libtorch its runtime validator was built for.
void printVersion(llvm::raw_ostream &OS);

/// `trainlint plugin-path`: prints the clang-tidy plugin's path, for
/// `clang-tidy --load=$(trainlint plugin-path)`.
int runPluginPathCommand(llvm::ArrayRef<const char *> Args);

} // namespace trainlint

#endif // TRAINLINT_TOOL_INSTALLATION_H
