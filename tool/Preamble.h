//===--- Preamble.h - shared precompiled preambles -------------*- C++ -*-===//
//
// Every libtorch file starts by including <torch/torch.h>, whose parse costs
// seconds and is the same for each file compiled with the same flags. A
// preamble is a precompiled header of those leading system includes, built
// once per set of flags and headers and kept on disk, that a file's
// analysis loads with `-include-pch` instead of parsing them again.
//
// Loading a precompiled header before the file changes nothing only when the
// file itself starts by including the same headers under the same macros.
// So a preamble is built from the system headers a file includes before
// anything else: its leading `#include <...>` lines, followed through its
// leading `#include "..."` lines into project headers that likewise do
// nothing else first (an include guard or `#pragma once` aside, whose macro
// no system header reads). The file's own includes of those headers then find
// them already included and are skipped by their guards.
//
// `trainlint check` uses it for each translation unit; the editor server
// reuses it for the file being edited.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_PREAMBLE_H
#define TRAINLINT_TOOL_PREAMBLE_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CompilerInvocation;
} // namespace clang

namespace trainlint {

/// Whether a system header is worth precompiling: libtorch's and the CUDA
/// runtime's take seconds to parse, the standard library's a fraction of one.
bool isHeavyHeader(llvm::StringRef Header);

/// The system headers (as spelled between `<>`) that \p Command's file
/// includes before anything else, in order, as described above; empty when
/// the file starts with anything else. The command's `-I` and `-iquote`
/// folders resolve quoted includes that are not next to their includer.
std::vector<std::string>
leadingSystemHeaders(const clang::tooling::CompileCommand &Command);

/// The headers of \p Command's preamble: its leading system headers up to
/// the last heavy one (any prefix of them is one the file includes first,
/// and a shorter list is shared by more files); empty when none is heavy.
std::vector<std::string>
preambleHeaders(const clang::tooling::CompileCommand &Command);

/// Why \p Command cannot use a preamble (CUDA, `-include`, modules, a
/// precompiled header of its own), or the empty string when it can.
std::string whyNoPreamble(const clang::tooling::CompileCommand &Command);

/// A preamble on disk and the files it was built from.
struct Preamble {
  /// The key: the flags, the compiler and the headers.
  std::string Key;
  /// The precompiled header, for `-include-pch`.
  std::string Path;
  /// Every file its build read, absolute.
  std::vector<std::string> Inputs;
};

/// Precompiled preambles kept in one folder, `<Key>.pch` with its
/// `<Key>.h` (the includes) and `<Key>.inputs` (what it read, with sizes and
/// modification times). A preamble is rebuilt when any of its inputs
/// changed; processes that need the same preamble at once build it once,
/// the others waiting for it.
class PreambleStore {
public:
  /// Sets up \p Invocation as the analyses that load the preamble are set
  /// up (for example, `__clang_analyzer__` defined), so that the two agree.
  using InvocationSetup = llvm::function_ref<void(clang::CompilerInvocation &)>;

  explicit PreambleStore(std::string Directory)
      : Directory(std::move(Directory)) {}

  /// The preamble of \p Headers for \p Command (its final arguments: the
  /// compile database's command with every adjustment made), built if it
  /// is missing or out of date; std::nullopt when it cannot be built (a
  /// header that does not compile), \p Problem saying why.
  std::optional<Preamble> get(const clang::tooling::CompileCommand &Command,
                              llvm::ArrayRef<std::string> Headers,
                              InvocationSetup Setup, std::string &Problem);

  /// \p Command loading \p P: `-include-pch` after the compiler's name.
  static clang::tooling::CompileCommand
  withPreamble(clang::tooling::CompileCommand Command, const Preamble &P);

private:
  std::string Directory;
};

/// The key of a preamble of \p Headers for \p Command: what in its
/// arguments and folder can change the parse of the headers (not the
/// file's name, its output or its dependency file), clang's version, and
/// the headers.
std::string preambleKey(const clang::tooling::CompileCommand &Command,
                        llvm::ArrayRef<std::string> Headers);

} // namespace trainlint

#endif // TRAINLINT_TOOL_PREAMBLE_H
