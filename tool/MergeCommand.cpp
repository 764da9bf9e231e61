//===--- MergeCommand.cpp - `trainlint merge`
//------------------------------===//
//
// Joins the JSON or SARIF reports of the shards of a CI matrix into one, in
// any output format. A finding two shards both report (one in a header
// included from both) appears once; the result equals one unsharded run.
//
//===----------------------------------------------------------------------===//

#include "Arguments.h"
#include "Commands.h"
#include "Fingerprint.h"
#include "Output.h"
#include "Paths.h"
#include "ProjectHotPath.h"
#include "formats/Formats.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace trainlint {

namespace {

struct MergeOptions {
  std::optional<OutputFormat> Format;
  std::optional<std::string> Output;
  std::optional<Severity> FailLevel = Severity::Warning;
  std::optional<std::string> ProjectRoot;
  std::vector<std::string> Summaries;
  bool Help = false;
};

std::vector<OptionSpec> mergeOptionSpecs(MergeOptions &O) {
  return {
      {{"--format"},
       "FORMAT",
       "output format (default: that of the inputs): text, json, sarif, "
       "codeclimate or github",
       [&O](llvm::StringRef V) {
         O.Format = parseOutputFormat(V);
         return O.Format ? std::string() : "invalid --format '" + V.str() + "'";
       }},
      {{"-o", "--output"},
       "FILE",
       "write the merged report to FILE",
       [&O](llvm::StringRef V) {
         O.Output = V.str();
         return std::string();
       }},
      summaryOption(O.Summaries,
                    "a shard's --export-summary; with every shard's, the "
                    "findings whose hot path crosses shards are decided on "
                    "the whole project; repeatable"),
      failLevelOption(O.FailLevel),
      {{"--project-root"},
       "DIR",
       "root for relative paths (default: the git work tree, else the current "
       "directory)",
       [&O](llvm::StringRef V) {
         O.ProjectRoot = V.str();
         return std::string();
       }},
      {{"-h", "--help"},
       "",
       "show this help",
       [&O](llvm::StringRef) {
         O.Help = true;
         return std::string();
       }},
  };
}

int usageError(const llvm::Twine &Message) {
  llvm::errs() << "trainlint merge: error: " << Message
               << "\n(see 'trainlint merge --help')\n";
  return ExitError;
}

/// Reads one input, JSON or SARIF by its content.
llvm::Expected<Report> readInput(llvm::StringRef Path, SourceCache &Sources,
                                 OutputFormat &Format) {
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Path);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "%s: %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  llvm::StringRef Text = (*Buffer)->getBuffer();
  auto Root = llvm::json::parse(Text);
  if (!Root)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not valid JSON: %s", Path.str().c_str(),
                                   llvm::toString(Root.takeError()).c_str());
  const llvm::json::Object *O = Root->getAsObject();
  if (O && O->get("runs")) {
    Format = OutputFormat::Sarif;
    return readSarifReport(Text, Path, Sources);
  }
  Format = OutputFormat::Json;
  return readJsonReport(Text, Path);
}

} // namespace

int runMergeCommand(llvm::ArrayRef<const char *> Args) {
  MergeOptions O;
  std::vector<OptionSpec> Specs = mergeOptionSpecs(O);
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/false);
  if (!Parsed)
    return usageError(llvm::toString(Parsed.takeError()));
  if (O.Help) {
    llvm::outs() << "usage: trainlint merge [options] [--summary FILE...] REPORTS...\n\n"
                    "Joins JSON or SARIF reports of `trainlint check --shard` "
                    "into one.\n\noptions:\n";
    printOptionHelp(llvm::outs(), Specs);
    return ExitClean;
  }
  if (Parsed->Positional.empty() && O.Summaries.empty())
    return usageError("no reports to merge");

  SourceCache Sources;
  Report Merged;
  std::optional<OutputFormat> InputFormat;
  bool Mixed = false;
  for (const std::string &Path : Parsed->Positional) {
    OutputFormat Format;
    auto R = readInput(Path, Sources, Format);
    if (!R) {
      llvm::errs() << "trainlint merge: error: "
                   << llvm::toString(R.takeError()) << "\n";
      return ExitError;
    }
    Mixed |= InputFormat && *InputFormat != Format;
    InputFormat = Format;
    Merged.append(std::move(*R));
  }
  if (Mixed && !O.Format)
    return usageError("the reports mix JSON and SARIF; choose --format");
  std::string Root =
      O.ProjectRoot ? absolutePath(*O.ProjectRoot) : detectProjectRoot();

  ProjectSummary Summary;
  for (const std::string &Path : O.Summaries) {
    auto Shard = readSummaryFile(Path);
    if (!Shard) {
      llvm::errs() << "trainlint merge: error: --summary: "
                   << llvm::toString(Shard.takeError()) << "\n";
      return ExitError;
    }
    Summary.merge(*Shard);
  }
  // Each unit that includes a header defers its findings: one of each.
  Report AcrossFiles;
  AcrossFiles.Findings = resolveCandidates(Summary);
  AcrossFiles.normalize();
  // Fingerprints as the shards would have given them: relative to the root
  // their runs had, unless told otherwise.
  assignFingerprints(AcrossFiles.Findings,
                     O.ProjectRoot || Summary.ProjectRoot.empty()
                         ? llvm::StringRef(Root)
                         : llvm::StringRef(Summary.ProjectRoot),
                     Sources);
  for (Finding &F : AcrossFiles.Findings)
    Merged.Findings.push_back(std::move(F));
  Merged.normalize();

  EmitContext Ctx{Root, &Sources, false};
  OutputFormat Format =
      O.Format.value_or(InputFormat.value_or(OutputFormat::Json));
  if (llvm::Error Err = writeFileAtomically(
          O.Output.value_or("-"),
          [&](llvm::raw_ostream &OS) { emitReport(Format, Merged, OS, Ctx); }))
    Merged.Errors.push_back(
        {"", "--output: " + llvm::toString(std::move(Err))});
  printErrors(Merged);
  return exitStatusFor(Merged, O.FailLevel);
}

} // namespace trainlint
