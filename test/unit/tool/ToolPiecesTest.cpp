// The smaller pieces of the tool: fingerprints, the git diff parser, shards,
// the language of a compile command, columns, the argument parser, the JSON
// and SARIF formats read back, and the mark of a finding from a file that
// does not compile in every format.

#include "Analyzer.h"
#include "Arguments.h"
#include "Fingerprint.h"
#include "GitDiff.h"
#include "TranslationUnits.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "formats/Formats.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace trainlint;

namespace {

TEST(FingerprintTest, NormalizesWhitespace) {
  EXPECT_EQ(normalizeSourceLine("  \tx  +=\t loss.item();  "),
            "x += loss.item();");
}

/// A temporary file with \p Text, removed at the end of the test.
class TempFile {
public:
  explicit TempFile(llvm::StringRef Text) {
    llvm::cantFail(llvm::errorCodeToError(
        llvm::sys::fs::createTemporaryFile("trainlint-test", "cpp", Path)));
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }
  ~TempFile() { llvm::sys::fs::remove(Path); }
  std::string path() const { return std::string(Path); }

private:
  llvm::SmallString<128> Path;
};

Finding findingAt(const std::string &File, unsigned Line) {
  Finding F;
  F.Check = "torch-sync-item";
  F.Where = {File, Line, 5};
  return F;
}

TEST(FingerprintTest, SurvivesLinesAddedAboveAndCountsTwins) {
  TempFile Before("a\nx = t.item();\nx = t.item();\n");
  TempFile After("new\nlines\na\nx = t.item();\nx = t.item();\n");
  SourceCache Sources;
  std::vector<Finding> Old = {findingAt(Before.path(), 2),
                              findingAt(Before.path(), 3)};
  std::vector<Finding> New = {findingAt(After.path(), 4),
                              findingAt(After.path(), 5)};
  // Same root, and the same relative name for both files.
  std::string Root = llvm::sys::path::parent_path(Before.path()).str();
  assignFingerprints(Old, Root, Sources);
  assignFingerprints(New, Root, Sources);
  // Twins on identical lines differ by their occurrence index.
  EXPECT_NE(Old[0].Fingerprint, Old[1].Fingerprint);
  EXPECT_EQ(Old[0].Fingerprint.size(), 32u);
  // The file names differ here, so compare within one file moved in place.
  std::vector<Finding> Moved = {findingAt(Before.path(), 2)};
  Moved[0].Where.Line = 3;
  assignFingerprints(Moved, Root, Sources);
  // Line 3 has the same text as line 2: the same fingerprint, as the first
  // of its kind.
  EXPECT_EQ(Moved[0].Fingerprint, Old[0].Fingerprint);
}

TEST(GitDiffTest, ReadsTheNewSideOfEachHunk) {
  ChangedLines Changed;
  Changed.addUnifiedDiff("diff --git a/src/a.cpp b/src/a.cpp\n"
                         "--- a/src/a.cpp\n"
                         "+++ b/src/a.cpp\n"
                         "@@ -3 +3 @@ void f() {\n"
                         "-old\n"
                         "+new\n"
                         "@@ -10,0 +11,2 @@\n"
                         "+added\n+added\n"
                         "@@ -20,3 +22,0 @@\n"
                         "-gone\n-gone\n-gone\n"
                         "--- a/src/b.cpp\n"
                         "+++ /dev/null\n"
                         "@@ -1 +0,0 @@\n");
  EXPECT_TRUE(Changed.contains("src/a.cpp", 3));
  EXPECT_FALSE(Changed.contains("src/a.cpp", 4));
  EXPECT_TRUE(Changed.contains("src/a.cpp", 11));
  EXPECT_TRUE(Changed.contains("src/a.cpp", 12));
  EXPECT_FALSE(Changed.contains("src/a.cpp", 13));
  // A pure deletion changes no line of the new file.
  EXPECT_FALSE(Changed.contains("src/a.cpp", 22));
  EXPECT_FALSE(Changed.contains("src/b.cpp", 1));
  Changed.addWholeFile("src/new.cpp");
  EXPECT_TRUE(Changed.contains("src/new.cpp", 1000));
}

TEST(ShardTest, ParsesAndPartitions) {
  EXPECT_FALSE(parseShard("0/2"));
  EXPECT_FALSE(parseShard("3/2"));
  EXPECT_FALSE(parseShard("1/0"));
  EXPECT_FALSE(parseShard("1"));
  auto S = parseShard("2/3");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Index, 2u);
  EXPECT_EQ(S->Count, 3u);
  for (const char *Path : {"a.cpp", "src/b.cpp", "src/c/d.cu"}) {
    int In = 0;
    for (unsigned K = 1; K <= 3; ++K)
      In += inShard(Path, Shard{K, 3});
    EXPECT_EQ(In, 1) << Path;
  }
}

clang::tooling::CompileCommand command(std::vector<std::string> Args,
                                       std::string File) {
  clang::tooling::CompileCommand C;
  C.Filename = std::move(File);
  C.CommandLine = std::move(Args);
  return C;
}

TEST(LanguageTest, CxxAndCudaAreAnalyzedOthersAreNot) {
  EXPECT_EQ(whyNotCxx(command({"clang++", "-c", "a.cpp"}, "a.cpp")), "");
  EXPECT_EQ(whyNotCxx(command({"nvcc", "-c", "a.cu"}, "a.cu")), "");
  EXPECT_EQ(whyNotCxx(command({"clang", "-x", "c++", "a.c"}, "a.c")), "");
  EXPECT_EQ(whyNotCxx(command({"g++", "-c", "a.c"}, "a.c")), "");
  EXPECT_EQ(whyNotCxx(command({"clang", "-xcuda", "a.txt"}, "a.txt")), "");
  EXPECT_EQ(whyNotCxx(command({"cc", "-c", "a.c"}, "a.c")),
            "it compiles c; trainlint analyzes C++ and CUDA only");
  EXPECT_EQ(
      whyNotCxx(command({"cc", "-c", "a.S"}, "a.S")),
      "it compiles assembler-with-cpp; trainlint analyzes C++ and CUDA only");
  EXPECT_EQ(whyNotCxx(command({"cc", "-c", "a.zz"}, "a.zz")),
            "its language is unknown (extension '.zz')");
}

TEST(ColumnTest, CodePointsAndBytes) {
  llvm::StringRef Line = "a\xC3\xA9 b"; // "aé b"
  EXPECT_EQ(codePointColumn(Line, 1), 1u);
  EXPECT_EQ(codePointColumn(Line, 2), 2u);
  EXPECT_EQ(codePointColumn(Line, 4), 3u);
  EXPECT_EQ(codePointColumn(Line, 5), 4u);
  for (unsigned Byte : {1u, 2u, 4u, 5u, 6u, 8u})
    EXPECT_EQ(byteColumn(Line, codePointColumn(Line, Byte)), Byte);
}

TEST(ArgumentsTest, AcceptsEveryForm) {
  std::string Format, Jobs;
  bool Fix = false;
  std::vector<OptionSpec> Specs = {
      {{"--format"},
       "F",
       "",
       [&](llvm::StringRef V) {
         Format = V.str();
         return std::string();
       }},
      {{"-j", "--jobs"},
       "N",
       "",
       [&](llvm::StringRef V) {
         Jobs += V.str();
         return std::string();
       }},
      {{"--fix"},
       "",
       "",
       [&](llvm::StringRef) {
         Fix = true;
         return std::string();
       }},
  };
  const char *Args[] = {"--format=json", "-j4", "a.cpp",     "--jobs", "2",
                        "--fix",         "--",  "-std=c++17"};
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/true);
  ASSERT_TRUE(bool(Parsed));
  EXPECT_EQ(Format, "json");
  EXPECT_EQ(Jobs, "42");
  EXPECT_TRUE(Fix);
  EXPECT_EQ(Parsed->Positional, std::vector<std::string>{"a.cpp"});
  ASSERT_TRUE(Parsed->AfterDashDash);
  EXPECT_EQ(*Parsed->AfterDashDash, std::vector<std::string>{"-std=c++17"});

  const char *Flag[] = {"--fix=yes"};
  EXPECT_EQ(llvm::toString(parseArguments(Flag, Specs, false).takeError()),
            "option '--fix=yes' takes no value");
  const char *Unknown[] = {"--frob"};
  EXPECT_EQ(llvm::toString(parseArguments(Unknown, Specs, false).takeError()),
            "unknown option '--frob'");
}

Report sampleReport(const std::string &File) {
  Report R;
  Finding F = findingAt(File, 2);
  F.Message = "a \"quoted\" message; with\ttabs";
  F.Notes.push_back({"training loop starts here", {File, 1, 1}});
  FixIt Fix;
  Fix.Where = {File, 2, 5};
  Fix.Offset = 6;
  Fix.Length = 1;
  Fix.Replacement = "y";
  F.FixIts.push_back(Fix);
  F.Fingerprint = "00112233445566778899aabbccddeeff";
  R.Findings.push_back(F);
  Finding Marked = findingAt(File, 1);
  Marked.Where.Column = 1;
  Marked.Message = "the warning";
  Marked.FromFileWithErrors = true;
  Marked.Fingerprint = "ffeeddccbbaa99887766554433221100";
  R.Findings.push_back(Marked);
  R.Errors.push_back({File, "does not compile: reasons"});
  return R;
}

void expectSameReport(const Report &A, const Report &B) {
  ASSERT_EQ(A.Findings.size(), B.Findings.size());
  for (size_t I = 0; I < A.Findings.size(); ++I)
    EXPECT_TRUE(A.Findings[I] == B.Findings[I]) << I;
  EXPECT_EQ(A.Errors, B.Errors);
}

TEST(FormatsTest, JsonReadsBackWhatItWrites) {
  TempFile Source("a\nx = t.item();\n");
  Report R = sampleReport(Source.path());
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  emitJson(R, OS, EmitContext());
  auto Read = readJsonReport(Text, "test.json");
  ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());
  expectSameReport(R, *Read);
}

TEST(FormatsTest, SarifReadsBackWhatItWrites) {
  TempFile Source("a\xC3\xA9\nx\xC3\xA9 = t.item();\n");
  Report R = sampleReport(Source.path());
  SourceCache Sources;
  EmitContext Ctx;
  Ctx.ProjectRoot = llvm::sys::path::parent_path(Source.path()).str();
  Ctx.Sources = &Sources;
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  emitSarif(R, OS, Ctx);
  // The column after a two-byte character is one less in code points.
  EXPECT_NE(Text.find("\"startColumn\": 4"), std::string::npos);
  auto Read = readSarifReport(Text, "test.sarif", Sources);
  ASSERT_TRUE(bool(Read)) << llvm::toString(Read.takeError());
  expectSameReport(R, *Read);
}

TEST(FormatsTest, JsonWritesTheMarkOnlyWhereItIsTrue) {
  Report R = sampleReport("/src/a.cpp");
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  emitJson(R, OS, EmitContext());
  size_t First = Text.find("\"fromFileWithErrors\": true");
  ASSERT_NE(First, std::string::npos);
  EXPECT_EQ(Text.find("\"fromFileWithErrors\"", First + 1), std::string::npos);
  // The marked finding is the second.
  EXPECT_GT(First, Text.find("ffeeddcc"));
}

TEST(FormatsTest, JsonReaderWantsABooleanMark) {
  auto Read = readJsonReport(
      R"({"version": 1, "findings": [{"check": "torch-sync-item",
          "level": "1", "severity": "warning", "message": "m", "file": "a",
          "line": 1, "column": 1, "fromFileWithErrors": "yes"}]})",
      "r.json");
  ASSERT_FALSE(bool(Read));
  EXPECT_EQ(
      llvm::toString(Read.takeError()),
      "r.json: expected true or false at $.findings[0].fromFileWithErrors");
}

TEST(FormatsTest, SarifMarksTheResultInItsPropertyBag) {
  Report R = sampleReport("/src/a.cpp");
  EmitContext Ctx;
  Ctx.ProjectRoot = "/src";
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  emitSarif(R, OS, Ctx);
  auto Log = llvm::json::parse(Text);
  ASSERT_TRUE(bool(Log)) << llvm::toString(Log.takeError());
  const llvm::json::Array *Results =
      (*Log->getAsObject()->getArray("runs"))[0].getAsObject()->getArray(
          "results");
  ASSERT_EQ(Results->size(), 2u);
  auto Mark = [&](size_t I) {
    return (*Results)[I]
        .getAsObject()
        ->getObject("properties")
        ->getBoolean("trainlint-from-file-with-errors");
  };
  EXPECT_FALSE(Mark(0).has_value());
  EXPECT_EQ(Mark(1), std::optional<bool>(true));
}

TEST(FormatsTest, TextGitHubAndCodeClimateSayTheFileDoesNotCompile) {
  Report R = sampleReport("/src/a.cpp");
  R.Findings.erase(R.Findings.begin());
  EmitContext Ctx;
  Ctx.ProjectRoot = "/src";
  std::string Text, GitHub, CodeClimate;
  llvm::raw_string_ostream TextOS(Text), GitHubOS(GitHub),
      CodeClimateOS(CodeClimate);
  emitText(R, TextOS, Ctx);
  emitGitHub(R, GitHubOS, Ctx);
  emitCodeClimate(R, CodeClimateOS, Ctx);
  EXPECT_EQ(Text, "/src/a.cpp:1:1: warning: the warning [torch-sync-item]\n"
                  "/src/a.cpp:1:1: note: reported from a file that does not "
                  "compile; the analysis may be incomplete\n");
  EXPECT_EQ(GitHub.substr(0, GitHub.find('\n')),
            "::warning file=a.cpp,line=1,col=1,title=torch-sync-item::the "
            "warning%0Anote: reported from a file that does not compile; the "
            "analysis may be incomplete");
  EXPECT_NE(CodeClimate.find("\"description\": \"the warning (reported from "
                             "a file that does not compile; the analysis may "
                             "be incomplete)\""),
            std::string::npos);
  EXPECT_NE(CodeClimate.find("\\n\\nNote: reported from a file that does "
                             "not compile; the analysis may be incomplete.\""),
            std::string::npos);
}

TEST(ReportTest, AFindingFromAUnitThatCompilesWinsOverItsMarkedTwin) {
  // A header's finding seen from a unit with errors and from one without,
  // gathered in either order.
  Finding Clean = findingAt("/src/h.h", 3);
  Clean.FixIts.push_back({{"/src/h.h", 3, 5}, 20, 1, "x"});
  Finding Marked = findingAt("/src/h.h", 3);
  Marked.FromFileWithErrors = true;
  for (bool MarkedFirst : {true, false}) {
    Report R;
    R.Findings = MarkedFirst ? std::vector<Finding>{Marked, Clean}
                             : std::vector<Finding>{Clean, Marked};
    R.normalize();
    ASSERT_EQ(R.Findings.size(), 1u);
    EXPECT_FALSE(R.Findings[0].FromFileWithErrors);
    EXPECT_EQ(R.Findings[0].FixIts.size(), 1u);
  }
}

TEST(FingerprintTest, TheMarkIsNotPartOfIt) {
  TempFile Source("a\nx = t.item();\n");
  SourceCache Sources;
  std::string Root = llvm::sys::path::parent_path(Source.path()).str();
  std::vector<Finding> Findings = {findingAt(Source.path(), 2)};
  assignFingerprints(Findings, Root, Sources);
  std::vector<Finding> Marked = {findingAt(Source.path(), 2)};
  Marked[0].FromFileWithErrors = true;
  assignFingerprints(Marked, Root, Sources);
  EXPECT_EQ(Marked[0].Fingerprint, Findings[0].Fingerprint);
}

TEST(FormatsTest, JsonReaderNamesWhatIsWrong) {
  auto Read = readJsonReport(
      R"({"version": 1, "findings": [{"check": 3}], "errors": []})", "r.json");
  ASSERT_FALSE(bool(Read));
  EXPECT_EQ(llvm::toString(Read.takeError()),
            "r.json: expected a string at $.findings[0].check");
}

TEST(AnalyzerTest, TakesTheWarningsFixItAndNeverANotes) {
  TempFile Source("int x = 1;\nint y = 2;\n");
  TranslationUnit Unit;
  Unit.File = Source.path();
  clang::tidy::ClangTidyError E("torch-sync-item",
                                clang::tidy::ClangTidyError::Warning, "",
                                /*IsWarningAsError=*/false);
  E.Message.Message = "the warning";
  E.Message.FilePath = Source.path();
  E.Message.FileOffset = 11;
  llvm::cantFail(E.Message.Fix[Source.path()].add(
      clang::tooling::Replacement(Source.path(), 15, 1, "3")));
  clang::tooling::DiagnosticMessage Note;
  Note.Message = "a suggestion on a note";
  Note.FilePath = Source.path();
  Note.FileOffset = 0;
  llvm::cantFail(Note.Fix[Source.path()].add(
      clang::tooling::Replacement(Source.path(), 8, 1, "9")));
  E.Notes.push_back(Note);
  // Not a trainlint check: not a finding.
  clang::tidy::ClangTidyError Other(
      "bugprone-foo", clang::tidy::ClangTidyError::Warning, "", false);
  Other.Message.FilePath = Source.path();

  Report R = convertClangTidyErrors({E, Other}, Unit);
  ASSERT_EQ(R.Findings.size(), 1u);
  const Finding &F = R.Findings[0];
  EXPECT_FALSE(F.FromFileWithErrors);
  EXPECT_EQ(F.Where.Line, 2u);
  EXPECT_EQ(F.Where.Column, 1u);
  ASSERT_EQ(F.Notes.size(), 1u);
  EXPECT_EQ(F.Notes[0].Message, "a suggestion on a note");
  ASSERT_EQ(F.FixIts.size(), 1u);
  EXPECT_EQ(F.FixIts[0].Offset, 15u);
  EXPECT_EQ(F.FixIts[0].Replacement, "3");
  EXPECT_EQ(F.FixIts[0].Where.Line, 2u);
  EXPECT_EQ(F.FixIts[0].Where.Column, 5u);
}

TEST(AnalyzerTest, AUnitThatDoesNotCompileKeepsItsFindingsMarked) {
  TempFile Source("int x = ;\nint y = 2;\n");
  TranslationUnit Unit;
  Unit.File = Source.path();
  clang::tidy::ClangTidyError Warning(
      "torch-sync-item", clang::tidy::ClangTidyError::Warning, "", false);
  Warning.Message.FilePath = Source.path();
  Warning.Message.FileOffset = 10;
  llvm::cantFail(Warning.Message.Fix[Source.path()].add(
      clang::tooling::Replacement(Source.path(), 14, 1, "3")));
  clang::tidy::ClangTidyError Error(
      "clang-diagnostic-error", clang::tidy::ClangTidyError::Error, "", false);
  Error.Message.Message = "expected expression";
  Error.Message.FilePath = Source.path();
  Error.Message.FileOffset = 8;
  Report R = convertClangTidyErrors({Warning, Error, Error}, Unit);
  // The finding stays, marked, and without the fix-it an incomplete AST
  // cannot vouch for.
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Where.Line, 2u);
  EXPECT_TRUE(R.Findings[0].FromFileWithErrors);
  EXPECT_TRUE(R.Findings[0].FixIts.empty());
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "does not compile: " + Source.path() +
                                     ":1:9: expected expression (and 1 more "
                                     "errors)");
}

} // namespace
