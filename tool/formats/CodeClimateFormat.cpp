//===--- CodeClimateFormat.cpp - GitLab's code quality report
//--------------===//
//
// An array of Code Climate issues, the subset GitLab reads: description,
// check_name, fingerprint, severity and location (path relative to the
// repository root, begin line). A finding from a file that does not compile
// says so in its description and body. Tool errors are not part of the format;
// they go to standard error.
//
//===----------------------------------------------------------------------===//

#include "Formats.h"
#include "Paths.h"
#include "llvm/Support/JSON.h"

namespace trainlint {

namespace {

llvm::StringRef codeClimateSeverity(Severity Sev) {
  switch (Sev) {
  case Severity::Error:
    return "critical";
  case Severity::Warning:
    return "major";
  case Severity::Note:
    return "info";
  }
  return "major";
}

/// The message, with the caveat of a finding from a file that does not
/// compile.
std::string description(const Finding &F) {
  if (!F.FromFileWithErrors)
    return F.Message;
  return F.Message + " (" + FromFileWithErrorsNote.str() + ")";
}

std::string body(const Finding &F) {
  std::string Text = F.Message;
  for (const Note &N : F.Notes)
    Text += "\n\n" + N.Message + " (line " + std::to_string(N.Where.Line) + ")";
  if (F.FromFileWithErrors)
    Text += "\n\nNote: " + FromFileWithErrorsNote.str() + ".";
  return Text;
}

} // namespace

void emitCodeClimate(const Report &R, llvm::raw_ostream &OS,
                     const EmitContext &Ctx) {
  llvm::json::OStream J(OS, /*IndentSize=*/2);
  J.array([&] {
    for (const Finding &F : R.Findings)
      J.object([&] {
        J.attribute("type", "issue");
        J.attribute("check_name", F.Check);
        J.attribute("description", description(F));
        J.attributeObject("content", [&] { J.attribute("body", body(F)); });
        J.attributeArray("categories", [&] { J.value("Performance"); });
        J.attribute("severity", codeClimateSeverity(F.Sev));
        J.attribute("fingerprint", F.Fingerprint);
        J.attributeObject("location", [&] {
          J.attribute("path", relativeToRoot(F.Where.File, Ctx.ProjectRoot));
          J.attributeObject("positions", [&] {
            J.attributeObject("begin", [&] {
              J.attribute("line", F.Where.Line);
              J.attribute("column", F.Where.Column);
            });
          });
        });
      });
  });
  OS << '\n';
}

} // namespace trainlint
