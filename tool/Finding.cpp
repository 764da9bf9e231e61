//===--- Finding.cpp - what one run of trainlint reports
//-------------------===//

#include "Finding.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"
#include <algorithm>
#include <tuple>

#ifndef TRAINLINT_DOCS_URL
#define TRAINLINT_DOCS_URL                                                     \
  "https://github.com/trainlint/trainlint/blob/main/docs"
#endif

namespace trainlint {

std::string checkDocsUrl(llvm::StringRef Check) {
  return (llvm::Twine(TRAINLINT_DOCS_URL) + "/checks/" + Check + ".md").str();
}

llvm::StringRef severityName(Severity Sev) {
  switch (Sev) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(llvm::StringRef Text) {
  return llvm::StringSwitch<std::optional<Severity>>(Text)
      .Case("note", Severity::Note)
      .Case("warning", Severity::Warning)
      .Case("error", Severity::Error)
      .Default(std::nullopt);
}

bool operator==(const Finding &A, const Finding &B) {
  return A.Check == B.Check && A.Level == B.Level && A.Sev == B.Sev &&
         A.Message == B.Message && A.Where == B.Where && A.Notes == B.Notes &&
         A.FixIts == B.FixIts && A.Fingerprint == B.Fingerprint &&
         A.FromFileWithErrors == B.FromFileWithErrors;
}

bool operator<(const Finding &A, const Finding &B) {
  return std::tie(A.Where, A.Check, A.Message, A.Fingerprint) <
         std::tie(B.Where, B.Check, B.Message, B.Fingerprint);
}

void Report::append(Report Other) {
  std::move(Other.Findings.begin(), Other.Findings.end(),
            std::back_inserter(Findings));
  std::move(Other.Errors.begin(), Other.Errors.end(),
            std::back_inserter(Errors));
}

namespace {

bool notesBefore(const std::vector<Note> &A, const std::vector<Note> &B) {
  return std::lexicographical_compare(
      A.begin(), A.end(), B.begin(), B.end(), [](const Note &X, const Note &Y) {
        return std::tie(X.Where, X.Message) < std::tie(Y.Where, Y.Message);
      });
}

} // namespace

void Report::normalize() {
  // Findings equal in their sort key but different otherwise (a header's
  // finding with the notes of each translation unit that reaches it) keep
  // one chosen by their content alone, so that the choice does not depend on
  // the order units finish in or shards are merged in: the one from a unit
  // that compiles (its analysis is complete and it keeps its fix-it), then
  // the one with the first notes.
  llvm::sort(Findings, [](const Finding &A, const Finding &B) {
    if (A < B)
      return true;
    if (B < A)
      return false;
    if (A.FromFileWithErrors != B.FromFileWithErrors)
      return B.FromFileWithErrors;
    return notesBefore(A.Notes, B.Notes);
  });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &A, const Finding &B) {
                               return !(A < B) && !(B < A);
                             }),
                 Findings.end());
  llvm::sort(Errors);
  Errors.erase(std::unique(Errors.begin(), Errors.end()), Errors.end());
}

} // namespace trainlint
