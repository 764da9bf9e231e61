//===--- Transport.h - JSON-RPC messages over a pair of pipes ---*- C++ -*-===//
//
// LSP's base protocol: each message is a `Content-Length: N` header block,
// an empty line, and N bytes of JSON. The server reads them from standard
// input and writes them to standard output, which carries nothing else;
// the log goes to standard error or a file.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_LSP_TRANSPORT_H
#define TRAINLINT_TOOL_LSP_TRANSPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace trainlint::lsp {

/// Where the server says what it does: standard error or a file, one
/// timestamped line per message. Safe to use from several threads.
class Log {
public:
  /// Logs to standard error.
  Log();
  /// Logs to \p File (appended to), or returns an error.
  static llvm::Expected<std::unique_ptr<Log>> toFile(llvm::StringRef File);
  ~Log();

  void info(const llvm::Twine &Message);
  void error(const llvm::Twine &Message);

private:
  void write(llvm::StringRef Kind, const llvm::Twine &Message);

  std::unique_ptr<llvm::raw_fd_ostream> File;
  std::mutex Lock;
};

/// Reads framed messages from one file descriptor and writes them to
/// another. Writes are serialized; reads happen on one thread.
class Transport {
public:
  Transport(int InputFd, int OutputFd, Log &Logger);

  /// The next message's body; std::nullopt when the input ends (the client
  /// went away). A header block without a usable Content-Length is logged
  /// and skipped.
  std::optional<std::string> read();

  /// Writes \p Message; after a failed write (the client closed its end)
  /// every later one is dropped and closed() is true.
  void send(const llvm::json::Value &Message);
  bool closed() const;

private:
  /// Fills the buffer with more input; false at the end of input.
  bool fill();
  std::optional<std::string> readLine();

  int InputFd;
  int OutputFd;
  Log &Logger;
  std::string Buffer;
  size_t BufferStart = 0;
  mutable std::mutex WriteLock;
  bool WriteFailed = false;
};

} // namespace trainlint::lsp

#endif // TRAINLINT_TOOL_LSP_TRANSPORT_H
