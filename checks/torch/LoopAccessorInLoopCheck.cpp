//===--- LoopAccessorInLoopCheck.cpp - torch-loop-accessor-in-loop ---===//

#include "LoopAccessorInLoopCheck.h"
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
constexpr llvm::StringLiteral CallId = "call";
constexpr llvm::StringLiteral MemberId = "member";

const Stmt *loopBody(const Stmt &Loop) {
  if (const auto *For = dyn_cast<ForStmt>(&Loop))
    return For->getBody();
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(&Loop))
    return Range->getBody();
  if (const auto *While = dyn_cast<WhileStmt>(&Loop))
    return While->getBody();
  if (const auto *Do = dyn_cast<DoStmt>(&Loop))
    return Do->getBody();
  return nullptr;
}

/// Whether \p S holds a loop (not counting lambdas, whose bodies run when
/// they are called).
bool containsLoop(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isLoopStatement(*S))
    return true;
  return llvm::any_of(S->children(), containsLoop);
}

/// Adds to \p Out the `[]` calls in \p S whose object is one of \p Refs.
void collectSubscriptObjects(const Stmt *S,
                             const llvm::SmallPtrSetImpl<const Expr *> &Refs,
                             llvm::SmallPtrSetImpl<const Expr *> &Out) {
  if (!S)
    return;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2) {
      const Expr *Object = Op->getArg(0)->IgnoreParenImpCasts();
      if (Refs.contains(Object))
        Out.insert(Object);
    }
  for (const Stmt *Child : S->children())
    collectSubscriptObjects(Child, Refs, Out);
}

/// Whether \p S names a variable or member called \p Name other than
/// \p Own, or declares one.
bool namesOther(const Stmt *S, llvm::StringRef Name, const VarDecl &Own) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (DRE->getDecl() != &Own && DRE->getDecl()->getDeclName().isIdentifier() &&
        DRE->getDecl()->getName() == Name)
      return true;
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (ME->getMemberDecl()->getDeclName().isIdentifier() &&
        ME->getMemberDecl()->getName() == Name)
      return true;
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *ND = dyn_cast<NamedDecl>(D))
        if (ND != &Own && ND->getDeclName().isIdentifier() &&
            ND->getName() == Name)
          return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return namesOther(Child, Name, Own);
  });
}

/// Whether \p S reads a variable declared in \p Loop.
bool readsLoopLocal(const Stmt *S, const Stmt &Loop, const SourceManager &SM) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    if (isa<VarDecl>(DRE->getDecl()) &&
        SM.isPointWithin(DRE->getDecl()->getLocation(), Loop.getBeginLoc(),
                         Loop.getEndLoc()))
      return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return readsLoopLocal(Child, Loop, SM);
  });
}
} // namespace

LoopAccessorInLoopCheck::LoopAccessorInLoopCheck(llvm::StringRef Name,
                                                 tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void LoopAccessorInLoopCheck::registerMatchers(MatchFinder *Finder) {
  // x.accessor<float, 2>(), x.packed_accessor32<float, 2>(),
  // x.data_ptr<float>(), x.const_data_ptr<float>(), x.contiguous()
  // FIXME: at::TensorIteratorConfig and raw `x.storage().data()` are not
  // seen.
  const auto FetchMethod = cxxMethodDecl(
      hasAnyName("accessor", "packed_accessor32", "packed_accessor64",
                 "generic_packed_accessor", "data_ptr", "const_data_ptr",
                 "mutable_data_ptr", "contiguous"),
      ofClass(tensorClass()));
  Finder->addMatcher(cxxMemberCallExpr(callee(FetchMethod),
                                       callee(memberExpr().bind(MemberId)))
                         .bind(CallId),
                     this);
}

void LoopAccessorInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CXXMemberCallExpr>(CallId);
  const auto *Member = Result.Nodes.getNodeAs<MemberExpr>(MemberId);
  assert(Call && Member && "the matcher binds the call and its member");
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = Ctx.getSourceManager();
  const HotPathModel &Model = HotPathModel::get(Ctx);
  llvm::SmallVector<const Stmt *, 4> Loops = Model.enclosingLoops(*Call);
  // Outside a loop: fetched once.
  if (Loops.empty())
    return;
  const Stmt &Loop = *Loops.front();
  // A fetch in an outer loop, around the loop that does the per-element
  // work, runs once per row: hoisting it saves little.
  if (containsLoop(loopBody(Loop)))
    return;
  const Expr *Object = ignoreUnwritten(Call->getImplicitObjectArgument());
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Object);
  const auto *Tensor = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  // A temporary (`x[i].accessor<...>()`) or a member: another tensor on each
  // iteration, or one this check cannot follow.
  // FIXME: members (`this->weights_.accessor<...>()`) are not followed.
  if (!Tensor)
    return;
  // Declared in the loop: a new tensor on every iteration.
  if (SM.isPointWithin(Tensor->getLocation(), Loop.getBeginLoc(),
                       Loop.getEndLoc()))
    return;
  // Reassigned in the loop: the fetch may see another tensor each time.
  ModifyingReferences Reassigned;
  collectModifyingReferences(&Loop, *Tensor, Reassigned, TensorWrites::Ignore);
  if (Reassigned.any())
    return;
  llvm::StringRef Method = Member->getMemberDecl()->getName();
  bool Contiguous = Method == "contiguous";
  bool WrittenInPlace = isModifiedIn(*Tensor, Loop);
  // A contiguous copy must see the writes the loop makes to the tensor.
  if (Contiguous && WrittenInPlace)
    return;
  // The same call in a template's pattern and its instantiations.
  if (!Reported.insert(Member->getMemberLoc().getRawEncoding()).second)
    return;

  // The fix-it: `auto a = x.accessor<float, 2>();`, alone in the loop's
  // body, moves to just before the loop.
  auto Hoist = [&]() -> std::optional<FixItHint> {
    // Past the copy of the accessor into the variable, too.
    const Stmt *Up = Model.writtenParentOf(*Call);
    while (isa_and_nonnull<CXXConstructExpr>(Up))
      Up = Model.writtenParentOf(*Up);
    const auto *DS = dyn_cast_or_null<DeclStmt>(Up);
    if (!DS || !DS->isSingleDecl())
      return std::nullopt;
    const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (!VD || !VD->getInit() || !VD->isLocalVarDecl() || VD->isStaticLocal() ||
        ignoreUnwritten(VD->getInit()) != Call)
      return std::nullopt;
    // Directly in the loop's braces, with the loop a statement of a block.
    const Stmt *Body = loopBody(Loop);
    if (!isa_and_nonnull<CompoundStmt>(Body) || Model.parentOf(*DS) != Body)
      return std::nullopt;
    const auto *Block = dyn_cast_or_null<CompoundStmt>(Model.parentOf(Loop));
    if (!Block)
      return std::nullopt;
    if (involvesMacro(*DS) || involvesMacro(Loop) || isInTemplate(*DS, Ctx))
      return std::nullopt;
    // The tensor's storage written in the loop, or anything else in the
    // initializer that varies.
    if (WrittenInPlace || !isInvariantIn(*VD->getInit(), Loop, Ctx) ||
        readsLoopLocal(VD->getInit(), Loop, SM))
      return std::nullopt;
    // The accessor or pointer itself changed in the loop (`p++`); indexing
    // it (`a[i][j] = v`) is a non-const call that changes nothing.
    ModifyingReferences Changes;
    collectModifyingReferences(Body, *VD, Changes, TensorWrites::Ignore);
    llvm::SmallPtrSet<const Expr *, 8> Subscripted;
    collectSubscriptObjects(Body, Changes.Refs, Subscripted);
    if (Changes.CapturedByReference || Changes.Refs.size() != Subscripted.size())
      return std::nullopt;
    // Hoisted into the enclosing block, the name must not clash with or
    // hide another there.
    if (!VD->getDeclName().isIdentifier() ||
        namesOther(Block, VD->getName(), *VD))
      return std::nullopt;
    if (const FunctionDecl *FD = Model.enclosingFunction(Loop))
      for (const ParmVarDecl *Param : FD->parameters())
        if (Param->getDeclName().isIdentifier() &&
            Param->getName() == VD->getName())
          return std::nullopt;
    // Whole lines: the declaration alone on its line, the loop first on
    // its own.
    SourceLocation Begin = DS->getBeginLoc(), End = DS->getEndLoc();
    SourceLocation LoopBegin = Loop.getBeginLoc();
    if (Begin.isMacroID() || End.isMacroID() || LoopBegin.isMacroID())
      return std::nullopt;
    auto [File, BeginOffset] = SM.getDecomposedLoc(Begin);
    auto [EndFile, EndOffset] = SM.getDecomposedLoc(End);
    auto [LoopFile, LoopOffset] = SM.getDecomposedLoc(LoopBegin);
    if (File != EndFile || File != LoopFile)
      return std::nullopt;
    bool Invalid = false;
    llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
    if (Invalid)
      return std::nullopt;
    auto LineStart = [&](unsigned Offset) {
      unsigned Start = Offset;
      while (Start > 0 && Buffer[Start - 1] != '\n')
        --Start;
      return Start;
    };
    unsigned DeclLine = LineStart(BeginOffset);
    unsigned LoopLine = LineStart(LoopOffset);
    llvm::StringRef DeclIndent = Buffer.slice(DeclLine, BeginOffset);
    llvm::StringRef LoopIndent = Buffer.slice(LoopLine, LoopOffset);
    if (!DeclIndent.trim(" \t").empty() || !LoopIndent.trim(" \t").empty())
      return std::nullopt;
    // DeclStmt ends at its semicolon.
    unsigned AfterSemi = EndOffset + 1;
    unsigned LineEnd = AfterSemi;
    while (LineEnd < Buffer.size() && Buffer[LineEnd] != '\n')
      ++LineEnd;
    if (!Buffer.slice(AfterSemi, LineEnd).trim(" \t").empty() ||
        LineEnd >= Buffer.size())
      return std::nullopt;
    llvm::StringRef Text = Buffer.slice(BeginOffset, AfterSemi);
    if (Text.contains('\n'))
      return std::nullopt;
    // One replacement from the loop's start to the end of the declaration's
    // line: the declaration, then the loop as it was without it. (A bare
    // removal of the line would also take the next line's first space.)
    if (LoopOffset >= DeclLine)
      return std::nullopt;
    SourceLocation FileStart = SM.getLocForStartOfFile(File);
    std::string Replacement = (Text + "\n" + LoopIndent +
                               Buffer.slice(LoopOffset, DeclLine))
                                  .str();
    return FixItHint::CreateReplacement(
        CharSourceRange::getCharRange(FileStart.getLocWithOffset(LoopOffset),
                                      FileStart.getLocWithOffset(LineEnd + 1)),
        Replacement);
  };
  std::optional<FixItHint> Fix = Hoist();
  std::optional<LoopCounter> Counter = loopCounterOf(Loop, Ctx);
  {
    auto Diag =
        diag(SM.getFileLoc(Member->getMemberLoc()),
             "%select{'%1()' of '%0' is fetched|'contiguous()' of '%0' runs}2 "
             "on every iteration of the loop%select{|, and copies '%0' each "
             "time that it is not contiguous}2, though '%0' does not change in "
             "it; %select{fetch it|make it contiguous}2 once before the loop")
        << Tensor->getName() << Method << Contiguous;
    if (Fix)
      Diag << *Fix;
  }
  if (Counter)
    diag(Loop.getBeginLoc(), "the loop over '%0' starts here",
         DiagnosticIDs::Note)
        << Counter->Var->getName();
  else
    diag(Loop.getBeginLoc(), "the loop starts here", DiagnosticIDs::Note);
}

} // namespace trainlint::torch
