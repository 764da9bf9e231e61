//===--- ProjectHotPath.cpp - the hot path across a project's files -------===//

#include "ProjectHotPath.h"
#include "formats/Formats.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace trainlint {

namespace json = llvm::json;

void ProjectSummary::merge(const ProjectSummary &Other) {
  Graph.merge(Other.Graph);
  if (ProjectRoot.empty())
    ProjectRoot = Other.ProjectRoot;
  Candidates.insert(Candidates.end(), Other.Candidates.begin(),
                    Other.Candidates.end());
}

void writeSummary(const ProjectSummary &Summary, llvm::raw_ostream &OS) {
  // The candidates travel as a JSON report, the format the tool reads back.
  Report Candidates;
  Candidates.Findings = Summary.Candidates;
  std::string Text;
  llvm::raw_string_ostream Stream(Text);
  emitJson(Candidates, Stream, EmitContext());
  auto CandidatesJson = json::parse(Text);
  assert(CandidatesJson && "emitJson writes valid JSON");
  json::Value Root = json::Object{{"trainlint_summary", SummaryFormatVersion},
                                  {"project_root", Summary.ProjectRoot},
                                  {"graph", Summary.Graph.toJson()},
                                  {"candidates", std::move(*CandidatesJson)}};
  OS << llvm::formatv("{0:2}", Root) << "\n";
}

llvm::Expected<ProjectSummary> readSummary(llvm::StringRef Text,
                                           llvm::StringRef Name) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Name + ": " + Why);
  };
  auto Root = json::parse(Text);
  if (!Root)
    return Fail("not valid JSON: " + llvm::toString(Root.takeError()));
  const json::Object *O = Root->getAsObject();
  if (!O || !O->getInteger("trainlint_summary"))
    return Fail("not a trainlint summary");
  if (*O->getInteger("trainlint_summary") != SummaryFormatVersion)
    return Fail("unsupported summary version");
  const json::Value *Graph = O->get("graph");
  const json::Value *Candidates = O->get("candidates");
  if (!Graph || !Candidates)
    return Fail("a summary needs 'graph' and 'candidates'");
  ProjectSummary Summary;
  if (auto Root = O->getString("project_root"))
    Summary.ProjectRoot = Root->str();
  auto ParsedGraph = ProjectGraph::fromJson(*Graph);
  if (!ParsedGraph)
    return Fail(llvm::toString(ParsedGraph.takeError()));
  Summary.Graph = std::move(*ParsedGraph);
  std::string CandidatesText;
  llvm::raw_string_ostream Stream(CandidatesText);
  Stream << *Candidates;
  auto Report = readJsonReport(CandidatesText, Name);
  if (!Report)
    return Report.takeError();
  Summary.Candidates = std::move(Report->Findings);
  return Summary;
}

llvm::Expected<ProjectSummary> readSummaryFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  return readSummary((*Buffer)->getBuffer(), Path);
}

namespace {

/// The deferred note of \p F and where it is.
std::optional<std::pair<DeferredHotPath, size_t>>
deferredNoteOf(const Finding &F) {
  for (size_t I = 0; I < F.Notes.size(); ++I)
    if (auto D = decodeDeferredNote(F.Notes[I].Message))
      return std::make_pair(std::move(*D), I);
  return std::nullopt;
}

Location locationOf(const SourcePoint &P) { return {P.File, P.Line, P.Column}; }

void replaceAll(std::string &Text, llvm::StringRef From, llvm::StringRef To) {
  for (size_t At = Text.find(From); At != std::string::npos;
       At = Text.find(From, At + To.size()))
    Text.replace(At, From.size(), To.str());
}

/// Whether the loop of \p R, or a function on the way, reads a clock.
bool timesItself(const ProjectGraph &G, const HotReach &R) {
  if (G.Functions.at(R.LoopFunction).Loops[R.Loop].TimesItself)
    return true;
  for (const auto &[Caller, Index] : R.Chain)
    if (G.timesItself(G.Functions.at(Caller).Calls[Index].Callee))
      return true;
  return false;
}

} // namespace

bool isCandidate(const Finding &F) { return deferredNoteOf(F).has_value(); }

std::vector<Finding> takeCandidates(Report &R) {
  std::vector<Finding> Candidates;
  auto Split = std::stable_partition(
      R.Findings.begin(), R.Findings.end(),
      [](const Finding &F) { return !isCandidate(F); });
  std::move(Split, R.Findings.end(), std::back_inserter(Candidates));
  R.Findings.erase(Split, R.Findings.end());
  return Candidates;
}

std::vector<Finding> resolveCandidates(const ProjectSummary &Summary) {
  std::vector<Finding> Result;
  if (Summary.Candidates.empty())
    return Result;
  const ProjectGraph &G = Summary.Graph;
  HotAnalysis Analysis(G);
  for (const Finding &Candidate : Summary.Candidates) {
    auto Deferred = deferredNoteOf(Candidate);
    if (!Deferred)
      continue;
    const DeferredHotPath &D = Deferred->first;
    // Its unit names no device but the CPU, and neither does the project.
    if (D.NeedsAccelerator && G.Devices != DeviceEvidence::MaybeAccelerator)
      continue;
    // What the loop or the whole program does or lacks, with the calls that
    // left its unit; a finding for a CPU-only program, on the project's
    // devices.
    if (!Analysis.holds(D))
      continue;
    if (D.Decided) {
      Finding F = Candidate;
      F.Notes.erase(F.Notes.begin() + Deferred->second);
      Result.push_back(std::move(F));
      continue;
    }
    std::optional<HotReach> Reach = Analysis.resolve(D.Function, D.At);
    // No step loop of the project reaches it, or only every N steps.
    if (!Reach || Reach->Gated)
      continue;
    // A synchronization that makes a measurement true.
    if (D.NeedsUntimedLoop && timesItself(G, *Reach))
      continue;

    Finding F = Candidate;
    llvm::StringRef Kind = loopKindName(Reach->Kind);
    replaceAll(F.Message, UndecidedLoopText, Kind);
    std::vector<Note> HotNotes;
    for (auto It = Reach->Chain.rbegin(); It != Reach->Chain.rend(); ++It) {
      const GraphCall &Call = G.Functions.at(It->first).Calls[It->second];
      HotNotes.push_back(
          {callNoteText(Call.CalleeName, Reach->Kind), locationOf(Call.Where)});
    }
    HotNotes.push_back(
        {loopNoteText(Reach->Kind),
         locationOf(G.Functions.at(Reach->LoopFunction).Loops[Reach->Loop].Where)});
    F.Notes.erase(F.Notes.begin() + Deferred->second);
    F.Notes.insert(F.Notes.begin() + Deferred->second, HotNotes.begin(),
                   HotNotes.end());
    for (Note &N : F.Notes)
      replaceAll(N.Message, UndecidedLoopText, Kind);
    Result.push_back(std::move(F));
  }
  return Result;
}

} // namespace trainlint
