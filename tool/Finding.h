//===--- Finding.h - what one run of trainlint reports ----------*- C++ -*-===//
//
// The one type every front end of the tool shares: the analysis produces
// findings and errors, the emitters turn them into text, JSON, SARIF, GitLab
// code quality or GitHub annotations, and the readers turn JSON and SARIF
// back into them (for `merge` and `--baseline`).
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_FINDING_H
#define TRAINLINT_TOOL_FINDING_H

#include "CheckList.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace trainlint {

/// How serious a finding is. Checks report warnings; `WarningsAsErrors` in a
/// `.clang-tidy` turns some into errors.
enum class Severity { Note = 0, Warning = 1, Error = 2 };

llvm::StringRef severityName(Severity Sev);

/// The documentation page of \p Check, under the docs URL the build names:
/// SARIF's rule help and the editor's link on a diagnostic.
std::string checkDocsUrl(llvm::StringRef Check);
std::optional<Severity> parseSeverity(llvm::StringRef Text);

/// A place in a source file. Lines and columns are 1-based; columns count
/// bytes, as clang's do.
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  friend bool operator<(const Location &A, const Location &B) {
    return std::tie(A.File, A.Line, A.Column) <
           std::tie(B.File, B.Line, B.Column);
  }
  friend bool operator==(const Location &A, const Location &B) {
    return std::tie(A.File, A.Line, A.Column) ==
           std::tie(B.File, B.Line, B.Column);
  }
};

/// One edit of a fix-it: replace Length bytes at Offset (0-based) with
/// Replacement. Where is the same place as a line and column.
struct FixIt {
  Location Where;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Replacement;

  friend bool operator==(const FixIt &A, const FixIt &B) {
    return A.Where == B.Where && A.Offset == B.Offset && A.Length == B.Length &&
           A.Replacement == B.Replacement;
  }
};

/// An explanation attached to a finding (the loop that makes it hot, the
/// call that leads there, a suggestion too unsure to be a fix-it).
struct Note {
  std::string Message;
  Location Where;
  /// A suggestion the check is not certain of (a rewrite that needs the
  /// user's judgement): never applied by `--fix`, offered by the editor
  /// server as an action the user chooses.
  std::vector<FixIt> Suggestion;

  friend bool operator==(const Note &A, const Note &B) {
    return A.Message == B.Message && A.Where == B.Where;
  }
};

/// One diagnostic of one check.
struct Finding {
  std::string Check;
  CheckLevel Level = CheckLevel::Level1;
  Severity Sev = Severity::Warning;
  std::string Message;
  Location Where;
  std::vector<Note> Notes;
  /// The edits of the check's fix-it; all or none are applied. Suggestions
  /// on notes are never here.
  std::vector<FixIt> FixIts;
  /// Stable under edits elsewhere in the file; see Fingerprint.h.
  std::string Fingerprint;
  /// Reported from a translation unit that does not compile. Its AST is
  /// incomplete, so the finding may be a false alarm (and others may be
  /// missing); it never has fix-its. Not part of the fingerprint.
  bool FromFileWithErrors = false;
};

/// What every format says of a finding marked FromFileWithErrors.
inline constexpr llvm::StringLiteral FromFileWithErrorsNote =
    "reported from a file that does not compile; the analysis may be "
    "incomplete";

bool operator==(const Finding &A, const Finding &B);
/// The report order: by file, line, column, then check and message.
bool operator<(const Finding &A, const Finding &B);

/// A problem with the input or the tool, for one file or (File empty) for
/// the whole run: a missing compile database, a file that does not parse, a
/// crash. Any error makes the exit status 2.
struct ToolError {
  std::string File;
  std::string Message;

  friend bool operator<(const ToolError &A, const ToolError &B) {
    return std::tie(A.File, A.Message) < std::tie(B.File, B.Message);
  }
  friend bool operator==(const ToolError &A, const ToolError &B) {
    return A.File == B.File && A.Message == B.Message;
  }
};

/// Everything one run (or one merge of runs) reports.
struct Report {
  std::vector<Finding> Findings;
  std::vector<ToolError> Errors;

  /// Appends \p Other's findings and errors.
  void append(Report Other);
  /// Sorts findings and errors into report order and drops duplicates (a
  /// finding in a header is seen once per translation unit including it).
  void normalize();
};

} // namespace trainlint

#endif // TRAINLINT_TOOL_FINDING_H
