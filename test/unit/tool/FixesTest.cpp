// Fix-its: whole or not at all per finding, and the unified diff that
// --fix-dry-run prints.

#include "Fixes.h"
#include "gtest/gtest.h"

using namespace trainlint;
using clang::tooling::Replacement;
using clang::tooling::Replacements;

namespace {

Replacements edits(std::initializer_list<Replacement> List) {
  Replacements Result;
  for (const Replacement &R : List)
    llvm::cantFail(Result.add(R));
  return Result;
}

const char *Code = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"
                   "eleven\ntwelve\n";

TEST(UnifiedDiffTest, OneChangedLineWithThreeLinesOfContext) {
  // "five" starts at offset 19.
  std::string Diff = unifiedDiffHunks(Code, edits({{"f", 19, 4, "FIVE"}}));
  EXPECT_EQ(Diff, "@@ -2,7 +2,7 @@\n"
                  " two\n three\n four\n-five\n+FIVE\n six\n seven\n eight\n");
}

TEST(UnifiedDiffTest, ContextIsCutAtTheStartOfTheFile) {
  std::string Diff = unifiedDiffHunks(Code, edits({{"f", 0, 3, "ONE"}}));
  EXPECT_EQ(Diff, "@@ -1,4 +1,4 @@\n-one\n+ONE\n two\n three\n four\n");
}

TEST(UnifiedDiffTest, DistantEditsMakeTwoHunksAndShiftTheSecond) {
  // An extra line inserted into "two", and "twelve" changed.
  std::string Diff = unifiedDiffHunks(
      Code, edits({{"f", 4, 3, "two\n2"}, {"f", 56, 6, "TWELVE"}}));
  EXPECT_EQ(Diff,
            "@@ -1,5 +1,6 @@\n one\n-two\n+two\n+2\n three\n four\n five\n"
            "@@ -9,4 +10,4 @@\n nine\n ten\n eleven\n-twelve\n+TWELVE\n");
}

TEST(UnifiedDiffTest, NearEditsShareAHunkWithTheLinesBetweenAsContext) {
  // "two" and "four": one unchanged line between them.
  std::string Diff =
      unifiedDiffHunks(Code, edits({{"f", 4, 3, "2"}, {"f", 14, 4, "4"}}));
  EXPECT_EQ(Diff, "@@ -1,7 +1,7 @@\n one\n-two\n+2\n three\n-four\n+4\n five\n"
                  " six\n seven\n");
}

TEST(UnifiedDiffTest, TwoEditsOnOneLineAreOneChange) {
  std::string Diff =
      unifiedDiffHunks("a b c\n", edits({{"f", 0, 1, "A"}, {"f", 4, 1, "C"}}));
  EXPECT_EQ(Diff, "@@ -1,1 +1,1 @@\n-a b c\n+A b C\n");
}

TEST(UnifiedDiffTest, JoiningLinesTakesTheNextLineIntoTheChange) {
  // Deleting the line break after "one" joins it with "two".
  std::string Diff =
      unifiedDiffHunks("one\ntwo\nthree\n", edits({{"f", 3, 1, " "}}));
  EXPECT_EQ(Diff, "@@ -1,3 +1,2 @@\n-one\n-two\n+one two\n three\n");
}

TEST(UnifiedDiffTest, MissingNewlineAtTheEndIsMarked) {
  std::string Diff = unifiedDiffHunks("a\nb", edits({{"f", 2, 1, "B"}}));
  EXPECT_EQ(Diff, "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
                  "+B\n\\ No newline at end of file\n");
}

Finding withFix(llvm::StringRef File, unsigned Offset, unsigned Length,
                llvm::StringRef Text) {
  Finding F;
  F.Check = "torch-sync-create-then-move";
  F.Where.File = File.str();
  FixIt Fix;
  Fix.Where.File = File.str();
  Fix.Offset = Offset;
  Fix.Length = Length;
  Fix.Replacement = Text.str();
  F.FixIts.push_back(Fix);
  return F;
}

TEST(CollectFixesTest, OverlappingFixItIsLeftOutWhole) {
  std::vector<Finding> Findings = {withFix("a.cpp", 0, 4, "x"),
                                   withFix("a.cpp", 2, 4, "y"),
                                   withFix("a.cpp", 10, 1, "z")};
  // The second finding's fix-it also edits b.cpp; none of it is taken.
  FixIt Other;
  Other.Where.File = "b.cpp";
  Other.Offset = 0;
  Other.Replacement = "w";
  Findings[1].FixIts.push_back(Other);
  FixSet Fixes = collectFixes(Findings);
  EXPECT_EQ(Fixes.Taken, 2u);
  ASSERT_EQ(Fixes.Conflicts.size(), 1u);
  EXPECT_EQ(Fixes.Conflicts[0], &Findings[1]);
  EXPECT_EQ(Fixes.ByFile.count("b.cpp"), 0u);
  EXPECT_EQ(Fixes.ByFile["a.cpp"].size(), 2u);
}

TEST(CollectFixesTest, InsertionsAtOneOffsetConflict) {
  std::vector<Finding> Findings = {withFix("a.cpp", 5, 0, "x"),
                                   withFix("a.cpp", 5, 0, "y")};
  FixSet Fixes = collectFixes(Findings);
  EXPECT_EQ(Fixes.Taken, 1u);
  EXPECT_EQ(Fixes.Conflicts.size(), 1u);
}

TEST(CollectFixesTest, TheSameEditTwiceIsTakenOnce) {
  // One finding in a header, seen from two translation units.
  std::vector<Finding> Findings = {withFix("h.h", 3, 2, "x"),
                                   withFix("h.h", 3, 2, "x")};
  FixSet Fixes = collectFixes(Findings);
  EXPECT_EQ(Fixes.Taken, 2u);
  EXPECT_TRUE(Fixes.Conflicts.empty());
  EXPECT_EQ(Fixes.ByFile["h.h"].size(), 1u);
}

TEST(CollectFixesTest, AFileWithErrorsGivesNoFixIt) {
  // The analysis drops these fix-its already; a report that still has one
  // (written by another tool) is not trusted either.
  std::vector<Finding> Findings = {withFix("a.cpp", 0, 1, "x"),
                                   withFix("b.cpp", 0, 1, "y")};
  Findings[1].FromFileWithErrors = true;
  FixSet Fixes = collectFixes(Findings);
  EXPECT_EQ(Fixes.Taken, 1u);
  EXPECT_TRUE(Fixes.Conflicts.empty());
  EXPECT_EQ(Fixes.ByFile.count("b.cpp"), 0u);
}

} // namespace
