//===--- compat.h - LLVM version differences in one place -------*- C++ -*-===//
//
// Every difference between the LLVM versions trainlint builds against (18 and
// later) is handled here, so that the checks and the tool read the same on all
// of them.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_COMPAT_H
#define TRAINLINT_CHECKS_COMPAT_H

#include "llvm/Config/llvm-config.h"

#if LLVM_VERSION_MAJOR < 18
#error "trainlint needs LLVM 18 or later"
#endif

// LLVM 22 moved the module registry into ClangTidyModule.h and left
// ClangTidyModuleRegistry.h as a deprecated shim that warns when included.
#if LLVM_VERSION_MAJOR >= 22
#include "clang-tidy/ClangTidyModule.h"
#else
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Serialization/PCHContainerOperations.h"
#include <memory>

namespace trainlint {

/// The LLVM major version these checks were compiled against; the plugin
/// loader refuses a clang-tidy of any other.
inline constexpr unsigned BuiltForLLVMMajor = LLVM_VERSION_MAJOR;

/// Gives \p Context a diagnostics engine of its own for the checks'
/// diagnostics, reporting to \p Consumer, as clang-tidy's runClangTidy does.
/// LLVM 21 made DiagnosticOptions a plain object that the context owns.
inline std::unique_ptr<clang::DiagnosticsEngine>
attachCheckDiagnostics(clang::tidy::ClangTidyContext &Context,
                       clang::DiagnosticConsumer *Consumer) {
#if LLVM_VERSION_MAJOR >= 21
  auto Options = std::make_unique<clang::DiagnosticOptions>();
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(), *Options, Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(Options), Engine.get());
#else
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(),
      llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>(), Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(Engine.get());
#endif
  return Engine;
}

/// Builds a preamble of \p MainFile in memory (the editor server's, as
/// clangd's), with its diagnostics reported to \p Consumer and fatal errors
/// made ordinary ones (a missing header in the preamble then loses only the
/// code that needed it, as in the main file's parse). LLVM 22 takes the
/// diagnostics engine by reference count, earlier versions by reference.
inline llvm::ErrorOr<clang::PrecompiledPreamble> buildPreambleInMemory(
    const clang::CompilerInvocation &Invocation,
    const llvm::MemoryBuffer &MainFile, clang::PreambleBounds Bounds,
    clang::DiagnosticConsumer &Consumer,
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files,
    clang::PreambleCallbacks &Callbacks) {
  auto PCHOperations = std::make_shared<clang::PCHContainerOperations>();
#if LLVM_VERSION_MAJOR >= 21
  clang::DiagnosticOptions Options;
  auto Engine = llvm::makeIntrusiveRefCnt<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(), Options, &Consumer,
      /*ShouldOwnClient=*/false);
#else
  auto Engine = llvm::makeIntrusiveRefCnt<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(),
      llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>(), &Consumer,
      /*ShouldOwnClient=*/false);
#endif
  Engine->setFatalsAsError(true);
  Engine->setErrorLimit(0);
#if LLVM_VERSION_MAJOR >= 22
  return clang::PrecompiledPreamble::Build(
      Invocation, &MainFile, Bounds, Engine, std::move(Files),
      std::move(PCHOperations), /*StoreInMemory=*/true, /*StoragePath=*/"",
      Callbacks);
#else
  return clang::PrecompiledPreamble::Build(
      Invocation, &MainFile, Bounds, *Engine, std::move(Files),
      std::move(PCHOperations), /*StoreInMemory=*/true, /*StoragePath=*/"",
      Callbacks);
#endif
}

} // namespace trainlint

#endif // TRAINLINT_CHECKS_COMPAT_H
