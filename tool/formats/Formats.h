//===--- Formats.h - the output formats and their readers -------*- C++ -*-===//
//
// One emitter per format, each in its own file: text (TextFormat.cpp), JSON
// (JsonFormat.cpp), SARIF 2.1.0 (SarifFormat.cpp), GitLab code quality
// (CodeClimateFormat.cpp) and GitHub workflow commands (GitHubFormat.cpp).
// JSON and SARIF can be read back, for `trainlint merge` and `--baseline`.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_FORMATS_FORMATS_H
#define TRAINLINT_TOOL_FORMATS_FORMATS_H

#include "Finding.h"
#include "SourceCache.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

namespace trainlint {

enum class OutputFormat { Text, Json, Sarif, CodeClimate, GitHub };

std::optional<OutputFormat> parseOutputFormat(llvm::StringRef Name);
llvm::StringRef outputFormatName(OutputFormat Format);

/// The version of the JSON findings format (docs/formats.md).
inline constexpr int JsonFormatVersion = 1;

/// What emitters need besides the report.
struct EmitContext {
  /// Paths under it are written relative to it where a format wants
  /// relative paths (SARIF, code quality, GitHub).
  std::string ProjectRoot;
  /// Source lines for the text format and SARIF columns.
  SourceCache *Sources = nullptr;
  /// ANSI colours in the text format.
  bool Color = false;
};

void emitText(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx);
void emitJson(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx);
void emitSarif(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx);
void emitCodeClimate(const Report &R, llvm::raw_ostream &OS,
                     const EmitContext &Ctx);
void emitGitHub(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx);

/// Dispatches to the emitter of \p Format.
void emitReport(OutputFormat Format, const Report &R, llvm::raw_ostream &OS,
                const EmitContext &Ctx);

/// Reads the JSON findings format. \p Name names the input in errors.
llvm::Expected<Report> readJsonReport(llvm::StringRef Text,
                                      llvm::StringRef Name);

/// Reads SARIF written by `trainlint check --format sarif`. Columns are
/// turned back into byte columns with \p Sources where the file is readable.
llvm::Expected<Report> readSarifReport(llvm::StringRef Text,
                                       llvm::StringRef Name,
                                       SourceCache &Sources);

/// The column that \p ByteColumn is in Unicode code points on \p Line, and
/// back; SARIF counts code points, clang counts bytes.
unsigned codePointColumn(llvm::StringRef Line, unsigned ByteColumn);
unsigned byteColumn(llvm::StringRef Line, unsigned CodePointColumn);

} // namespace trainlint

#endif // TRAINLINT_TOOL_FORMATS_FORMATS_H
