//===--- SyncCreateThenMoveCheck.cpp - torch-sync-create-then-move ---===//

#include "SyncCreateThenMoveCheck.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MoveId = "move";
constexpr llvm::StringLiteral MemberId = "member";
constexpr llvm::StringLiteral FactoryId = "factory";

AST_MATCHER(FunctionDecl, isCreatingFactory) {
  return isTensorFactory(&Node) || isDeviceInheritingFactory(&Node);
}

/// Whether \p E can move into the factory's argument list without changing
/// what it computes: names, constants, member reads, `x.device()` and
/// devices built from those. Nothing that a reordering could affect.
bool isPlainDeviceExpr(const Expr *E, unsigned Depth = 0) {
  if (!E || Depth > 6)
    return false;
  E = E->IgnoreParenImpCasts();
  if (isa<DeclRefExpr, IntegerLiteral, StringLiteral, CXXBoolLiteralExpr>(E))
    return true;
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl, VarDecl, EnumConstantDecl>(Member->getMemberDecl()) &&
           (isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()) ||
            isPlainDeviceExpr(Member->getBase(), Depth + 1));
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    return isPlainDeviceExpr(Cast->getSubExpr(), Depth + 1);
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    return llvm::all_of(Construct->arguments(), [&](const Expr *Arg) {
      return isa<CXXDefaultArgExpr>(Arg) || isPlainDeviceExpr(Arg, Depth + 1);
    });
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = Call->getMethodDecl();
    return MD && MD->isConst() && MD->getDeclName().isIdentifier() &&
           MD->getName() == "device" && Call->getNumArgs() == 0 &&
           isPlainDeviceExpr(Call->getImplicitObjectArgument(), Depth + 1);
  }
  return false;
}

bool isDeviceOrDeviceType(QualType T) {
  T = T.getNonReferenceType().getUnqualifiedType();
  if (const EnumDecl *ED = T->getAsEnumDecl())
    return ED->getQualifiedNameAsString() == "c10::DeviceType";
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->getQualifiedNameAsString() == "c10::Device";
}

} // namespace

SyncCreateThenMoveCheck::SyncCreateThenMoveCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void SyncCreateThenMoveCheck::registerMatchers(MatchFinder *Finder) {
  // torch::zeros({n, m}).to(device), at::ones({n}, at::kFloat).cuda(),
  // torch::randn({n}).to(torch::kCUDA), and, when `host` is provably on the
  // host, torch::zeros_like(host).to(device) and host.new_zeros({n}).cuda()
  // FIXME: a factory result stored in a variable and moved later
  // (auto t = torch::zeros(...); t = t.to(device);) is not seen.
  const auto Factory =
      callExpr(callee(functionDecl(isCreatingFactory()))).bind(FactoryId);
  const auto MoveMethod = cxxMethodDecl(hasAnyName(deviceMoveMethodNames()),
                                        ofClass(tensorClass()));
  Finder->addMatcher(cxxMemberCallExpr(callee(MoveMethod),
                                       callee(memberExpr().bind(MemberId)),
                                       on(ignoringImplicit(Factory)))
                         .bind(MoveId),
                     this);
}

void SyncCreateThenMoveCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CXXMemberCallExpr>(MoveId);
  const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId);
  const auto *FactoryCall = Result.Nodes.getNodeAs<CallExpr>(FactoryId);
  assert(Call && Member && FactoryCall && "the matcher binds all three");
  const FunctionDecl *Factory = FactoryCall->getDirectCallee();
  assert(Factory && "the matcher requires a direct callee");
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;

  const HotPathModel &Model = HotPathModel::get(Ctx);
  // With no accelerator anywhere in the program, `to(device)` stays on the
  // CPU and copies nothing.
  if (!Model.mayUseAccelerator())
    return;

  // torch::zeros({n}, options).to(device) with options that name a device,
  // or that we cannot see, torch::zeros_like(x).to(device) with x not
  // provably on the host: the tensor may not start on the host.
  if (!isProvablyOnHost(FactoryCall, Ctx))
    return;

  std::optional<DeviceMove> Move = asDeviceMove(*Call, Ctx);
  // to(dtype) converts on the host: no device is involved.
  if (!Move)
    return;
  // to(kCPU) of a host tensor copies nothing; meta holds no data; options
  // we cannot see may only set a dtype.
  if (Move->Target != DeviceTarget::Accelerator &&
      Move->Target != DeviceTarget::Unknown)
    return;

  // The finding stands either way; the hot path only words it, so it is
  // decided in this unit rather than deferred to the project run.
  std::optional<HotContext> Hot = Model.classify(*Call, Deferral::Forbid);
  // Gated code runs rarely: report it as code outside the loop.
  const bool IsHot = Hot && !Hot->isGated();

  // at:: factories get at:: spellings: the torch:: names may not be visible.
  // So do the tensor's own methods (x.new_zeros(...)), of class at::Tensor.
  const bool IsMethod = isa<CXXMethodDecl>(Factory);
  const bool IsAt = IsMethod || isInNamespace(Factory, "at");
  const std::string Namespace = IsAt ? "at" : "torch";
  const LangOptions &LangOpts = getLangOpts();
  auto Text = [&](const Expr *E) {
    return Lexer::getSourceText(
               CharSourceRange::getTokenRange(E->getSourceRange()), SM,
               LangOpts)
        .str();
  };
  const bool IsCuda = Member->getMemberDecl()->getName() == "cuda";
  // "torch::zeros" or "at::zeros", as the call resolved; "new_zeros()" for
  // a method.
  const std::string FactoryName =
      IsMethod ? Factory->getNameAsString() + "()"
               : Namespace + "::" + Factory->getNameAsString();
  // The device as written; options, another tensor or an unreadable macro
  // get a placeholder in the note.
  std::string DeviceText = "...";
  if (IsCuda)
    DeviceText = Namespace + "::kCUDA";
  else if (Move->DeviceArg &&
           isDeviceOrDeviceType(ignoreUnwritten(Move->DeviceArg)->getType()))
    DeviceText = Text(Move->DeviceArg);
  if (DeviceText.empty())
    DeviceText = "...";

  // The rewrite that creates the tensor on the device, planned into Fixes;
  // each early exit says why there is none, for the note.
  llvm::SmallVector<FixItHint, 3> Fixes;
  auto PlanRewrite = [&]() -> std::string {
    if (involvesMacro(*Call))
      return "the code involves a macro";
    if (isInTemplate(*Call, Ctx))
      return "the code is in a template, where one rewrite must suit "
             "every instantiation";
    // On the device, rand/randn/randint draw from the device's generator:
    // other numbers than the host's, which breaks a seeded run.
    if (isRandomTensorFactory(Factory))
      return "the factory draws random numbers, and on the device it "
             "draws a different random stream";
    // torch::zeros_like(host): the factory merges its options into those of
    // another tensor; the rewrite is not proven the same program.
    if (deviceSourceOf(*FactoryCall))
      return "the factory takes the rest of its options from another tensor";
    // to(device, dtype), to(device, non_blocking, copy): dropping the call
    // would drop what the other arguments do.
    if (writtenArgCount(*Call) > (IsCuda ? 0u : 1u))
      return "'" + Member->getMemberDecl()->getNameAsString() +
             "()' has more arguments than the device";
    // to(other) takes the other tensor's dtype as well.
    if (Move->TargetTensor)
      return "'to()' takes the device and the dtype of another tensor";
    assert((IsCuda || Move->DeviceArg) &&
           "a move to the device other than cuda() names the device");
    // A device string converts through a constructor that may throw on a
    // bad name at another moment; keep the rewrite to typed devices.
    if (!IsCuda &&
        !isDeviceOrDeviceType(ignoreUnwritten(Move->DeviceArg)->getType()))
      return "the device is not a 'torch::Device' or 'torch::DeviceType'";
    if (!IsCuda && !isPlainDeviceExpr(Move->DeviceArg))
      return "the device expression would be evaluated at another moment";
    // Remove `.to(device)` from right after the factory call: only a `.`
    // may stand between the two.
    SourceLocation FactoryEnd =
        Lexer::getLocForEndOfToken(FactoryCall->getEndLoc(), 0, SM, LangOpts);
    SourceLocation CallEnd =
        Lexer::getLocForEndOfToken(Call->getEndLoc(), 0, SM, LangOpts);
    if (FactoryEnd.isInvalid() || CallEnd.isInvalid() ||
        Lexer::getSourceText(
            CharSourceRange::getCharRange(FactoryEnd, Member->getMemberLoc()),
            SM, LangOpts)
                .trim() != ".")
      return "other code stands between the factory and the move";
    std::optional<unsigned> OptionsParam = tensorOptionsParam(*Factory);
    unsigned Written = writtenArgCount(*FactoryCall);
    if (!OptionsParam || *OptionsParam == 0)
      return "this overload of the factory takes no 'TensorOptions'";
    const std::string Options = Namespace + "::TensorOptions";
    if (Written == *OptionsParam) {
      // torch::zeros({n}) with its options defaulted: add them.
      SourceLocation AfterLast = Lexer::getLocForEndOfToken(
          FactoryCall->getArg(Written - 1)->getEndLoc(), 0, SM, LangOpts);
      if (AfterLast.isInvalid())
        return "the factory's arguments cannot be edited";
      Fixes.push_back(FixItHint::CreateInsertion(
          AfterLast, ", " + Options + "().device(" + DeviceText + ")"));
    } else if (Written == *OptionsParam + 1 &&
               isScalarTypeEnum(
                   ignoreUnwritten(FactoryCall->getArg(*OptionsParam))
                       ->getType())) {
      // torch::zeros({n}, torch::kFloat): the options are a bare dtype.
      const Expr *Dtype = FactoryCall->getArg(*OptionsParam);
      Fixes.push_back(FixItHint::CreateReplacement(
          CharSourceRange::getTokenRange(Dtype->getSourceRange()),
          Options + "(" + Text(Dtype) + ").device(" + DeviceText + ")"));
    } else {
      // requires_grad would make the result a leaf that collects gradients
      // where the moved copy did not; other options are not worth the risk.
      return "the factory's options set more than the dtype";
    }
    Fixes.push_back(FixItHint::CreateRemoval(
        CharSourceRange::getCharRange(FactoryEnd, CallEnd)));
    return "";
  };
  const std::string WhyNot = PlanRewrite();

  {
    auto Diag =
        diag(Member->getMemberLoc(),
             "'%0' creates the tensor on the host and '%1()' then copies "
             "it to the device%select{|, on every iteration of the "
             "%3}2; create it on the device with "
             "'TensorOptions().device(...)'")
        << FactoryName << Member->getMemberDecl()->getName() << IsHot
        << (IsHot ? loopKindName(Hot->Kind) : llvm::StringRef());
    if (WhyNot.empty())
      for (const FixItHint &Fix : Fixes)
        Diag << Fix;
  }
  if (!WhyNot.empty())
    diag(FactoryCall->getBeginLoc(),
         "pass '%0().device(%1)' to '%2' instead; not fixed automatically "
         "because %3",
         DiagnosticIDs::Note)
        << (Namespace + "::TensorOptions") << DeviceText << FactoryName
        << WhyNot;
  if (IsHot)
    noteHotContext(*Hot);
  noteProjectCondition(Model);
}

} // namespace trainlint::torch
