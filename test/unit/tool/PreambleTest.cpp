// The shared preamble's choice of headers and key, and the cache's sizes:
// a preamble may hold only what a file includes before anything else.

#include "Preamble.h"
#include "ResultCache.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace trainlint;
using clang::tooling::CompileCommand;

namespace {

/// A temporary folder of files, removed at the end of the test.
class TempFolder {
public:
  TempFolder() {
    llvm::cantFail(llvm::errorCodeToError(
        llvm::sys::fs::createUniqueDirectory("trainlint-preamble", Path)));
  }
  ~TempFolder() { llvm::sys::fs::remove_directories(Path); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    llvm::SmallString<256> File(Path);
    llvm::sys::path::append(File, Name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(File));
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Text;
    return std::string(File);
  }

  CompileCommand command(llvm::StringRef File,
                         std::vector<std::string> Flags = {}) {
    CompileCommand Command;
    Command.Directory = std::string(Path);
    Command.Filename = File.str();
    Command.CommandLine = {"clang++", "-std=c++17"};
    Command.CommandLine.insert(Command.CommandLine.end(), Flags.begin(),
                               Flags.end());
    Command.CommandLine.insert(Command.CommandLine.end(),
                               {"-c", File.str(), "-o", "file.o"});
    return Command;
  }

private:
  llvm::SmallString<256> Path;
};

using Headers = std::vector<std::string>;

TEST(PreambleTest, LeadingIncludesUpToTheFirstOtherLine) {
  TempFolder Dir;
  std::string File = Dir.write("train.cpp", "// The training loop.\n"
                                            "/* more\n   comment */\n"
                                            "#include <torch/torch.h>\n"
                                            "\n"
                                            "#include <vector> // for batches\n"
                                            "int main() {}\n"
                                            "#include <cuda_runtime.h>\n");
  EXPECT_EQ(leadingSystemHeaders(Dir.command(File)),
            (Headers{"torch/torch.h", "vector"}));
  // Any prefix is included first; the shortest one with the heavy header is
  // shared by the most files.
  EXPECT_EQ(preambleHeaders(Dir.command(File)), Headers{"torch/torch.h"});
}

TEST(PreambleTest, FollowsProjectHeadersThatOnlyInclude) {
  TempFolder Dir;
  Dir.write("src/net.h", "// The model.\n"
                         "#ifndef NET_H\n"
                         "#define NET_H\n"
                         "#include <torch/torch.h>\n"
                         "struct Net {};\n"
                         "#endif\n");
  Dir.write("include/log.h", "#pragma once\n#include <cstdio>\n");
  std::string File = Dir.write("src/train.cpp", "#include \"log.h\"\n"
                                                "#include \"net.h\"\n"
                                                "#include <vector>\n");
  // log.h is found through -I, net.h next to the file; the scan stops at
  // net.h's struct.
  EXPECT_EQ(preambleHeaders(Dir.command(File, {"-Iinclude"})),
            (Headers{"cstdio", "torch/torch.h"}));
}

TEST(PreambleTest, NothingBeforeTheHeadersButIncludesAndGuards) {
  TempFolder Dir;
  // A macro defined first can change what the headers declare.
  std::string Defines =
      Dir.write("defines.cpp", "#define TORCH_API_INCLUDE_EXTENSION_H\n"
                               "#include <torch/torch.h>\n");
  EXPECT_EQ(preambleHeaders(Dir.command(Defines)), Headers{});
  // A guard whose #define names another macro is not a guard.
  Dir.write("odd.h", "#ifndef ODD_H\n#define ODD\n#include <torch/torch.h>\n");
  std::string Odd = Dir.write("odd.cpp", "#include \"odd.h\"\n");
  EXPECT_EQ(preambleHeaders(Dir.command(Odd)), Headers{});
  // A guard in the main file is not skipped: only headers have guards.
  std::string Guarded =
      Dir.write("guarded.cpp", "#pragma once\n#include <torch/torch.h>\n");
  EXPECT_EQ(preambleHeaders(Dir.command(Guarded)), Headers{});
  // Only the standard library: not worth a preamble.
  std::string Light =
      Dir.write("light.cpp", "#include <vector>\n#include <cstdio>\n");
  EXPECT_EQ(leadingSystemHeaders(Dir.command(Light)),
            (Headers{"vector", "cstdio"}));
  EXPECT_EQ(preambleHeaders(Dir.command(Light)), Headers{});
  // A header that cannot be found ends the scan, but what came before holds.
  std::string Missing = Dir.write(
      "missing.cpp", "#include <torch/torch.h>\n#include \"gone.h\"\n");
  EXPECT_EQ(preambleHeaders(Dir.command(Missing)), Headers{"torch/torch.h"});
}

TEST(PreambleTest, CommandsThatCannotUseOne) {
  TempFolder Dir;
  std::string File = Dir.write("train.cpp", "#include <torch/torch.h>\n");
  EXPECT_EQ(whyNoPreamble(Dir.command(File)), "");
  EXPECT_NE(whyNoPreamble(Dir.command(File, {"-include", "config.h"})), "");
  EXPECT_NE(whyNoPreamble(Dir.command(File, {"-x", "cuda"})), "");
  std::string Kernel = Dir.write("steps.cu", "#include <cuda_runtime.h>\n");
  EXPECT_NE(whyNoPreamble(Dir.command(Kernel)), "");
}

TEST(PreambleTest, KeyIgnoresTheFileAndItsOutputOnly) {
  TempFolder Dir;
  Headers Torch = {"torch/torch.h"};
  CompileCommand Train = Dir.command(Dir.write("train.cpp", ""));
  CompileCommand Eval = Dir.command(Dir.write("eval.cpp", ""));
  Eval.CommandLine.back() = "eval.o";
  EXPECT_EQ(preambleKey(Train, Torch), preambleKey(Eval, Torch));
  CompileCommand Defined = Dir.command(Dir.write("eval.cpp", ""), {"-DNDEBUG"});
  EXPECT_NE(preambleKey(Train, Torch), preambleKey(Defined, Torch));
  EXPECT_NE(preambleKey(Train, Torch),
            preambleKey(Train, {"torch/torch.h", "vector"}));
}

TEST(ResultCacheTest, ParsesSizes) {
  EXPECT_EQ(parseByteSize("0"), 0u);
  EXPECT_EQ(parseByteSize("45K"), 45u * 1024);
  EXPECT_EQ(parseByteSize("500M"), 500ull << 20);
  EXPECT_EQ(parseByteSize("2G"), 2ull << 30);
  EXPECT_EQ(parseByteSize("lots"), std::nullopt);
  EXPECT_EQ(parseByteSize("G"), std::nullopt);
  EXPECT_EQ(parseByteSize("-1"), std::nullopt);
}

} // namespace
