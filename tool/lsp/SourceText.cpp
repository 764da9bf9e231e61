//===--- SourceText.cpp - LSP positions in an editor's text ---------------===//

#include "lsp/SourceText.h"
#include "llvm/ADT/StringExtras.h"

namespace trainlint::lsp {

namespace {

/// How many bytes the UTF-8 sequence starting with \p Lead has, 1 for a byte
/// that does not start a valid sequence.
size_t sequenceLength(llvm::StringRef Text, size_t Offset) {
  unsigned char Lead = Text[Offset];
  size_t Length = Lead < 0x80   ? 1
                  : Lead < 0xC2 ? 0
                  : Lead < 0xE0 ? 2
                  : Lead < 0xF0 ? 3
                  : Lead < 0xF5 ? 4
                                : 0;
  if (Length == 0 || Offset + Length > Text.size())
    return 1;
  for (size_t I = 1; I < Length; ++I)
    if ((static_cast<unsigned char>(Text[Offset + I]) & 0xC0) != 0x80)
      return 1;
  return Length;
}

/// UTF-16 code units of the sequence: a code point beyond the basic plane
/// (4 UTF-8 bytes) takes a surrogate pair.
unsigned utf16Units(size_t SequenceLength) {
  return SequenceLength == 4 ? 2 : 1;
}

size_t lineEnd(llvm::StringRef Text, size_t LineStart) {
  size_t End = Text.find('\n', LineStart);
  return End == llvm::StringRef::npos ? Text.size() : End;
}

} // namespace

size_t lineStartOffset(llvm::StringRef Text, unsigned Line) {
  size_t Offset = 0;
  for (unsigned L = 1; L < Line; ++L) {
    size_t NewLine = Text.find('\n', Offset);
    if (NewLine == llvm::StringRef::npos)
      return Text.size();
    Offset = NewLine + 1;
  }
  return Offset;
}

llvm::Expected<size_t> positionToOffset(llvm::StringRef Text, Position Pos) {
  size_t Start = 0;
  for (unsigned L = 0; L < Pos.Line; ++L) {
    size_t NewLine = Text.find('\n', Start);
    if (NewLine == llvm::StringRef::npos)
      return llvm::createStringError(
          "line " + llvm::Twine(Pos.Line) + " is past the end of the text (" +
          llvm::Twine(L + 1) + " lines)");
    Start = NewLine + 1;
  }
  size_t End = lineEnd(Text, Start);
  // A "\r\n" line ends before its '\r'.
  if (End > Start && Text[End - 1] == '\r')
    --End;
  size_t Offset = Start;
  unsigned Units = 0;
  while (Offset < End && Units < Pos.Character) {
    size_t Length = sequenceLength(Text, Offset);
    Units += utf16Units(Length);
    Offset += Length;
  }
  return Offset;
}

Position offsetToPosition(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  Position Pos;
  size_t LineStart = 0;
  for (size_t NewLine = Text.find('\n');
       NewLine != llvm::StringRef::npos && NewLine < Offset;
       NewLine = Text.find('\n', LineStart)) {
    ++Pos.Line;
    LineStart = NewLine + 1;
  }
  for (size_t I = LineStart; I < Offset;) {
    size_t Length = sequenceLength(Text, I);
    Pos.Character += utf16Units(Length);
    I += Length;
  }
  return Pos;
}

Position lineColumnToPosition(llvm::StringRef Text, unsigned Line,
                              unsigned Column) {
  size_t Start = lineStartOffset(Text, Line);
  size_t Offset =
      std::min(Start + (Column ? Column - 1 : 0), lineEnd(Text, Start));
  return offsetToPosition(Text, Offset);
}

llvm::Error applyChange(std::string &Text, std::optional<Range> Where,
                        llvm::StringRef NewText) {
  if (!Where) {
    Text = NewText.str();
    return llvm::Error::success();
  }
  llvm::Expected<size_t> Start = positionToOffset(Text, Where->Start);
  if (!Start)
    return Start.takeError();
  llvm::Expected<size_t> End = positionToOffset(Text, Where->End);
  if (!End)
    return End.takeError();
  if (*End < *Start)
    return llvm::createStringError("the change's range ends before it starts");
  Text.replace(*Start, *End - *Start, NewText.str());
  return llvm::Error::success();
}

Range tokenRangeAt(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  size_t End = Offset;
  auto IsWordByte = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  while (End < Text.size() && IsWordByte(Text[End]))
    ++End;
  if (End == Offset && Offset < Text.size() && Text[Offset] != '\n' &&
      Text[Offset] != '\r')
    End += sequenceLength(Text, Offset);
  return {offsetToPosition(Text, Offset), offsetToPosition(Text, End)};
}

} // namespace trainlint::lsp
