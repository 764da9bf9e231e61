//===--- CudaMemory.h - where a CUDA copy's host memory comes from -*- C++ -*-//
//
// The CUDA runtime copies between the host and the device at one of two
// speeds: from page-locked (pinned) host memory, by DMA, asynchronously; from
// ordinary pageable memory, through a pinned staging buffer of the driver,
// synchronously with the host. Which one a buffer is cannot be seen in its
// type, so this file proves it from where the buffer comes from: a standard
// container, an array, `new[]`, `malloc`, and never a buffer that is
// registered with `cudaHostRegister` or whose origin is not in sight.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_CUDAMEMORY_H
#define TRAINLINT_CHECKS_MODEL_CUDAMEMORY_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace trainlint {

/// The `cudaMemcpyKind` values, as the CUDA runtime's ABI fixes them.
enum class MemcpyKind {
  HostToHost = 0,
  HostToDevice = 1,
  DeviceToHost = 2,
  DeviceToDevice = 3,
  Default = 4,
};

/// The value of the `cudaMemcpyKind` argument \p Arg (a default argument
/// included) when it is a constant, nothing otherwise.
std::optional<MemcpyKind> memcpyKindOf(const clang::Expr &Arg,
                                       const clang::ASTContext &Ctx);

/// The name of the CUDA runtime function \p FD as the user writes it: the
/// `_ptds` and `_ptsz` suffixes that the runtime's headers add under
/// per-thread default stream compilation are dropped.
llvm::StringRef cudaApiName(const clang::FunctionDecl &FD);

/// A host buffer that is provably pageable memory.
struct PageableBuffer {
  /// The variable that holds the memory (a container, an array, a scalar) or
  /// points to it (a pointer, a `std::unique_ptr<T[]>`).
  const clang::VarDecl *Var = nullptr;
  /// Where the memory is, for messages: "allocated by a 'std::vector'",
  /// "allocated by 'new[]'", "on the stack", "in static storage", ...
  std::string Origin;
  /// Whether Var points to the memory rather than holding it.
  bool VarPointsToIt = false;
};

/// Whether the host pointer expression \p HostPtr (an argument of a CUDA copy)
/// provably points to pageable host memory, and if so, which variable holds
/// it. It does when it is:
/// - `v.data()` or `&v[i]` of a `std::vector` or `std::basic_string` with the
///   standard allocator, or of a `std::array`;
/// - a local or global array (not `__device__`, `__constant__` or
///   `__managed__`), or the address of such a variable or of an element;
/// - `u.get()` of a local `std::unique_ptr<T[]>` made by
///   `std::make_unique<T[]>` or from `new T[n]` and never reset;
/// - a local pointer whose initializer and every assignment is one of the
///   above, `new[]`, `malloc`, `calloc`, `realloc` or `aligned_alloc`, and
///   whose address is never taken (`cudaMallocHost(&p, n)` takes it);
/// with pointer arithmetic and casts looked through. It never does when that
/// memory (or a pointer derived from it) is passed to `cudaHostRegister`
/// anywhere in the translation unit, directly or through a parameter of the
/// user's functions, or to a function of the user's code whose body is not
/// in sight; parameters and anything else of unknown origin are not proven.
std::optional<PageableBuffer> findPageableBuffer(const clang::Expr &HostPtr,
                                                 clang::ASTContext &Ctx);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_CUDAMEMORY_H
