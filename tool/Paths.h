//===--- Paths.h - file paths as the tool reports them ----------*- C++ -*-===//

#ifndef TRAINLINT_TOOL_PATHS_H
#define TRAINLINT_TOOL_PATHS_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace trainlint {

/// \p Path made absolute against \p Base (the current directory when empty),
/// with `.` and `..` removed.
std::string absolutePath(llvm::StringRef Path, llvm::StringRef Base = "");

/// The project root when none is given: the nearest directory above the
/// current one that holds `.git`, else the current directory.
std::string detectProjectRoot();

/// \p Path relative to \p Root with '/' separators when it lies under it,
/// else \p Path unchanged. Symbolic links are resolved on both sides when
/// the plain comparison fails.
std::string relativeToRoot(llvm::StringRef Path, llvm::StringRef Root);

/// A `file://` URI for an absolute path, percent-encoding what needs it.
std::string fileUri(llvm::StringRef AbsolutePath);

/// The path a `file://` URI names, or the empty string.
std::string pathFromFileUri(llvm::StringRef Uri);

/// Percent-encodes \p Path for use as a relative URI reference.
std::string uriEncodePath(llvm::StringRef Path);

/// Decodes `%XX` escapes.
std::string uriDecode(llvm::StringRef Text);

} // namespace trainlint

#endif // TRAINLINT_TOOL_PATHS_H
