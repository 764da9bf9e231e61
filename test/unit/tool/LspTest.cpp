// The editor server's pieces that need no client: UTF-16 positions over
// UTF-8 text, the client's incremental edits, the range a finding
// underlines, the NOLINT edit, severities and code actions.

#include "lsp/Diagnostics.h"
#include "lsp/SourceText.h"
#include "gtest/gtest.h"

using namespace trainlint;
using namespace trainlint::lsp;
namespace json = llvm::json;

namespace {

// "λ" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 UTF-16 units.
const char *Mixed = "int a; // λ😀 x\nb();\n";

size_t offset(llvm::StringRef Text, unsigned Line, unsigned Character) {
  return llvm::cantFail(positionToOffset(Text, {Line, Character}));
}

TEST(PositionTest, AsciiCharactersAreBytes) {
  EXPECT_EQ(offset("abc\ndef\n", 1, 2), 6u);
  EXPECT_EQ(offsetToPosition("abc\ndef\n", 6), (Position{1, 2}));
}

TEST(PositionTest, TwoByteCharacterIsOneUnit) {
  // 'λ' starts at byte 10, character 10; the emoji after it at byte 12,
  // character 11.
  EXPECT_EQ(offset(Mixed, 0, 10), 10u);
  EXPECT_EQ(offset(Mixed, 0, 11), 12u);
  EXPECT_EQ(offsetToPosition(Mixed, 12), (Position{0, 11}));
}

TEST(PositionTest, CharacterBeyondTheBasicPlaneIsASurrogatePair) {
  // After the emoji: byte 16, character 13.
  EXPECT_EQ(offset(Mixed, 0, 13), 16u);
  EXPECT_EQ(offsetToPosition(Mixed, 16), (Position{0, 13}));
  // Inside the pair: after the code point, never inside its bytes.
  EXPECT_EQ(offset(Mixed, 0, 12), 16u);
}

TEST(PositionTest, CharacterPastTheLineIsItsEnd) {
  EXPECT_EQ(offset(Mixed, 0, 100), 18u);
  EXPECT_EQ(offset("ab\r\ncd", 0, 5), 2u) << "a CRLF line ends before '\\r'";
  EXPECT_EQ(offset(Mixed, 2, 0), 24u) << "the empty last line";
}

TEST(PositionTest, LinePastTheTextIsAnError) {
  llvm::Expected<size_t> Result = positionToOffset("one\ntwo", {5, 0});
  ASSERT_FALSE(static_cast<bool>(Result));
  EXPECT_NE(llvm::toString(Result.takeError()).find("past the end"),
            std::string::npos);
}

TEST(PositionTest, InvalidUtf8CountsOneUnitPerByte) {
  std::string Text = "a\xff\xfe"
                     "b";
  EXPECT_EQ(offset(Text, 0, 3), 3u);
  EXPECT_EQ(offsetToPosition(Text, 4), (Position{0, 4}));
}

TEST(PositionTest, ClangColumnsAreBytes) {
  // Byte column 18 of line 1 is the 'x' after the emoji: character 14.
  EXPECT_EQ(lineColumnToPosition(Mixed, 1, 18), (Position{0, 14}));
  EXPECT_EQ(lineColumnToPosition(Mixed, 2, 1), (Position{1, 0}));
}

TEST(IncrementalChangeTest, ReplacesARangeAfterNonAsciiText) {
  std::string Text = Mixed;
  // Replace "x" (character 14) with "yz".
  llvm::cantFail(applyChange(Text, Range{{0, 14}, {0, 15}}, "yz"));
  EXPECT_EQ(Text, "int a; // λ😀 yz\nb();\n");
}

TEST(IncrementalChangeTest, InsertsAndDeletesAcrossLines) {
  std::string Text = "one\ntwo\nthree\n";
  llvm::cantFail(applyChange(Text, Range{{0, 3}, {2, 0}}, " and "));
  EXPECT_EQ(Text, "one and three\n");
  llvm::cantFail(applyChange(Text, Range{{1, 0}, {1, 0}}, "four\n"));
  EXPECT_EQ(Text, "one and three\nfour\n");
}

TEST(IncrementalChangeTest, SuccessiveChangesSeeEachOthersText) {
  std::string Text = "a😀b\n";
  llvm::cantFail(applyChange(Text, Range{{0, 0}, {0, 0}}, "λ"));
  // 'b' was at character 3 and is at 4 now.
  llvm::cantFail(applyChange(Text, Range{{0, 4}, {0, 5}}, "c"));
  EXPECT_EQ(Text, "λa😀c\n");
}

TEST(IncrementalChangeTest, NoRangeReplacesTheText) {
  std::string Text = "old";
  llvm::cantFail(applyChange(Text, std::nullopt, "new"));
  EXPECT_EQ(Text, "new");
}

bool fails(llvm::Error E) {
  bool Failed = static_cast<bool>(E);
  llvm::consumeError(std::move(E));
  return Failed;
}

TEST(IncrementalChangeTest, BadRangesLeaveTheTextAlone) {
  std::string Text = "one\ntwo\n";
  EXPECT_TRUE(fails(applyChange(Text, Range{{0, 2}, {0, 1}}, "x")));
  EXPECT_TRUE(fails(applyChange(Text, Range{{0, 0}, {9, 0}}, "x")));
  EXPECT_EQ(Text, "one\ntwo\n");
}

TEST(TokenRangeTest, SpansTheIdentifierOrOneCharacter) {
  llvm::StringRef Text = "  x.item<float>();\n  y[λ];\n";
  EXPECT_EQ(tokenRangeAt(Text, 4), (Range{{0, 4}, {0, 8}}));
  // '[' alone; then the two-byte 'λ' as one character.
  EXPECT_EQ(tokenRangeAt(Text, 22), (Range{{1, 3}, {1, 4}}));
  EXPECT_EQ(tokenRangeAt(Text, 23), (Range{{1, 4}, {1, 5}}));
  // At a line's end: empty.
  EXPECT_EQ(tokenRangeAt(Text, 18), (Range{{0, 18}, {0, 18}}));
}

std::string applyEdit(llvm::StringRef Text, const TextEdit &Edit) {
  std::string Result = Text.str();
  llvm::cantFail(applyChange(Result, Edit.Where, Edit.NewText));
  return Result;
}

TEST(NolintEditTest, AppendsALineComment) {
  EXPECT_EQ(
      applyEdit("a();\nx.item();   \nb();\n",
                nolintEdit("a();\nx.item();   \nb();\n", 2, "torch-sync-item")),
      "a();\nx.item(); // NOLINT(torch-sync-item)\nb();\n");
}

TEST(NolintEditTest, GoesAfterACommentAlreadyThere) {
  llvm::StringRef Text = "x.item(); // λ: why\n";
  EXPECT_EQ(applyEdit(Text, nolintEdit(Text, 1, "torch-sync-item")),
            "x.item(); // λ: why // NOLINT(torch-sync-item)\n");
}

TEST(NolintEditTest, JoinsANolintListOnTheLine) {
  llvm::StringRef Text = "x.item(); // NOLINT(cuda-sync-in-loop)\n";
  EXPECT_EQ(applyEdit(Text, nolintEdit(Text, 1, "torch-sync-item")),
            "x.item(); // NOLINT(cuda-sync-in-loop, torch-sync-item)\n");
  llvm::StringRef Empty = "x.item(); // NOLINT()\n";
  EXPECT_EQ(applyEdit(Empty, nolintEdit(Empty, 1, "torch-sync-item")),
            "x.item(); // NOLINT(torch-sync-item)\n");
}

TEST(NolintEditTest, LeavesANextLineListToItsLine) {
  // NOLINTNEXTLINE speaks of the next line, not of this one.
  llvm::StringRef Text = "x.item(); // NOLINTNEXTLINE(torch-sync-item)\n";
  EXPECT_EQ(applyEdit(Text, nolintEdit(Text, 1, "torch-sync-item")),
            "x.item(); // NOLINTNEXTLINE(torch-sync-item) "
            "// NOLINT(torch-sync-item)\n");
}

TEST(NolintEditTest, KeepsAMacroContinuation) {
  llvm::StringRef Text = "#define STEP x.item(); \\\n  y();\n";
  EXPECT_EQ(
      applyEdit(Text, nolintEdit(Text, 1, "torch-sync-item")),
      "#define STEP x.item(); /* NOLINT(torch-sync-item) */ \\\n  y();\n");
}

TEST(NolintEditTest, CrlfLineKeepsItsLineEnd) {
  llvm::StringRef Text = "x.item();\r\ny();\r\n";
  EXPECT_EQ(applyEdit(Text, nolintEdit(Text, 1, "torch-sync-item")),
            "x.item(); // NOLINT(torch-sync-item)\r\ny();\r\n");
}

Finding finding(CheckLevel Level, Severity Sev = Severity::Warning) {
  Finding F;
  F.Check = "torch-optim-zero-grad-not-none";
  F.Level = Level;
  F.Sev = Sev;
  F.Message = "'zero_grad(false)' fills every gradient with zeros";
  F.Where = {"/p/step.cpp", 2, 15};
  return F;
}

TEST(SeverityTest, FromTheLevelAndErrorsFromWarningsAsErrors) {
  EXPECT_EQ(diagnosticSeverity(finding(CheckLevel::Level0)),
            DiagnosticSeverity::Warning);
  EXPECT_EQ(diagnosticSeverity(finding(CheckLevel::Level1)),
            DiagnosticSeverity::Warning);
  EXPECT_EQ(diagnosticSeverity(finding(CheckLevel::Level2)),
            DiagnosticSeverity::Information);
  EXPECT_EQ(diagnosticSeverity(finding(CheckLevel::Manual)),
            DiagnosticSeverity::Hint);
  EXPECT_EQ(diagnosticSeverity(finding(CheckLevel::Level2, Severity::Error)),
            DiagnosticSeverity::Error);
}

// Line 2 has a two-unit character before the call: 'false' is at byte
// column 22 (offset 32 of the text) and UTF-16 character 19.
const char *Step = "void f() {\n/*😀*/ o.zero_grad(false);\n}\n";

std::optional<llvm::StringRef> noOtherFile(llvm::StringRef) {
  return std::nullopt;
}

TEST(DiagnosticTest, CarriesCodeLinkNotesAndUtf16Range) {
  Finding F = finding(CheckLevel::Level0);
  F.Where.Column = 22;
  F.Notes.push_back({"training loop starts here", {"/p/step.cpp", 1, 1}, {}});
  F.Notes.push_back({"called from here", {"/p/other.cpp", 3, 5}, {}});
  json::Object D = toDiagnostic(F, Step, noOtherFile);
  EXPECT_EQ(json::Value(D["range"]), toJson(Range{{1, 19}, {1, 24}}));
  EXPECT_EQ(D.getString("code"), "torch-optim-zero-grad-not-none");
  EXPECT_EQ(D.getString("source"), "trainlint");
  EXPECT_EQ(D.getInteger("severity"), 2);
  EXPECT_EQ(D.getObject("codeDescription")->getString("href"),
            checkDocsUrl("torch-optim-zero-grad-not-none"));
  const json::Array *Related = D.getArray("relatedInformation");
  ASSERT_TRUE(Related && Related->size() == 2);
  const json::Object *Loop = (*Related)[0].getAsObject();
  EXPECT_EQ(Loop->getString("message"), "training loop starts here");
  EXPECT_EQ(Loop->getObject("location")->getString("uri"),
            "file:///p/step.cpp");
  // A file that cannot be read: its byte column, as the best guess.
  const json::Object *Other = (*Related)[1].getAsObject();
  EXPECT_EQ(json::Value(*Other->getObject("location")->get("range")),
            toJson(Range{{2, 4}, {2, 4}}));
}

TEST(CodeActionTest, FixItIsPreferredSuggestionIsNotAndNolintComesLast) {
  Finding F = finding(CheckLevel::Level0);
  F.Where.Column = 22;
  F.FixIts.push_back({F.Where, 32, 5, "true"});
  Note Suggestion{"or drop the argument", F.Where, {}};
  Suggestion.Suggestion.push_back({F.Where, 32, 5, ""});
  F.Notes.push_back(Suggestion);
  json::Object D = toDiagnostic(F, Step, noOtherFile);
  EditContext Context{"/p/step.cpp", /*DocumentChanges=*/false, 4};
  std::vector<json::Value> Actions =
      codeActions(F, D, Step, Context, noOtherFile);
  ASSERT_EQ(Actions.size(), 3u);

  auto Check = [&](const json::Value &Action, llvm::StringRef Title,
                   bool Preferred, llvm::StringRef Fixed) {
    const json::Object *A = Action.getAsObject();
    EXPECT_EQ(A->getString("title"), Title);
    EXPECT_EQ(A->getString("kind"), "quickfix");
    EXPECT_EQ(A->getBoolean("isPreferred"), Preferred);
    EXPECT_EQ(json::Value((*A->getArray("diagnostics"))[0]),
              json::Value(json::Object(D)));
    const json::Array *Edits =
        A->getObject("edit")->getObject("changes")->getArray(
            "file:///p/step.cpp");
    ASSERT_TRUE(Edits);
    std::string Text = Step;
    for (const json::Value &Edit : *Edits) {
      const json::Object *E = Edit.getAsObject();
      llvm::cantFail(applyChange(Text, rangeFromJson(E->get("range")),
                                 *E->getString("newText")));
    }
    EXPECT_EQ(Text, Fixed);
  };
  Check(Actions[0], "Apply the fix-it of torch-optim-zero-grad-not-none", true,
        "void f() {\n/*😀*/ o.zero_grad(true);\n}\n");
  Check(Actions[1], "Suggestion: or drop the argument", false,
        "void f() {\n/*😀*/ o.zero_grad();\n}\n");
  Check(Actions[2],
        "Suppress torch-optim-zero-grad-not-none on this line with NOLINT",
        false,
        "void f() {\n/*😀*/ o.zero_grad(false); "
        "// NOLINT(torch-optim-zero-grad-not-none)\n}\n");
}

TEST(CodeActionTest, DocumentChangesNameTheVersion) {
  Finding F = finding(CheckLevel::Level0);
  json::Object D = toDiagnostic(F, Step, noOtherFile);
  EditContext Context{"/p/step.cpp", /*DocumentChanges=*/true, 4};
  std::vector<json::Value> Actions =
      codeActions(F, D, Step, Context, noOtherFile);
  ASSERT_EQ(Actions.size(), 1u) << "no fix-it: only the NOLINT action";
  const json::Object *Change =
      (*Actions[0].getAsObject()->getObject("edit")->getArray(
          "documentChanges"))[0]
          .getAsObject();
  EXPECT_EQ(Change->getObject("textDocument")->getInteger("version"), 4);
}

} // namespace
