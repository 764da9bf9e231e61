//===--- TensorDevice.h - where tensors live and move ----------*- C++ -*-===//
//
// What the device-movement checks share: where a device, a device type or a
// TensorOptions expression points, which calls move a tensor between devices,
// which tensors are provably on an accelerator or provably in pinned host
// memory, which factories create a tensor on the host, and which create it
// where another tensor lives. Every answer is
// conservative: "don't know" is a value of its own, and each check decides
// what it means for it.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_TENSORDEVICE_H
#define TRAINLINT_CHECKS_MODEL_TENSORDEVICE_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace trainlint {

/// Where a device, a device type or a TensorOptions points a tensor.
enum class DeviceTarget {
  /// Names no device: a dtype, default options.
  None,
  /// The host.
  Cpu,
  /// CUDA, HIP, MPS, XPU and the other devices that hold their own memory;
  /// also the device of a tensor that is provably on the device.
  Accelerator,
  /// A device that holds no data, so nothing is copied (meta).
  Other,
  /// A device chosen at run time: a parameter, a choice between the CPU and
  /// CUDA, or the device of a tensor whose place is not known
  /// (`tensor.device()`, `tensor.options()`, `tensor.type()`).
  Unknown,
  /// TensorOptions that may or may not name a device.
  Opaque,
};

/// Where \p E points: an expression of type c10::Device, c10::DeviceType, an
/// optional device, a device string, c10::TensorOptions, c10::Backend or a
/// tensor's type properties (`x.type()`, which converts to TensorOptions).
/// `x.device()`, `x.options()` and `x.type()` point where the tensor x
/// provably is. Constants and local variables that are never modified are
/// followed to their initial value.
DeviceTarget deviceTargetOf(const clang::Expr *E, clang::ASTContext &Ctx);

/// A call that moves a tensor between devices.
struct DeviceMove {
  /// `cpu()`, `cuda()`, `to()`, `toBackend()` or `toType()`.
  const clang::CXXMemberCallExpr *Call = nullptr;
  /// Where the tensor goes; never DeviceTarget::None.
  DeviceTarget Target = DeviceTarget::Unknown;
  /// The argument that names the device (the options, the backend, the
  /// other tensor), as written; null for `cpu()` and `cuda()`.
  const clang::Expr *DeviceArg = nullptr;
  /// For `to(other)`: the tensor whose device and dtype the result takes.
  const clang::Expr *TargetTensor = nullptr;
  /// The index of the callee's parameter named `non_blocking`, when it has
  /// one. Found by name, which holds for every overload of libtorch 1.13 and
  /// 2.x.
  std::optional<unsigned> NonBlockingParam;
};

/// \p Call as a move of a tensor between devices: `t.cpu()`, `t.cuda()`,
/// `t.to(device)`, `t.to(device, dtype)`, `t.to(options)` whose options name
/// a device, `t.to(other)` (to the device when `other` is provably there, to
/// the host when it is provably there, Unknown otherwise),
/// `t.toBackend(backend)`, and `t.toType(type)` with older libtorch's
/// at::Type (Unknown: the type carries a backend). Nothing when it copies
/// nothing between devices: `t.to(dtype)`, `t.to(dtype, non_blocking)`,
/// `t.to(options)` without a device, `t.toType(dtype)`.
/// FIXME: `hip()`, `ve()`, `vulkan()`, `metal()` and `meta()` are not seen.
std::optional<DeviceMove> asDeviceMove(const clang::CXXMemberCallExpr &Call,
                                       clang::ASTContext &Ctx);

/// The names of the tensor methods that asDeviceMove may take for a move, for
/// the checks' matchers.
llvm::ArrayRef<llvm::StringRef> deviceMoveMethodNames();

/// The value a call passes for a boolean parameter.
enum class FlagValue { Default, False, True, Unknown };

/// What \p Call passes for its parameter number \p Param: Default when it is
/// not written, True or False when it is a constant, Unknown otherwise.
FlagValue flagArgument(const clang::CallExpr &Call, unsigned Param,
                       clang::ASTContext &Ctx);

/// How many arguments are written at \p Call (default arguments are not).
unsigned writtenArgCount(const clang::CallExpr &Call);

/// The index of \p FD's parameter named \p Name.
std::optional<unsigned> paramIndex(const clang::FunctionDecl &FD,
                                   llvm::StringRef Name);

/// A libtorch factory that allocates a new tensor, on the host unless its
/// options say otherwise: `zeros`, `ones`, `full`, `empty`, `rand`, `randn`,
/// `randint`, `arange`, `eye`, `linspace` and `tensor`, in namespace torch or
/// at. Not `from_blob`, which wraps memory the caller already has.
bool isTensorFactory(const clang::FunctionDecl *FD);

/// A libtorch factory that creates its tensor where another tensor lives
/// unless its options name a device: `zeros_like`, `ones_like`, `full_like`,
/// `empty_like`, `rand_like`, `randn_like` and `randint_like`, in namespace
/// torch or at, and the tensor methods `new_zeros`, `new_ones`, `new_full`,
/// `new_empty` and `new_empty_strided`.
bool isDeviceInheritingFactory(const clang::FunctionDecl *FD);

/// The tensor whose device \p Call's result takes when its options name
/// none: `x` in `torch::zeros_like(x)` and in `x.new_zeros({n})`; null when
/// \p Call is not a call of a device-inheriting factory.
const clang::Expr *deviceSourceOf(const clang::CallExpr &Call);

/// Whether \p FD is one of the factories that draw random numbers (`rand`,
/// `randn`, `randint` and their `_like` forms): on a device they draw from
/// another generator.
bool isRandomTensorFactory(const clang::FunctionDecl *FD);

/// The index of \p FD's c10::TensorOptions parameter.
std::optional<unsigned> tensorOptionsParam(const clang::FunctionDecl &FD);

/// Whether the tensor \p E is provably on a device already: the result of a
/// move to a device (`to(other)` with `other` on the device), of a module's
/// forward, of a factory whose options name a device, of a device-inheriting
/// factory (`zeros_like(x)`, `x.new_zeros(...)`) whose options name a device
/// or whose source is on the device, of a tensor method or a dtype
/// conversion applied to one of those, or a local variable initialized from
/// one and never modified.
bool isProvablyOnDevice(const clang::Expr *E, clang::ASTContext &Ctx);

/// Whether the tensor \p E is provably on the host: the result of a move to
/// the CPU (`to(other)` with `other` on the host), of a factory whose
/// options name no other device, of a device-inheriting factory whose
/// options name the CPU or whose source is on the host, of a tensor method
/// or a dtype conversion applied to one of those, or a local variable
/// initialized from one and never modified.
bool isProvablyOnHost(const clang::Expr *E, clang::ASTContext &Ctx);

/// What is known of the memory a host tensor lives in.
enum class PinState {
  /// Not provably pinned.
  Unknown,
  /// Pinned, and no other code can write it while an asynchronous copy from
  /// it is in flight: `x.pin_memory()` itself, or a local variable
  /// initialized from `x.pin_memory()` or from a factory with
  /// `pinned_memory(true)` options and named nowhere else in its function.
  PinnedUnshared,
  /// Pinned, but other code names it and may write it (an in-place op is a
  /// const method of a tensor, so "never reassigned" is not enough).
  PinnedShared,
};

/// What is known of the memory of the tensor \p E.
PinState pinStateOf(const clang::Expr *E, clang::ASTContext &Ctx);

/// Whether \p S is inside a template, its pattern or an instantiation, where
/// one rewrite of the source would have to suit every instantiation.
bool isInTemplate(const clang::Stmt &S, clang::ASTContext &Ctx);

/// Whether any node of \p S comes from a macro expansion.
bool involvesMacro(const clang::Stmt &S);

/// \p E without the nodes the source does not spell: implicit casts and
/// conversions, temporaries, parentheses.
const clang::Expr *ignoreUnwritten(const clang::Expr *E);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_TENSORDEVICE_H
