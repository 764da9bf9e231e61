//===--- Fixes.h - applying fix-its, or showing them as a diff --*- C++ -*-===//

#ifndef TRAINLINT_TOOL_FIXES_H
#define TRAINLINT_TOOL_FIXES_H

#include "Finding.h"
#include "SourceCache.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

namespace trainlint {

/// The fix-its of a set of findings, grouped by file. A finding's fix-it is
/// taken whole or not at all: one that overlaps a fix-it already taken is
/// left out (and named in Conflicts), since applying both could break the
/// code. A finding from a file that does not compile gives none.
struct FixSet {
  std::map<std::string, clang::tooling::Replacements> ByFile;
  std::vector<const Finding *> Conflicts;
  unsigned Taken = 0;
};

FixSet collectFixes(llvm::ArrayRef<Finding> Findings);

/// Applies \p Fixes to the files, each written whole or not at all. Returns
/// an error per file that could not be fixed.
std::vector<ToolError> applyFixes(const FixSet &Fixes, SourceCache &Sources);

/// Writes \p Fixes as a unified diff (three lines of context) with paths
/// relative to \p Root, as `git apply` and `patch -p1` take it there.
void writeFixDiff(const FixSet &Fixes, SourceCache &Sources,
                  llvm::StringRef Root, llvm::raw_ostream &OS);

/// The unified diff of \p Replaces applied to \p Code, hunks only.
std::string unifiedDiffHunks(llvm::StringRef Code,
                             const clang::tooling::Replacements &Replaces);

} // namespace trainlint

#endif // TRAINLINT_TOOL_FIXES_H
