//===--- Fingerprint.h - finding identities that survive edits --*- C++ -*-===//

#ifndef TRAINLINT_TOOL_FINGERPRINT_H
#define TRAINLINT_TOOL_FINGERPRINT_H

#include "Finding.h"
#include "SourceCache.h"

namespace trainlint {

/// The version of the fingerprint recipe, part of SARIF's
/// `partialFingerprints` key so that a future recipe does not collide.
inline constexpr llvm::StringLiteral FingerprintKey = "trainlint/v1";

/// \p Line with leading and trailing whitespace removed and every run of
/// inner whitespace collapsed to one space.
std::string normalizeSourceLine(llvm::StringRef Line);

/// Gives each finding a fingerprint: a hash of its check, its file relative
/// to \p Root, the normalized text of its line, and its index among the
/// findings before it with those same three. Line numbers are not part of
/// it, so edits above a finding leave it unchanged. \p Findings must be in
/// report order.
void assignFingerprints(std::vector<Finding> &Findings, llvm::StringRef Root,
                        SourceCache &Sources);

} // namespace trainlint

#endif // TRAINLINT_TOOL_FINGERPRINT_H
