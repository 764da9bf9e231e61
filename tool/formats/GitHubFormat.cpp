//===--- GitHubFormat.cpp - GitHub Actions workflow commands
//---------------===//
//
//   ::warning file=src/train.cpp,line=51,col=19,title=torch-sync-item::...
//
// One annotation per finding (its notes appended to the message, and a note
// when it comes from a file that does not compile) and one `::error` per
// tool error. Paths are relative to the project root, which is
// the repository checkout in a workflow.
//
//===----------------------------------------------------------------------===//

#include "Formats.h"
#include "Paths.h"

namespace trainlint {

namespace {

/// Escapes the message part of a workflow command.
std::string escapeData(llvm::StringRef Text) {
  std::string Result;
  for (char C : Text) {
    if (C == '%')
      Result += "%25";
    else if (C == '\r')
      Result += "%0D";
    else if (C == '\n')
      Result += "%0A";
    else
      Result += C;
  }
  return Result;
}

/// Escapes a property value of a workflow command.
std::string escapeProperty(llvm::StringRef Text) {
  std::string Result;
  for (char C : escapeData(Text)) {
    if (C == ':')
      Result += "%3A";
    else if (C == ',')
      Result += "%2C";
    else
      Result += C;
  }
  return Result;
}

llvm::StringRef command(Severity Sev) {
  switch (Sev) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "notice";
  }
  return "warning";
}

} // namespace

void emitGitHub(const Report &R, llvm::raw_ostream &OS,
                const EmitContext &Ctx) {
  for (const Finding &F : R.Findings) {
    std::string Message = F.Message;
    for (const Note &N : F.Notes)
      Message += "\nnote: " + relativeToRoot(N.Where.File, Ctx.ProjectRoot) +
                 ":" + std::to_string(N.Where.Line) + ": " + N.Message;
    if (F.FromFileWithErrors)
      Message += "\nnote: " + FromFileWithErrorsNote.str();
    OS << "::" << command(F.Sev) << " file="
       << escapeProperty(relativeToRoot(F.Where.File, Ctx.ProjectRoot))
       << ",line=" << F.Where.Line << ",col=" << F.Where.Column
       << ",title=" << escapeProperty(F.Check) << "::" << escapeData(Message)
       << '\n';
  }
  for (const ToolError &E : R.Errors) {
    OS << "::error ";
    if (!E.File.empty())
      OS << "file=" << escapeProperty(relativeToRoot(E.File, Ctx.ProjectRoot))
         << ",";
    OS << "title=trainlint::" << escapeData(E.Message) << '\n';
  }
}

} // namespace trainlint
