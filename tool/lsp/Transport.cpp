//===--- Transport.cpp - JSON-RPC messages over a pair of pipes -----------===//

#include "lsp/Transport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include <cerrno>
#include <cstring>
#include <chrono>
#include <ctime>
#include <unistd.h>

namespace trainlint::lsp {

Log::Log() = default;
Log::~Log() = default;

llvm::Expected<std::unique_ptr<Log>> Log::toFile(llvm::StringRef Path) {
  std::error_code EC;
  auto Stream = std::make_unique<llvm::raw_fd_ostream>(
      Path, EC, llvm::sys::fs::OF_Append | llvm::sys::fs::OF_Text);
  if (EC)
    return llvm::createStringError(EC, "cannot open the log file '" + Path +
                                           "': " + EC.message());
  auto Result = std::make_unique<Log>();
  Result->File = std::move(Stream);
  return Result;
}

void Log::info(const llvm::Twine &Message) { write("info", Message); }
void Log::error(const llvm::Twine &Message) { write("error", Message); }

void Log::write(llvm::StringRef Kind, const llvm::Twine &Message) {
  auto Now = std::chrono::system_clock::now();
  std::time_t Seconds = std::chrono::system_clock::to_time_t(Now);
  unsigned Millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                        Now.time_since_epoch())
                        .count() %
                    1000;
  std::tm Parts;
  localtime_r(&Seconds, &Parts);
  char Clock[16];
  std::strftime(Clock, sizeof(Clock), "%H:%M:%S", &Parts);

  std::lock_guard<std::mutex> Guard(Lock);
  llvm::raw_ostream &OS = File ? *File : llvm::errs();
  OS << "[" << Clock << "." << llvm::format("%03u", Millis) << "] " << Kind
     << ": " << Message << "\n";
  OS.flush();
}

Transport::Transport(int InputFd, int OutputFd, Log &Logger)
    : InputFd(InputFd), OutputFd(OutputFd), Logger(Logger) {}

bool Transport::fill() {
  if (BufferStart > 0) {
    Buffer.erase(0, BufferStart);
    BufferStart = 0;
  }
  char Chunk[65536];
  while (true) {
    ssize_t Count = ::read(InputFd, Chunk, sizeof(Chunk));
    if (Count > 0) {
      Buffer.append(Chunk, Count);
      return true;
    }
    if (Count < 0 && errno == EINTR)
      continue;
    if (Count < 0)
      Logger.error("reading the input failed: " +
                   llvm::Twine(std::strerror(errno)));
    return false;
  }
}

std::optional<std::string> Transport::readLine() {
  while (true) {
    size_t NewLine = Buffer.find('\n', BufferStart);
    if (NewLine != std::string::npos) {
      std::string Line = Buffer.substr(BufferStart, NewLine - BufferStart);
      BufferStart = NewLine + 1;
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return Line;
    }
    if (!fill())
      return std::nullopt;
  }
}

std::optional<std::string> Transport::read() {
  while (true) {
    std::optional<size_t> Length;
    bool SawHeader = false;
    while (true) {
      std::optional<std::string> Line = readLine();
      if (!Line)
        return std::nullopt;
      if (Line->empty()) {
        // Blank lines before a header block are tolerated.
        if (SawHeader)
          break;
        continue;
      }
      SawHeader = true;
      auto [Name, Value] = llvm::StringRef(*Line).split(':');
      if (Name.trim().equals_insensitive("Content-Length")) {
        size_t Parsed;
        if (Value.trim().getAsInteger(10, Parsed))
          Logger.error("ignoring a Content-Length that is not a number: '" +
                       Value.trim() + "'");
        else
          Length = Parsed;
      }
    }
    if (!Length) {
      Logger.error("ignoring a header block without a Content-Length");
      continue;
    }
    while (Buffer.size() - BufferStart < *Length)
      if (!fill()) {
        Logger.error("the input ended inside a message");
        return std::nullopt;
      }
    std::string Body = Buffer.substr(BufferStart, *Length);
    BufferStart += *Length;
    return Body;
  }
}

void Transport::send(const llvm::json::Value &Message) {
  std::string Body;
  llvm::raw_string_ostream(Body) << Message;
  std::string Framed =
      "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
  std::lock_guard<std::mutex> Guard(WriteLock);
  if (WriteFailed)
    return;
  for (size_t Written = 0; Written < Framed.size();) {
    ssize_t Count =
        ::write(OutputFd, Framed.data() + Written, Framed.size() - Written);
    if (Count < 0 && errno == EINTR)
      continue;
    if (Count <= 0) {
      Logger.error("writing to the client failed (" +
                   llvm::Twine(std::strerror(errno)) +
                   "); dropping every later message");
      WriteFailed = true;
      return;
    }
    Written += Count;
  }
}

bool Transport::closed() const {
  std::lock_guard<std::mutex> Guard(WriteLock);
  return WriteFailed;
}

} // namespace trainlint::lsp
