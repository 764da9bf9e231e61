//===--- Diagnostics.h - findings as LSP diagnostics and fixes --*- C++ -*-===//
//
// One finding becomes one `Diagnostic`: its range starts at the finding's
// byte column, converted to UTF-16, and spans the token there; its severity
// comes from the check's level (below); `code` is the check, its
// `codeDescription` the check's doc page, its `relatedInformation` the
// notes. Its code actions are the fix-it (preferred: fix-its are certain),
// each note's suggestion (not preferred: the user judges), and a NOLINT
// comment that suppresses it on its line.
//
// Severity: a finding made an error by `WarningsAsErrors` is an Error; else
// levels 0 and 1 (no or few false alarms, the default set) are Warnings,
// level 2 (noisy) Information, and manual checks Hints.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_LSP_DIAGNOSTICS_H
#define TRAINLINT_TOOL_LSP_DIAGNOSTICS_H

#include "Finding.h"
#include "lsp/SourceText.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <vector>

namespace trainlint::lsp {

/// LSP's DiagnosticSeverity values.
enum class DiagnosticSeverity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

DiagnosticSeverity diagnosticSeverity(const Finding &F);

llvm::json::Value toJson(const Position &P);
llvm::json::Value toJson(const Range &R);
/// Reads an LSP Range; std::nullopt when \p Value is not one.
std::optional<Range> rangeFromJson(const llvm::json::Value *Value);

/// The text of a file a finding points into, by absolute path; std::nullopt
/// when it cannot be read.
using FileText =
    llvm::function_ref<std::optional<llvm::StringRef>(llvm::StringRef Path)>;

/// The range of \p Where in \p Text: from its column to the token's end.
Range locationRange(const Location &Where, llvm::StringRef Text);

/// \p F as a Diagnostic of the document whose text is \p Text; \p TextOf
/// reads the other files its notes point into.
llvm::json::Object toDiagnostic(const Finding &F, llvm::StringRef Text,
                                FileText TextOf);

/// One edit of a TextDocumentEdit.
struct TextEdit {
  Range Where;
  std::string NewText;
};

/// The edit that suppresses \p Check on 1-based \p Line of \p Text: a
/// `// NOLINT(<check>)` comment at the line's end, or the check added to a
/// NOLINT list already there. A line continued by a backslash gets a block
/// comment before the backslash, which a line comment would swallow.
TextEdit nolintEdit(llvm::StringRef Text, unsigned Line,
                    llvm::StringRef Check);

/// How code actions write their edits.
struct EditContext {
  std::string DocumentPath;
  /// The client accepts `documentChanges` (edits tied to a version).
  bool DocumentChanges = false;
  int64_t Version = 0;
};

/// The quick fixes of \p F, \p Diagnostic being its diagnostic (each action
/// names it). \p Text is the document's text; \p TextOf reads other files
/// a fix-it edits.
std::vector<llvm::json::Value> codeActions(const Finding &F,
                                           const llvm::json::Object &Diagnostic,
                                           llvm::StringRef Text,
                                           const EditContext &Context,
                                           FileText TextOf);

} // namespace trainlint::lsp

#endif // TRAINLINT_TOOL_LSP_DIAGNOSTICS_H
