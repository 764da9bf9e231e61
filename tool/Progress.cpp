//===--- Progress.cpp - files done, the current file, time left
//------------===//

#include "Progress.h"
#include "llvm/Support/raw_ostream.h"

namespace trainlint {

Progress::Progress(size_t Total, bool Enabled)
    : Total(Total), Enabled(Enabled), Start(std::chrono::steady_clock::now()) {}

void Progress::started(llvm::StringRef Name) {
  std::lock_guard<std::mutex> Guard(Lock);
  draw(Name);
}

void Progress::finished(llvm::StringRef Name) {
  std::lock_guard<std::mutex> Guard(Lock);
  ++Finished;
  draw(Name);
}

void Progress::done() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Enabled)
    llvm::errs() << "\r\x1b[K";
  llvm::errs().flush();
}

void Progress::draw(llvm::StringRef Name) {
  if (!Enabled)
    return;
  auto &OS = llvm::errs();
  OS << "\r\x1b[K[" << Finished << "/" << Total << "] " << Name;
  if (Finished > 0 && Finished < Total) {
    double Elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count();
    auto Left = static_cast<unsigned>(Elapsed / static_cast<double>(Finished) *
                                      static_cast<double>(Total - Finished));
    if (Left > 0)
      OS << " (about " << Left << " s left)";
  }
  OS.flush();
}

} // namespace trainlint
