// The editor server's analysis, timed as the editor sees it: the first
// analysis of a file (its preamble built), then analyses after edits below
// the includes (the preamble reused). benchmarks/lsp-latency.sh runs it next
// to clangd on the same file.
//
//   lsp-latency [-p BUILD_DIR] [--findings] FILE [EDITS]
// prints one line per analysis: "first SECONDS N findings" then
// "edit SECONDS N findings", whether the preamble was used and where the
// command came from; with --findings, the first analysis's findings too
// (to compare them with `trainlint check`'s).

#include "lsp/BufferAnalyzer.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdlib>

using namespace trainlint;

int main(int argc, char **argv) {
  lsp::AnalyzerSettings Settings;
  bool PrintFindings = false;
  std::vector<std::string> Positional;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg = argv[I];
    if (Arg == "-p" && I + 1 < argc)
      Settings.CompileCommandsDir = argv[++I];
    else if (Arg == "--findings")
      PrintFindings = true;
    else
      Positional.push_back(Arg.str());
  }
  if (Positional.empty() || Positional.size() > 2) {
    llvm::errs() << "usage: lsp-latency [-p BUILD_DIR] [--findings] FILE "
                    "[EDITS]\n";
    return 2;
  }
  std::string File = Positional[0];
  int Edits = Positional.size() > 1 ? std::atoi(Positional[1].c_str()) : 5;
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer) {
    llvm::errs() << "lsp-latency: " << File << ": "
                 << Buffer.getError().message() << "\n";
    return 2;
  }
  std::string Text = (*Buffer)->getBuffer().str();
  lsp::BufferAnalyzer Analyzer(Settings);
  std::atomic<bool> Cancelled{false};
  for (int I = 0; I <= Edits; ++I) {
    // An edit below the includes: a new function at the end of the file,
    // as typing one would leave it.
    if (I > 0)
      Text += "\nstatic int editedFunction" + std::to_string(I) +
              "() { return " + std::to_string(I) + "; }\n";
    auto Start = std::chrono::steady_clock::now();
    std::optional<lsp::BufferResult> Result =
        Analyzer.analyze(File, Text, Cancelled);
    double Seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - Start)
                         .count();
    if (!Result) {
      llvm::errs() << "lsp-latency: the analysis was cancelled\n";
      return 1;
    }
    llvm::outs() << (I == 0 ? "first" : "edit") << " "
                 << llvm::format("%.3f", Seconds) << " "
                 << Result->Result.Findings.size() << " findings, "
                 << (Result->UsedPreamble ? "preamble" : "no preamble") << ", "
                 << Result->CommandSource << "\n";
    if (I == 0 && PrintFindings)
      for (const Finding &F : Result->Result.Findings)
        llvm::outs() << "  " << F.Where.Line << ":" << F.Where.Column << " "
                     << F.Check << " (" << F.FixIts.size() << " fix-it edits, "
                     << F.Notes.size() << " notes)\n";
    for (const ToolError &E : Result->Result.Errors)
      llvm::errs() << "  error: " << E.File << ": " << E.Message << "\n";
  }
  return 0;
}
