//===--- SourceText.h - LSP positions in an editor's text -------*- C++ -*-===//
//
// LSP counts a position's character in UTF-16 code units (the encoding the
// server announces); clang counts byte columns. These convert between the
// two over a buffer's text, and apply the client's edits to it.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_LSP_SOURCETEXT_H
#define TRAINLINT_TOOL_LSP_SOURCETEXT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>

namespace trainlint::lsp {

/// A 0-based line and a 0-based UTF-16 code unit offset in it.
struct Position {
  unsigned Line = 0;
  unsigned Character = 0;

  friend bool operator==(const Position &A, const Position &B) {
    return A.Line == B.Line && A.Character == B.Character;
  }
  friend bool operator<(const Position &A, const Position &B) {
    return A.Line < B.Line || (A.Line == B.Line && A.Character < B.Character);
  }
  friend bool operator<=(const Position &A, const Position &B) {
    return !(B < A);
  }
};

struct Range {
  Position Start;
  Position End;

  friend bool operator==(const Range &A, const Range &B) {
    return A.Start == B.Start && A.End == B.End;
  }
};

/// The byte offset of \p Pos in \p Text. A character past the end of its
/// line stands for the line's end, as LSP says; a line past the text's end
/// is an error. A position inside a surrogate pair lands after the pair's
/// code point. Bytes that are not UTF-8 count as one unit each.
llvm::Expected<size_t> positionToOffset(llvm::StringRef Text, Position Pos);

/// The position of byte \p Offset of \p Text (clamped to its size).
Position offsetToPosition(llvm::StringRef Text, size_t Offset);

/// The position of clang's 1-based \p Line and 1-based byte \p Column.
Position lineColumnToPosition(llvm::StringRef Text, unsigned Line,
                              unsigned Column);

/// The byte offset where 1-based \p Line starts, or the text's size.
size_t lineStartOffset(llvm::StringRef Text, unsigned Line);

/// Applies one `TextDocumentContentChangeEvent`: \p NewText replaces
/// \p Where, or the whole text when \p Where is absent.
llvm::Error applyChange(std::string &Text, std::optional<Range> Where,
                        llvm::StringRef NewText);

/// The range a finding at byte \p Offset underlines: the identifier or
/// number that starts there, else the one character there (empty at the end
/// of a line).
Range tokenRangeAt(llvm::StringRef Text, size_t Offset);

} // namespace trainlint::lsp

#endif // TRAINLINT_TOOL_LSP_SOURCETEXT_H
