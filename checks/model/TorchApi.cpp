//===--- TorchApi.cpp - recognising libtorch and CUDA runtime APIs --------===//

#include "TorchApi.h"
#include "clang/AST/DeclTemplate.h"

namespace trainlint {

using namespace clang;
using namespace clang::ast_matchers;

const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return RD->getDefinition() ? RD->getDefinition() : RD;
  return nullptr;
}

bool isSameOrDerivedFrom(const CXXRecordDecl *RD, llvm::StringRef Name) {
  if (!RD)
    return false;
  if (RD->getQualifiedNameAsString() == Name)
    return true;
  if (!RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (isSameOrDerivedFrom(recordOf(Base.getType()), Name))
      return true;
  return false;
}

bool isInNamespace(const Decl *D, llvm::StringRef Namespace) {
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    const auto *ND = dyn_cast<NamespaceDecl>(DC);
    if (!ND)
      continue;
    std::string Name = ND->getQualifiedNameAsString();
    // Inline namespaces (std::__1, c10::inline_ns) don't change the answer.
    if (Name == Namespace)
      return true;
  }
  return false;
}

bool isFormattingFunction(const FunctionDecl *FD) {
  if (!FD)
    return false;
  // The outermost namespace's name only: this runs on every call.
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *ND = dyn_cast<NamespaceDecl>(DC))
      Outermost = ND;
  if (!Outermost || !Outermost->getIdentifier())
    return false;
  llvm::StringRef Namespace = Outermost->getName();
  if (Namespace == "fmt" || Namespace == "spdlog")
    return true;
  if (Namespace != "std" || !FD->getDeclName().isIdentifier())
    return false;
  static constexpr llvm::StringLiteral StdNames[] = {
      "format", "format_to", "format_to_n",      "formatted_size",
      "print",  "println",   "make_format_args", "make_wformat_args"};
  return llvm::is_contained(StdNames, FD->getName());
}

bool isModuleClass(const CXXRecordDecl *RD) {
  return isSameOrDerivedFrom(RD, "torch::nn::Module") ||
         isSameOrDerivedFrom(RD, "torch::nn::ModuleHolder");
}

bool isModuleCall(const CallExpr &Call) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call.getDirectCallee());
  if (!MD || !isModuleClass(MD->getParent()))
    return false;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call))
    return Op->getOperator() == OO_Call;
  return MD->getDeclName().isIdentifier() && MD->getName() == "forward";
}

/// The module a ModuleHolder \p RD (or a class derived from one) holds.
static const CXXRecordDecl *heldModule(const CXXRecordDecl *RD) {
  for (int Depth = 0; RD && Depth < 8; ++Depth) {
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (Spec->getName() == "ModuleHolder" && isInNamespace(Spec, "torch::nn") &&
          Spec->getTemplateArgs().size() == 1 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        return Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
    if (!RD->hasDefinition() || RD->getDefinition()->getNumBases() != 1)
      return nullptr;
    RD = recordOf(RD->getDefinition()->bases_begin()->getType());
  }
  return nullptr;
}

LayerKind layerKindOf(const CXXRecordDecl *RD) {
  if (!RD)
    return LayerKind::Other;
  if (const CXXRecordDecl *Held = heldModule(RD))
    RD = Held;
  static constexpr llvm::StringLiteral Convolutions[] = {
      "torch::nn::Conv1dImpl",          "torch::nn::Conv2dImpl",
      "torch::nn::Conv3dImpl",          "torch::nn::ConvTranspose1dImpl",
      "torch::nn::ConvTranspose2dImpl", "torch::nn::ConvTranspose3dImpl"};
  static constexpr llvm::StringLiteral BatchNorms[] = {
      "torch::nn::BatchNorm1dImpl", "torch::nn::BatchNorm2dImpl",
      "torch::nn::BatchNorm3dImpl", "torch::nn::BatchNormImpl"};
  for (llvm::StringRef Name : Convolutions)
    if (isSameOrDerivedFrom(RD, Name))
      return LayerKind::Convolution;
  for (llvm::StringRef Name : BatchNorms)
    if (isSameOrDerivedFrom(RD, Name))
      return LayerKind::BatchNorm;
  return LayerKind::Other;
}

const CXXRecordDecl *calledModuleClass(const CallExpr &Call) {
  if (!isModuleCall(Call))
    return nullptr;
  const Expr *Object = nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    Object = Member->getImplicitObjectArgument();
  else if (Call.getNumArgs() > 0)
    Object = Call.getArg(0);
  // Past the conversion to the base class that defines the method.
  return Object ? recordOf(Object->IgnoreParenImpCasts()->getType()) : nullptr;
}

bool isTensorType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
  if (!RD || T->isPointerType())
    return false;
  return isSameOrDerivedFrom(RD, "at::TensorBase") ||
         isSameOrDerivedFrom(RD, "at::Tensor");
}

bool isScalarTypeEnum(QualType T) {
  const EnumDecl *ED = T.getNonReferenceType()->getAsEnumDecl();
  return ED && ED->getQualifiedNameAsString() == "c10::ScalarType";
}

bool convertsElementTypeOnly(const CXXMethodDecl &Method) {
  return Method.getDeclName().isIdentifier() &&
         (Method.getName() == "to" || Method.getName() == "toType") &&
         Method.getNumParams() > 0 &&
         isScalarTypeEnum(Method.getParamDecl(0)->getType());
}

bool isCudaRuntimeFunction(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  return FD->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
         FD->getName().starts_with("cuda");
}

bool isDataLoaderType(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  return isSameOrDerivedFrom(RD, "torch::data::DataLoaderBase") ||
         isSameOrDerivedFrom(RD, "torch::data::StatelessDataLoader") ||
         isSameOrDerivedFrom(RD, "torch::data::StatefulDataLoader");
}

internal::Matcher<Decl> tensorClass() {
  return cxxRecordDecl(
      ast_matchers::isSameOrDerivedFrom(hasAnyName("::at::TensorBase", "::at::Tensor")));
}

internal::Matcher<Expr> tensorExpr() {
  return hasType(hasUnqualifiedDesugaredType(
      recordType(hasDeclaration(tensorClass()))));
}

} // namespace trainlint
