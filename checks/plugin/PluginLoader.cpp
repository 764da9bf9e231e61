//===--- PluginLoader.cpp - the file `clang-tidy --load` takes -------------===//
//
// A plugin's symbols are resolved against the clang-tidy that loads it. Built
// for one LLVM and loaded into another, it fails with an undefined symbol or
// crashes later. This small loader depends on nothing from LLVM: it asks the
// host for its version, refuses another major with a clear message, and only
// then loads the checks module that sits beside it.
//
//===----------------------------------------------------------------------===//

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <unistd.h>

namespace {

/// The LLVM major version of the process, or 0 when it cannot be told.
unsigned hostLLVMMajor() {
  // LLVM 16 and later export LLVM's C API version query.
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  if (auto *GetVersion = reinterpret_cast<GetVersionFn>(
          dlsym(RTLD_DEFAULT, "LLVMGetVersion"))) {
    unsigned Major = 0, Minor = 0, Patch = 0;
    GetVersion(&Major, &Minor, &Patch);
    return Major;
  }
  // Older ones: clang's version string, "... clang version 14.0.6 ...".
  using FullVersionFn = std::string (*)();
  if (auto *FullVersion = reinterpret_cast<FullVersionFn>(
          dlsym(RTLD_DEFAULT, "_ZN5clang19getClangFullVersionB5cxx11Ev"))) {
    std::string Text = FullVersion();
    std::size_t At = Text.find("version ");
    if (At != std::string::npos)
      return static_cast<unsigned>(std::atoi(Text.c_str() + At + 8));
  }
  return 0;
}

[[noreturn]] void refuse(const char *Message) {
  std::fputs(Message, stderr);
  std::fflush(stderr);
  _exit(1);
}

/// The folder this loader was loaded from, with a trailing slash.
std::string ownFolder() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&hostLLVMMajor), &Info) ||
      !Info.dli_fname)
    return "";
  std::string Path = Info.dli_fname;
  std::size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? "" : Path.substr(0, Slash + 1);
}

__attribute__((constructor)) void loadTrainlintChecks() {
  unsigned Host = hostLLVMMajor();
  char Message[512];
  if (Host == 0) {
    std::fprintf(stderr,
                 "trainlint: warning: cannot tell which LLVM this clang-tidy "
                 "is built on; the checks were built for LLVM %u\n",
                 TRAINLINT_LLVM_MAJOR);
  } else if (Host != TRAINLINT_LLVM_MAJOR) {
    std::snprintf(Message, sizeof(Message),
                  "trainlint: error: this plugin was built for clang-tidy %u "
                  "and cannot be loaded into clang-tidy %u; use clang-tidy-%u, "
                  "or rebuild trainlint with -DTRAINLINT_LLVM_VERSION=%u\n",
                  TRAINLINT_LLVM_MAJOR, Host, TRAINLINT_LLVM_MAJOR, Host);
    refuse(Message);
  }
  std::string Module = ownFolder() + TRAINLINT_CHECKS_MODULE;
  if (!dlopen(Module.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
    std::snprintf(Message, sizeof(Message),
                  "trainlint: error: cannot load the checks module: %s\n",
                  dlerror());
    refuse(Message);
  }
}

} // namespace
