//===--- Progress.h - files done, the current file, time left ---*- C++ -*-===//

#ifndef TRAINLINT_TOOL_PROGRESS_H
#define TRAINLINT_TOOL_PROGRESS_H

#include "llvm/ADT/StringRef.h"
#include <chrono>
#include <mutex>
#include <string>

namespace trainlint {

/// One status line on standard error, rewritten in place, when \p Enabled
/// (the tool enables it only when standard error is a terminal). Safe to
/// call from several threads.
class Progress {
public:
  Progress(size_t Total, bool Enabled);
  void started(llvm::StringRef Name);
  void finished(llvm::StringRef Name);
  /// Clears the line.
  void done();

private:
  void draw(llvm::StringRef Name);

  size_t Total;
  size_t Finished = 0;
  bool Enabled;
  std::chrono::steady_clock::time_point Start;
  std::mutex Lock;
};

} // namespace trainlint

#endif // TRAINLINT_TOOL_PROGRESS_H
