//===--- main.cpp - the trainlint command
//----------------------------------===//
//
//   trainlint check [options] [FILES...]      analyze a project
//   trainlint list-checks                     the checks and their levels
//   trainlint merge REPORTS...                join the reports of shards
//   trainlint lsp [options]                   the editor's language server
//   trainlint validate ...                    confirm findings at run time
//   trainlint plugin-path                     where the clang-tidy plugin is
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "Installation.h"
#include "Runner.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#ifdef TRAINLINT_HAVE_VALIDATE
#include "validate/ValidateCommand.h"
#endif

namespace {

void printHelp(llvm::raw_ostream &OS) {
  OS << "usage: trainlint COMMAND [options]\n\n"
        "Finds what makes C++ training code (libtorch, the CUDA runtime) "
        "slow.\n\n"
        "commands:\n"
        "  check        analyze the translation units of a compile database\n"
        "  list-checks  list the checks: name, level, family, fix-its, "
        "summary\n"
        "  merge        join the JSON or SARIF reports of shards into one\n"
        "  lsp          serve findings and fix-its to an editor (Language "
        "Server\n               Protocol over standard input and output)\n"
        "  validate     run a program and confirm findings by measurement\n"
        "  plugin-path  print the path of the clang-tidy plugin, for\n"
        "               clang-tidy --load=$(trainlint plugin-path)\n\n"
        "  --version    print the version, and the LLVM and libtorch it was "
        "built for\n"
        "  --help       print this help\n\n"
        "Run 'trainlint COMMAND --help' for a command's options.\n";
}

int runValidate(llvm::ArrayRef<const char *> Args) {
#ifdef TRAINLINT_HAVE_VALIDATE
  return trainlint::runValidateCommand(Args);
#else
  (void)Args;
  llvm::errs() << "trainlint: validate is not built\n";
  return trainlint::ExitError;
#endif
}

} // namespace

int main(int argc, char **argv) {
  llvm::ArrayRef<const char *> Args(argv + 1, argv + argc);
  if (Args.empty()) {
    printHelp(llvm::errs());
    return trainlint::ExitError;
  }
  llvm::StringRef Command = Args.front();
  llvm::ArrayRef<const char *> Rest = Args.drop_front();
  if (Command == "check") {
    // Workers are started from this very executable.
    std::string Executable = llvm::sys::fs::getMainExecutable(
        argv[0], reinterpret_cast<void *>(&printHelp));
    return trainlint::runCheckCommand(Rest, Executable);
  }
  if (Command == "__analyze")
    return trainlint::runAnalyzeCommand(Rest);
  if (Command == "list-checks")
    return trainlint::runListChecksCommand(Rest);
  if (Command == "merge")
    return trainlint::runMergeCommand(Rest);
  if (Command == "lsp")
    return trainlint::runLspCommand(Rest);
  if (Command == "validate")
    return runValidate(Rest);
  if (Command == "plugin-path")
    return trainlint::runPluginPathCommand(Rest);
  if (Command == "--version" || Command == "version") {
    trainlint::printVersion(llvm::outs());
    return trainlint::ExitClean;
  }
  if (Command == "--help" || Command == "-h" || Command == "help") {
    printHelp(llvm::outs());
    return trainlint::ExitClean;
  }
  llvm::errs() << "trainlint: unknown command '" << Command
               << "' (see 'trainlint --help')\n";
  return trainlint::ExitError;
}
