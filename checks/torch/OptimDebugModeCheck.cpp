//===--- OptimDebugModeCheck.cpp - torch-optim-debug-mode ---===//

#include "OptimDebugModeCheck.h"
#include "model/TorchApi.h"
#include "model/TrainingFeatures.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral AnomalyCallId = "anomalyCall";
constexpr llvm::StringLiteral GuardId = "guard";
constexpr llvm::StringLiteral ProfilerCallId = "profilerCall";

/// Whether a preprocessor condition names a debug macro: NDEBUG, DEBUG,
/// _DEBUG, or a project's own (MYAPP_DEBUG).
bool namesDebugMacro(llvm::StringRef Condition) {
  return Condition.contains("DEBUG");
}

/// Records the conditional blocks whose conditions name a debug macro.
class DebugRegionRecorder : public PPCallbacks {
public:
  DebugRegionRecorder(const SourceManager &SM, const LangOptions &LangOpts,
                      std::vector<SourceRange> &Out)
      : SM(SM), LangOpts(LangOpts), Out(Out) {}

  void If(SourceLocation Loc, SourceRange Condition, ConditionValueKind) override {
    note(Loc, text(Condition));
  }
  void Elif(SourceLocation, SourceRange Condition, ConditionValueKind,
            SourceLocation IfLoc) override {
    note(IfLoc, text(Condition));
  }
  void Ifdef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    note(Loc, Name.getIdentifierInfo() ? Name.getIdentifierInfo()->getName() : "");
  }
  void Ifndef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    note(Loc, Name.getIdentifierInfo() ? Name.getIdentifierInfo()->getName() : "");
  }
  void Endif(SourceLocation Loc, SourceLocation IfLoc) override {
    auto It = Debug.find(IfLoc.getRawEncoding());
    if (It != Debug.end() && It->second)
      Out.emplace_back(IfLoc, Loc);
  }

private:
  std::string text(SourceRange Range) const {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(Range), SM,
                                LangOpts)
        .str();
  }
  void note(SourceLocation IfLoc, llvm::StringRef Condition) {
    Debug[IfLoc.getRawEncoding()] |= namesDebugMacro(Condition);
  }

  const SourceManager &SM;
  const LangOptions &LangOpts;
  std::vector<SourceRange> &Out;
  std::map<SourceLocation::UIntTy, bool> Debug;
};

/// The first training loop, or call of a function that trains, in \p S.
const Stmt *findTraining(const Stmt *S, const HotPathModel &Model) {
  if (!S)
    return nullptr;
  if (Model.loopKind(*S) == LoopKind::Training)
    return S;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      if (Model.signalsOf(*Callee) & TrainingSignals)
        return S;
  for (const Stmt *Child : S->children())
    if (const Stmt *Found = findTraining(Child, Model))
      return Found;
  return nullptr;
}

/// Whether a runtime condition between \p S and its function's body
/// decides whether \p S runs: the user turns the tool on by choice.
bool underRuntimeCondition(const Stmt &S, const HotPathModel &Model) {
  const Stmt *Child = &S;
  for (const Stmt *N = Model.parentOf(S); N; Child = N, N = Model.parentOf(*N)) {
    if (const auto *If = dyn_cast<IfStmt>(N))
      if (Child != If->getCond() && Child != If->getInit() &&
          Child != If->getConditionVariableDeclStmt())
        return true;
    if (const auto *CO = dyn_cast<ConditionalOperator>(N))
      if (Child != CO->getCond())
        return true;
    if (isa<SwitchStmt>(N))
      return true;
  }
  return false;
}
} // namespace

OptimDebugModeCheck::OptimDebugModeCheck(llvm::StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void OptimDebugModeCheck::registerPPCallbacks(const SourceManager &SM,
                                              Preprocessor *PP,
                                              Preprocessor *) {
  DebugRegions.clear();
  PP->addPPCallbacks(std::make_unique<DebugRegionRecorder>(
      SM, getLangOpts(), DebugRegions));
}

void OptimDebugModeCheck::registerMatchers(MatchFinder *Finder) {
  // torch::autograd::AnomalyMode::set_enabled(true);
  // FIXME: a value computed at run time is the user's choice and stays
  // silent, also when it is always true.
  Finder->addMatcher(
      callExpr(callee(functionDecl(
                   hasName("::torch::autograd::AnomalyMode::set_enabled"))),
               unless(isExpansionInSystemHeader()))
          .bind(AnomalyCallId),
      this);
  // torch::autograd::DetectAnomalyGuard guard;
  // torch::autograd::profiler::RecordProfile profile("trace.json");
  Finder->addMatcher(
      declStmt(unless(isExpansionInSystemHeader()),
               has(varDecl(hasType(cxxRecordDecl(hasAnyName(
                   "::torch::autograd::DetectAnomalyGuard",
                   "::torch::autograd::profiler::RecordProfile"))))))
          .bind(GuardId),
      this);
  // torch::autograd::profiler::enableProfilerLegacy(config);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(
                   "::torch::autograd::profiler::enableProfiler",
                   "::torch::autograd::profiler::enableProfilerLegacy"))),
               unless(isExpansionInSystemHeader()))
          .bind(ProfilerCallId),
      this);
}

void OptimDebugModeCheck::check(const MatchFinder::MatchResult &Result) {
  const HotPathModel &Model = HotPathModel::get(*Result.Context);
  const SourceManager &SM = *Result.SourceManager;
  const Stmt *Enabling = nullptr;
  bool Anomaly = false, Scoped = false;
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>(AnomalyCallId)) {
    // set_enabled(false), or a flag: turned off, or the user's choice.
    if (Call->getNumArgs() == 0 || boolLiteralValue(Call->getArg(0)) != true)
      return;
    Enabling = Call;
    Anomaly = true;
  } else if (const auto *Decl = Result.Nodes.getNodeAs<DeclStmt>(GuardId)) {
    const auto *Var = dyn_cast<VarDecl>(Decl->getSingleDecl());
    if (!Var)
      return;
    const CXXRecordDecl *Class = recordOf(Var->getType());
    Anomaly = Class && Class->getName() == "DetectAnomalyGuard";
    Enabling = Decl;
    Scoped = true;
  } else {
    Enabling = Result.Nodes.getNodeAs<CallExpr>(ProfilerCallId);
  }
  assert(Enabling && "every matcher binds one of the ids");
  if (!Model.enclosingFunction(*Enabling))
    return; // not in a function body of the user's code
  // Under `#ifndef NDEBUG` or `#ifdef DEBUG`: a debug build's choice.
  SourceLocation Loc = SM.getExpansionLoc(Enabling->getBeginLoc());
  for (const SourceRange &Region : DebugRegions)
    if (SM.isBeforeInTranslationUnit(Region.getBegin(), Loc) &&
        SM.isBeforeInTranslationUnit(Loc, Region.getEnd()))
      return;
  // Under `if (options.debug)`: the user turns it on by choice.
  if (underRuntimeCondition(*Enabling, Model))
    return;

  // Where it meets training: in a training loop, in a function that one
  // calls, or before one (or a call that trains) in its scope.
  const Stmt *Training = nullptr;
  std::optional<HotContext> Hot;
  for (const Stmt *Loop : Model.enclosingLoops(*Enabling))
    if (Model.loopKind(*Loop) == LoopKind::Training)
      Training = Loop;
  if (!Training) {
    Hot = Model.classify(*Enabling, Deferral::Forbid);
    if (Hot && Hot->Kind != LoopKind::Training)
      Hot.reset();
  }
  if (!Training && !Hot) {
    // The statements after it in its block, and, for a setting that lasts
    // past its block, in the blocks around it.
    const Stmt *Child = Enabling;
    for (const Stmt *N = Model.parentOf(*Enabling); N && !Training;
         Child = N, N = Model.parentOf(*N)) {
      const auto *Block = dyn_cast<CompoundStmt>(N);
      if (!Block)
        continue;
      bool After = false;
      for (const Stmt *Next : Block->body()) {
        if (After && (Training = findTraining(Next, Model)))
          break;
        After |= Next == Child;
      }
      if (Scoped)
        break;
    }
  }
  if (!Training && !Hot)
    return;

  diag(Enabling->getBeginLoc(),
       "%select{the autograd profiler|anomaly detection}0 is left on around "
       "training: %select{it records every operation of every step, which "
       "slows training and grows its memory|every backward checks its "
       "gradients for NaN and every operation keeps a stack trace, which "
       "slows each step several times}0; turn it on only under '#ifndef "
       "NDEBUG' or a command-line flag")
      << (Anomaly ? 1 : 0);
  if (Hot) {
    noteHotContext(*Hot);
  } else if (Model.loopKind(*Training) == LoopKind::Training) {
    diag(Training->getBeginLoc(), "%0", DiagnosticIDs::Note)
        << loopNoteText(LoopKind::Training);
  } else {
    const auto *Call = cast<CallExpr>(Training);
    diag(Call->getBeginLoc(), "'%0' trains here", DiagnosticIDs::Note)
        << Call->getDirectCallee()->getNameAsString();
  }
}

} // namespace trainlint::torch
