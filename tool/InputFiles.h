//===--- InputFiles.h - the files an analysis read ---------------*- C++
//-*-===//
//
// The result cache and the preamble store both ask whether the files an
// earlier analysis read are unchanged. A file's size and modification time
// answer it cheaply; its content hash answers it when they differ (a file
// touched but not edited, a fresh checkout).
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_INPUTFILES_H
#define TRAINLINT_TOOL_INPUTFILES_H

#include "clang/Frontend/Utils.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace trainlint {

/// A file's size and modification time.
struct FileStamp {
  uint64_t Size = 0;
  int64_t ModifiedNs = 0;

  friend bool operator==(const FileStamp &A, const FileStamp &B) {
    return A.Size == B.Size && A.ModifiedNs == B.ModifiedNs;
  }
  friend bool operator!=(const FileStamp &A, const FileStamp &B) {
    return !(A == B);
  }
};

/// \p Path's stamp, or std::nullopt when it cannot be read.
std::optional<FileStamp> stampOf(llvm::StringRef Path);

/// The hash of \p Text (128 bits of xxh3, in hex).
std::string textHash(llvm::StringRef Text);

/// The stamps and content hashes of files, each taken once per run; safe to
/// use from several threads.
class FileHashes {
public:
  /// \p Path's stamp, or std::nullopt when it cannot be read.
  std::optional<FileStamp> stamp(llvm::StringRef Path);
  /// \p Path's content hash, or std::nullopt when it cannot be read.
  std::optional<std::string> hash(llvm::StringRef Path);
  /// Whether \p Path still has the content it had when its stamp was
  /// \p Stamp and its hash \p Hash: the same stamp says so without reading
  /// it.
  bool unchanged(llvm::StringRef Path, const FileStamp &Stamp,
                 llvm::StringRef Hash);

private:
  std::mutex Lock;
  llvm::StringMap<std::optional<FileStamp>> Stamps;
  llvm::StringMap<std::optional<std::string>> Hashes;
};

/// A file an analysis read, as it was then.
struct RecordedInput {
  std::string Path;
  FileStamp Stamp;
  std::string Hash;
};

/// \p Files with their stamps and content hashes, as JSON; std::nullopt
/// when one of them cannot be read.
std::optional<llvm::json::Array> recordInputs(llvm::ArrayRef<std::string> Files,
                                              FileHashes &Hashes);

/// The inputs that recordInputs wrote; std::nullopt when \p List is not
/// such a record.
std::optional<std::vector<RecordedInput>>
readRecordedInputs(const llvm::json::Array &List);

/// The JSON object in the file at \p Path; std::nullopt when it cannot be
/// read or holds something else.
std::optional<llvm::json::Object> readJsonObjectFile(llvm::StringRef Path);

/// Collects every file the preprocessor enters, system headers included,
/// as absolute paths.
class InputCollector : public clang::DependencyCollector {
public:
  /// Relative paths are relative to \p WorkingDirectory.
  explicit InputCollector(std::string WorkingDirectory)
      : WorkingDirectory(std::move(WorkingDirectory)) {}

  bool needSystemDependencies() override { return true; }
  bool sawDependency(llvm::StringRef Filename, bool FromModule, bool IsSystem,
                     bool IsModuleFile, bool IsMissing) override;
  /// The files seen, absolute, in the order they were first entered.
  std::vector<std::string> inputs() const;

private:
  std::string WorkingDirectory;
};

} // namespace trainlint

#endif // TRAINLINT_TOOL_INPUTFILES_H
