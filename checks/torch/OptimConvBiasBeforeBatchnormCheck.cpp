//===--- OptimConvBiasBeforeBatchnormCheck.cpp - torch-optim-conv-bias-before-batchnorm ---===//

#include "OptimConvBiasBeforeBatchnormCheck.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "model/TrainingFeatures.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

/// A convolution built in the source: the construction, and the
/// expression that spells it (`torch::nn::Conv2d(options)` is a cast
/// around the construction).
struct BuiltConvolution {
  const CXXConstructExpr *Construct = nullptr;
  const Expr *Written = nullptr;
};

namespace {
constexpr llvm::StringLiteral SequentialId = "sequential";
constexpr llvm::StringLiteral PushBackId = "pushBack";
constexpr llvm::StringLiteral NormCallId = "normCall";

AST_MATCHER(CXXRecordDecl, isSequentialClass) {
  return isSameOrDerivedFrom(&Node, "torch::nn::SequentialImpl") ||
         isSameOrDerivedFrom(&Node, "torch::nn::Sequential");
}

AST_MATCHER(CallExpr, callsBatchNorm) {
  return layerKindOf(calledModuleClass(Node)) == LayerKind::BatchNorm;
}

LayerKind layerKindOfExpr(const Expr *E) {
  return E ? layerKindOf(recordOf(E->getType())) : LayerKind::Other;
}

/// The convolution built in \p E, looking through what the source does not
/// spell, a holder made from it, and `register_module(name, module)`:
/// `torch::nn::Conv2d(...)` in
/// `conv1 = register_module("conv1", torch::nn::Conv2d(...))`.
std::optional<BuiltConvolution> convolutionBuiltBy(const Expr *E) {
  const Expr *Cast = nullptr;
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = ignoreUnwritten(E);
    if (const auto *Functional = dyn_cast<CXXFunctionalCastExpr>(E)) {
      Cast = Functional;
      E = Functional->getSubExpr();
      continue;
    }
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (trainingFeaturesOf(*Construct) & ConvolutionSignal)
        return BuiltConvolution{Construct, Cast ? Cast : Construct};
      // A holder made from the shared pointer that register_module returns.
      if (Construct->getNumArgs() != 1)
        return std::nullopt;
      Cast = nullptr;
      E = Construct->getArg(0);
      continue;
    }
    Cast = nullptr;
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = Call->getMethodDecl();
      if (!MD || !MD->getDeclName().isIdentifier() ||
          MD->getName() != "register_module" || Call->getNumArgs() == 0)
        return std::nullopt;
      E = Call->getArg(Call->getNumArgs() - 1);
      continue;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

/// The block statement that holds \p E, with its place in the block; a
/// null block when \p E is not in one.
std::pair<const CompoundStmt *, CompoundStmt::const_body_iterator>
statementOf(const Expr &E, const HotPathModel &Model) {
  const Stmt *Statement = &E;
  const Stmt *Up = Model.parentOf(E);
  while (Up && !isa<CompoundStmt>(Up))
    Statement = Up, Up = Model.parentOf(*Up);
  const auto *Block = dyn_cast_or_null<CompoundStmt>(Up);
  if (!Block)
    return {nullptr, {}};
  auto It = llvm::find(Block->body(), Statement);
  if (It == Block->body_end())
    return {nullptr, {}};
  return {Block, It};
}

/// The variable or member a module call is made on: `conv1` in
/// `conv1->forward(x)`, `conv1(x)`, `this->conv1->forward(x)`.
const ValueDecl *moduleObjectOf(const CallExpr &Call) {
  const Expr *Object = nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call))
    Object = Member->getImplicitObjectArgument();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call))
    Object = Op->getNumArgs() > 0 ? Op->getArg(0) : nullptr;
  if (!Object)
    return nullptr;
  Object = ignoreUnwritten(Object);
  // `conv1->forward(x)` goes through the holder's operator->.
  if (const auto *Arrow = dyn_cast<CXXOperatorCallExpr>(Object))
    if (Arrow->getOperator() == OO_Arrow && Arrow->getNumArgs() == 1)
      Object = ignoreUnwritten(Arrow->getArg(0));
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Object))
    return Ref->getDecl();
  if (const auto *Member = dyn_cast<MemberExpr>(Object))
    if (isa<CXXThisExpr>(Member->getBase()->IgnoreImplicit()))
      return Member->getMemberDecl();
  return nullptr;
}

/// The assignment `Field = <expr>` that \p S is, or null.
const Expr *assignedTo(const Stmt *S, const ValueDecl &Field) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return nullptr;
  E = ignoreUnwritten(E);
  const Expr *LHS = nullptr, *RHS = nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
      LHS = Op->getArg(0);
      RHS = Op->getArg(1);
    }
  } else if (const auto *Bin = dyn_cast<BinaryOperator>(E)) {
    if (Bin->getOpcode() == BO_Assign) {
      LHS = Bin->getLHS();
      RHS = Bin->getRHS();
    }
  }
  if (!LHS)
    return nullptr;
  LHS = ignoreUnwritten(LHS);
  if (const auto *Member = dyn_cast<MemberExpr>(LHS))
    if (Member->getMemberDecl() == &Field)
      return RHS;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(LHS))
    if (Ref->getDecl() == &Field)
      return RHS;
  return nullptr;
}

/// Where the module \p D, a member or a local variable, is built: with the
/// declaration whose type is written for it when the construction does not
/// spell one (`conv1(1, 8, 3)` in a constructor's initializers). Nothing
/// when there is not exactly one such place.
std::optional<std::pair<BuiltConvolution, const DeclaratorDecl *>>
constructionOf(const ValueDecl &D) {
  llvm::SmallVector<std::pair<BuiltConvolution, const DeclaratorDecl *>, 2>
      Found;
  auto Offer = [&](const Expr *E, const DeclaratorDecl *Declared) {
    if (auto Built = convolutionBuiltBy(E))
      Found.push_back({*Built, Declared});
  };
  if (const auto *Var = dyn_cast<VarDecl>(&D)) {
    if (!Var->isLocalVarDecl() || !Var->getInit())
      return std::nullopt;
    // FIXME: a local module assigned again after its declaration is taken
    // for the one its declaration builds.
    Offer(Var->getInit(), Var);
  } else if (const auto *Field = dyn_cast<FieldDecl>(&D)) {
    if (Field->hasInClassInitializer())
      Offer(Field->getInClassInitializer(), Field);
    const auto *Class = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Class)
      return std::nullopt;
    for (const CXXConstructorDecl *Ctor : Class->ctors()) {
      if (!Ctor->isUserProvided())
        continue;
      const FunctionDecl *Def = nullptr;
      if (!Ctor->isDefined(Def))
        continue;
      const auto *CtorDef = cast<CXXConstructorDecl>(Def);
      for (const CXXCtorInitializer *Init : CtorDef->inits())
        if (Init->isWritten() && Init->getMember() == Field)
          Offer(Init->getInit(), Field);
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(CtorDef->getBody()))
        for (const Stmt *S : Body->body())
          if (const Expr *Assigned = assignedTo(S, *Field))
            Offer(Assigned, nullptr);
    }
  }
  if (Found.size() != 1)
    return std::nullopt;
  return Found.front();
}

/// What the options of a convolution say of its bias.
enum class BiasState {
  /// `.bias(false)`: nothing to report.
  Off,
  /// Built from plain arguments, whose options keep the default bias.
  DefaultFromArguments,
  /// Built from options that do not set the bias.
  DefaultFromOptions,
  /// `.bias(true)` written: the literal is rewritten.
  ExplicitTrue,
  /// Options the check cannot read: a variable, a non-literal flag.
  Unknown,
};

bool isConvolutionOptions(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName().starts_with("Conv") && RD->getName().ends_with("Options") &&
         isInNamespace(RD, "torch::nn");
}

/// The bias of \p Construct, with the literal of `.bias(true)` when that is
/// what it says and the end of the options expression that `.bias(false)`
/// is appended to when they do not set it.
struct Bias {
  BiasState State = BiasState::Unknown;
  const Expr *TrueLiteral = nullptr;
  const Expr *Options = nullptr;
};

/// How many arguments are written at \p Construct (default ones are not).
unsigned writtenArguments(const CXXConstructExpr &Construct) {
  unsigned Count = 0;
  for (const Expr *Arg : Construct.arguments())
    if (!isa<CXXDefaultArgExpr>(Arg))
      ++Count;
  return Count;
}

Bias biasOf(const CXXConstructExpr &Construct) {
  Bias Result;
  unsigned Args = writtenArguments(Construct);
  if (Args >= 2) {
    Result.State = BiasState::DefaultFromArguments;
    return Result;
  }
  if (Args != 1 || !isConvolutionOptions(Construct.getArg(0)->getType()))
    return Result;
  const Expr *Options = ignoreUnwritten(Construct.getArg(0));
  Result.Options = Options;
  // Down the chain of setters: `Conv2dOptions(1, 8, 3).stride(2).bias(b)`.
  for (const Expr *E = Options; E;) {
    E = ignoreUnwritten(E);
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
      E = ignoreUnwritten(Cast->getSubExpr());
    if (isa<CXXConstructExpr>(E)) {
      Result.State = BiasState::DefaultFromOptions;
      return Result;
    }
    const auto *Setter = dyn_cast<CXXMemberCallExpr>(E);
    if (!Setter || !Setter->getMethodDecl() ||
        !Setter->getMethodDecl()->getDeclName().isIdentifier())
      return Result; // a variable, a function's result: not read here
    llvm::StringRef Name = Setter->getMethodDecl()->getName();
    // `with_bias` is the name libtorch 1.4 gave the setter.
    if ((Name == "bias" || Name == "with_bias") && Setter->getNumArgs() == 1) {
      std::optional<bool> On = boolLiteralValue(Setter->getArg(0));
      if (!On)
        return Result;
      Result.State = *On ? BiasState::ExplicitTrue : BiasState::Off;
      Result.TrueLiteral = Setter->getArg(0)->IgnoreParenImpCasts();
      return Result;
    }
    E = Setter->getImplicitObjectArgument();
  }
  return Result;
}

/// The type written for \p Construct, where the source spells the holder
/// class itself (`torch::nn::Conv2d`, `nn::Conv2d`, `Conv2d` found in its
/// namespace or through `using namespace`): its options class is then
/// found by the same name with `Options` appended. Not an alias, nor a
/// name brought in by a using-declaration, which may not bring the
/// options.
std::optional<SourceRange> writtenHolderType(const CXXConstructExpr &Construct,
                                             const DeclaratorDecl *Declared) {
  const TypeSourceInfo *TSI = nullptr;
  if (const auto *Temporary = dyn_cast<CXXTemporaryObjectExpr>(&Construct))
    TSI = Temporary->getTypeSourceInfo();
  else if (Declared)
    TSI = Declared->getTypeSourceInfo();
  if (!TSI)
    return std::nullopt;
  QualType T = TSI->getType();
  if (T.hasLocalQualifiers() || T->getAs<TypedefType>() || T->getAs<UsingType>())
    return std::nullopt;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || RD != Construct.getConstructor()->getParent() ||
      !isInNamespace(RD, "torch::nn") || RD->getName().ends_with("Impl"))
    return std::nullopt;
  return TSI->getTypeLoc().getSourceRange();
}

} // namespace

OptimConvBiasBeforeBatchnormCheck::OptimConvBiasBeforeBatchnormCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimConvBiasBeforeBatchnormCheck::registerMatchers(MatchFinder *Finder) {
  const auto SequentialClass = cxxRecordDecl(isSequentialClass());

  // torch::nn::Sequential net(torch::nn::Conv2d(...), torch::nn::BatchNorm2d(...));
  // torch::nn::Sequential layer{...} as a member's initializer.
  // FIXME: named modules, `Sequential({{"conv", ...}, {"bn", ...}})`, are
  // not read.
  Finder->addMatcher(
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(SequentialClass))),
                       argumentCountAtLeast(2), unless(isExpansionInSystemHeader()))
          .bind(SequentialId),
      this);

  // net->push_back(torch::nn::Conv2d(...)); net->push_back(torch::nn::BatchNorm2d(...));
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("push_back"),
                                             ofClass(SequentialClass))),
                        unless(isExpansionInSystemHeader()))
          .bind(PushBackId),
      this);

  // x = bn1(conv1(x)); x = bn1->forward(conv1->forward(x));
  // x = conv1->forward(x); x = bn1->forward(x);
  // FIXME: a convolution and a normalization with another layer between
  // them, or calls split across helper functions, are not seen.
  Finder->addMatcher(callExpr(callsBatchNorm(), unless(isExpansionInSystemHeader()))
                         .bind(NormCallId),
                     this);
}

void OptimConvBiasBeforeBatchnormCheck::check(
    const MatchFinder::MatchResult &Result) {
  if (const auto *Sequential =
          Result.Nodes.getNodeAs<CXXConstructExpr>(SequentialId)) {
    for (unsigned I = 0; I + 1 < Sequential->getNumArgs(); ++I)
      if (layerKindOfExpr(ignoreUnwritten(Sequential->getArg(I + 1))) ==
          LayerKind::BatchNorm)
        if (auto Conv = convolutionBuiltBy(Sequential->getArg(I)))
          report(*Conv, nullptr, *Sequential->getArg(I + 1), *Result.Context);
    return;
  }
  if (const auto *Push = Result.Nodes.getNodeAs<CXXMemberCallExpr>(PushBackId)) {
    checkPushBack(*Push, *Result.Context);
    return;
  }
  const auto *NormCall = Result.Nodes.getNodeAs<CallExpr>(NormCallId);
  assert(NormCall && "the matchers bind one of three nodes");
  checkForward(*NormCall, *Result.Context);
}

void OptimConvBiasBeforeBatchnormCheck::checkPushBack(
    const CXXMemberCallExpr &Push, ASTContext &Ctx) {
  if (Push.getNumArgs() == 0)
    return;
  auto Conv = convolutionBuiltBy(Push.getArg(Push.getNumArgs() - 1));
  if (!Conv)
    return;
  // The next statement of the block pushes a batch normalization onto the
  // same Sequential.
  auto [Block, It] = statementOf(Push, HotPathModel::get(Ctx));
  if (!Block || std::next(It) == Block->body_end())
    return;
  const auto *Next = dyn_cast<Expr>(*std::next(It));
  const auto *NextPush =
      Next ? dyn_cast<CXXMemberCallExpr>(Next->IgnoreImplicit()) : nullptr;
  if (!NextPush || NextPush->getNumArgs() == 0 || !NextPush->getMethodDecl() ||
      !NextPush->getMethodDecl()->getDeclName().isIdentifier() ||
      NextPush->getMethodDecl()->getName() != "push_back" ||
      NextPush->getMethodDecl()->getParent() != Push.getMethodDecl()->getParent())
    return;
  const Expr *Norm = ignoreUnwritten(NextPush->getArg(NextPush->getNumArgs() - 1));
  if (layerKindOfExpr(Norm) != LayerKind::BatchNorm)
    return;
  // Both onto the same Sequential, named alike.
  auto Text = [&](const Expr *E) {
    return Lexer::getSourceText(
        CharSourceRange::getTokenRange(E->getSourceRange()),
        Ctx.getSourceManager(), Ctx.getLangOpts());
  };
  if (Text(Push.getImplicitObjectArgument()) !=
      Text(NextPush->getImplicitObjectArgument()))
    return;
  report(*Conv, nullptr, *Norm, Ctx);
}

void OptimConvBiasBeforeBatchnormCheck::checkForward(const CallExpr &NormCall,
                                                     ASTContext &Ctx) {
  if (NormCall.getNumArgs() == 0)
    return;
  unsigned InputArg = isa<CXXOperatorCallExpr>(NormCall) ? 1 : 0;
  if (NormCall.getNumArgs() <= InputArg)
    return;
  const Expr *Input = ignoreUnwritten(NormCall.getArg(InputArg));
  const CallExpr *ConvCall = dyn_cast<CallExpr>(Input);
  const HotPathModel &Model = HotPathModel::get(Ctx);
  // `x = conv1->forward(x); x = bn1->forward(x);`: the input is what the
  // statement before assigned.
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Input)) {
    auto [Block, It] = statementOf(NormCall, Model);
    if (!Block || It == Block->body_begin())
      return;
    const Stmt *Previous = *std::prev(It);
    const Expr *Assigned = assignedTo(Previous, *Ref->getDecl());
    if (const auto *Decl = dyn_cast<DeclStmt>(Previous))
      if (Decl->isSingleDecl())
        if (const auto *Var = dyn_cast<VarDecl>(Decl->getSingleDecl()))
          if (Var == Ref->getDecl())
            Assigned = Var->getInit();
    ConvCall = Assigned ? dyn_cast<CallExpr>(ignoreUnwritten(Assigned)) : nullptr;
  }
  if (!ConvCall ||
      layerKindOf(calledModuleClass(*ConvCall)) != LayerKind::Convolution)
    return;
  const ValueDecl *Conv = moduleObjectOf(*ConvCall);
  if (!Conv)
    return;
  auto Construction = constructionOf(*Conv);
  // Built where the check cannot see its options (a factory function,
  // `conv3x3(...)`, whose body may turn the bias off).
  if (!Construction)
    return;
  report(Construction->first, Construction->second, NormCall, Ctx);
}

void OptimConvBiasBeforeBatchnormCheck::report(const BuiltConvolution &Built,
                                               const DeclaratorDecl *Declared,
                                               const Expr &Norm,
                                               ASTContext &Ctx) {
  const CXXConstructExpr &Conv = *Built.Construct;
  // One finding per convolution: a forward may apply the pair twice.
  if (!Reported.insert(&Conv).second)
    return;
  Bias B = biasOf(Conv);
  if (B.State == BiasState::Off || B.State == BiasState::Unknown)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  auto Text = [&](SourceRange R) {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM, LO).str();
  };
  // A rewrite of one spelling cannot suit every instantiation, nor a macro.
  bool CanFix = !involvesMacro(*Built.Written) &&
                !isInTemplate(*Built.Written, Ctx) &&
                !Built.Written->getBeginLoc().isMacroID();
  std::optional<FixItHint> Fix;
  std::string Suggestion;
  switch (B.State) {
  case BiasState::ExplicitTrue:
    if (CanFix)
      Fix = FixItHint::CreateReplacement(B.TrueLiteral->getSourceRange(), "false");
    break;
  case BiasState::DefaultFromOptions:
    if (CanFix)
      Fix = FixItHint::CreateInsertion(
          Lexer::getLocForEndOfToken(B.Options->getEndLoc(), 0, SM, LO),
          ".bias(false)");
    break;
  case BiasState::DefaultFromArguments: {
    unsigned Args = writtenArguments(Conv);
    SourceRange ArgRange(Conv.getArg(0)->getBeginLoc(),
                         Conv.getArg(Args - 1)->getEndLoc());
    std::string ArgText = Text(ArgRange);
    std::optional<SourceRange> Type = writtenHolderType(Conv, Declared);
    // An Impl built directly takes the options of its holder's name.
    std::string Qualified =
        Conv.getConstructor()->getParent()->getQualifiedNameAsString();
    llvm::StringRef Holder(Qualified);
    Holder.consume_back("Impl");
    std::string OptionsName = (Type ? Text(*Type) : Holder.str()) + "Options";
    Suggestion = OptionsName + "(" + ArgText + ").bias(false)";
    if (CanFix && Type && !ArgText.empty())
      Fix = FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(ArgRange), Suggestion);
    break;
  }
  case BiasState::Off:
  case BiasState::Unknown:
    break;
  }
  {
    auto D = diag(Built.Written->getBeginLoc(),
                  "the bias of this convolution is wasted work: the batch "
                  "normalization right after it subtracts the per-channel "
                  "mean, bias included; build the convolution with "
                  "'.bias(false)'");
    if (Fix)
      D << *Fix;
  }
  diag(Norm.getBeginLoc(), "batch normalization follows here",
       DiagnosticIDs::Note);
  if (!Fix && !Suggestion.empty())
    diag(Built.Written->getBeginLoc(), "build it from options: '%0'",
         DiagnosticIDs::Note)
        << Suggestion;
}

} // namespace trainlint::torch
