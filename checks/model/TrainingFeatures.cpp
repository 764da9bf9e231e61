//===--- TrainingFeatures.cpp - what a training loop does besides training ===//

#include "TrainingFeatures.h"
#include "ProjectGraph.h"
#include "TorchApi.h"
#include "clang/AST/DeclCXX.h"

namespace trainlint {

using namespace clang;

std::optional<bool> boolLiteralValue(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *Bool = dyn_cast<CXXBoolLiteralExpr>(E))
    return Bool->getValue();
  if (const auto *Int = dyn_cast<IntegerLiteral>(E))
    return !Int->getValue().isZero();
  return std::nullopt;
}

namespace {

bool isTensorClass(const CXXRecordDecl *RD) {
  return isSameOrDerivedFrom(RD, "at::Tensor") ||
         isSameOrDerivedFrom(RD, "at::TensorBase");
}

/// The method a member call names on its object, with the object.
const CXXMethodDecl *methodOf(const CallExpr &Call, const Expr *&Object) {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  if (!Member)
    return nullptr;
  Object = Member->getImplicitObjectArgument();
  return Member->getMethodDecl();
}

/// Whether \p E is a parameter's gradient: `p.grad()`, `p.mutable_grad()`.
bool isGradientOf(const Expr *E) {
  const auto *Call =
      dyn_cast_or_null<CXXMemberCallExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  if (!Call || !Call->getMethodDecl() ||
      !Call->getMethodDecl()->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = Call->getMethodDecl()->getName();
  return (Name == "grad" || Name == "mutable_grad") &&
         isTensorClass(Call->getMethodDecl()->getParent());
}

/// The value of an argument when it is a literal; a defaulted argument
/// counts as the default's literal.
std::optional<bool> literalArgument(const Expr *Arg) {
  if (const auto *Default = dyn_cast_or_null<CXXDefaultArgExpr>(Arg))
    Arg = Default->getExpr();
  return boolLiteralValue(Arg);
}

std::optional<bool> lastBoolArgument(const CallExpr &Call) {
  if (Call.getNumArgs() == 0)
    return std::nullopt;
  return literalArgument(Call.getArg(Call.getNumArgs() - 1));
}

unsigned methodFeatures(const CallExpr &Call, const CXXMethodDecl &MD,
                        const Expr *Object) {
  if (!MD.getDeclName().isIdentifier())
    return NoSignal;
  llvm::StringRef Name = MD.getName();
  const CXXRecordDecl *Class = MD.getParent();
  bool IsModule = isSameOrDerivedFrom(Class, "torch::nn::Module");
  if (Name == "zero_grad" &&
      (IsModule || isSameOrDerivedFrom(Class, "torch::optim::Optimizer")))
    return ZeroGradSignal;
  if ((Name == "zero_" || Name == "reset") && isTensorClass(Class) &&
      isGradientOf(Object))
    return ZeroGradSignal;
  if (IsModule && Name == "eval")
    return EvalModeSignal;
  if (IsModule && Name == "train") {
    std::optional<bool> On = lastBoolArgument(Call);
    if (!On)
      return EvalModeSignal | TrainModeSignal;
    return *On ? TrainModeSignal : EvalModeSignal;
  }
  if (Name == "step" &&
      (isSameOrDerivedFrom(Class, "torch::optim::LRScheduler") ||
       isSameOrDerivedFrom(Class, "torch::optim::ReduceLROnPlateauScheduler")))
    return LearningRateSignal;
  // `options.lr(x)` on an optimizer's options (TORCH_ARG setters), and
  // `set_lr(x)`; the getter `lr()` takes no argument.
  if ((Name == "lr" || Name == "set_lr") && Call.getNumArgs() >= 1 &&
      isSameOrDerivedFrom(Class, "torch::optim::OptimizerOptions"))
    return LearningRateSignal;
  if ((Name == "half" || Name == "bfloat16") &&
      (IsModule || isTensorClass(Class)))
    return ReducedPrecisionSignal;
  if (Name == "setBenchmarkCuDNN" && lastBoolArgument(Call) != false)
    return CudnnBenchmarkSignal;
  return NoSignal;
}

} // namespace

unsigned trainingFeaturesOf(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  // A holder's `conv(x)` is an operator, with no identifier of its own.
  if (layerKindOf(calledModuleClass(Call)) == LayerKind::Convolution)
    return ConvolutionSignal;
  if (!FD || !FD->getDeclName().isIdentifier())
    return NoSignal;
  const Expr *Object = nullptr;
  if (const CXXMethodDecl *MD = methodOf(Call, Object))
    return methodFeatures(Call, *MD, Object);
  llvm::StringRef Name = FD->getName();
  if ((Name == "clip_grad_norm_" || Name == "clip_grad_value_") &&
      isInNamespace(FD, "torch::nn::utils"))
    return ClipGradSignal;
  if ((Name == "set_enabled" || Name == "set_autocast_enabled") &&
      isInNamespace(FD, "at::autocast") && lastBoolArgument(Call) != false)
    return AutocastSignal;
  return NoSignal;
}

unsigned trainingFeaturesOf(const CXXConstructExpr &Construct) {
  const CXXConstructorDecl *Ctor = Construct.getConstructor();
  if (Ctor->isCopyOrMoveConstructor() ||
      layerKindOf(Ctor->getParent()) != LayerKind::Convolution)
    return NoSignal;
  // `torch::nn::Conv2d conv{nullptr};` holds nothing yet.
  if (Construct.getNumArgs() == 1 &&
      Construct.getArg(0)->IgnoreImpCasts()->getType()->isNullPtrType())
    return NoSignal;
  return ConvolutionSignal;
}

bool isNoGradGuard(const CXXConstructExpr &Construct) {
  const CXXRecordDecl *Class = Construct.getConstructor()->getParent();
  if (!Class->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = Class->getName();
  if (!isInNamespace(Class, "c10") && !isInNamespace(Class, "at") &&
      !isInNamespace(Class, "torch"))
    return false;
  if (Name == "NoGradGuard")
    return true;
  std::optional<bool> Enabled;
  if (Construct.getNumArgs() > 0)
    Enabled = literalArgument(Construct.getArg(0));
  // `InferenceMode guard;` and `InferenceMode guard(true)` turn recording
  // off; `AutoGradMode guard(false)` does, `AutoGradMode guard(true)` turns
  // it on.
  if (Name == "InferenceMode")
    return Construct.getNumArgs() == 0 || Enabled == true;
  if (Name == "AutoGradMode")
    return Enabled == false;
  return false;
}

bool namesReducedPrecision(const DeclRefExpr &Ref) {
  const ValueDecl *D = Ref.getDecl();
  if (!D->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = D->getName();
  if (isa<EnumConstantDecl>(D))
    return (Name == "Half" || Name == "BFloat16") &&
           (isInNamespace(D, "c10") || isInNamespace(D, "at"));
  if (isa<VarDecl>(D))
    return (Name == "kHalf" || Name == "kBFloat16" || Name == "kFloat16") &&
           (isInNamespace(D, "c10") || isInNamespace(D, "at") ||
            isInNamespace(D, "torch"));
  return false;
}

} // namespace trainlint
