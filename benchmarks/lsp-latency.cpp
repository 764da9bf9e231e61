// The editor server's analysis, timed as the editor sees it: the first
// analysis of a file (its preamble built), then analyses after edits below
// the includes (the preamble reused). benchmarks/lsp-latency.sh runs it next
// to clangd on the same file.
//
//   lsp-latency FILE [EDITS]
// prints one line per analysis: "first SECONDS FINDINGS" then
// "edit SECONDS FINDINGS", and whether the preamble was used.

#include "lsp/BufferAnalyzer.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdlib>

using namespace trainlint;

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: lsp-latency FILE [EDITS]\n";
    return 2;
  }
  std::string File = argv[1];
  int Edits = argc > 2 ? std::atoi(argv[2]) : 5;
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer) {
    llvm::errs() << "lsp-latency: " << File << ": "
                 << Buffer.getError().message() << "\n";
    return 2;
  }
  std::string Text = (*Buffer)->getBuffer().str();
  lsp::BufferAnalyzer Analyzer({});
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
    for (const ToolError &E : Result->Result.Errors)
      llvm::errs() << "  error: " << E.File << ": " << E.Message << "\n";
  }
  return 0;
}
