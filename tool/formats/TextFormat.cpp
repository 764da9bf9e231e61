//===--- TextFormat.cpp - clang-style diagnostics
//--------------------------===//
//
//   train.cpp:51:19: warning: 'item()' reads ... [torch-sync-item]
//      51 |     total += loss.item<double>();
//         |                   ^
//   train.cpp:41:3: note: training loop starts here
//   ...
//
// A finding from a file that does not compile ends with a note at its own
// place, without the snippet again:
//
//   train.cpp:51:19: note: reported from a file that does not compile; ...
//
//===----------------------------------------------------------------------===//

#include "Formats.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/WithColor.h"

namespace trainlint {

namespace {

/// Tabs expanded to the next multiple of eight, as clang prints them.
constexpr unsigned TabStop = 8;

std::string expandTabs(llvm::StringRef Line) {
  std::string Result;
  for (char C : Line) {
    if (C != '\t') {
      Result += C;
      continue;
    }
    do
      Result += ' ';
    while (Result.size() % TabStop != 0);
  }
  return Result;
}

/// The caret line under \p Line for a byte column, counting display columns
/// (one per code point, tabs expanded).
std::string caretLine(llvm::StringRef Line, unsigned Column) {
  unsigned Width = 0;
  for (unsigned I = 0; I + 1 < Column && I < Line.size(); ++I) {
    unsigned char C = Line[I];
    if (C == '\t')
      Width += TabStop - Width % TabStop;
    else if ((C & 0xC0) != 0x80)
      ++Width;
  }
  return std::string(Width, ' ') + "^";
}

class TextEmitter {
public:
  TextEmitter(llvm::raw_ostream &OS, const EmitContext &Ctx)
      : OS(OS), Ctx(Ctx) {}

  void emit(const Finding &F) {
    header(F.Where, F.Sev, F.Message, F.Check);
    snippet(F.Where);
    for (const Note &N : F.Notes) {
      header(N.Where, Severity::Note, N.Message, "");
      snippet(N.Where);
    }
    if (F.FromFileWithErrors)
      header(F.Where, Severity::Note, FromFileWithErrorsNote, "");
  }

private:
  void color(llvm::raw_ostream::Colors C, bool Bold = false) {
    if (Ctx.Color)
      OS.changeColor(C, Bold);
  }
  void reset() {
    if (Ctx.Color)
      OS.resetColor();
  }

  void header(const Location &Where, Severity Sev, llvm::StringRef Message,
              llvm::StringRef Check) {
    color(llvm::raw_ostream::SAVEDCOLOR, true);
    OS << Where.File << ':' << Where.Line << ':' << Where.Column << ": ";
    switch (Sev) {
    case Severity::Error:
      color(llvm::raw_ostream::RED, true);
      break;
    case Severity::Warning:
      color(llvm::raw_ostream::MAGENTA, true);
      break;
    case Severity::Note:
      color(llvm::raw_ostream::BLACK, true);
      break;
    }
    OS << severityName(Sev) << ": ";
    reset();
    OS << Message;
    if (!Check.empty())
      OS << " [" << Check << "]";
    OS << '\n';
  }

  void snippet(const Location &Where) {
    if (!Ctx.Sources)
      return;
    auto Line = Ctx.Sources->lineText(Where.File, Where.Line);
    if (!Line)
      return;
    OS << llvm::format("%5u", Where.Line) << " | " << expandTabs(*Line) << '\n';
    OS << "      | ";
    color(llvm::raw_ostream::GREEN, true);
    OS << caretLine(*Line, Where.Column);
    reset();
    OS << '\n';
  }

  llvm::raw_ostream &OS;
  const EmitContext &Ctx;
};

} // namespace

void emitText(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx) {
  TextEmitter Emitter(OS, Ctx);
  for (const Finding &F : R.Findings)
    Emitter.emit(F);
}

} // namespace trainlint
