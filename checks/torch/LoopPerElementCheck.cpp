//===--- LoopPerElementCheck.cpp - torch-loop-per-element ---===//

#include "LoopPerElementCheck.h"
#include "model/LoopFacts.h"
#include "model/Mutation.h"
#include "model/TensorDevice.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral AccessId = "access";
constexpr llvm::StringLiteral ItemId = "item";
constexpr llvm::StringLiteral FactoryId = "factory";
constexpr llvm::StringLiteral MinTripCountOption = "MinTripCount";
constexpr unsigned DefaultMinTripCount = 8;

/// What the code does with the element, which decides the rewrite.
enum class ElementUse { Other, Accumulate, Compare, Count, Write };

const char *cureFor(ElementUse Use) {
  switch (Use) {
  case ElementUse::Accumulate:
    return "reduce the whole tensor in one operation ('sum()', 'max()')";
  case ElementUse::Compare:
    return "compare the whole tensors in one operation ('eq()', 'gt()') and "
           "reduce the mask";
  case ElementUse::Count:
    return "count in one operation with 'bincount()' or 'index_add_()'";
  case ElementUse::Write:
    return "write all the elements in one operation, through a mask "
           "('masked_fill()') or an index tensor ('index_put_()')";
  case ElementUse::Other:
    break;
  }
  return "operate on the whole tensor at once: a reduction, a comparison, "
         "'index_select()' or a mask";
}

bool isMethodNamed(const CXXMemberCallExpr &Call,
                   std::initializer_list<llvm::StringRef> Names) {
  const CXXMethodDecl *MD = Call.getMethodDecl();
  return MD && MD->getDeclName().isIdentifier() &&
         llvm::is_contained(Names, MD->getName());
}

/// How the code uses the element that \p Access reads or writes, found by
/// walking up from it: whether it reads it with `item()`, and whether a
/// module call takes it (torch-loop-per-sample-forward's case).
struct UseOfElement {
  ElementUse Use = ElementUse::Other;
  bool ReadsItem = false;
  bool PassedToModule = false;
};

UseOfElement useOf(const HotPathModel &Model, const Expr &Access) {
  UseOfElement Out;
  const Stmt *Prev = &Access;
  auto Is = [&](const Expr *Child) { return ignoreUnwritten(Child) == Prev; };
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    const Stmt *P = Model.writtenParentOf(*Prev);
    const auto *PE = dyn_cast_or_null<Expr>(P);
    if (!PE)
      return Out;
    if (const auto *Member = dyn_cast<MemberExpr>(PE)) {
      // `.item<float>()`, `.sum()`: the call is the member's parent.
      const auto *Call =
          dyn_cast_or_null<CXXMemberCallExpr>(Model.writtenParentOf(*Member));
      if (!Call || Call->getCallee()->IgnoreParens() != Member)
        return Out;
      if (isMethodNamed(*Call, {"item", "data_ptr"}))
        Out.ReadsItem = true;
      if (writesTensorInPlace(*Call)) {
        Out.Use = ElementUse::Write;
        return Out;
      }
      Prev = Call;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(PE)) {
      if (isModuleCall(*Call)) {
        Out.PassedToModule = true;
        return Out;
      }
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
        OverloadedOperatorKind K = Op->getOperator();
        if (K == OO_Subscript) {
          if (Op->getNumArgs() == 2 && Is(Op->getArg(1)))
            Out.Use = ElementUse::Count;
          return Out;
        }
        if (Op->isAssignmentOp()) {
          Out.Use = Is(Op->getArg(0)) ? ElementUse::Write
                    : K == OO_Equal   ? ElementUse::Other
                                      : ElementUse::Accumulate;
          return Out;
        }
        if (Op->isComparisonOp()) {
          Out.Use = ElementUse::Compare;
          return Out;
        }
        if (K == OO_Plus || K == OO_Minus || K == OO_Star || K == OO_Slash) {
          Prev = Op;
          continue;
        }
      }
      return Out;
    }
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(PE)) {
      if (Is(Subscript->getIdx()))
        Out.Use = ElementUse::Count;
      return Out;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(PE)) {
      if (BO->isCompoundAssignmentOp()) {
        Out.Use =
            Is(BO->getLHS()) ? ElementUse::Write : ElementUse::Accumulate;
        return Out;
      }
      if (BO->isAssignmentOp()) {
        // `s = s + t[i].item<float>()` accumulates.
        if (Is(BO->getLHS()))
          Out.Use = ElementUse::Write;
        return Out;
      }
      if (BO->isComparisonOp()) {
        Out.Use = ElementUse::Compare;
        return Out;
      }
      if (BO->isAdditiveOp() || BO->isMultiplicativeOp()) {
        // `s = s + x`: an addition whose other side is what it is assigned
        // to accumulates; walk on to see.
        Prev = BO;
        continue;
      }
      return Out;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(PE)) {
      if (UO->isIncrementDecrementOp())
        Out.Use = ElementUse::Write;
      return Out;
    }
    if (isa<CXXFunctionalCastExpr, CStyleCastExpr, CXXStaticCastExpr>(PE)) {
      Prev = PE;
      continue;
    }
    return Out;
  }
  return Out;
}

std::string sourceText(const Expr &E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E.getSourceRange()), SM,
      Ctx.getLangOpts());
  if (Range.isInvalid())
    return "the tensor";
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, Ctx.getLangOpts());
  if (Text.empty() || Text.size() > 40 || Text.contains('\n'))
    return "the tensor";
  return "'" + Text.str() + "'";
}

/// The number of elements of the size argument \p E as written (`1`,
/// `{1}`, `{1, 1}`), when it is a constant.
std::optional<int64_t> elementsOfShape(const Expr *E, const ASTContext &Ctx) {
  E = ignoreUnwritten(E);
  while (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(E)) {
    if (Construct->getNumArgs() < 1)
      return std::nullopt;
    E = ignoreUnwritten(Construct->getArg(0));
  }
  if (const auto *List = dyn_cast_or_null<CXXStdInitializerListExpr>(E))
    E = ignoreUnwritten(List->getSubExpr());
  if (!E || E->isValueDependent())
    return std::nullopt;
  if (const auto *Init = dyn_cast<InitListExpr>(E)) {
    int64_t Product = 1;
    for (const Expr *Dim : Init->inits()) {
      Expr::EvalResult R;
      if (Dim->isValueDependent() || !Dim->EvaluateAsInt(R, Ctx))
        return std::nullopt;
      Product *= R.Val.getInt().getExtValue();
    }
    return Product;
  }
  Expr::EvalResult R;
  if (E->getType()->isIntegralOrEnumerationType() && E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

/// The size argument of the random factory \p Call: its first parameter of
/// an ArrayRef type (`IntArrayRef`, `SymIntArrayRef`).
const Expr *sizeArgument(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD)
    return nullptr;
  for (unsigned I = 0; I < FD->getNumParams() && I < Call.getNumArgs(); ++I) {
    const CXXRecordDecl *RD = recordOf(FD->getParamDecl(I)->getType());
    if (RD && RD->getDeclName().isIdentifier() &&
        RD->getName().ends_with("ArrayRef"))
      return Call.getArg(I);
  }
  return nullptr;
}

bool isDatasetGet(const FunctionDecl *FD) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  return MD && MD->getDeclName().isIdentifier() && MD->getName() == "get" &&
         isSameOrDerivedFrom(MD->getParent(), "torch::data::datasets::Dataset");
}

/// Whether the index \p E moves with \p Counter: the counter itself, an
/// affine expression of it (`i + 1`, `2 * i`, `n - 1 - i`), a cast of one,
/// or an element of an array or vector at one (`order[i]`). Not a choice
/// made from it (`i != 0 ? 1 : 0`) nor a call, which may take few values.
bool followsCounter(const Expr *E, const VarDecl &Counter) {
  E = ignoreUnwritten(E);
  if (!E)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->getCanonicalDecl() == Counter.getCanonicalDecl();
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    return followsCounter(Cast->getSubExpr(), Counter);
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return (UO->getOpcode() == UO_Minus || UO->getOpcode() == UO_Plus) &&
           followsCounter(UO->getSubExpr(), Counter);
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return (BO->isAdditiveOp() || BO->isMultiplicativeOp()) &&
           (followsCounter(BO->getLHS(), Counter) ||
            followsCounter(BO->getRHS(), Counter));
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
    return followsCounter(Subscript->getIdx(), Counter);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
           !isTensorType(Op->getArg(0)->getType()) &&
           followsCounter(Op->getArg(1), Counter);
  return false;
}

std::string counterList(llvm::ArrayRef<const VarDecl *> Counters) {
  std::string Out;
  for (size_t I = 0; I < Counters.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Counters.size() ? " and " : ", ";
    Out += "'" + Counters[I]->getNameAsString() + "'";
  }
  return Out;
}

} // namespace

LoopPerElementCheck::LoopPerElementCheck(llvm::StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context),
      MinTripCount(Options.get(MinTripCountOption, DefaultMinTripCount)) {}

void LoopPerElementCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, MinTripCountOption, MinTripCount);
}

void LoopPerElementCheck::registerMatchers(MatchFinder *Finder) {
  // t[i], t[i][j], t[i] = v, t[i].item<float>(), t[i].data_ptr<float>():
  // Tensor::operator[] with an integer index, not a tensor one.
  const auto ElementSubscript = cxxOperatorCallExpr(
      hasOverloadedOperatorName("[]"),
      callee(cxxMethodDecl(
          ofClass(tensorClass()),
          unless(hasParameter(0, hasType(references(tensorClass())))))));
  // FIXME: an element read through a user's helper that indexes for it
  // (`at(t, i)`) is not seen.
  Finder->addMatcher(ElementSubscript.bind(AccessId), this);

  // t.select(0, i), t.index({i, Slice()}), t.index_put_({i, j}, v),
  // t.narrow(0, i, 1)
  // FIXME: at::select(t, 0, i) and the other free-function spellings.
  const auto ElementMethod = cxxMethodDecl(
      hasAnyName("select", "index", "index_put_", "narrow"),
      ofClass(tensorClass()));
  Finder->addMatcher(cxxMemberCallExpr(callee(ElementMethod)).bind(AccessId),
                     this);

  // torch::rand(1).item<double>(), torch::rand(1)[0].item<double>(),
  // torch::randint(n, {1}).item<int64_t>(), torch::rand({1}).item().toFloat()
  // FIXME: a one-element tensor drawn into a variable first and read with
  // item() later is not seen.
  const auto RandomFactoryCall =
      callExpr(callee(functionDecl(hasAnyName(
                   "::at::rand", "::at::randn", "::at::randint",
                   "::torch::rand", "::torch::randn", "::torch::randint"))))
          .bind(FactoryId);
  const auto FirstElement = cxxOperatorCallExpr(
      hasOverloadedOperatorName("[]"),
      hasArgument(0, ignoringImplicit(RandomFactoryCall)));
  Finder->addMatcher(
      cxxMemberCallExpr(
          callee(cxxMethodDecl(hasName("item"), ofClass(tensorClass()))),
          on(ignoringImplicit(anyOf(RandomFactoryCall, FirstElement))))
          .bind(ItemId),
      this);
}

void LoopPerElementCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *Item = Result.Nodes.getNodeAs<CXXMemberCallExpr>(ItemId)) {
    const auto *Factory = Result.Nodes.getNodeAs<CallExpr>(FactoryId);
    assert(Factory && "the draw matcher binds the factory");
    checkDraw(*Item, *Factory, *Result.Context);
    return;
  }
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(AccessId);
  assert(Call && "every other matcher binds the access");
  checkAccess(*Call, *Result.Context);
}

void LoopPerElementCheck::checkAccess(const CallExpr &Call, ASTContext &Ctx) {
  std::optional<ElementAccess> Access = asElementAccess(Call, Ctx);
  // A slice or a tensor index (`t.index({Slice(), mask})`) reads many
  // elements in one operation.
  if (!Access)
    return;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  // `t[i][j]` is reported once, by its outer access, which holds both
  // indexes.
  if (const auto *Outer = dyn_cast_or_null<Expr>(Model.writtenParentOf(Call)))
    if (const auto *OuterCall =
            dyn_cast_or_null<CallExpr>(Model.writtenParentOf(*Outer)))
      if (std::optional<ElementAccess> O = asElementAccess(*OuterCall, Ctx))
        if (ignoreUnwritten(O->Tensor) == &Call)
          return;
  if (const auto *OuterCall =
          dyn_cast_or_null<CallExpr>(Model.writtenParentOf(Call)))
    if (std::optional<ElementAccess> O = asElementAccess(*OuterCall, Ctx))
      if (ignoreUnwritten(O->Tensor) == &Call)
        return;

  llvm::SmallVector<const Expr *, 4> Indices(Access->Indices.begin(),
                                             Access->Indices.end());
  const Expr *Root = ignoreUnwritten(Access->Tensor);
  while (std::optional<ElementAccess> Inner = asElementAccess(*Root, Ctx)) {
    Indices.append(Inner->Indices.begin(), Inner->Indices.end());
    Root = ignoreUnwritten(Inner->Tensor);
  }

  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(Call);
  // Not in a loop: one access.
  if (Loops.empty())
    return;
  // The loops whose counters index the tensor, innermost first.
  llvm::SmallVector<const Stmt *, 4> Indexing;
  llvm::SmallVector<const VarDecl *, 4> Counters;
  uint64_t Trips = 1;
  bool CountKnown = true;
  for (const Stmt *Loop : Loops) {
    std::optional<LoopCounter> Counter = loopCounterOf(*Loop, Ctx);
    if (!Counter || !llvm::any_of(Indices, [&](const Expr *Index) {
          return followsCounter(Index, *Counter->Var);
        }))
      continue;
    Indexing.push_back(Loop);
    Counters.insert(Counters.begin(), Counter->Var);
    if (Counter->TripCount)
      Trips = std::min<uint64_t>(Trips * std::max<uint64_t>(*Counter->TripCount, 1),
                                 uint64_t(1) << 32);
    else
      CountKnown = false;
  }
  // The index is no loop's counter: one access per iteration, of a
  // position the loop computes (a label, an argmax).
  // FIXME: a counter of a while loop, or one the loop steps by hand, is not
  // seen.
  if (Indexing.empty())
    return;
  // A few boxes' four coordinates, a three-channel mean: the loop is short
  // and each access is cheaper than what it would take to vectorize it.
  if (CountKnown && Trips < MinTripCount)
    return;

  UseOfElement Use = useOf(Model, Call);
  // A module called on each sample is torch-loop-per-sample-forward's
  // finding, with the cure that fits it.
  if (Use.PassedToModule)
    return;
  if (Access->Writes)
    Use.Use = ElementUse::Write;

  // Once per loop nest and tensor: the first access speaks for the others.
  const auto *RootRef = dyn_cast<DeclRefExpr>(Root);
  const auto *RootMember = dyn_cast<MemberExpr>(Root);
  SourceLocation RootKey =
      RootRef      ? RootRef->getDecl()->getLocation()
      : RootMember ? RootMember->getMemberDecl()->getLocation()
                   : Root->getBeginLoc();
  SourceLocation LoopKey = Indexing.back()->getBeginLoc();
  if (!Reported.insert({LoopKey.getRawEncoding(), RootKey.getRawEncoding()})
           .second)
    return;

  std::optional<HotContext> Hot = Model.classify(Call, Deferral::Forbid);
  // The hot loop is named when it is not the indexing loop itself, and the
  // element is not read only every N steps.
  bool NameHot = Hot && !Hot->isGated() && !Hot->Deferred &&
                 !llvm::is_contained(Indexing, Hot->Loop);

  std::string Message = "indexing " + sourceText(*Root, Ctx) +
                        " with the loop counter" +
                        (Counters.size() > 1 ? "s " : " ") +
                        counterList(Counters) +
                        " runs a tensor operation" +
                        (Use.ReadsItem ? " and an 'item()'" : "") +
                        " per element";
  if (NameHot)
    Message += ", on every iteration of the " + loopKindName(Hot->Kind).str();
  Message += std::string("; ") + cureFor(Use.Use);
  // In a macro's body, on the line that expands it.
  diag(Ctx.getSourceManager().getFileLoc(Root->getBeginLoc()), "%0") << Message;
  for (const Stmt *Loop : llvm::reverse(Indexing)) {
    std::optional<LoopCounter> Counter = loopCounterOf(*Loop, Ctx);
    diag(Loop->getBeginLoc(), "the loop over '%0' starts here",
         DiagnosticIDs::Note)
        << Counter->Var->getName();
  }
  if (isProvablyOnDevice(Root, Ctx))
    diag(Root->getBeginLoc(),
         "%0 is on the device, so each %select{access launches work on the "
         "device|'item()' also synchronizes the host with the device}1",
         DiagnosticIDs::Note)
        << sourceText(*Root, Ctx) << Use.ReadsItem;
  if (NameHot)
    noteHotContext(*Hot);
}

void LoopPerElementCheck::checkDraw(const CXXMemberCallExpr &Item,
                                    const CallExpr &Factory, ASTContext &Ctx) {
  // Only the random factories draw a new number on each call.
  if (!isRandomTensorFactory(Factory.getDirectCallee()))
    return;
  // `torch::rand({4}).item()` would throw: a tensor of several elements is
  // another mistake; an unknown size may be large.
  if (elementsOfShape(sizeArgument(Factory), Ctx) != 1)
    return;
  const HotPathModel &Model = HotPathModel::get(Ctx);
  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(Item);
  std::optional<HotContext> Hot = Model.classify(Item, Deferral::Forbid);
  bool NameHot = Hot && !Hot->isGated() && !Hot->Deferred;
  bool InGet = isDatasetGet(Model.enclosingFunction(Item));
  if (!Loops.empty()) {
    std::optional<LoopCounter> Counter = loopCounterOf(*Loops.front(), Ctx);
    // A few draws in a short loop cost little.
    if (Counter && Counter->TripCount && *Counter->TripCount < MinTripCount &&
        Loops.size() == 1 && !NameHot && !InGet)
      return;
  } else if (!NameHot && !InGet) {
    // One draw, not per sample nor per step.
    return;
  }
  if (!Reported.insert({Item.getExprLoc().getRawEncoding(), 0}).second)
    return;
  const char *Where = NameHot   ? "on every iteration of the "
                      : InGet   ? "for every sample the dataset returns"
                                : "on every iteration of the loop";
  std::string WhereText = Where;
  if (NameHot)
    WhereText += loopKindName(Hot->Kind).str();
  diag(Ctx.getSourceManager().getFileLoc(Item.getExprLoc()),
       "'item()' of a one-element random tensor draws one number through "
       "tensor operations %0; draw host numbers with <random>, or all of them "
       "in one batched call")
      << WhereText;
  if (isProvablyOnDevice(&Factory, Ctx))
    diag(Factory.getBeginLoc(),
         "the tensor is created on the device, so each 'item()' also "
         "synchronizes the host with the device",
         DiagnosticIDs::Note);
  if (NameHot)
    noteHotContext(*Hot);
}

} // namespace trainlint::torch
