//===--- ProjectHotPath.h - the hot path across a project's files -*- C++ -*-=//
//
// clang-tidy sees one translation unit at a time; a training project does
// not fit in one. Each worker of `trainlint check` exports its unit's graph
// (ProjectGraph.h) and reports the findings whose hot path its unit cannot
// decide as candidates: findings with a deferred note that says where they
// sit. The graphs join into the project's graph, and the candidates that a
// step loop anywhere in the project reaches become findings, with notes that
// name the loop and the calls in the other files.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_PROJECTHOTPATH_H
#define TRAINLINT_TOOL_PROJECTHOTPATH_H

#include "Finding.h"
#include "model/ProjectGraph.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace trainlint {

/// What a project run knows beyond its findings, as `--export-summary`
/// writes it: the project's graph and the undecided candidates.
struct ProjectSummary {
  ProjectGraph Graph;
  /// Findings that carry a deferred hot-path note.
  std::vector<Finding> Candidates;
  /// The project root of the run, which the candidates' fingerprints take
  /// their paths relative to once they are decided.
  std::string ProjectRoot;

  /// Adds \p Other's graph (functions already here win) and candidates.
  void merge(const ProjectSummary &Other);
};

/// The version of the summary format.
inline constexpr int SummaryFormatVersion = 1;

void writeSummary(const ProjectSummary &Summary, llvm::raw_ostream &OS);
llvm::Expected<ProjectSummary> readSummary(llvm::StringRef Text,
                                           llvm::StringRef Name);
llvm::Expected<ProjectSummary> readSummaryFile(llvm::StringRef Path);

/// Whether \p F carries a deferred hot-path note.
bool isCandidate(const Finding &F);

/// Moves the candidates out of \p R.
std::vector<Finding> takeCandidates(Report &R);

/// The candidates of \p Summary that its graph makes hot, as findings: the
/// loop's kind in their messages, and notes for the calls and the loop in
/// place of the deferred note. The others are dropped.
std::vector<Finding> resolveCandidates(const ProjectSummary &Summary);

} // namespace trainlint

#endif // TRAINLINT_TOOL_PROJECTHOTPATH_H
