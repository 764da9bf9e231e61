//===--- Diagnostics.cpp - findings as LSP diagnostics and fixes ----------===//

#include "lsp/Diagnostics.h"
#include "Paths.h"
#include "llvm/ADT/StringMap.h"

namespace trainlint::lsp {

namespace json = llvm::json;

DiagnosticSeverity diagnosticSeverity(const Finding &F) {
  if (F.Sev == Severity::Error)
    return DiagnosticSeverity::Error;
  switch (F.Level) {
  case CheckLevel::Level0:
  case CheckLevel::Level1:
    return DiagnosticSeverity::Warning;
  case CheckLevel::Level2:
    return DiagnosticSeverity::Information;
  case CheckLevel::Manual:
    return DiagnosticSeverity::Hint;
  }
  return DiagnosticSeverity::Warning;
}

json::Value toJson(const Position &P) {
  return json::Object{{"line", P.Line}, {"character", P.Character}};
}

json::Value toJson(const Range &R) {
  return json::Object{{"start", toJson(R.Start)}, {"end", toJson(R.End)}};
}

namespace {

std::optional<Position> positionFromJson(const json::Object *Object) {
  if (!Object)
    return std::nullopt;
  std::optional<int64_t> Line = Object->getInteger("line");
  std::optional<int64_t> Character = Object->getInteger("character");
  if (!Line || !Character || *Line < 0 || *Character < 0)
    return std::nullopt;
  return Position{static_cast<unsigned>(*Line),
                  static_cast<unsigned>(*Character)};
}

} // namespace

std::optional<Range> rangeFromJson(const json::Value *Value) {
  const json::Object *Object = Value ? Value->getAsObject() : nullptr;
  if (!Object)
    return std::nullopt;
  std::optional<Position> Start = positionFromJson(Object->getObject("start"));
  std::optional<Position> End = positionFromJson(Object->getObject("end"));
  if (!Start || !End)
    return std::nullopt;
  return Range{*Start, *End};
}

Range locationRange(const Location &Where, llvm::StringRef Text) {
  size_t LineStart = lineStartOffset(Text, Where.Line);
  size_t LineEnd = std::min(Text.find('\n', LineStart), Text.size());
  size_t Offset =
      std::min(LineStart + (Where.Column ? Where.Column - 1 : 0), LineEnd);
  return tokenRangeAt(Text, Offset);
}

json::Object toDiagnostic(const Finding &F, llvm::StringRef Text,
                          FileText TextOf) {
  json::Array Related;
  for (const Note &N : F.Notes) {
    const Location &Where = N.Where.File.empty() ? F.Where : N.Where;
    Range NoteRange;
    if (Where.File == F.Where.File)
      NoteRange = locationRange(Where, Text);
    else if (std::optional<llvm::StringRef> Other = TextOf(Where.File))
      NoteRange = locationRange(Where, *Other);
    else
      // An unreadable file: its byte column is the best guess there is.
      NoteRange.Start = NoteRange.End =
          Position{Where.Line ? Where.Line - 1 : 0,
                   Where.Column ? Where.Column - 1 : 0};
    Related.push_back(json::Object{
        {"location",
         json::Object{{"uri", fileUri(Where.File)},
                      {"range", toJson(NoteRange)}}},
        {"message", N.Message}});
  }
  json::Object Diagnostic{
      {"range", toJson(locationRange(F.Where, Text))},
      {"severity", static_cast<int>(diagnosticSeverity(F))},
      {"code", F.Check},
      {"codeDescription", json::Object{{"href", checkDocsUrl(F.Check)}}},
      {"source", "trainlint"},
      {"message", F.Message}};
  if (!Related.empty())
    Diagnostic["relatedInformation"] = std::move(Related);
  return Diagnostic;
}

TextEdit nolintEdit(llvm::StringRef Text, unsigned Line,
                    llvm::StringRef Check) {
  size_t LineStart = lineStartOffset(Text, Line);
  size_t LineEnd = std::min(Text.find('\n', LineStart), Text.size());
  llvm::StringRef LineText = Text.slice(LineStart, LineEnd);
  auto At = [&](size_t OffsetInLine) {
    return offsetToPosition(Text, LineStart + OffsetInLine);
  };

  // `NOLINT(a, b)` already on the line: add the check to its list.
  // NOLINTNEXTLINE and NOLINTBEGIN lists belong to other lines.
  for (size_t Found = LineText.find("NOLINT("); Found != llvm::StringRef::npos;
       Found = LineText.find("NOLINT(", Found + 1)) {
    size_t Close = LineText.find(')', Found);
    if (Close == llvm::StringRef::npos)
      break;
    bool EmptyList = LineText[Close - 1] == '(';
    return {{At(Close), At(Close)},
            (EmptyList ? "" : ", ") + Check.str()};
  }

  llvm::StringRef Content = LineText.rtrim();
  if (Content.ends_with("\\")) {
    // A line comment would swallow the continuation.
    size_t Backslash = Content.size() - 1;
    return {{At(Backslash), At(Backslash)},
            "/* NOLINT(" + Check.str() + ") */ "};
  }
  return {{At(Content.size()), At(LineText.size())},
          " // NOLINT(" + Check.str() + ")"};
}

namespace {

json::Value textEdits(llvm::ArrayRef<TextEdit> Edits) {
  json::Array Array;
  for (const TextEdit &Edit : Edits)
    Array.push_back(json::Object{{"range", toJson(Edit.Where)},
                                 {"newText", Edit.NewText}});
  return Array;
}

/// A WorkspaceEdit of \p Edits, grouped by file.
json::Object workspaceEdit(
    const std::vector<std::pair<std::string, std::vector<TextEdit>>> &Edits,
    const EditContext &Context) {
  if (Context.DocumentChanges) {
    json::Array Changes;
    for (const auto &[Path, FileEdits] : Edits) {
      json::Value Version = nullptr;
      if (Path == Context.DocumentPath)
        Version = Context.Version;
      Changes.push_back(json::Object{
          {"textDocument",
           json::Object{{"uri", fileUri(Path)}, {"version", Version}}},
          {"edits", textEdits(FileEdits)}});
    }
    return json::Object{{"documentChanges", std::move(Changes)}};
  }
  json::Object Changes;
  for (const auto &[Path, FileEdits] : Edits)
    Changes[fileUri(Path)] = textEdits(FileEdits);
  return json::Object{{"changes", std::move(Changes)}};
}

/// \p Fix as edits grouped by file, or std::nullopt when a file it edits
/// cannot be read.
std::optional<std::vector<std::pair<std::string, std::vector<TextEdit>>>>
fixEdits(llvm::ArrayRef<FixIt> Fix, const Finding &F, llvm::StringRef Text,
         const EditContext &Context, FileText TextOf) {
  std::vector<std::pair<std::string, std::vector<TextEdit>>> Edits;
  for (const FixIt &Edit : Fix) {
    std::string Path = Edit.Where.File.empty() ? F.Where.File : Edit.Where.File;
    std::optional<llvm::StringRef> FileText =
        Path == Context.DocumentPath ? std::optional<llvm::StringRef>(Text)
                                     : TextOf(Path);
    if (!FileText)
      return std::nullopt;
    auto Group = llvm::find_if(Edits, [&](const auto &G) { return G.first == Path; });
    if (Group == Edits.end())
      Group = Edits.insert(Edits.end(), {Path, {}});
    Group->second.push_back(
        {{offsetToPosition(*FileText, Edit.Offset),
          offsetToPosition(*FileText, Edit.Offset + Edit.Length)},
         Edit.Replacement});
  }
  return Edits;
}

json::Value quickFix(std::string Title, const json::Object &Diagnostic,
                     bool Preferred, json::Object Edit) {
  return json::Object{{"title", std::move(Title)},
                      {"kind", "quickfix"},
                      {"diagnostics", json::Array{json::Object(Diagnostic)}},
                      {"isPreferred", Preferred},
                      {"edit", std::move(Edit)}};
}

} // namespace

std::vector<json::Value> codeActions(const Finding &F,
                                     const json::Object &Diagnostic,
                                     llvm::StringRef Text,
                                     const EditContext &Context,
                                     FileText TextOf) {
  std::vector<json::Value> Actions;
  if (!F.FixIts.empty())
    if (auto Edits = fixEdits(F.FixIts, F, Text, Context, TextOf))
      Actions.push_back(quickFix("Apply the fix-it of " + F.Check, Diagnostic,
                                 /*Preferred=*/true,
                                 workspaceEdit(*Edits, Context)));
  for (const Note &N : F.Notes)
    if (!N.Suggestion.empty())
      if (auto Edits = fixEdits(N.Suggestion, F, Text, Context, TextOf))
        Actions.push_back(quickFix("Suggestion: " + N.Message, Diagnostic,
                                   /*Preferred=*/false,
                                   workspaceEdit(*Edits, Context)));
  Actions.push_back(
      quickFix("Suppress " + F.Check + " on this line with NOLINT", Diagnostic,
               /*Preferred=*/false,
               workspaceEdit({{Context.DocumentPath,
                               {nolintEdit(Text, F.Where.Line, F.Check)}}},
                             Context)));
  return Actions;
}

} // namespace trainlint::lsp
