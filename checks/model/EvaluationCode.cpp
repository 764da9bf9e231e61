//===--- EvaluationCode.cpp - where a program evaluates its model ---------===//

#include "EvaluationCode.h"
#include "TorchApi.h"
#include "TrainingFeatures.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <cctype>

namespace trainlint {

using namespace clang;

bool namedLikeEvaluation(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Words[] = {
      "eval",       "evaluate", "evaluation", "val",       "validate",
      "validation", "test",     "testing",    "infer",     "inference",
      "predict",    "prediction"};
  std::string Word;
  auto Ends = [&] {
    bool Found = llvm::is_contained(Words, Word);
    Word.clear();
    return Found;
  };
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    if (!std::isalpha(static_cast<unsigned char>(C))) {
      if (Ends())
        return true;
      continue;
    }
    // A capital starts a word after a lower-case letter (`testEpoch`), and
    // ends an acronym before a lower-case letter (`RNNTest`).
    bool Upper = std::isupper(static_cast<unsigned char>(C));
    if (Upper && !Word.empty() &&
        (std::islower(static_cast<unsigned char>(Name[I - 1])) ||
         (I + 1 < Name.size() &&
          std::islower(static_cast<unsigned char>(Name[I + 1])))))
      if (Ends())
        return true;
    Word += static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  }
  return Ends();
}

namespace {

void collectLoops(const Stmt *S, const HotPathModel &Model, LoopKind Wanted,
                  llvm::SmallVectorImpl<const Stmt *> &Out) {
  if (!S)
    return;
  if (std::optional<LoopKind> Kind = Model.loopKind(*S)) {
    if (*Kind == Wanted)
      Out.push_back(S);
    // Neither an evaluation loop's nested loops nor a training step's.
    if (*Kind == LoopKind::Evaluation || *Kind == LoopKind::Training)
      return;
  }
  for (const Stmt *Child : S->children())
    collectLoops(Child, Model, Wanted, Out);
}

bool declaresNoGradGuard(const Stmt *S) {
  const auto *Decl = dyn_cast_or_null<DeclStmt>(S);
  if (!Decl)
    return false;
  for (const clang::Decl *D : Decl->decls())
    if (const auto *Var = dyn_cast<VarDecl>(D))
      if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(
              Var->getInit() ? Var->getInit()->IgnoreImplicit() : nullptr))
        if (isNoGradGuard(*Construct))
          return true;
  return false;
}

bool isTensorOrOptions(const CXXRecordDecl *RD) {
  return isSameOrDerivedFrom(RD, "at::TensorBase") ||
         isSameOrDerivedFrom(RD, "at::Tensor") ||
         isSameOrDerivedFrom(RD, "c10::TensorOptions");
}

/// The Impl of a ModuleHolder class (`torch::nn::Linear`, a TORCH_MODULE),
/// or \p RD itself.
const CXXRecordDecl *implOf(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return RD;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (Spec && Spec->getName() == "ModuleHolder" &&
      Spec->getTemplateArgs().size() == 1 &&
      Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
    return Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
  for (const CXXBaseSpecifier &Base : RD->bases())
    if (const CXXRecordDecl *B = Base.getType()->getAsCXXRecordDecl())
      if (isSameOrDerivedFrom(B, "torch::nn::ModuleHolder"))
        return implOf(B);
  return RD;
}

/// The module class a member of type \p T holds: a holder, an Impl, a
/// shared_ptr to one.
const CXXRecordDecl *heldModule(QualType T) {
  const CXXRecordDecl *RD = recordOf(T.getNonReferenceType());
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
    if (Spec->getName() == "shared_ptr" && Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
      RD = Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
  return RD && isModuleClass(RD) ? RD : nullptr;
}

/// Whether \p S calls `is_training()`: the module chooses by its mode.
bool readsTrainingMode(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *MD = Call->getMethodDecl())
      if (MD->getDeclName().isIdentifier() && MD->getName() == "is_training")
        return true;
  for (const Stmt *Child : S->children())
    if (readsTrainingMode(Child))
      return true;
  return false;
}

bool behavesDifferently(const CXXRecordDecl *RD, std::string *Why,
                        llvm::SmallPtrSetImpl<const CXXRecordDecl *> &Seen) {
  RD = implOf(RD);
  if (!RD)
    return true;
  if (!Seen.insert(RD->getCanonicalDecl()).second)
    return false;
  std::string Name = RD->getQualifiedNameAsString();
  if (isInNamespace(RD, "torch")) {
    static constexpr llvm::StringLiteral Modal[] = {
        "Dropout",    "BatchNorm",   "InstanceNorm", "LSTM",  "GRU",
        "RNN",        "Transformer", "Multihead",    "RReLU", "Sequential",
        "ModuleList", "ModuleDict",  "AnyModule",    "Functional"};
    bool Found = llvm::any_of(Modal, [&](llvm::StringRef Part) {
      return llvm::StringRef(Name).contains(Part);
    });
    // torch::jit::Module and other modules of libtorch that are not
    // torch::nn layers: what they hold is known at run time only.
    if (!isInNamespace(RD, "torch::nn"))
      Found = true;
    if (Found && Why)
      *Why = Name;
    return Found;
  }
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def) {
    if (Why)
      *Why = Name;
    return true;
  }
  for (const FieldDecl *Field : Def->fields()) {
    const CXXRecordDecl *Held = heldModule(Field->getType());
    // A container of modules (`std::vector<torch::nn::Linear>`): what it
    // holds.
    if (!Held)
      if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
              recordOf(Field->getType())))
        for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
          if (Arg.getKind() == TemplateArgument::Type)
            if ((Held = heldModule(Arg.getAsType())))
              break;
    if (!Held)
      continue;
    if (behavesDifferently(Held, nullptr, Seen)) {
      if (Why)
        *Why = Field->getNameAsString();
      return true;
    }
  }
  for (const CXXMethodDecl *Method : Def->methods()) {
    const FunctionDecl *Body = nullptr;
    if (Method->getDeclName().isIdentifier() && Method->getName() == "forward" &&
        !Method->hasBody(Body)) {
      // The forward pass is defined in another file: it may choose by mode.
      if (Why)
        *Why = Name;
      return true;
    }
    if (Method->hasBody(Body) && readsTrainingMode(Body->getBody())) {
      if (Why)
        *Why = Name;
      return true;
    }
  }
  return false;
}

} // namespace

llvm::SmallVector<const Stmt *, 2>
outermostLoops(const FunctionDecl &Function, const HotPathModel &Model,
               LoopKind Kind) {
  llvm::SmallVector<const Stmt *, 2> Loops;
  collectLoops(Function.getBody(), Model, Kind, Loops);
  return Loops;
}

bool noGradGuardInScope(const Stmt &S, const HotPathModel &Model) {
  const Stmt *Child = &S;
  for (const Stmt *N = Model.parentOf(S); N; Child = N, N = Model.parentOf(*N))
    if (const auto *Block = dyn_cast<CompoundStmt>(N))
      for (const Stmt *Earlier : Block->body()) {
        if (Earlier == Child)
          break;
        if (declaresNoGradGuard(Earlier))
          return true;
      }
  return false;
}

bool asksForInputGradients(const Stmt &Body) {
  if (const auto *Call = dyn_cast<CallExpr>(&Body))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getDeclName().isIdentifier()) {
      llvm::StringRef Name = FD->getName();
      const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      bool OnTensor = MD ? isTensorOrOptions(MD->getParent())
                         : isInNamespace(FD, "torch") || isInNamespace(FD, "c10");
      std::optional<bool> On;
      if (Call->getNumArgs() > 0) {
        const Expr *Last = Call->getArg(Call->getNumArgs() - 1);
        if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(Last))
          Last = Default->getExpr();
        On = boolLiteralValue(Last);
      }
      if (OnTensor && On != false &&
          (Name == "requires_grad_" || Name == "set_requires_grad" ||
           (Name == "requires_grad" && Call->getNumArgs() > 0)))
        return true;
    }
  for (const Stmt *Child : Body.children())
    if (Child && asksForInputGradients(*Child))
      return true;
  return false;
}

bool mayBehaveDifferentlyInTraining(const CXXRecordDecl *Module,
                                    std::string *Why) {
  llvm::SmallPtrSet<const CXXRecordDecl *, 8> Seen;
  return behavesDifferently(Module, Why, Seen);
}

const CXXRecordDecl *forwardedModule(const CallExpr &Call) {
  if (!isModuleCall(Call))
    return nullptr;
  const auto *MD = cast<CXXMethodDecl>(Call.getDirectCallee());
  return MD->getParent();
}

llvm::SmallVector<const CallExpr *, 2> forwardCallsIn(const Stmt &S) {
  llvm::SmallVector<const CallExpr *, 2> Calls;
  llvm::SmallVector<const Stmt *, 32> Work{&S};
  while (!Work.empty()) {
    const Stmt *N = Work.pop_back_val();
    if (const auto *Call = dyn_cast<CallExpr>(N))
      if (forwardedModule(*Call))
        Calls.push_back(Call);
    for (const Stmt *Child : N->children())
      if (Child)
        Work.push_back(Child);
  }
  return Calls;
}

} // namespace trainlint
