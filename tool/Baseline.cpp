//===--- Baseline.cpp - findings accepted earlier
//--------------------------===//

#include "Baseline.h"
#include "formats/Formats.h"
#include "llvm/Support/MemoryBuffer.h"

namespace trainlint {

llvm::Expected<llvm::StringSet<>> readBaseline(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  auto R = readJsonReport((*Buffer)->getBuffer(), Path);
  if (!R)
    return R.takeError();
  llvm::StringSet<> Fingerprints;
  for (const Finding &F : R->Findings)
    if (!F.Fingerprint.empty())
      Fingerprints.insert(F.Fingerprint);
  return Fingerprints;
}

void subtractBaseline(std::vector<Finding> &Findings,
                      const llvm::StringSet<> &Baseline) {
  llvm::erase_if(Findings, [&](const Finding &F) {
    return Baseline.contains(F.Fingerprint);
  });
}

} // namespace trainlint
