//===--- SourceCache.h - source files read once, by path --------*- C++ -*-===//

#ifndef TRAINLINT_TOOL_SOURCECACHE_H
#define TRAINLINT_TOOL_SOURCECACHE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <memory>
#include <optional>
#include <vector>

namespace trainlint {

/// Reads source files on first use and answers questions about their lines.
/// Paths are used as given; callers pass absolute paths.
class SourceCache {
public:
  /// Reads from \p Files, or from the disk when it is null.
  explicit SourceCache(
      llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files = nullptr)
      : FileSystem(std::move(Files)) {}

  /// The file's contents, or std::nullopt when it cannot be read.
  std::optional<llvm::StringRef> contents(llvm::StringRef Path);

  /// The 1-based line and byte column of \p Offset, or std::nullopt when the
  /// file cannot be read or is shorter.
  std::optional<std::pair<unsigned, unsigned>>
  lineAndColumn(llvm::StringRef Path, unsigned Offset);

  /// The text of 1-based \p Line without its line break.
  std::optional<llvm::StringRef> lineText(llvm::StringRef Path, unsigned Line);

  /// The byte offset of the start of 1-based \p Line.
  std::optional<unsigned> lineOffset(llvm::StringRef Path, unsigned Line);

private:
  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    /// Offsets at which each line starts.
    std::vector<unsigned> LineStarts;
  };
  const Entry *get(llvm::StringRef Path);

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FileSystem;
  llvm::StringMap<std::unique_ptr<Entry>> Files;
};

} // namespace trainlint

#endif // TRAINLINT_TOOL_SOURCECACHE_H
