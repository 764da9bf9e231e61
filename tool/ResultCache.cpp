//===--- ResultCache.cpp - analyses of unchanged files, kept
//---------------===//

#include "ResultCache.h"
#include "Output.h"
#include "Paths.h"
#include "clang/Basic/Version.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
namespace json = llvm::json;

namespace {

/// Bumped when an entry's layout or meaning changes.
constexpr llvm::StringLiteral EntryFormat = "trainlint-result-1";

/// Marks \p Path as just used, for eviction.
void touch(llvm::StringRef Path) {
  int FD;
  if (fs::openFileForWrite(Path, FD, fs::CD_OpenExisting, fs::OF_Append))
    return;
  fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
  llvm::sys::Process::SafelyCloseFileDescriptor(FD);
}

} // namespace

std::string cacheFolder(const std::optional<std::string> &Explicit,
                        llvm::StringRef DatabaseDirectory) {
  if (Explicit)
    return absolutePath(*Explicit);
  if (DatabaseDirectory.empty())
    return "";
  llvm::SmallString<256> Folder(DatabaseDirectory);
  path::append(Folder, CacheFolderName);
  return std::string(Folder);
}

std::optional<uint64_t> parseByteSize(llvm::StringRef Text) {
  uint64_t Unit = 1;
  if (Text.consume_back("K") || Text.consume_back("k"))
    Unit = 1ull << 10;
  else if (Text.consume_back("M") || Text.consume_back("m"))
    Unit = 1ull << 20;
  else if (Text.consume_back("G") || Text.consume_back("g"))
    Unit = 1ull << 30;
  uint64_t Count;
  if (Text.empty() || Text.getAsInteger(10, Count) || Count > (~0ull / Unit))
    return std::nullopt;
  return Count * Unit;
}

ResultCache::ResultCache(std::string Directory, uint64_t MaxBytes,
                         const AnalysisOptions &Options,
                         llvm::StringRef Executable)
    : Directory(std::move(Directory)), MaxBytes(MaxBytes) {
  // The executable's content stands for its checks: a rebuilt trainlint
  // does not trust what an older one found, and a reinstalled one (a CI
  // runner's) does.
  std::string Text =
      (EntryFormat + "\n" TRAINLINT_VERSION "\n" CLANG_VERSION_STRING "\n")
          .str();
  Text += Hashes.hash(Executable).value_or("unknown executable") + "\n";
  auto Optional = [&](llvm::StringRef Name,
                      const std::optional<std::string> &Value) {
    Text += Name.str() + (Value ? "=" + *Value : "") + "\n";
  };
  Optional("checks", Options.Checks);
  Optional("config", Options.Config);
  Optional("level", Options.Level);
  RunKey = textHash(Text);
}

std::string ResultCache::keyOf(const TranslationUnit &Unit) {
  std::string Text = RunKey + "\n" + Unit.File + "\n" + Unit.Command.Directory +
                     "\n" + Unit.Command.Filename + "\n";
  for (const std::string &Arg : Unit.Command.CommandLine)
    Text += Arg + "\n";
  // The `.clang-tidy` files that configure the unit's checks.
  for (llvm::StringRef Dir = path::parent_path(Unit.File); !Dir.empty();
       Dir = path::parent_path(Dir)) {
    llvm::SmallString<256> Config(Dir);
    path::append(Config, ".clang-tidy");
    if (std::optional<std::string> Hash = Hashes.hash(Config))
      Text += std::string(Config) + " " + *Hash + "\n";
  }
  return textHash(Text);
}

std::string ResultCache::entryPath(llvm::StringRef Key) const {
  return (Directory + "/results/" + Key + ".json").str();
}

std::string ResultCache::preambleDirectory() const {
  return Directory + "/preambles";
}

std::optional<UnitOutputs> ResultCache::lookup(llvm::StringRef Key) {
  std::string Path = entryPath(Key);
  std::optional<json::Object> Entry = readJsonObjectFile(Path);
  if (!Entry || Entry->getString("format") != EntryFormat)
    return std::nullopt;
  auto Result = Entry->getString("result");
  auto Graph = Entry->getString("graph");
  const json::Array *List = Entry->getArray("inputs");
  if (!Result || !Graph || !List)
    return std::nullopt;
  auto Recorded = readRecordedInputs(*List);
  if (!Recorded)
    return std::nullopt;
  UnitOutputs Outputs;
  for (RecordedInput &Input : *Recorded) {
    if (!Hashes.unchanged(Input.Path, Input.Stamp, Input.Hash))
      return std::nullopt;
    Outputs.Inputs.push_back(std::move(Input.Path));
  }
  Outputs.Result = Result->str();
  Outputs.Graph = Graph->str();
  Outputs.UsedPreamble = Entry->getBoolean("preamble").value_or(false);
  touch(Path);
  return Outputs;
}

void ResultCache::store(llvm::StringRef Key, const UnitOutputs &Outputs,
                        std::chrono::system_clock::time_point Started) {
  const int64_t StartedNs =
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          Started.time_since_epoch())
          .count();
  for (const std::string &File : Outputs.Inputs) {
    std::optional<FileStamp> Stamp = Hashes.stamp(File);
    if (!Stamp || Stamp->ModifiedNs >= StartedNs)
      return;
  }
  std::optional<json::Array> Inputs = recordInputs(Outputs.Inputs, Hashes);
  if (!Inputs)
    return;
  json::Object Entry{{"format", EntryFormat},
                     {"inputs", std::move(*Inputs)},
                     {"preamble", Outputs.UsedPreamble},
                     {"result", Outputs.Result},
                     {"graph", Outputs.Graph}};
  std::string Path = entryPath(Key);
  if (fs::create_directories(path::parent_path(Path)))
    return;
  // A cache that cannot be written costs the next run time, not findings.
  llvm::consumeError(writeFileAtomically(Path, [&](llvm::raw_ostream &OS) {
    OS << json::Value(std::move(Entry));
  }));
}

void ResultCache::evict() {
  // One item per result, and one per preamble (its .pch, .h, .inputs and
  // .lock), aged by its .lock, which each use touches.
  struct Item {
    std::vector<std::string> Files;
    uint64_t Bytes = 0;
    llvm::sys::TimePoint<> Used;
  };
  llvm::StringMap<Item> Items;
  uint64_t Total = 0;
  for (llvm::StringRef Folder : {"results", "preambles"}) {
    std::error_code EC;
    std::string Dir = Directory + "/" + Folder.str();
    for (fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC)) {
      fs::file_status Status;
      if (fs::status(It->path(), Status) || !fs::is_regular_file(Status))
        continue;
      llvm::StringRef Name = path::filename(It->path());
      std::string Id = (Folder + "/" + Name.split('.').first).str();
      Item &I = Items[Id];
      I.Files.push_back(It->path());
      I.Bytes += Status.getSize();
      Total += Status.getSize();
      if (Folder == "results" || Name.ends_with(".lock"))
        I.Used = Status.getLastModificationTime();
    }
  }
  if (Total <= MaxBytes)
    return;
  std::vector<const Item *> Oldest;
  for (const auto &Entry : Items)
    Oldest.push_back(&Entry.second);
  llvm::sort(Oldest,
             [](const Item *A, const Item *B) { return A->Used < B->Used; });
  for (const Item *I : Oldest) {
    if (Total <= MaxBytes)
      break;
    for (const std::string &File : I->Files)
      fs::remove(File);
    Total -= I->Bytes;
  }
}

} // namespace trainlint
