//===--- TranslationUnits.cpp - what `trainlint check` analyzes
//------------===//

#include "TranslationUnits.h"
#include "Paths.h"
#include "clang/Driver/Types.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
namespace types = clang::driver::types;
using clang::tooling::CompilationDatabase;
using clang::tooling::CompileCommand;

std::optional<Shard> parseShard(llvm::StringRef Text) {
  auto [IndexText, CountText] = Text.split('/');
  Shard S;
  if (IndexText.getAsInteger(10, S.Index) ||
      CountText.getAsInteger(10, S.Count) || S.Count == 0 || S.Index == 0 ||
      S.Index > S.Count)
    return std::nullopt;
  return S;
}

bool inShard(llvm::StringRef RelativePath, Shard S) {
  // xxh3 is specified bit for bit, so every machine computes the same share.
  return llvm::xxh3_64bits(RelativePath) % S.Count == S.Index - 1;
}

std::string whyNotCxx(const CompileCommand &Command) {
  const std::vector<std::string> &Args = Command.CommandLine;
  bool CxxDriver = !Args.empty() && path::filename(Args.front()).contains("++");
  types::ID Type = types::TY_INVALID;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--driver-mode=g++")
      CxxDriver = true;
    else if (Arg == "-x" && I + 1 < Args.size())
      Type = types::lookupTypeForTypeSpecifier(Args[++I].c_str());
    else if (Arg.starts_with("-x") && Arg.size() > 2)
      Type = types::lookupTypeForTypeSpecifier(Arg.drop_front(2).str().c_str());
  }
  if (Type == types::TY_INVALID) {
    llvm::StringRef Extension = path::extension(Command.Filename);
    Type = types::lookupTypeForExtension(Extension.drop_front());
    if (Type == types::TY_INVALID)
      return ("its language is unknown (extension '" + Extension + "')").str();
  }
  // clang++ compiles a .c file as C++.
  if (Type == types::TY_C && CxxDriver)
    return "";
  if (types::isCXX(Type))
    return "";
  return (llvm::Twine("it compiles ") + types::getTypeName(Type) +
          "; trainlint analyzes C++ and CUDA only")
      .str();
}

namespace {

/// Source files that a folder argument picks up from disk when they have a
/// compile_flags.txt above them.
bool isSourceFile(llvm::StringRef File) {
  llvm::StringRef Extension = path::extension(File);
  return llvm::is_contained(
      {".cpp", ".cc", ".cxx", ".c++", ".C", ".cu", ".hip"}, Extension);
}

bool isUnder(llvm::StringRef File, llvm::StringRef Dir) {
  llvm::StringRef Trimmed = Dir.rtrim('/');
  return File.starts_with(Trimmed) &&
         File.drop_front(Trimmed.size()).starts_with("/");
}

ToolError makeError(llvm::StringRef File, const llvm::Twine &Message) {
  return ToolError{File.str(), Message.str()};
}

class Planner {
public:
  explicit Planner(const UnitSelection &Selection) : Selection(Selection) {}

  UnitPlan plan() {
    loadPrimary();
    std::vector<std::string> Files = candidates();
    llvm::sort(Files);
    Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
    for (const std::string &File : Files)
      if (selected(File))
        resolve(File);
    return std::move(Plan);
  }

private:
  // --- The compile database -------------------------------------------------

  void loadPrimary() {
    if (Selection.FixedFlags) {
      Primary = std::make_unique<clang::tooling::FixedCompilationDatabase>(
          absolutePath("."), *Selection.FixedFlags);
      PrimaryName = "the flags after --";
      return;
    }
    if (Selection.BuildPath) {
      loadBuildPath(absolutePath(*Selection.BuildPath));
      return;
    }
    for (llvm::StringRef Candidate :
         {"compile_commands.json", "build/compile_commands.json"}) {
      std::string Json = absolutePath(Candidate);
      if (fs::exists(Json)) {
        loadJson(Json);
        return;
      }
    }
    if (Selection.Paths.empty())
      Plan.Errors.push_back(makeError(
          "", "no compile database: pass -p BUILD_DIR (a directory with "
              "compile_commands.json) or the compiler flags after --"));
  }

  void loadBuildPath(const std::string &BuildPath) {
    if (!fs::exists(BuildPath)) {
      Plan.Errors.push_back(makeError(BuildPath, "no such file or directory"));
      return;
    }
    if (!fs::is_directory(BuildPath)) {
      loadJson(BuildPath);
      return;
    }
    llvm::SmallString<256> Json(BuildPath), Flags(BuildPath);
    path::append(Json, "compile_commands.json");
    path::append(Flags, "compile_flags.txt");
    if (fs::exists(Json)) {
      loadJson(std::string(Json));
      return;
    }
    if (fs::exists(Flags)) {
      std::string Message;
      Primary = clang::tooling::FixedCompilationDatabase::loadFromFile(Flags,
                                                                       Message);
      PrimaryName = std::string(Flags);
      Plan.DatabaseDirectory = BuildPath;
      if (!Primary)
        Plan.Errors.push_back(makeError(Flags, Message));
      return;
    }
    Plan.Errors.push_back(makeError(
        BuildPath, "no compile_commands.json in this directory; configure "
                   "with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or record one "
                   "with Bear"));
  }

  void loadJson(const std::string &Json) {
    PrimaryName = Json;
    Plan.DatabaseDirectory = path::parent_path(Json).str();
    auto Buffer = llvm::MemoryBuffer::getFile(Json);
    if (!Buffer) {
      Plan.Errors.push_back(makeError(Json, Buffer.getError().message()));
      return;
    }
    // llvm::json names the line and column of a syntax error; the compile
    // database parser below names what is missing from an entry.
    auto Parsed = llvm::json::parse((*Buffer)->getBuffer());
    if (!Parsed) {
      Plan.Errors.push_back(
          makeError(Json, "malformed compile database: " +
                              llvm::toString(Parsed.takeError())));
      return;
    }
    if (!Parsed->getAsArray()) {
      Plan.Errors.push_back(makeError(
          Json, "malformed compile database: expected an array of commands"));
      return;
    }
    std::string Message;
    auto Database = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
        (*Buffer)->getBuffer(), Message,
        clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (!Database) {
      Plan.Errors.push_back(
          makeError(Json, "malformed compile database: " + Message));
      return;
    }
    for (const std::string &File : Database->getAllFiles())
      PrimaryFiles.insert(absolutePath(File));
    // An empty database is what a configure that stopped early, or a build
    // recorded before anything compiled, leaves: nothing would be analyzed.
    EmptyDatabase = PrimaryFiles.empty();
    if (EmptyDatabase)
      Plan.Errors.push_back(makeError(
          Json, "the compile database lists no files; configure the project "
                "with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON (after a configure "
                "that succeeds), or record a full build with Bear "
                "(bear -- make)"));
    Primary = clang::tooling::inferTargetAndDriverMode(
        clang::tooling::inferMissingCompileCommands(
            clang::tooling::expandResponseFiles(
                std::move(Database), llvm::vfs::getRealFileSystem())));
  }

  // --- Which files -------------------------------------------------------

  std::vector<std::string> candidates() {
    std::vector<std::string> Files;
    if (Selection.Paths.empty()) {
      if (Selection.FixedFlags)
        Plan.Errors.push_back(
            makeError("", "no files given to analyze with the flags after --"));
      for (const auto &Entry : PrimaryFiles)
        Files.push_back(Entry.getKey().str());
      return Files;
    }
    for (const std::string &Given : Selection.Paths) {
      std::string File = absolutePath(Given);
      if (!fs::exists(File)) {
        Plan.Errors.push_back(makeError(File, "no such file or directory"));
        continue;
      }
      if (fs::is_directory(File))
        addFolder(File, Files);
      else
        Files.push_back(File);
    }
    return Files;
  }

  void addFolder(const std::string &Dir, std::vector<std::string> &Files) {
    size_t Before = Files.size();
    addFolderFiles(Dir, Files);
    // An empty database has its own error, which says it all.
    if (Files.size() == Before && !EmptyDatabase)
      Plan.Errors.push_back(makeError(Dir, noSourcesInFolder()));
  }

  /// Why a folder given to analyze has nothing in it to analyze.
  std::string noSourcesInFolder() const {
    if (!Primary && !Selection.FixedFlags)
      return "no source file to analyze in this folder: there is no compile "
             "database and no compile_flags.txt above its files; configure "
             "with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and pass -p BUILD_DIR, "
             "or record the build with Bear";
    if (Selection.FixedFlags)
      return "no C++ or CUDA source file in this folder";
    return "no source file to analyze in this folder: " + PrimaryName +
           " lists none under it and no compile_flags.txt covers one; pass "
           "-p the build directory of the project it belongs to, configured "
           "with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or recorded with Bear";
  }

  void addFolderFiles(const std::string &Dir, std::vector<std::string> &Files) {
    for (const auto &Entry : PrimaryFiles)
      if (isUnder(Entry.getKey(), Dir))
        Files.push_back(Entry.getKey().str());
    std::error_code EC;
    for (fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC)) {
      llvm::StringRef Name = path::filename(It->path());
      if (It->type() == fs::file_type::directory_file) {
        // Hidden folders (.git) and build trees are not sources.
        llvm::SmallString<256> Cache(It->path());
        path::append(Cache, "CMakeCache.txt");
        if (Name.starts_with(".") || fs::exists(Cache))
          It.no_push();
        continue;
      }
      std::string File = absolutePath(It->path());
      if (isSourceFile(File) && !PrimaryFiles.contains(File) &&
          (Selection.FixedFlags || flagsFileFor(File)))
        Files.push_back(File);
    }
  }

  bool selected(llvm::StringRef File) {
    std::string Relative = relativeToRoot(File, Selection.ProjectRoot);
    std::string FromHere = relativeToRoot(File, absolutePath("."));
    for (const std::string &Pattern : Selection.Excludes) {
      auto Glob = llvm::GlobPattern::create(Pattern);
      if (Glob &&
          (Glob->match(Relative) || Glob->match(FromHere) || Glob->match(File)))
        return false;
    }
    return !Selection.OnlyShard || inShard(Relative, *Selection.OnlyShard);
  }

  // --- Each file's command -------------------------------------------------

  /// The nearest compile_flags.txt in the file's folder or above it, up to
  /// the project root.
  std::optional<std::string> flagsFileFor(llvm::StringRef File) {
    for (llvm::StringRef Dir = path::parent_path(File); !Dir.empty();
         Dir = path::parent_path(Dir)) {
      auto [It, Inserted] = FlagsFiles.try_emplace(Dir);
      if (Inserted) {
        llvm::SmallString<256> Flags(Dir);
        path::append(Flags, "compile_flags.txt");
        if (fs::exists(Flags))
          It->second = std::string(Flags);
      }
      if (!It->second.empty())
        return It->second;
      if (!isUnder(Dir, Selection.ProjectRoot))
        break;
    }
    return std::nullopt;
  }

  std::optional<CompileCommand> commandFor(const std::string &File,
                                           std::string &Problem) {
    if (Selection.FixedFlags || (Primary && PrimaryFiles.contains(File)))
      return Primary->getCompileCommands(File).front();
    if (auto Flags = flagsFileFor(File)) {
      std::string Message;
      auto Database = clang::tooling::FixedCompilationDatabase::loadFromFile(
          *Flags, Message);
      if (!Database) {
        Problem = *Flags + ": " + Message;
        return std::nullopt;
      }
      return Database->getCompileCommands(File).front();
    }
    if (Primary) {
      auto Inferred = Primary->getCompileCommands(File);
      if (!Inferred.empty())
        return Inferred.front();
    }
    Problem = Primary ? "no compile command: not in " + PrimaryName +
                            " and no compile_flags.txt above it"
                      : "no compile command: no compile database and no "
                        "compile_flags.txt above it";
    return std::nullopt;
  }

  void resolve(const std::string &File) {
    if (!fs::exists(File)) {
      Plan.Errors.push_back(makeError(
          File, "listed in " + PrimaryName + ", but the file does not exist"));
      return;
    }
    std::string Problem;
    auto Command = commandFor(File, Problem);
    if (!Command) {
      Plan.Errors.push_back(makeError(File, Problem));
      return;
    }
    std::string NotCxx = whyNotCxx(*Command);
    if (!NotCxx.empty()) {
      Plan.Errors.push_back(makeError(File, "not analyzed: " + NotCxx));
      return;
    }
    Plan.Units.push_back(TranslationUnit{File, std::move(*Command)});
  }

  const UnitSelection &Selection;
  UnitPlan Plan;
  std::unique_ptr<CompilationDatabase> Primary;
  std::string PrimaryName;
  llvm::StringSet<> PrimaryFiles;
  bool EmptyDatabase = false;
  llvm::StringMap<std::string> FlagsFiles;
};

} // namespace

UnitPlan planTranslationUnits(const UnitSelection &Selection) {
  return Planner(Selection).plan();
}

} // namespace trainlint
