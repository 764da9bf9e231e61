//===--- CheckList.h - the table of trainlint checks ------------*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_CHECKLIST_H
#define TRAINLINT_CHECKS_CHECKLIST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace trainlint {

/// How sure a check is, as in clazy: level 0 has no false positives, level 1
/// is the default set, level 2 is noisy, manual checks run only when named.
enum class CheckLevel { Level0 = 0, Level1 = 1, Level2 = 2, Manual = 3 };

/// One row of checks/CheckList.def.
struct CheckInfo {
  llvm::StringRef Name;
  CheckLevel Level;
  llvm::StringRef Family;
  bool OffersFixIts;
  llvm::StringRef Summary;
};

/// Every check, sorted by name.
llvm::ArrayRef<CheckInfo> allChecks();

/// The row for \p Name, or null.
const CheckInfo *findCheck(llvm::StringRef Name);

/// "0", "1", "2" or "manual".
llvm::StringRef levelName(CheckLevel Level);

/// Parses a level as written in `trainlint.Level` or `--level`.
std::optional<CheckLevel> parseLevel(llvm::StringRef Text);

/// The level a run enables when nothing says otherwise.
inline constexpr CheckLevel DefaultLevel = CheckLevel::Level1;

/// The global option key that raises or lowers the enabled level, as in
/// `CheckOptions: { trainlint.Level: 2 }`.
inline constexpr llvm::StringLiteral LevelOptionKey = "trainlint.Level";

/// Whether a check of \p CheckLevel runs when \p Enabled is configured, unless
/// it is named explicitly.
inline bool levelEnables(CheckLevel Enabled, CheckLevel Check) {
  if (Check == CheckLevel::Manual)
    return Enabled == CheckLevel::Manual;
  return static_cast<int>(Check) <= static_cast<int>(Enabled);
}

/// Whether the comma-separated glob list \p Checks names \p Name exactly (not
/// through a wildcard), which enables a check whatever its level.
bool namesCheckExplicitly(llvm::StringRef Checks, llvm::StringRef Name);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_CHECKLIST_H
