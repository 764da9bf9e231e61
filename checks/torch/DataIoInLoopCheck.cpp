//===--- DataIoInLoopCheck.cpp - torch-data-io-in-loop ---===//

#include "DataIoInLoopCheck.h"
#include "model/DataLoading.h"
#include "model/TorchApi.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral OpenId = "open";
constexpr llvm::StringLiteral ReadId = "read";
constexpr llvm::StringLiteral StreamId = "stream";
constexpr llvm::StringLiteral LoadId = "load";
constexpr llvm::StringLiteral DecodeId = "decode";
constexpr llvm::StringLiteral ResizeId = "resize";

/// The standard's file streams, which open a file when constructed with a
/// name or opened with open().
const auto FileStreamClass = [] {
  return cxxRecordDecl(hasAnyName("::std::basic_ifstream",
                                  "::std::basic_fstream"));
};

/// An expression whose type is a file stream, however it is spelled
/// (`std::ifstream` is a typedef).
const auto FileStreamExpr = [] {
  return expr(hasType(hasUnqualifiedDesugaredType(
      recordType(hasDeclaration(FileStreamClass())))));
};

/// What a matched call does to the training thread, for the message.
llvm::StringRef actionOf(llvm::StringRef Id) {
  if (Id == OpenId)
    return "opens a file";
  if (Id == ReadId)
    return "reads a file";
  if (Id == LoadId)
    return "reads and deserializes a file";
  if (Id == DecodeId)
    return "decodes an image";
  return "resizes an image";
}

/// The name of what \p E calls or constructs, as the message quotes it.
std::string calleeName(const Expr &E) {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E)) {
    const CXXRecordDecl *RD = Construct->getConstructor()->getParent();
    return RD->getName() == "basic_fstream" ? "std::fstream" : "std::ifstream";
  }
  const auto *Call = cast<CallExpr>(&E);
  const FunctionDecl *FD = Call->getDirectCallee();
  if (isa<CXXOperatorCallExpr>(Call))
    return "operator>>";
  if (isa<CXXMethodDecl>(FD))
    return FD->getNameAsString() + "()";
  std::string Name = FD->getQualifiedNameAsString();
  // `std::__cxx11::getline` and the like: the inline namespace of the
  // library's ABI is not what the user wrote.
  if (llvm::StringRef(Name).starts_with("std::__"))
    Name = "std::" + FD->getNameAsString();
  return Name;
}

/// Whether the stream \p Stream that \p Read reads is a local variable made
/// anew wherever the read runs: declared inside the step loop around the
/// read, or in a function that a loop calls (no step loop of its own around
/// the read). Its construction or open() is then reported, and reading it is
/// part of that finding.
bool streamOpenedWhereRead(const Expr *Stream, const Stmt &Read,
                           const HotPathModel &Model,
                           const SourceManager &SM) {
  const auto *Ref =
      dyn_cast_or_null<DeclRefExpr>(Stream ? Stream->IgnoreParenImpCasts()
                                           : nullptr);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->hasLocalStorage() || isa<ParmVarDecl>(Var) ||
      Var->getDeclContext() != Model.enclosingFunction(Read))
    return false;
  const Stmt *StepLoop = nullptr;
  for (const Stmt *Loop : Model.enclosingLoops(Read))
    if (Model.loopKind(*Loop))
      StepLoop = Loop;
  if (!StepLoop)
    return true;
  SourceLocation Loc = SM.getExpansionLoc(Var->getLocation());
  return SM.isBeforeInTranslationUnit(
             SM.getExpansionLoc(StepLoop->getBeginLoc()), Loc) &&
         SM.isBeforeInTranslationUnit(Loc,
                                      SM.getExpansionLoc(StepLoop->getEndLoc()));
}

} // namespace

DataIoInLoopCheck::DataIoInLoopCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataIoInLoopCheck::registerMatchers(MatchFinder *Finder) {
  const auto UserCode = unless(isExpansionInSystemHeader());

  // std::ifstream in(path); std::fstream f(path, mode);
  // FIXME: std::ofstream and fwrite (logging, saving) are writes, not data
  // loading, and are not matched.
  Finder->addMatcher(
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(
                           ofClass(FileStreamClass()),
                           unless(anyOf(isCopyConstructor(),
                                        isMoveConstructor())))),
                       argumentCountAtLeast(1), UserCode)
          .bind(OpenId),
      this);
  // in.open(path); FILE *f = fopen(path, "rb");
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("open"),
                                             ofClass(FileStreamClass()))),
                        UserCode)
          .bind(OpenId),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::fopen", "::std::fopen"))),
               UserCode)
          .bind(OpenId),
      this);

  // std::getline(in, line); in.getline(buf, n); in.read(buf, n); in >> x;
  // fread(buf, 1, n, f); fgets(buf, n, f);
  // FIXME: reads through a reference to std::istream that a file stream was
  // bound to elsewhere are not seen (the stream's kind is not known there).
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasName("::std::getline"))),
               hasArgument(0, ignoringImpCasts(
                                  FileStreamExpr().bind(StreamId))),
               UserCode)
          .bind(ReadId),
      this);
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("getline", "read"))),
                        on(ignoringImpCasts(FileStreamExpr().bind(StreamId))),
                        UserCode)
          .bind(ReadId),
      this);
  Finder->addMatcher(
      cxxOperatorCallExpr(hasOverloadedOperatorName(">>"),
                          hasArgument(0, ignoringImpCasts(
                                             FileStreamExpr().bind(StreamId))),
                          UserCode)
          .bind(ReadId),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::fread", "::std::fread"))),
               hasArgument(3, expr().bind(StreamId)), UserCode)
          .bind(ReadId),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::fgets", "::std::fgets"))),
               hasArgument(2, expr().bind(StreamId)), UserCode)
          .bind(ReadId),
      this);

  // torch::load(tensor, path); torch::pickle_load(bytes);
  // FIXME: torch::jit::load (a whole TorchScript module) is not matched.
  Finder->addMatcher(
      callExpr(callee(functionDecl(
                   hasAnyName("::torch::load", "::torch::pickle_load"))),
               UserCode)
          .bind(LoadId),
      this);

  // cv::imread(path); cv::imdecode(bytes, flags); stbi_load(path, ...)
  // FIXME: other decoders (libpng, libjpeg, Magick++) are not matched.
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(
                   "::cv::imread", "::cv::imdecode", "::cv::imreadmulti",
                   "::stbi_load", "::stbi_loadf", "::stbi_load_16",
                   "::stbi_load_from_memory", "::stbi_load_from_file",
                   "::stbi_loadf_from_memory"))),
               UserCode)
          .bind(DecodeId),
      this);
  // cv::resize(src, dst, size)
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasName("::cv::resize"))), UserCode)
          .bind(ResizeId),
      this);
}

void DataIoInLoopCheck::check(const MatchFinder::MatchResult &Result) {
  const Expr *Op = nullptr;
  llvm::StringRef Id;
  for (llvm::StringRef Candidate : {OpenId, ReadId, LoadId, DecodeId, ResizeId})
    if ((Op = Result.Nodes.getNodeAs<Expr>(Candidate))) {
      Id = Candidate;
      break;
    }
  assert(Op && "every matcher binds one operation");
  const HotPathModel &Model = HotPathModel::get(*Result.Context);

  // A read from a stream opened in the same function or loop is part of
  // the finding on its construction or open().
  if (Id == ReadId &&
      streamOpenedWhereRead(Result.Nodes.getNodeAs<Expr>(StreamId), *Op,
                            Model, *Result.SourceManager))
    return;

  // In the get() of a dataset whose loader has no workers: libtorch's
  // loader calls it on the training thread, a call the hot-path model does
  // not see (it is made from the library's code). The same in a function
  // that get() calls (a decoder of its own).
  const FunctionDecl *Enclosing = Model.enclosingFunction(*Op);
  if (const CXXMethodDecl *Get =
          Enclosing ? DataLoadingModel::get(*Result.Context)
                          .getRunningOnLoaderThread(*Enclosing)
                    : nullptr) {
    diag(Op->getExprLoc(),
         "'%0' %1 in the dataset's %2(), which its loader runs on the "
         "training thread because it has no workers; give the loader workers "
         "('DataLoaderOptions(batch_size).workers(N)') so that they load "
         "batches ahead of the step")
        << calleeName(*Op) << actionOf(Id) << Get->getName();
    if (Get->getCanonicalDecl() != Enclosing->getCanonicalDecl())
      diag(Get->getLocation(), "'%0' runs in the dataset's %1() here",
           DiagnosticIDs::Note)
          << Enclosing->getName() << Get->getName();
    return;
  }

  std::optional<HotContext> Hot = Model.classify(*Op);
  // Before the loop (setup), after it, or once per epoch: a file read once
  // costs nothing per step.
  if (!Hot)
    return;
  // `if (step % 1000 == 0) torch::load(model, "ckpt.pt")`: a checkpoint
  // every N steps is amortized over them.
  if (Hot->isGated())
    return;

  // The step waits for the file on the CPU as well: whether the project uses
  // an accelerator does not matter.
  if (Hot->Deferred)
    Hot->Deferred->NeedsAccelerator = false;

  SourceLocation Loc = Op->getExprLoc();
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Op))
    if (const auto *ME = dyn_cast<MemberExpr>(Member->getCallee()))
      Loc = ME->getMemberLoc();
  if (isa<CXXConstructExpr>(Op))
    Loc = Op->getBeginLoc();
  diag(Loc, "'%0' %1 on the training thread on every iteration of the %2, "
            "and the step waits for it; do it once before the loop, or in "
            "the get() of a dataset whose loader has workers")
      << calleeName(*Op) << actionOf(Id) << loopKindName(Hot->Kind);
  noteHotContext(*Hot);
}

} // namespace trainlint::torch
