//===--- GitDiff.cpp - the lines changed since a git revision
//--------------===//

#include "GitDiff.h"
#include "Output.h"
#include "Paths.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

namespace trainlint {

namespace fs = llvm::sys::fs;

void ChangedLines::addUnifiedDiff(llvm::StringRef Diff) {
  std::vector<std::pair<unsigned, unsigned>> *Current = nullptr;
  while (!Diff.empty()) {
    auto [Line, Rest] = Diff.split('\n');
    Diff = Rest;
    if (Line.consume_front("+++ ")) {
      // "+++ b/path", or "+++ /dev/null" for a deleted file.
      Current = Line.consume_front("b/") ? &Ranges[Line.rtrim('\r')] : nullptr;
      continue;
    }
    if (!Current || !Line.consume_front("@@ "))
      continue;
    // "@@ -a[,b] +c[,d] @@": lines c .. c+d-1 of the new file.
    size_t Plus = Line.find('+');
    if (Plus == llvm::StringRef::npos)
      continue;
    llvm::StringRef NewRange = Line.drop_front(Plus + 1).split(' ').first;
    auto [StartText, CountText] = NewRange.split(',');
    unsigned Start = 0, Count = 1;
    if (StartText.getAsInteger(10, Start) ||
        (!CountText.empty() && CountText.getAsInteger(10, Count)))
      continue;
    if (Count > 0)
      Current->push_back({Start, Start + Count - 1});
  }
}

void ChangedLines::addWholeFile(llvm::StringRef RelativePath) {
  WholeFiles.insert(RelativePath);
}

bool ChangedLines::contains(llvm::StringRef RelativePath, unsigned Line) const {
  if (WholeFiles.contains(RelativePath))
    return true;
  auto It = Ranges.find(RelativePath);
  if (It == Ranges.end())
    return false;
  for (const auto &[First, Last] : It->second)
    if (First <= Line && Line <= Last)
      return true;
  return false;
}

namespace {

llvm::Error gitError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "--diff: " + Message);
}

/// Runs git with \p Args in \p Dir and returns its standard output.
llvm::Expected<std::string> runGit(llvm::StringRef Dir,
                                   llvm::ArrayRef<llvm::StringRef> Args) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return gitError("git is not on the PATH");
  llvm::SmallString<128> Out, Err;
  if (fs::createTemporaryFile("trainlint-git", "out", Out) ||
      fs::createTemporaryFile("trainlint-git", "err", Err))
    return gitError("cannot create a temporary file");
  std::vector<llvm::StringRef> Command = {*Git, "-C", Dir, "-c",
                                          "core.quotePath=false"};
  Command.insert(Command.end(), Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef(Err)};
  int Status =
      llvm::sys::ExecuteAndWait(*Git, Command, std::nullopt, Redirects);
  auto Output = llvm::MemoryBuffer::getFile(Out);
  auto Errors = llvm::MemoryBuffer::getFile(Err);
  removeTemporary(Out);
  removeTemporary(Err);
  if (Status != 0)
    return gitError(
        "git " + Args.front() + " failed: " +
        (Errors ? (*Errors)->getBuffer().trim() : llvm::StringRef("")));
  if (!Output)
    return gitError("cannot read git's output");
  return (*Output)->getBuffer().str();
}

} // namespace

llvm::Expected<ChangedLines> changedLinesSince(llvm::StringRef Revision,
                                               llvm::StringRef Dir,
                                               std::string &TopLevel) {
  auto Top = runGit(Dir, {"rev-parse", "--show-toplevel"});
  if (!Top)
    return Top.takeError();
  TopLevel = llvm::StringRef(*Top).trim().str();
  // The diff of the working tree against the revision, zero lines of context:
  // every hunk is exactly the changed lines.
  auto Diff = runGit(
      TopLevel, {"diff", "-U0", "--no-color", "--no-ext-diff", Revision, "--"});
  if (!Diff)
    return Diff.takeError();
  auto Untracked =
      runGit(TopLevel, {"ls-files", "--others", "--exclude-standard"});
  if (!Untracked)
    return Untracked.takeError();
  ChangedLines Changed;
  Changed.addUnifiedDiff(*Diff);
  llvm::StringRef Files = *Untracked;
  while (!Files.empty()) {
    auto [File, Rest] = Files.split('\n');
    Files = Rest;
    if (!File.trim().empty())
      Changed.addWholeFile(File.trim());
  }
  return Changed;
}

void keepChangedLines(std::vector<Finding> &Findings,
                      const ChangedLines &Changed, llvm::StringRef TopLevel) {
  llvm::erase_if(Findings, [&](const Finding &F) {
    return !Changed.contains(relativeToRoot(F.Where.File, TopLevel),
                             F.Where.Line);
  });
}

} // namespace trainlint
