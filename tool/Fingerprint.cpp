//===--- Fingerprint.cpp - finding identities that survive edits
//-----------===//

#include "Fingerprint.h"
#include "Paths.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SHA256.h"

namespace trainlint {

std::string normalizeSourceLine(llvm::StringRef Line) {
  std::string Result;
  bool PendingSpace = false;
  for (char C : Line.trim()) {
    if (llvm::isSpace(C)) {
      PendingSpace = true;
      continue;
    }
    if (PendingSpace)
      Result += ' ';
    PendingSpace = false;
    Result += C;
  }
  return Result;
}

void assignFingerprints(std::vector<Finding> &Findings, llvm::StringRef Root,
                        SourceCache &Sources) {
  llvm::StringMap<unsigned> Seen;
  for (Finding &F : Findings) {
    std::string Key = F.Check;
    Key += '\0';
    Key += relativeToRoot(F.Where.File, Root);
    Key += '\0';
    if (auto Line = Sources.lineText(F.Where.File, F.Where.Line))
      Key += normalizeSourceLine(*Line);
    else
      // FIXME: an unreadable file gives a fingerprint that moves with edits.
      Key += "line " + std::to_string(F.Where.Line);
    unsigned Occurrence = Seen[Key]++;
    Key += '\0';
    Key += std::to_string(Occurrence);
    auto Hash = llvm::SHA256::hash(llvm::arrayRefFromStringRef(Key));
    F.Fingerprint =
        llvm::toHex(llvm::ArrayRef<uint8_t>(Hash).take_front(16), true);
  }
}

} // namespace trainlint
