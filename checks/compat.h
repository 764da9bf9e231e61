//===--- compat.h - LLVM version differences in one place -------*- C++ -*-===//
//
// Every difference between the LLVM versions trainlint builds against (18 and
// later) is handled here, so that the checks read the same on all of them.
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

namespace trainlint {

/// The LLVM major version these checks were compiled against; the plugin
/// loader refuses a clang-tidy of any other.
inline constexpr unsigned BuiltForLLVMMajor = LLVM_VERSION_MAJOR;

} // namespace trainlint

#endif // TRAINLINT_CHECKS_COMPAT_H
