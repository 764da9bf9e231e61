//===--- TorchApi.h - recognising libtorch and CUDA runtime APIs -*- C++ -*-=//
//
// Names are matched as libtorch 1.13 and 2.x both spell them, by qualified
// name and class hierarchy, never by header.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_TORCHAPI_H
#define TRAINLINT_CHECKS_MODEL_TORCHAPI_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/StringRef.h"

namespace trainlint {

/// The class of \p T, looking through references, pointers and typedefs.
const clang::CXXRecordDecl *recordOf(clang::QualType T);

/// Whether \p RD is the class \p QualifiedName (no leading "::") or derives
/// from it.
bool isSameOrDerivedFrom(const clang::CXXRecordDecl *RD,
                         llvm::StringRef QualifiedName);

/// Whether \p D is declared in namespace \p Namespace ("torch::cuda") or one
/// nested in it.
bool isInNamespace(const clang::Decl *D, llvm::StringRef Namespace);

/// `at::Tensor` or `at::TensorBase` (also spelled `torch::Tensor`).
bool isTensorType(clang::QualType T);

/// `c10::ScalarType` (`torch::kFloat`, `at::kHalf`): an element type.
bool isScalarTypeEnum(clang::QualType T);

/// A tensor method whose first parameter is an element type: `to(ScalarType,
/// ...)`, `toType(ScalarType)`. It converts the elements and leaves the
/// tensor on its device.
bool convertsElementTypeOnly(const clang::CXXMethodDecl &Method);

/// The CUDA runtime function \p FD, by name: a free function in the global
/// namespace whose name starts with "cuda".
bool isCudaRuntimeFunction(const clang::FunctionDecl *FD);

/// A function that formats its arguments as text: any function of fmt or
/// spdlog (or a namespace nested in them: fmt::v9), or the standard's
/// std::format, std::format_to, std::format_to_n, std::formatted_size,
/// std::print, std::println, std::make_format_args. They take what they
/// format by forwarding reference and only read it.
bool isFormattingFunction(const clang::FunctionDecl *FD);

/// A module: a torch::nn::Module or a ModuleHolder (`torch::nn::Linear`).
bool isModuleClass(const clang::CXXRecordDecl *RD);

/// A call of a module: `net->forward(x)`, or a holder's `net(x)`.
bool isModuleCall(const clang::CallExpr &Call);

/// The layers some checks look for, by the module class libtorch gives them.
enum class LayerKind {
  Other,
  /// Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d,
  /// ConvTranspose3d.
  Convolution,
  /// BatchNorm1d, BatchNorm2d, BatchNorm3d, and libtorch 1.4's BatchNorm.
  BatchNorm,
};

/// The layer \p RD is: the module class (`torch::nn::Conv2dImpl`, or a
/// class of the user's derived from it) or its holder (`torch::nn::Conv2d`).
LayerKind layerKindOf(const clang::CXXRecordDecl *RD);

/// The module class that the module call \p Call runs, from the object it
/// is called on: `torch::nn::BatchNorm1dImpl` for `bn->forward(x)`, whose
/// forward libtorch defines in a base class. Null for other calls.
const clang::CXXRecordDecl *calledModuleClass(const clang::CallExpr &Call);

/// A `torch::data` data loader (stateless or stateful).
bool isDataLoaderType(clang::QualType T);

/// Matches a class that is or derives from at::TensorBase.
clang::ast_matchers::internal::Matcher<clang::Decl> tensorClass();

/// Matches an expression of tensor type.
clang::ast_matchers::internal::Matcher<clang::Expr> tensorExpr();

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_TORCHAPI_H
