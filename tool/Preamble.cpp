//===--- Preamble.cpp - shared precompiled preambles
//-----------------------===//

#include "Preamble.h"
#include "InputFiles.h"
#include "Output.h"
#include "Paths.h"
#include "TranslationUnits.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <chrono>

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;
namespace json = llvm::json;
using clang::tooling::CompileCommand;

bool isHeavyHeader(llvm::StringRef Header) {
  for (llvm::StringRef Prefix :
       {"torch/", "ATen/", "c10/", "caffe2/", "cuda_runtime", "cuda.h",
        "cublas", "cudnn", "cufft", "curand", "cusparse", "thrust/", "cub/"})
    if (Header.starts_with(Prefix))
      return true;
  return false;
}

namespace {

/// Reads the leading directives of a file and of the project headers it
/// includes first, collecting the system headers they include, up to the
/// first line that is anything else.
class LeadingIncludes {
public:
  explicit LeadingIncludes(std::vector<std::string> QuoteDirs)
      : QuoteDirs(std::move(QuoteDirs)) {}

  /// Scans \p File; false when it stops before the file's end.
  bool scan(llvm::StringRef File, bool IsHeader, unsigned Depth) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer || Depth > 8)
      return false;
    Entered.insert(File);
    llvm::StringRef Text = (*Buffer)->getBuffer();
    std::string Guard;
    bool GuardClosed = false;
    while (true) {
      skipBlankAndComments(Text);
      if (Text.empty())
        return true;
      if (GuardClosed || !Text.consume_front("#"))
        return false;
      llvm::StringRef Line = Text.take_until([](char C) { return C == '\n'; });
      Text = Text.drop_front(Line.size());
      // A trailing comment or a continued line is more than this reader
      // needs to follow.
      if (Line.contains("/*") || Line.ends_with("\\"))
        return false;
      Line = Line.split("//").first.trim();
      llvm::StringRef Directive = Line.take_while(llvm::isAlpha);
      llvm::StringRef Operand = Line.drop_front(Directive.size()).trim();
      if (Directive == "include") {
        if (!include(File, Operand, Depth))
          return false;
      } else if (IsHeader && Directive == "pragma" && Operand == "once") {
        continue;
      } else if (IsHeader && Guard.empty() && Directive == "ifndef") {
        Guard = Operand.str();
        skipBlankAndComments(Text);
        llvm::StringRef Next =
            Text.take_until([](char C) { return C == '\n'; }).trim();
        if (!Next.consume_front("#"))
          return false;
        Next = Next.ltrim();
        if (!Next.consume_front("define") ||
            Next.split("//").first.trim() != Guard)
          return false;
        Text = Text.drop_front(Text.find('\n') == llvm::StringRef::npos
                                   ? Text.size()
                                   : Text.find('\n'));
      } else if (IsHeader && !Guard.empty() && Directive == "endif") {
        GuardClosed = true;
      } else {
        return false;
      }
    }
  }

  std::vector<std::string> Headers;

private:
  static void skipBlankAndComments(llvm::StringRef &Text) {
    while (true) {
      Text = Text.ltrim();
      if (Text.starts_with("//"))
        Text = Text.drop_front(std::min(Text.find('\n'), Text.size()));
      else if (Text.starts_with("/*")) {
        size_t End = Text.find("*/");
        Text = End == llvm::StringRef::npos ? "" : Text.drop_front(End + 2);
      } else
        return;
    }
  }

  bool include(llvm::StringRef Includer, llvm::StringRef Operand,
               unsigned Depth) {
    if (Operand.size() > 2 && Operand.front() == '<' && Operand.back() == '>') {
      std::string Header = Operand.drop_front().drop_back().str();
      if (!llvm::is_contained(Headers, Header))
        Headers.push_back(Header);
      return true;
    }
    if (Operand.size() < 3 || Operand.front() != '"' || Operand.back() != '"')
      return false;
    llvm::StringRef Name = Operand.drop_front().drop_back();
    std::vector<std::string> Dirs = {path::parent_path(Includer).str()};
    Dirs.insert(Dirs.end(), QuoteDirs.begin(), QuoteDirs.end());
    for (const std::string &Dir : Dirs) {
      llvm::SmallString<256> Candidate(Dir);
      path::append(Candidate, Name);
      path::remove_dots(Candidate, /*remove_dot_dot=*/true);
      if (!fs::is_regular_file(Candidate))
        continue;
      // A header already entered is skipped by its guard.
      if (Entered.contains(Candidate))
        return true;
      return scan(Candidate, /*IsHeader=*/true, Depth + 1);
    }
    return false;
  }

  std::vector<std::string> QuoteDirs;
  llvm::StringSet<> Entered;
};

/// The folders of `-I` and `-iquote`, absolute.
std::vector<std::string> quoteDirectories(const CompileCommand &Command) {
  std::vector<std::string> Dirs;
  const std::vector<std::string> &Args = Command.CommandLine;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    for (llvm::StringRef Flag : {"-I", "-iquote"}) {
      if (!Arg.starts_with(Flag))
        continue;
      llvm::StringRef Dir = Arg.drop_front(Flag.size());
      if (Dir.empty() && I + 1 < Args.size())
        Dir = Args[++I];
      Dirs.push_back(absolutePath(Dir, Command.Directory));
      break;
    }
  }
  return Dirs;
}

bool isSourceArgument(const CompileCommand &Command, llvm::StringRef Arg) {
  return Arg == Command.Filename ||
         absolutePath(Arg, Command.Directory) ==
             absolutePath(Command.Filename, Command.Directory);
}

/// The arguments that can change how the headers parse: not the file's
/// name, its output, or its dependency file.
std::vector<std::string> keyArguments(const CompileCommand &Command) {
  std::vector<std::string> Kept;
  const std::vector<std::string> &Args = Command.CommandLine;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (llvm::is_contained({"-o", "-MF", "-MT", "-MQ"}, Arg)) {
      ++I;
      continue;
    }
    if (llvm::is_contained({"-c", "-MD", "-MMD", "-M", "-MM", "-MP"}, Arg) ||
        (Arg.starts_with("-o") && Arg.size() > 2) ||
        isSourceArgument(Command, Arg))
      continue;
    Kept.push_back(Arg.str());
  }
  return Kept;
}

/// The inputs recorded in \p ManifestPath, when every one of them has the
/// size and modification time it had: clang itself checks those of the
/// headers it loads from a precompiled header.
std::optional<std::vector<std::string>>
unchangedInputs(llvm::StringRef ManifestPath) {
  std::optional<json::Object> Manifest = readJsonObjectFile(ManifestPath);
  const json::Array *List = Manifest ? Manifest->getArray("inputs") : nullptr;
  if (!List)
    return std::nullopt;
  auto Recorded = readRecordedInputs(*List);
  if (!Recorded)
    return std::nullopt;
  std::vector<std::string> Inputs;
  for (RecordedInput &Input : *Recorded) {
    if (stampOf(Input.Path) != Input.Stamp)
      return std::nullopt;
    Inputs.push_back(std::move(Input.Path));
  }
  return Inputs;
}

/// Generates the precompiled header, recording the files it reads.
class CollectingPCHAction : public clang::GeneratePCHAction {
public:
  explicit CollectingPCHAction(std::shared_ptr<InputCollector> Collector)
      : Collector(std::move(Collector)) {}

protected:
  bool BeginSourceFileAction(clang::CompilerInstance &Compiler) override {
    Collector->attachToPreprocessor(Compiler.getPreprocessor());
    return GeneratePCHAction::BeginSourceFileAction(Compiler);
  }

private:
  std::shared_ptr<InputCollector> Collector;
};

class PCHActionFactory : public clang::tooling::FrontendActionFactory {
public:
  PCHActionFactory(std::string Output, PreambleStore::InvocationSetup Setup,
                   std::shared_ptr<InputCollector> Collector)
      : Output(std::move(Output)), Setup(Setup),
        Collector(std::move(Collector)) {}

  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<CollectingPCHAction>(Collector);
  }

  bool
  runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                clang::FileManager *Files,
                std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                clang::DiagnosticConsumer *Consumer) override {
    Setup(*Invocation);
    Invocation->getFrontendOpts().OutputFile = Output;
    // The templates that the headers' inline functions use are instantiated
    // once, here, instead of at the end of every file that loads the
    // preamble (clang's -fpch-instantiate-templates): on libtorch that is
    // most of what loading it costs.
    Invocation->getLangOpts().PCHInstantiateTemplates = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps), Consumer);
  }

private:
  std::string Output;
  PreambleStore::InvocationSetup Setup;
  std::shared_ptr<InputCollector> Collector;
};

/// Builds the precompiled header of \p HeaderFile to \p Output with
/// \p Command's flags; the files it read, or std::nullopt when the headers
/// do not compile.
std::optional<std::vector<std::string>>
buildPCH(const CompileCommand &Command, const std::string &HeaderFile,
         const std::string &Output, PreambleStore::InvocationSetup Setup) {
  CompileCommand Header = Command;
  Header.Filename = HeaderFile;
  Header.CommandLine.clear();
  for (const std::string &Arg : Command.CommandLine)
    if (isSourceArgument(Command, Arg) && &Arg != &Command.CommandLine.front())
      Header.CommandLine.insert(Header.CommandLine.end(),
                                {"-x", "c++-header", HeaderFile});
    else
      Header.CommandLine.push_back(Arg);
  SingleCommandDatabase Database(Header);
  clang::tooling::ClangTool Tool(Database, {HeaderFile});
  Tool.appendArgumentsAdjuster(clang::tooling::getStripPluginsAdjuster());
  Tool.setPrintErrorMessage(false);
  clang::IgnoringDiagConsumer Quiet;
  Tool.setDiagnosticConsumer(&Quiet);
  auto Collector = std::make_shared<InputCollector>(Command.Directory);
  PCHActionFactory Factory(Output, Setup, Collector);
  if (Tool.run(&Factory) != 0)
    return std::nullopt;
  return Collector->inputs();
}

} // namespace

std::vector<std::string> leadingSystemHeaders(const CompileCommand &Command) {
  LeadingIncludes Scanner(quoteDirectories(Command));
  Scanner.scan(absolutePath(Command.Filename, Command.Directory),
               /*IsHeader=*/false, 0);
  return std::move(Scanner.Headers);
}

std::vector<std::string> preambleHeaders(const CompileCommand &Command) {
  std::vector<std::string> Headers = leadingSystemHeaders(Command);
  auto LastHeavy =
      llvm::find_if(llvm::reverse(Headers),
                    [](const std::string &H) { return isHeavyHeader(H); });
  Headers.erase(LastHeavy.base(), Headers.end());
  return Headers;
}

std::string whyNoPreamble(const CompileCommand &Command) {
  const std::vector<std::string> &Args = Command.CommandLine;
  if (llvm::StringRef(Command.Filename).ends_with(".cu"))
    return "CUDA compiles each file twice, for the host and the device";
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "-x" && I + 1 < Args.size() &&
        llvm::StringRef(Args[I + 1]).starts_with("cuda"))
      return "CUDA compiles each file twice, for the host and the device";
    // A forced include comes before the file's own first line.
    if (Arg.starts_with("-include") || Arg.starts_with("-imacros"))
      return "the command includes a header before the file";
    if (Arg.starts_with("-fmodules"))
      return "the command uses modules";
  }
  if (llvm::none_of(Args, [&](const std::string &Arg) {
        return isSourceArgument(Command, Arg);
      }))
    return "the command does not name its file";
  return "";
}

std::string preambleKey(const CompileCommand &Command,
                        llvm::ArrayRef<std::string> Headers) {
  std::string Text = "trainlint-preamble-2\n" CLANG_VERSION_STRING "\n";
  Text += Command.Directory + "\n";
  if (!Command.CommandLine.empty())
    Text += Command.CommandLine.front() + "\n";
  for (const std::string &Arg : keyArguments(Command))
    Text += Arg + "\n";
  Text += "headers\n";
  for (const std::string &Header : Headers)
    Text += Header + "\n";
  return textHash(Text);
}

std::optional<Preamble> PreambleStore::get(const CompileCommand &Command,
                                           llvm::ArrayRef<std::string> Headers,
                                           InvocationSetup Setup,
                                           std::string &Problem) {
  Preamble P;
  P.Key = preambleKey(Command, Headers);
  std::string Base = Directory + "/" + P.Key;
  P.Path = Base + ".pch";
  std::string Manifest = Base + ".inputs";
  if (std::error_code EC = fs::create_directories(Directory)) {
    Problem = "cannot create " + Directory + ": " + EC.message();
    return std::nullopt;
  }
  // Processes that need the same preamble wait for the one that builds it.
  int LockFD;
  if (std::error_code EC =
          fs::openFileForWrite(Base + ".lock", LockFD, fs::CD_OpenAlways)) {
    Problem = "cannot open the preamble's lock: " + EC.message();
    return std::nullopt;
  }
  llvm::scope_exit CloseLock([&] {
    fs::unlockFile(LockFD);
    llvm::sys::Process::SafelyCloseFileDescriptor(LockFD);
  });
  if (std::error_code EC = fs::lockFile(LockFD)) {
    Problem = "cannot lock the preamble: " + EC.message();
    return std::nullopt;
  }
  std::string HeaderFile = Base + ".h";
  // The preamble's own header is written by it, from the headers its key
  // names: not an input of the analyses that use it.
  auto WithoutOwnHeader = [&](std::vector<std::string> Inputs) {
    llvm::erase(Inputs, HeaderFile);
    return Inputs;
  };
  if (fs::exists(P.Path))
    if (auto Inputs = unchangedInputs(Manifest)) {
      P.Inputs = WithoutOwnHeader(std::move(*Inputs));
      // Recently used: eviction removes the oldest first.
      fs::setLastAccessAndModificationTime(LockFD,
                                           std::chrono::system_clock::now());
      return P;
    }
  if (llvm::Error Err =
          writeFileAtomically(HeaderFile, [&](llvm::raw_ostream &OS) {
            for (const std::string &Header : Headers)
              OS << "#include <" << Header << ">\n";
          })) {
    Problem = llvm::toString(std::move(Err));
    return std::nullopt;
  }
  std::string Temporary = Base + ".pch.tmp";
  auto Inputs = buildPCH(Command, HeaderFile, Temporary, Setup);
  if (!Inputs) {
    fs::remove(Temporary);
    Problem = "its leading system headers do not compile on their own";
    return std::nullopt;
  }
  // The manifest comes last: a preamble without one is rebuilt.
  fs::remove(Manifest);
  if (std::error_code EC = fs::rename(Temporary, P.Path)) {
    Problem = "cannot store the preamble: " + EC.message();
    return std::nullopt;
  }
  FileHashes Hashes;
  std::optional<json::Array> Recorded = recordInputs(*Inputs, Hashes);
  if (!Recorded) {
    Problem = "a header of the preamble cannot be read";
    return std::nullopt;
  }
  if (llvm::Error Err =
          writeFileAtomically(Manifest, [&](llvm::raw_ostream &OS) {
            OS << json::Value(json::Object{{"inputs", std::move(*Recorded)}});
          })) {
    Problem = llvm::toString(std::move(Err));
    return std::nullopt;
  }
  P.Inputs = WithoutOwnHeader(std::move(*Inputs));
  return P;
}

CompileCommand PreambleStore::withPreamble(CompileCommand Command,
                                           const Preamble &P) {
  auto &Args = Command.CommandLine;
  Args.insert(Args.begin() + std::min<size_t>(1, Args.size()),
              {"-include-pch", P.Path});
  return Command;
}

} // namespace trainlint
