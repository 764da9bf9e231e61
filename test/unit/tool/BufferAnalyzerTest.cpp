// The editor server's analysis (lsp/BufferAnalyzer.h) on the mock headers:
// the editor's text wins over the disk's, the command comes from the nearest
// compile database or the fallback, only the file's own findings come back,
// a cancelled analysis returns nothing, the preamble is kept across edits
// below the includes and rebuilt after an include changes, a buffer that
// does not compile keeps the findings of what parsed, and a project summary
// in the build folder makes a function hot across files.

#include "Analyzer.h"
#include "ProjectHotPath.h"
#include "lsp/BufferAnalyzer.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace trainlint;
using namespace trainlint::lsp;

namespace {

/// A temporary project: files, and a compile_commands.json naming them with
/// the mock headers as system headers (libtorch's place).
class TempProject {
public:
  TempProject() {
    llvm::cantFail(llvm::errorCodeToError(
        llvm::sys::fs::createUniqueDirectory("trainlint-buffer", Root)));
    // The analysis names files by their real path.
    llvm::SmallString<256> Real;
    llvm::sys::fs::real_path(Root, Real);
    Root = Real;
  }
  ~TempProject() { llvm::sys::fs::remove_directories(Root); }

  std::string path(llvm::StringRef Name) const {
    llvm::SmallString<256> File(Root);
    llvm::sys::path::append(File, Name);
    return std::string(File);
  }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    std::string File = path(Name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(File));
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Text;
    return File;
  }

  /// Writes `build/compile_commands.json` for \p Files with \p Extra flags.
  void writeDatabase(std::vector<std::string> Files,
                     std::vector<std::string> Extra = {}) {
    llvm::json::Array Entries;
    for (const std::string &File : Files) {
      llvm::json::Array Args{"clang++", "-std=c++17", "-isystem",
                             TRAINLINT_MOCK_DIR, "-isystem",
                             TRAINLINT_MOCK_DIR "/torch"};
      for (const std::string &Flag : Extra)
        Args.push_back(Flag);
      Args.push_back("-c");
      Args.push_back(path(File));
      Entries.push_back(llvm::json::Object{{"directory", path("build")},
                                           {"file", path(File)},
                                           {"arguments", std::move(Args)}});
    }
    std::string Text;
    llvm::raw_string_ostream(Text) << llvm::json::Value(std::move(Entries));
    write("build/compile_commands.json", Text);
  }

private:
  llvm::SmallString<256> Root;
};

/// A training loop that reads the loss on the host each step: one
/// torch-sync-item finding on the `item` line.
constexpr llvm::StringLiteral TrainingLoop = R"cpp(#include <torch/torch.h>

void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  float total = 0;
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(model->forward(x.to(torch::kCUDA)), y);
    loss.backward();
    optimizer.step();
    total += loss.item<float>();
  }
}
)cpp";
constexpr unsigned ItemLine = 11;

AnalyzerSettings onlySyncItem() {
  AnalyzerSettings Settings;
  Settings.Analysis.Checks = "-*,torch-sync-item";
  return Settings;
}

std::vector<unsigned> linesOf(const BufferResult &Result,
                              llvm::StringRef Check = "torch-sync-item") {
  std::vector<unsigned> Lines;
  for (const Finding &F : Result.Result.Findings)
    if (F.Check == Check)
      Lines.push_back(F.Where.Line);
  return Lines;
}

const std::atomic<bool> NotCancelled{false};

TEST(BufferAnalyzerTest, TheBufferWinsOverTheDisk) {
  TempProject P;
  // On disk: the loop without the host read.
  std::string Disk = TrainingLoop.str();
  Disk.replace(Disk.find("loss.item<float>()"), 18, "1.0f");
  std::string File = P.write("train.cpp", Disk);
  P.writeDatabase({"train.cpp"});
  BufferAnalyzer Analyzer(onlySyncItem());

  auto FromDisk = Analyzer.analyze(File, Disk, NotCancelled);
  ASSERT_TRUE(FromDisk);
  EXPECT_TRUE(linesOf(*FromDisk).empty());

  // In the editor: two lines more above the loop and the host read, which
  // the disk's text has neither of.
  std::string Edited = TrainingLoop.str();
  Edited.insert(Edited.find("void train"), "// added\n// lines\n");
  auto FromBuffer = Analyzer.analyze(File, Edited, NotCancelled);
  ASSERT_TRUE(FromBuffer);
  EXPECT_EQ(linesOf(*FromBuffer), std::vector<unsigned>{ItemLine + 2});
  EXPECT_EQ(FromBuffer->CommandSource,
            "compile_commands.json in " + P.path("build"));
  EXPECT_TRUE(FromBuffer->Result.Errors.empty());
}

TEST(BufferAnalyzerTest, FallbackCommandWithoutADatabase) {
  TempProject P;
  std::string File = P.write("alone.cpp", "int main() { return 0; }\n");
  CommandForFile Found = findCompileCommand(File, "");
  EXPECT_EQ(Found.Source, "fallback command");
  EXPECT_TRUE(Found.DatabaseDirectory.empty());
  const auto &Args = Found.Command.CommandLine;
  EXPECT_NE(llvm::find(Args, "-std=c++17"), Args.end());
  // C++, not CUDA.
  EXPECT_EQ(llvm::find(Args, "cuda"), Args.end());
  EXPECT_EQ(Args.back(), File);

  std::vector<std::string> Cuda = fallbackCommand(P.path("kernel.cu")).CommandLine;
  auto X = llvm::find(Cuda, "-x");
  ASSERT_NE(X, Cuda.end());
  EXPECT_EQ(*std::next(X), "cuda");
  EXPECT_NE(llvm::find(Cuda, "--cuda-host-only"), Cuda.end());

  BufferAnalyzer Analyzer(onlySyncItem());
  auto Result =
      Analyzer.analyze(File, "int main() { return 0; }\n", NotCancelled);
  ASSERT_TRUE(Result);
  EXPECT_EQ(Result->CommandSource, "fallback command");
  EXPECT_TRUE(Result->Result.Errors.empty());
}

TEST(BufferAnalyzerTest, AGivenDatabaseFolderIsUsedForFilesOutsideIt) {
  TempProject P;
  std::string File = P.write("src/train.cpp", TrainingLoop);
  P.writeDatabase({"src/train.cpp"});
  // Found by the search upward (src/, then the root's build/)...
  EXPECT_EQ(findCompileCommand(File, "").DatabaseDirectory, P.path("build"));
  // ... and by the folder given.
  EXPECT_EQ(findCompileCommand(File, P.path("build")).DatabaseDirectory,
            P.path("build"));
}

TEST(BufferAnalyzerTest, FindingsOfThisFileOnly) {
  TempProject P;
  // A project header with a training loop of its own: its finding belongs
  // to the header, not to the file being edited.
  P.write("loop.h", R"cpp(#pragma once
#include <torch/torch.h>
inline float headerLoop(torch::nn::Linear &model, torch::optim::SGD &opt,
                        torch::Tensor x) {
  float total = 0;
  for (int step = 0; step < 10; ++step) {
    opt.zero_grad();
    auto loss = model->forward(x.to(torch::kCUDA)).sum();
    loss.backward();
    opt.step();
    total += loss.item<float>();
  }
  return total;
}
)cpp");
  std::string Text = TrainingLoop.str() + "#include \"loop.h\"\n";
  std::string File = P.write("train.cpp", Text);
  P.writeDatabase({"train.cpp"});

  // `trainlint check` reports both, so the header's finding exists...
  AnalysisOptions Options;
  Options.Checks = "-*,torch-sync-item";
  TranslationUnit Unit{File, findCompileCommand(File, "").Command};
  Report Whole = analyzeTranslationUnit(Unit, Options);
  bool HeaderFinding = llvm::any_of(Whole.Findings, [&](const Finding &F) {
    return F.Where.File == P.path("loop.h");
  });
  EXPECT_TRUE(HeaderFinding);

  // ... and the editor shows the file's own only.
  BufferAnalyzer Analyzer(onlySyncItem());
  auto Result = Analyzer.analyze(File, Text, NotCancelled);
  ASSERT_TRUE(Result);
  EXPECT_EQ(linesOf(*Result), std::vector<unsigned>{ItemLine});
  for (const Finding &F : Result->Result.Findings)
    EXPECT_EQ(F.Where.File, File);
}

TEST(BufferAnalyzerTest, ACancelledAnalysisReturnsNothing) {
  TempProject P;
  std::string File = P.write("train.cpp", TrainingLoop);
  P.writeDatabase({"train.cpp"});
  BufferAnalyzer Analyzer(onlySyncItem());
  const std::atomic<bool> Cancelled{true};
  EXPECT_FALSE(Analyzer.analyze(File, TrainingLoop, Cancelled));
  // Cancelled before the preamble was needed: none was built.
  EXPECT_EQ(Analyzer.preambleBuilds(), 0u);
}

TEST(BufferAnalyzerTest, CancelledAfterThePreambleOrAfterTheParse) {
  TempProject P;
  std::string File = P.write("train.cpp", TrainingLoop);
  P.writeDatabase({"train.cpp"});
  BufferAnalyzer Analyzer(onlySyncItem());
  std::atomic<bool> Cancelled{false};
  std::string CancelAt;
  std::vector<std::string> Phases;
  Analyzer.onPhase([&](llvm::StringRef Phase) {
    Phases.push_back(Phase.str());
    if (Phase == CancelAt)
      Cancelled = true;
  });

  // Between the preamble's build and the main file's parse.
  CancelAt = "preamble";
  EXPECT_FALSE(Analyzer.analyze(File, TrainingLoop, Cancelled));
  EXPECT_EQ(Phases, std::vector<std::string>{"preamble"});
  EXPECT_EQ(Analyzer.preambleBuilds(), 1u);

  // After the parse, before the findings are converted. The preamble built
  // by the cancelled analysis is kept.
  Cancelled = false;
  Phases.clear();
  CancelAt = "parsed";
  EXPECT_FALSE(Analyzer.analyze(File, TrainingLoop, Cancelled));
  EXPECT_EQ(Phases, (std::vector<std::string>{"preamble", "parsed"}));
  EXPECT_EQ(Analyzer.preambleBuilds(), 1u);

  Cancelled = false;
  CancelAt = "";
  auto Done = Analyzer.analyze(File, TrainingLoop, Cancelled);
  ASSERT_TRUE(Done);
  EXPECT_EQ(linesOf(*Done), std::vector<unsigned>{ItemLine});
  EXPECT_EQ(Analyzer.preambleBuilds(), 1u);
}

TEST(BufferAnalyzerTest, PreambleReusedAfterABodyEditAndRebuiltAfterAnInclude) {
  TempProject P;
  std::string File = P.write("train.cpp", TrainingLoop);
  P.writeDatabase({"train.cpp"});
  BufferAnalyzer Analyzer(onlySyncItem());

  auto First = Analyzer.analyze(File, TrainingLoop, NotCancelled);
  ASSERT_TRUE(First);
  EXPECT_TRUE(First->UsedPreamble);
  EXPECT_EQ(Analyzer.preambleBuilds(), 1u);
  EXPECT_EQ(linesOf(*First), std::vector<unsigned>{ItemLine});

  // An edit below the includes: a line more in the body moves the finding.
  std::string Body = TrainingLoop.str();
  Body.insert(Body.find("    optimizer.step();"), "    // stepping\n");
  auto Second = Analyzer.analyze(File, Body, NotCancelled);
  ASSERT_TRUE(Second);
  EXPECT_TRUE(Second->UsedPreamble);
  EXPECT_EQ(Analyzer.preambleBuilds(), 1u);
  EXPECT_EQ(linesOf(*Second), std::vector<unsigned>{ItemLine + 1});

  // An include more: the preamble's contents changed.
  std::string Included = "#include <vector>\n" + Body;
  auto Third = Analyzer.analyze(File, Included, NotCancelled);
  ASSERT_TRUE(Third);
  EXPECT_TRUE(Third->UsedPreamble);
  EXPECT_EQ(Analyzer.preambleBuilds(), 2u);
  EXPECT_EQ(linesOf(*Third), std::vector<unsigned>{ItemLine + 2});

  // A changed command (a new macro) needs a new preamble too.
  P.writeDatabase({"train.cpp"}, {"-DTRAINLINT_TEST_FLAG=1"});
  auto Fourth = Analyzer.analyze(File, Included, NotCancelled);
  ASSERT_TRUE(Fourth);
  EXPECT_EQ(Analyzer.preambleBuilds(), 3u);

  // Closed and opened again: built again.
  Analyzer.forget(File);
  ASSERT_TRUE(Analyzer.analyze(File, Included, NotCancelled));
  EXPECT_EQ(Analyzer.preambleBuilds(), 4u);
}

TEST(BufferAnalyzerTest, ABufferThatDoesNotCompileKeepsWhatParsed) {
  TempProject P;
  std::string File = P.write("train.cpp", TrainingLoop);
  P.writeDatabase({"train.cpp"});
  BufferAnalyzer Analyzer(onlySyncItem());
  // Half-typed code after the loop, as while typing.
  std::string Typing = TrainingLoop.str() + "void later() { int x = ; }\n";
  auto Result = Analyzer.analyze(File, Typing, NotCancelled);
  ASSERT_TRUE(Result);
  EXPECT_EQ(linesOf(*Result), std::vector<unsigned>{ItemLine});
  ASSERT_EQ(Result->Result.Findings.size(), 1u);
  EXPECT_TRUE(Result->Result.Findings[0].FromFileWithErrors);
  ASSERT_EQ(Result->Result.Errors.size(), 1u);
  EXPECT_NE(Result->Result.Errors[0].Message.find("does not compile"),
            std::string::npos);
}

TEST(BufferAnalyzerTest, ASummaryInTheBuildFolderMakesAFunctionHot) {
  TempProject P;
  // The loop is in one file, the host read in a function of another.
  std::string Loop = P.write("train.cpp", R"cpp(#include <torch/torch.h>
float step(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y);
void train(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  for (int i = 0; i < 100; ++i)
    step(model, optimizer, x, y);
}
)cpp");
  std::string StepText = R"cpp(#include <torch/torch.h>
float step(torch::nn::Linear &model, torch::optim::SGD &optimizer,
           torch::Tensor x, torch::Tensor y) {
  optimizer.zero_grad();
  auto loss = torch::mse_loss(model->forward(x.to(torch::kCUDA)), y);
  loss.backward();
  optimizer.step();
  return loss.item<float>();
}
)cpp";
  std::string Step = P.write("step.cpp", StepText);
  P.writeDatabase({"train.cpp", "step.cpp"});

  BufferAnalyzer Analyzer(onlySyncItem());
  auto Alone = Analyzer.analyze(Step, StepText, NotCancelled);
  ASSERT_TRUE(Alone);
  // One file alone: nothing says step() runs in a loop.
  EXPECT_TRUE(linesOf(*Alone).empty());
  EXPECT_TRUE(Alone->SummaryPath.empty());

  // The summary of a project run, where `trainlint check -p build
  // --export-summary build/trainlint-summary.json` writes it.
  ProjectSummary Summary;
  AnalysisOptions Options;
  Options.Checks = "-*,torch-sync-item";
  for (const std::string &File : {Loop, Step}) {
    ProjectGraph Graph;
    analyzeTranslationUnit({File, findCompileCommand(File, "").Command},
                           Options, &Graph);
    Summary.Graph.merge(Graph);
  }
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeSummary(Summary, OS);
  OS.flush();
  P.write(("build/" + SummaryFileName).str(), Text);

  BufferAnalyzer WithSummary(onlySyncItem());
  auto Hot = WithSummary.analyze(Step, StepText, NotCancelled);
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->SummaryPath, P.path(("build/" + SummaryFileName).str()));
  EXPECT_EQ(linesOf(*Hot), std::vector<unsigned>{8});
}

TEST(ConvertClangTidyErrorsTest, ANoteFixItIsItsSuggestion) {
  TempProject P;
  std::string File = P.write("train.cpp", "int a = 1;\nint b = 2;\n");
  clang::tidy::ClangTidyError E("torch-sync-item",
                                clang::tidy::ClangTidyError::Warning,
                                P.path(""), false);
  E.Message = clang::tooling::DiagnosticMessage("the warning");
  E.Message.FilePath = File;
  E.Message.FileOffset = 4;
  clang::tooling::DiagnosticMessage Note("a suggestion");
  Note.FilePath = File;
  Note.FileOffset = 15;
  llvm::cantFail(Note.Fix[File].add(
      clang::tooling::Replacement(File, 19, 1, "3")));
  E.Notes.push_back(Note);
  TranslationUnit Unit{File, {}};
  Report R = convertClangTidyErrors({E}, Unit);
  ASSERT_EQ(R.Findings.size(), 1u);
  const Finding &F = R.Findings[0];
  // The warning's own fix-it is empty: the note's is never applied.
  EXPECT_TRUE(F.FixIts.empty());
  ASSERT_EQ(F.Notes.size(), 1u);
  ASSERT_EQ(F.Notes[0].Suggestion.size(), 1u);
  const FixIt &Fix = F.Notes[0].Suggestion[0];
  EXPECT_EQ(Fix.Offset, 19u);
  EXPECT_EQ(Fix.Length, 1u);
  EXPECT_EQ(Fix.Replacement, "3");
  EXPECT_EQ(Fix.Where.Line, 2u);
  EXPECT_EQ(Fix.Where.Column, 9u);
}

} // namespace
