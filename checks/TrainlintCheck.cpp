//===--- TrainlintCheck.cpp - what every trainlint check shares ------------===//

#include "TrainlintCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace trainlint {

using namespace clang;

TrainlintCheck::TrainlintCheck(llvm::StringRef Name,
                               tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  const CheckInfo *Info = findCheck(Name);
  assert(Info && "every registered check has a row in CheckList.def");
  CheckLevel Configured = DefaultLevel;
  const auto &CheckOptions = Context->getOptions().CheckOptions;
  auto It = CheckOptions.find(LevelOptionKey);
  if (It != CheckOptions.end()) {
    if (auto Parsed = parseLevel(It->second.Value))
      Configured = *Parsed;
    else
      configurationDiag("invalid value '%0' for '%1': expected 0, 1, 2 or "
                        "manual; using 1")
          << It->second.Value << LevelOptionKey;
  }
  const std::string &Globs = Context->getOptions().Checks.value_or("");
  EnabledByLevel = levelEnables(Configured, Info->Level) ||
                   namesCheckExplicitly(Globs, Name);
}

bool TrainlintCheck::isLanguageVersionSupported(
    const LangOptions &LangOpts) const {
  return LangOpts.CPlusPlus && EnabledByLevel;
}

void TrainlintCheck::noteHotContext(const HotContext &Context) {
  for (const CallExpr *Call : llvm::reverse(Context.CallChain)) {
    const auto *Callee = Call->getDirectCallee();
    diag(Call->getBeginLoc(), "%0 is called here, on the %1 path",
         DiagnosticIDs::Note)
        << Callee << loopKindName(Context.Kind);
  }
  diag(Context.Loop->getBeginLoc(), "%0 starts here", DiagnosticIDs::Note)
      << loopKindName(Context.Kind);
}

} // namespace trainlint
