//===--- Formats.cpp - the output formats and their readers
//----------------===//

#include "Formats.h"
#include "llvm/ADT/StringSwitch.h"

namespace trainlint {

std::optional<OutputFormat> parseOutputFormat(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<OutputFormat>>(Name)
      .Case("text", OutputFormat::Text)
      .Case("json", OutputFormat::Json)
      .Case("sarif", OutputFormat::Sarif)
      .Case("codeclimate", OutputFormat::CodeClimate)
      .Case("github", OutputFormat::GitHub)
      .Default(std::nullopt);
}

llvm::StringRef outputFormatName(OutputFormat Format) {
  switch (Format) {
  case OutputFormat::Text:
    return "text";
  case OutputFormat::Json:
    return "json";
  case OutputFormat::Sarif:
    return "sarif";
  case OutputFormat::CodeClimate:
    return "codeclimate";
  case OutputFormat::GitHub:
    return "github";
  }
  return "text";
}

void emitReport(OutputFormat Format, const Report &R, llvm::raw_ostream &OS,
                const EmitContext &Ctx) {
  switch (Format) {
  case OutputFormat::Text:
    return emitText(R, OS, Ctx);
  case OutputFormat::Json:
    return emitJson(R, OS, Ctx);
  case OutputFormat::Sarif:
    return emitSarif(R, OS, Ctx);
  case OutputFormat::CodeClimate:
    return emitCodeClimate(R, OS, Ctx);
  case OutputFormat::GitHub:
    return emitGitHub(R, OS, Ctx);
  }
}

static bool isContinuationByte(char C) {
  return (static_cast<unsigned char>(C) & 0xC0) == 0x80;
}

unsigned codePointColumn(llvm::StringRef Line, unsigned ByteColumn) {
  unsigned Column = 1;
  for (unsigned I = 0; I + 1 < ByteColumn && I < Line.size(); ++I)
    if (!isContinuationByte(Line[I]))
      ++Column;
  // Past the end of the line (a column at the line break) counts on in bytes.
  if (ByteColumn > Line.size() + 1)
    Column += ByteColumn - Line.size() - 1;
  return Column;
}

unsigned byteColumn(llvm::StringRef Line, unsigned CodePointColumn) {
  unsigned Seen = 1;
  unsigned I = 0;
  for (; I < Line.size() && Seen < CodePointColumn; ++I) {
    if (I + 1 < Line.size() && isContinuationByte(Line[I + 1]))
      continue;
    ++Seen;
  }
  return I + 1 + (CodePointColumn - Seen);
}

} // namespace trainlint
