//===--- CheckList.cpp - the table of trainlint checks ---------------------===//

#include "CheckList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace trainlint {

namespace {
constexpr CheckLevel Level0 = CheckLevel::Level0;
constexpr CheckLevel Level1 = CheckLevel::Level1;
constexpr CheckLevel Level2 = CheckLevel::Level2;
constexpr CheckLevel Manual = CheckLevel::Manual;

const CheckInfo Checks[] = {
#define TRAINLINT_CHECK(Name, Level, Family, FixIts, Summary)                  \
  {Name, Level, Family, FixIts, Summary},
#include "CheckList.def"
#undef TRAINLINT_CHECK
};
} // namespace

llvm::ArrayRef<CheckInfo> allChecks() { return Checks; }

const CheckInfo *findCheck(llvm::StringRef Name) {
  const auto *It = llvm::find_if(
      Checks, [&](const CheckInfo &Info) { return Info.Name == Name; });
  return It == std::end(Checks) ? nullptr : It;
}

llvm::StringRef levelName(CheckLevel Level) {
  switch (Level) {
  case CheckLevel::Level0:
    return "0";
  case CheckLevel::Level1:
    return "1";
  case CheckLevel::Level2:
    return "2";
  case CheckLevel::Manual:
    return "manual";
  }
  return "1";
}

std::optional<CheckLevel> parseLevel(llvm::StringRef Text) {
  return llvm::StringSwitch<std::optional<CheckLevel>>(Text.trim().lower())
      .Case("0", CheckLevel::Level0)
      .Case("1", CheckLevel::Level1)
      .Case("2", CheckLevel::Level2)
      .Case("manual", CheckLevel::Manual)
      .Default(std::nullopt);
}

bool namesCheckExplicitly(llvm::StringRef Checks, llvm::StringRef Name) {
  bool Named = false;
  while (!Checks.empty()) {
    auto [Item, Rest] = Checks.split(',');
    Checks = Rest;
    Item = Item.trim();
    // A later '-name' or '-glob' that covers the check would disable it
    // anyway; clang-tidy decides that, here only exact positive names count.
    if (Item == Name)
      Named = true;
  }
  return Named;
}

} // namespace trainlint
