//===--- PerTranslationUnit.h - one analysis per AST, shared ----*- C++ -*-===//
//
// The models under checks/model/ are built once per translation unit and
// shared by every check that asks. clang-tidy creates its checks anew for
// each translation unit but gives them no common place to keep such state;
// this keys it by the ASTContext and frees it with the ASTContext, so that a
// later translation unit whose ASTContext reuses the address starts afresh.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_PERTRANSLATIONUNIT_H
#define TRAINLINT_CHECKS_MODEL_PERTRANSLATIONUNIT_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include <map>
#include <memory>
#include <mutex>

namespace trainlint {

/// Whether a model's walk over the translation unit leaves \p D out: a
/// declaration of a system header (libtorch, the CUDA runtime, the standard
/// library) holds none of the user's code. The unit itself is walked.
inline bool isSystemHeaderDecl(const clang::Decl *D,
                               const clang::SourceManager &SM) {
  return D && !llvm::isa<clang::TranslationUnitDecl>(D) &&
         D->getLocation().isValid() &&
         SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

/// The \p Analysis of \p Ctx's translation unit, built with `Analysis(Ctx)` on
/// first use. Safe to call from several threads, one AST each.
template <typename Analysis>
const Analysis &perTranslationUnit(clang::ASTContext &Ctx) {
  static std::mutex Mutex;
  static std::map<const clang::ASTContext *, std::unique_ptr<Analysis>> Built;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Built.find(&Ctx);
    if (It != Built.end())
      return *It->second;
  }
  // Built outside the lock: each thread has its own AST.
  auto Instance = std::make_unique<Analysis>(Ctx);
  std::lock_guard<std::mutex> Lock(Mutex);
  auto [It, Inserted] = Built.try_emplace(&Ctx, std::move(Instance));
  if (Inserted)
    Ctx.AddDeallocation(
        [](void *Freed) {
          std::lock_guard<std::mutex> Lock(Mutex);
          Built.erase(static_cast<const clang::ASTContext *>(Freed));
        },
        &Ctx);
  return *It->second;
}

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_PERTRANSLATIONUNIT_H
