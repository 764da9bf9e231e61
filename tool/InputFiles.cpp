//===--- InputFiles.cpp - the files an analysis read
//-----------------------===//

#include "InputFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <chrono>

namespace trainlint {

namespace fs = llvm::sys::fs;

std::optional<FileStamp> stampOf(llvm::StringRef Path) {
  fs::file_status Status;
  if (fs::status(Path, Status) || !fs::is_regular_file(Status))
    return std::nullopt;
  FileStamp Stamp;
  Stamp.Size = Status.getSize();
  Stamp.ModifiedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         Status.getLastModificationTime().time_since_epoch())
                         .count();
  return Stamp;
}

std::string textHash(llvm::StringRef Text) {
  llvm::XXH128_hash_t Hash =
      llvm::xxh3_128bits(llvm::arrayRefFromStringRef(Text));
  std::string Hex;
  llvm::raw_string_ostream OS(Hex);
  OS << llvm::format_hex_no_prefix(Hash.high64, 16)
     << llvm::format_hex_no_prefix(Hash.low64, 16);
  return Hex;
}

std::optional<FileStamp> FileHashes::stamp(llvm::StringRef Path) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto [It, Inserted] = Stamps.try_emplace(Path);
  if (Inserted)
    It->second = stampOf(Path);
  return It->second;
}

std::optional<std::string> FileHashes::hash(llvm::StringRef Path) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Found = Hashes.find(Path);
    if (Found != Hashes.end())
      return Found->second;
  }
  std::optional<std::string> Result;
  if (auto Buffer = llvm::MemoryBuffer::getFile(
          Path, /*IsText=*/false, /*RequiresNullTerminator=*/false))
    Result = textHash((*Buffer)->getBuffer());
  std::lock_guard<std::mutex> Guard(Lock);
  Hashes.insert({Path, Result});
  return Result;
}

bool FileHashes::unchanged(llvm::StringRef Path, const FileStamp &Stamp,
                           llvm::StringRef Hash) {
  std::optional<FileStamp> Now = stamp(Path);
  if (!Now)
    return false;
  if (*Now == Stamp)
    return true;
  std::optional<std::string> Content = hash(Path);
  return Content && *Content == Hash;
}

std::optional<llvm::json::Array> recordInputs(llvm::ArrayRef<std::string> Files,
                                              FileHashes &Hashes) {
  llvm::json::Array List;
  for (const std::string &File : Files) {
    std::optional<FileStamp> Stamp = Hashes.stamp(File);
    std::optional<std::string> Hash = Hashes.hash(File);
    if (!Stamp || !Hash)
      return std::nullopt;
    List.push_back(
        llvm::json::Object{{"path", File},
                           {"size", static_cast<int64_t>(Stamp->Size)},
                           {"mtime", Stamp->ModifiedNs},
                           {"hash", *Hash}});
  }
  return List;
}

std::optional<std::vector<RecordedInput>>
readRecordedInputs(const llvm::json::Array &List) {
  std::vector<RecordedInput> Inputs;
  for (const llvm::json::Value &Item : List) {
    const llvm::json::Object *Input = Item.getAsObject();
    if (!Input)
      return std::nullopt;
    auto Path = Input->getString("path");
    auto Size = Input->getInteger("size");
    auto Modified = Input->getInteger("mtime");
    auto Hash = Input->getString("hash");
    if (!Path || !Size || !Modified || !Hash)
      return std::nullopt;
    Inputs.push_back({Path->str(),
                      FileStamp{static_cast<uint64_t>(*Size), *Modified},
                      Hash->str()});
  }
  return Inputs;
}

std::optional<llvm::json::Object> readJsonObjectFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return std::nullopt;
  auto Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt;
  }
  if (llvm::json::Object *Root = Parsed->getAsObject())
    return std::move(*Root);
  return std::nullopt;
}

bool InputCollector::sawDependency(llvm::StringRef Filename, bool, bool, bool,
                                   bool IsMissing) {
  return !IsMissing && Filename != "<built-in>" &&
         Filename != "<command line>" && Filename != "<stdin>";
}

std::vector<std::string> InputCollector::inputs() const {
  std::vector<std::string> Result;
  for (const std::string &File : getDependencies()) {
    // Not absolutePath: removing `..` lexically is wrong across a symbolic
    // link, and the compiler's paths have both (`.../gcc/12/../../../..`).
    llvm::SmallString<256> Absolute(File);
    if (llvm::sys::path::is_relative(Absolute)) {
      Absolute = WorkingDirectory;
      llvm::sys::path::append(Absolute, File);
    }
    Result.push_back(std::string(Absolute));
  }
  return Result;
}

} // namespace trainlint
