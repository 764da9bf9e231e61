//===--- ResultCache.h - analyses of unchanged files, kept ------*- C++ -*-===//
//
// `trainlint check` keeps what the analysis of each translation unit
// returned (its findings, its candidates and its graph, as the worker wrote
// them) under the build folder, keyed by what can change them: the unit's
// compile command, trainlint itself, the check configuration and the
// `.clang-tidy` files that apply. An entry records every file the analysis
// read, with its content hash; it is used only when each of them is
// unchanged, so that an edit to any header included reanalyzes the file.
//
// The cache folder also holds the shared preambles (Preamble.h). Entries are
// written whole (a temporary file renamed), a damaged one reads as absent,
// and the least recently used are removed when the folder outgrows its size.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_RESULTCACHE_H
#define TRAINLINT_TOOL_RESULTCACHE_H

#include "Analyzer.h"
#include "InputFiles.h"
#include "TranslationUnits.h"
#include "llvm/ADT/ArrayRef.h"
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace trainlint {

/// The cache's folder under the build folder.
inline constexpr llvm::StringLiteral CacheFolderName = ".trainlint-cache";

/// The cache's folder: \p Explicit (`--cache-dir`) when given, else
/// CacheFolderName in \p DatabaseDirectory; empty (no cache) when there is
/// neither.
std::string cacheFolder(const std::optional<std::string> &Explicit,
                        llvm::StringRef DatabaseDirectory);

/// The size the cache folder is kept under unless `--cache-size` says.
inline constexpr uint64_t DefaultCacheBytes = 4ull << 30;

/// Parses a size: a number of bytes with an optional K, M or G (powers of
/// 1024).
std::optional<uint64_t> parseByteSize(llvm::StringRef Text);

/// What a worker wrote for one unit, as text, and what it read.
struct UnitOutputs {
  /// The JSON report.
  std::string Result;
  /// The unit's graph; empty when the unit had no AST.
  std::string Graph;
  /// Every file the analysis read, absolute.
  std::vector<std::string> Inputs;
  bool UsedPreamble = false;
};

class ResultCache {
public:
  /// A cache in \p Directory kept under \p MaxBytes, for the runs whose
  /// configuration (checks, level, `--config`) is \p Options, by the
  /// trainlint executable at \p Executable.
  ResultCache(std::string Directory, uint64_t MaxBytes,
              const AnalysisOptions &Options, llvm::StringRef Executable);

  /// The key of \p Unit's entry.
  std::string keyOf(const TranslationUnit &Unit);

  /// The entry of \p Key, when it reads whole and every file it records is
  /// unchanged.
  std::optional<UnitOutputs> lookup(llvm::StringRef Key);

  /// Records \p Outputs under \p Key, unless a file it read changed since
  /// \p Started (the analysis may have seen either content).
  void store(llvm::StringRef Key, const UnitOutputs &Outputs,
             std::chrono::system_clock::time_point Started);

  /// Removes the least recently used results and preambles until the
  /// folder is under its size.
  void evict();

  /// Where the shared preambles are kept.
  std::string preambleDirectory() const;

private:
  std::string entryPath(llvm::StringRef Key) const;

  std::string Directory;
  uint64_t MaxBytes;
  std::string RunKey;
  FileHashes Hashes;
};

} // namespace trainlint

#endif // TRAINLINT_TOOL_RESULTCACHE_H
