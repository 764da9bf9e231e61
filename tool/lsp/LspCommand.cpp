//===--- LspCommand.cpp - `trainlint lsp` ---------------------------------===//
//
// The language server over standard input and output. Standard output
// carries the protocol and nothing else: the log goes to standard error or
// to --log-file.
//
//===----------------------------------------------------------------------===//

#include "Analyzer.h"
#include "Commands.h"
#include "Paths.h"
#include "lsp/Server.h"
#include "lsp/Transport.h"
#include "llvm/Support/raw_ostream.h"
#include <csignal>
#include <unistd.h>

namespace trainlint {

int runLspCommand(llvm::ArrayRef<const char *> Args) {
  lsp::ServerOptions Options;
  std::string LogFile;
  bool Help = false;
  auto Store = [](std::optional<std::string> &Into) {
    return [&Into](llvm::StringRef V) {
      Into = V.str();
      return std::string();
    };
  };
  std::vector<OptionSpec> Specs = {
      {{"-p", "--build-path"},
       "BUILD_DIR",
       "build directory with compile_commands.json (default: the nearest "
       "one above each file)",
       [&](llvm::StringRef V) {
         Options.Settings.CompileCommandsDir = absolutePath(V);
         return std::string();
       }},
      {{"--checks"},
       "GLOBS",
       "check globs appended to those of .clang-tidy files (default: "
       "-*,torch-*,cuda-*)",
       Store(Options.Settings.Analysis.Checks)},
      {{"--config"},
       "YAML",
       "a .clang-tidy configuration used instead of .clang-tidy files",
       Store(Options.Settings.Analysis.Config)},
      {{"--level"},
       "LEVEL",
       "enable checks up to this level: 0, 1 (default), 2 or manual",
       [&](llvm::StringRef V) {
         if (!parseLevel(V))
           return "invalid --level '" + V.str() +
                  "': expected 0, 1, 2 or manual";
         Options.Settings.Analysis.Level = V.str();
         return std::string();
       }},
      {{"--summary"},
       "FILE",
       "a project summary (check --export-summary) that makes functions "
       "called from other files' training loops hot (default: the one in the "
       "compile database's folder)",
       [&](llvm::StringRef V) {
         Options.Settings.SummaryPath = absolutePath(V);
         return std::string();
       }},
      {{"--log-file"},
       "FILE",
       "append the log to FILE instead of standard error",
       [&](llvm::StringRef V) {
         LogFile = V.str();
         return std::string();
       }},
      {{"--debounce-ms"},
       "MS",
       "wait this long after an edit before analyzing (default: 300)",
       [&](llvm::StringRef V) {
         unsigned Millis;
         if (V.getAsInteger(10, Millis))
           return "invalid --debounce-ms '" + V.str() + "': expected a number";
         Options.Debounce = std::chrono::milliseconds(Millis);
         return std::string();
       }},
      {{"-h", "--help"},
       "",
       "show this help",
       [&](llvm::StringRef) {
         Help = true;
         return std::string();
       }},
  };
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/false);
  if (!Parsed || !Parsed->Positional.empty()) {
    llvm::errs() << "trainlint lsp: error: "
                 << (Parsed
                         ? "unexpected argument '" + Parsed->Positional[0] + "'"
                         : llvm::toString(Parsed.takeError()))
                 << "\n";
    return ExitError;
  }
  if (Help) {
    llvm::outs() << "usage: trainlint lsp [options]\n\n"
                    "Serves trainlint's findings and fix-its to an editor "
                    "over the Language Server Protocol\n(JSON-RPC on standard "
                    "input and output).\n\noptions:\n";
    printOptionHelp(llvm::outs(), Specs);
    return ExitClean;
  }
  if (std::string Problem = validateAnalysisOptions(Options.Settings.Analysis);
      !Problem.empty()) {
    llvm::errs() << "trainlint lsp: error: " << Problem << "\n";
    return ExitError;
  }

  std::unique_ptr<lsp::Log> Logger;
  if (LogFile.empty()) {
    Logger = std::make_unique<lsp::Log>();
  } else {
    auto FileLog = lsp::Log::toFile(LogFile);
    if (!FileLog) {
      llvm::errs() << "trainlint lsp: error: "
                   << llvm::toString(FileLog.takeError()) << "\n";
      return ExitError;
    }
    Logger = std::move(*FileLog);
  }
  // A client that goes away makes writes fail with EPIPE, which the
  // transport handles; the signal would end the process mid-message.
  std::signal(SIGPIPE, SIG_IGN);
  // The protocol keeps standard output to itself: whatever else would print
  // there (a library's stray message) goes to standard error instead.
  int ProtocolFd = ::dup(STDOUT_FILENO);
  if (ProtocolFd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    llvm::errs() << "trainlint lsp: error: cannot set up standard output\n";
    return ExitError;
  }
  lsp::Transport Client(STDIN_FILENO, ProtocolFd, *Logger);
  lsp::Server Server(std::move(Options), Client, *Logger);
  return Server.run();
}

} // namespace trainlint
