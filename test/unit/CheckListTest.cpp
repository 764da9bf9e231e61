// The check list, the module's registrations and the level gating agree.

#include "CheckList.h"
#include "compat.h"
#include "gtest/gtest.h"
#include "llvm/ADT/STLExtras.h"
#include <set>
#include <string>

using namespace trainlint;

namespace {

std::set<std::string> registeredChecks() {
  std::set<std::string> Names;
  for (const auto &Entry : clang::tidy::ClangTidyModuleRegistry::entries()) {
    if (Entry.getName() != "trainlint-module")
      continue;
    clang::tidy::ClangTidyCheckFactories Factories;
    Entry.instantiate()->addCheckFactories(Factories);
    for (const auto &Factory : Factories)
      Names.insert(Factory.getKey().str());
  }
  return Names;
}

TEST(CheckListTest, EveryRegisteredCheckHasARowAndEveryRowIsRegistered) {
  std::set<std::string> Rows;
  for (const CheckInfo &Info : allChecks())
    Rows.insert(Info.Name.str());
  EXPECT_EQ(registeredChecks(), Rows);
}

TEST(CheckListTest, RowsAreSortedAndNamedByFamily) {
  llvm::StringRef Previous;
  for (const CheckInfo &Info : allChecks()) {
    EXPECT_LT(Previous, Info.Name);
    Previous = Info.Name;
    EXPECT_TRUE(Info.Name.starts_with(Info.Family.str() + "-")) << Info.Name.str();
    EXPECT_TRUE(Info.Summary.ends_with(".")) << Info.Name.str();
  }
}

TEST(CheckListTest, LevelsEnableTheirOwnAndLowerLevels) {
  EXPECT_TRUE(levelEnables(CheckLevel::Level1, CheckLevel::Level0));
  EXPECT_TRUE(levelEnables(CheckLevel::Level1, CheckLevel::Level1));
  EXPECT_FALSE(levelEnables(CheckLevel::Level1, CheckLevel::Level2));
  EXPECT_TRUE(levelEnables(CheckLevel::Level2, CheckLevel::Level2));
  EXPECT_FALSE(levelEnables(CheckLevel::Level2, CheckLevel::Manual));
  EXPECT_TRUE(levelEnables(CheckLevel::Manual, CheckLevel::Manual));
  EXPECT_TRUE(levelEnables(CheckLevel::Manual, CheckLevel::Level2));
  EXPECT_FALSE(levelEnables(CheckLevel::Level0, CheckLevel::Level1));
}

TEST(CheckListTest, ParsesLevels) {
  EXPECT_EQ(parseLevel("2"), CheckLevel::Level2);
  EXPECT_EQ(parseLevel(" Manual "), CheckLevel::Manual);
  EXPECT_EQ(parseLevel("3"), std::nullopt);
  EXPECT_EQ(parseLevel(""), std::nullopt);
}

TEST(CheckListTest, OnlyExactPositiveNamesCountAsExplicit) {
  EXPECT_TRUE(namesCheckExplicitly("-*,torch-sync-data-dependent-shape",
                                   "torch-sync-data-dependent-shape"));
  EXPECT_TRUE(namesCheckExplicitly("-*, torch-sync-item ", "torch-sync-item"));
  EXPECT_FALSE(namesCheckExplicitly("-*,torch-*", "torch-sync-item"));
  EXPECT_FALSE(namesCheckExplicitly("-torch-sync-item", "torch-sync-item"));
  EXPECT_FALSE(namesCheckExplicitly("", "torch-sync-item"));
}

} // namespace
