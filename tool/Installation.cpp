//===--- Installation.cpp - where trainlint's own files lie ---------------===//

#include "Installation.h"
#include "Commands.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#ifndef TRAINLINT_VERSION
#define TRAINLINT_VERSION "0.0.0"
#endif

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// The folder above the executable's `bin/`: the install prefix, or the
/// build tree.
std::string prefixOfExecutable() {
  std::string Exe = fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&prefixOfExecutable));
  return path::parent_path(path::parent_path(Exe)).str();
}

} // namespace

std::string bundledLibrary(llvm::StringRef Name) {
  std::string Prefix = prefixOfExecutable();
  // The installed layout first: a build tree has no lib/trainlint/.
  llvm::SmallString<256> Installed(Prefix), Built(Prefix);
  path::append(Installed, "lib", "trainlint", Name);
  path::append(Built, "lib", Name);
  if (!fs::exists(Installed) && fs::exists(Built))
    return std::string(Built);
  return std::string(Installed);
}

void printVersion(llvm::raw_ostream &OS) {
  OS << "trainlint " << TRAINLINT_VERSION << "\n"
     << "  built against LLVM " << LLVM_VERSION_STRING << " (load the plugin "
     << "into clang-tidy-" << LLVM_VERSION_MAJOR << ")\n";
#ifdef TRAINLINT_RUNTIME_TORCH_VERSION
  OS << "  runtime validator built for libtorch "
     << TRAINLINT_RUNTIME_TORCH_VERSION << "\n";
#else
  OS << "  runtime validator not built (no libtorch at build time)\n";
#endif
}

int runPluginPathCommand(llvm::ArrayRef<const char *> Args) {
  if (!Args.empty()) {
    llvm::StringRef First = Args.front();
    if (First == "--help" || First == "-h") {
      llvm::outs() << "usage: trainlint plugin-path\n\n"
                      "Prints the path of the clang-tidy plugin that ships "
                      "with this trainlint:\n"
                      "  clang-tidy-"
                   << LLVM_VERSION_MAJOR
                   << " --load=$(trainlint plugin-path) "
                      "--checks='-*,torch-*,cuda-*' ...\n";
      return ExitClean;
    }
    llvm::errs() << "trainlint plugin-path: error: unexpected argument '"
                 << First << "'\n";
    return ExitError;
  }
  std::string Plugin = bundledLibrary("TrainlintPlugin.so");
  if (!fs::exists(Plugin)) {
    llvm::errs() << "trainlint plugin-path: error: no clang-tidy plugin at "
                 << Plugin << "; install trainlint with its plugin "
                 << "(cmake --install, or the trainlint package)\n";
    return ExitError;
  }
  llvm::outs() << Plugin << "\n";
  return ExitClean;
}

} // namespace trainlint
