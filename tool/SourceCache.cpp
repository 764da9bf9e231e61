//===--- SourceCache.cpp - source files read once, by path
//-----------------===//

#include "SourceCache.h"
#include <algorithm>

namespace trainlint {

const SourceCache::Entry *SourceCache::get(llvm::StringRef Path) {
  auto [It, Inserted] = Files.try_emplace(Path);
  if (!Inserted)
    return It->second.get();
  auto Buffer =
      FileSystem ? FileSystem->getBufferForFile(Path, /*FileSize=*/-1,
                                                /*RequiresNullTerminator=*/false)
                 : llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return nullptr;
  auto New = std::make_unique<Entry>();
  New->Buffer = std::move(*Buffer);
  llvm::StringRef Text = New->Buffer->getBuffer();
  New->LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      New->LineStarts.push_back(I + 1);
  It->second = std::move(New);
  return It->second.get();
}

std::optional<llvm::StringRef> SourceCache::contents(llvm::StringRef Path) {
  if (const Entry *E = get(Path))
    return E->Buffer->getBuffer();
  return std::nullopt;
}

std::optional<std::pair<unsigned, unsigned>>
SourceCache::lineAndColumn(llvm::StringRef Path, unsigned Offset) {
  const Entry *E = get(Path);
  if (!E || Offset > E->Buffer->getBufferSize())
    return std::nullopt;
  auto It =
      std::upper_bound(E->LineStarts.begin(), E->LineStarts.end(), Offset);
  unsigned Line = It - E->LineStarts.begin();
  return std::make_pair(Line, Offset - E->LineStarts[Line - 1] + 1);
}

std::optional<unsigned> SourceCache::lineOffset(llvm::StringRef Path,
                                                unsigned Line) {
  const Entry *E = get(Path);
  if (!E || Line == 0 || Line > E->LineStarts.size())
    return std::nullopt;
  return E->LineStarts[Line - 1];
}

std::optional<llvm::StringRef> SourceCache::lineText(llvm::StringRef Path,
                                                     unsigned Line) {
  const Entry *E = get(Path);
  if (!E || Line == 0 || Line > E->LineStarts.size())
    return std::nullopt;
  llvm::StringRef Text = E->Buffer->getBuffer();
  unsigned Begin = E->LineStarts[Line - 1];
  unsigned End =
      Line < E->LineStarts.size() ? E->LineStarts[Line] - 1 : Text.size();
  llvm::StringRef Result = Text.slice(Begin, End);
  if (Result.ends_with("\r"))
    Result = Result.drop_back();
  return Result;
}

} // namespace trainlint
