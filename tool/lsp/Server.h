//===--- Server.h - the language server of `trainlint lsp` ------*- C++ -*-===//
//
// The main thread reads messages and answers them; one worker thread runs
// the analyses. An open or changed document is analyzed after a pause
// (the debounce), so that typing does not start one analysis per key; a
// change cancels the analysis of the version it replaces, and a result for
// a version older than the document's is dropped, never published. Code
// actions are answered from the findings of the document's current version,
// waiting for its analysis when it is still to come.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_LSP_SERVER_H
#define TRAINLINT_TOOL_LSP_SERVER_H

#include "lsp/BufferAnalyzer.h"
#include "lsp/Transport.h"
#include <chrono>
#include <memory>

namespace trainlint::lsp {

struct ServerOptions {
  /// What the command line says; initialization options and configuration
  /// changes override it.
  AnalyzerSettings Settings;
  /// How long a document must stay unchanged before it is analyzed.
  std::chrono::milliseconds Debounce{300};
};

/// Serves one client until it says `exit` or goes away.
class Server {
public:
  Server(ServerOptions Options, Transport &Client, Log &Logger);
  ~Server();

  /// Returns the exit status: 0 after `shutdown` then `exit` (or the end of
  /// the input after `shutdown`), 1 when the client left without `shutdown`.
  int run();

private:
  class Impl;
  std::unique_ptr<Impl> State;
};

} // namespace trainlint::lsp

#endif // TRAINLINT_TOOL_LSP_SERVER_H
