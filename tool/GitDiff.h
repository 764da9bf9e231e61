//===--- GitDiff.h - the lines changed since a git revision -----*- C++ -*-===//

#ifndef TRAINLINT_TOOL_GITDIFF_H
#define TRAINLINT_TOOL_GITDIFF_H

#include "Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include <utility>
#include <vector>

namespace trainlint {

/// Lines added or changed, by path relative to the repository's top level.
class ChangedLines {
public:
  /// Reads the output of `git diff -U0`.
  void addUnifiedDiff(llvm::StringRef Diff);
  /// Marks every line of \p RelativePath as changed (a file git does not
  /// track yet).
  void addWholeFile(llvm::StringRef RelativePath);

  bool contains(llvm::StringRef RelativePath, unsigned Line) const;

private:
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Ranges;
  llvm::StringSet<> WholeFiles;
};

/// The working tree's changes since \p Revision in the git repository that
/// holds \p Dir, including untracked files.
llvm::Expected<ChangedLines> changedLinesSince(llvm::StringRef Revision,
                                               llvm::StringRef Dir,
                                               std::string &TopLevel);

/// Keeps the findings whose line \p Changed contains; \p TopLevel is the
/// repository's top level.
void keepChangedLines(std::vector<Finding> &Findings,
                      const ChangedLines &Changed, llvm::StringRef TopLevel);

} // namespace trainlint

#endif // TRAINLINT_TOOL_GITDIFF_H
