//===--- SarifFormat.cpp - SARIF 2.1.0 for code scanning
//-------------------===//
//
// One run with a rule per check (its summary, level and documentation page),
// one result per finding with its notes as related locations, its fix-it as
// a fix and its fingerprint under `partialFingerprints`; one from a file
// that does not compile has the property `trainlint-from-file-with-errors`.
// Paths under the project root are relative to `%SRCROOT%`. Tool errors are
// execution notifications of the invocation. The reader reads this shape back.
//
//===----------------------------------------------------------------------===//

#include "Fingerprint.h"
#include "Formats.h"
#include "Paths.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#ifndef TRAINLINT_VERSION
#define TRAINLINT_VERSION "0.0.0"
#endif
#ifndef TRAINLINT_DOCS_URL
#define TRAINLINT_DOCS_URL                                                     \
  "https://github.com/trainlint/trainlint/blob/main/docs"
#endif

namespace trainlint {

namespace json = llvm::json;

namespace {

constexpr llvm::StringLiteral SchemaUri =
    "https://json.schemastore.org/sarif-2.1.0.json";
constexpr llvm::StringLiteral RootBaseId = "%SRCROOT%";
constexpr llvm::StringLiteral LevelProperty = "trainlint-level";
constexpr llvm::StringLiteral FromFileWithErrorsProperty =
    "trainlint-from-file-with-errors";

llvm::StringRef sarifLevel(Severity Sev) {
  switch (Sev) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "warning";
}

/// What GitHub code scanning calls precision, from the check's level.
llvm::StringRef precision(CheckLevel Level) {
  switch (Level) {
  case CheckLevel::Level0:
    return "very-high";
  case CheckLevel::Level1:
    return "high";
  case CheckLevel::Level2:
    return "medium";
  case CheckLevel::Manual:
    return "low";
  }
  return "high";
}

/// The rule's friendly name: torch-sync-item is TorchSyncItem.
std::string friendlyName(llvm::StringRef Check) {
  std::string Name;
  for (llvm::StringRef Word : llvm::split(Check, '-'))
    if (!Word.empty())
      Name += llvm::toUpper(Word.front()) + Word.drop_front().str();
  return Name;
}

class SarifWriter {
public:
  SarifWriter(json::OStream &J, const EmitContext &Ctx) : J(J), Ctx(Ctx) {
    for (size_t I = 0; I < allChecks().size(); ++I)
      RuleIndex[allChecks()[I].Name] = I;
  }

  void write(const Report &R) {
    J.object([&] {
      J.attribute("$schema", SchemaUri);
      J.attribute("version", "2.1.0");
      J.attributeArray("runs", [&] { J.object([&] { writeRun(R); }); });
    });
  }

private:
  void writeRun(const Report &R) {
    J.attributeObject("tool", [&] {
      J.attributeObject("driver", [&] {
        J.attribute("name", "trainlint");
        J.attribute("version", TRAINLINT_VERSION);
        J.attribute("semanticVersion", TRAINLINT_VERSION);
        J.attribute("informationUri", TRAINLINT_DOCS_URL);
        J.attributeArray("rules", [&] {
          for (const CheckInfo &Info : allChecks())
            writeRule(Info);
        });
      });
    });
    J.attributeObject("originalUriBaseIds", [&] {
      J.attributeObject(RootBaseId, [&] {
        std::string Root = Ctx.ProjectRoot;
        if (!llvm::StringRef(Root).ends_with("/"))
          Root += '/';
        J.attribute("uri", fileUri(Root));
      });
    });
    J.attributeArray("invocations", [&] {
      J.object([&] {
        J.attribute("executionSuccessful", R.Errors.empty());
        J.attributeArray("toolExecutionNotifications", [&] {
          for (const ToolError &E : R.Errors)
            writeNotification(E);
        });
      });
    });
    J.attribute("columnKind", "unicodeCodePoints");
    J.attributeArray("results", [&] {
      for (const Finding &F : R.Findings)
        writeResult(F);
    });
  }

  void writeRule(const CheckInfo &Info) {
    J.object([&] {
      J.attribute("id", Info.Name);
      J.attribute("name", friendlyName(Info.Name));
      J.attributeObject("shortDescription",
                        [&] { J.attribute("text", Info.Summary); });
      // GitHub code scanning requires a full description as well.
      J.attributeObject("fullDescription",
                        [&] { J.attribute("text", Info.Summary); });
      J.attribute("helpUri", checkDocsUrl(Info.Name));
      J.attributeObject("help", [&] {
        J.attribute("text",
                    (Info.Summary + " See " + checkDocsUrl(Info.Name)).str());
      });
      J.attributeObject("defaultConfiguration",
                        [&] { J.attribute("level", "warning"); });
      J.attributeObject("properties", [&] {
        J.attributeArray("tags", [&] {
          J.value("performance");
          J.value(Info.Family);
        });
        J.attribute("precision", precision(Info.Level));
        J.attribute(LevelProperty, levelName(Info.Level));
      });
    });
  }

  void writeArtifact(llvm::StringRef File) {
    J.attributeObject("artifactLocation", [&] {
      std::string Relative = relativeToRoot(File, Ctx.ProjectRoot);
      if (llvm::sys::path::is_relative(Relative)) {
        J.attribute("uri", uriEncodePath(Relative));
        J.attribute("uriBaseId", RootBaseId);
      } else {
        J.attribute("uri", fileUri(File));
      }
    });
  }

  unsigned column(const Location &Where) {
    if (Ctx.Sources)
      if (auto Line = Ctx.Sources->lineText(Where.File, Where.Line))
        return codePointColumn(*Line, Where.Column);
    return Where.Column;
  }

  void writePhysicalLocation(const Location &Where) {
    J.attributeObject("physicalLocation", [&] {
      writeArtifact(Where.File);
      J.attributeObject("region", [&] {
        J.attribute("startLine", Where.Line);
        J.attribute("startColumn", column(Where));
      });
    });
  }

  /// The end of a fix-it's deleted bytes as a line and code-point column.
  Location fixEnd(const FixIt &Fix) {
    Location End = Fix.Where;
    if (!Ctx.Sources)
      return End;
    auto LineCol =
        Ctx.Sources->lineAndColumn(Fix.Where.File, Fix.Offset + Fix.Length);
    if (!LineCol)
      return End;
    End.Line = LineCol->first;
    End.Column = LineCol->second;
    End.Column = column(End);
    return End;
  }

  void writeReplacement(const FixIt &Fix) {
    J.object([&] {
      J.attributeObject("deletedRegion", [&] {
        Location End = fixEnd(Fix);
        J.attribute("startLine", Fix.Where.Line);
        J.attribute("startColumn", column(Fix.Where));
        J.attribute("endLine", End.Line);
        J.attribute("endColumn", End.Column);
        J.attribute("byteOffset", Fix.Offset);
        J.attribute("byteLength", Fix.Length);
      });
      J.attributeObject("insertedContent",
                        [&] { J.attribute("text", Fix.Replacement); });
    });
  }

  void writeFix(const Finding &F) {
    J.object([&] {
      J.attributeObject("description", [&] {
        J.attribute("text", "apply the fix-it of " + F.Check);
      });
      J.attributeArray("artifactChanges", [&] {
        // One change per file, in the order the fix-its name them.
        std::vector<std::string> Files;
        for (const FixIt &Fix : F.FixIts)
          if (llvm::find(Files, Fix.Where.File) == Files.end())
            Files.push_back(Fix.Where.File);
        for (const std::string &File : Files)
          J.object([&] {
            writeArtifact(File);
            J.attributeArray("replacements", [&] {
              for (const FixIt &Fix : F.FixIts)
                if (Fix.Where.File == File)
                  writeReplacement(Fix);
            });
          });
      });
    });
  }

  void writeResult(const Finding &F) {
    J.object([&] {
      J.attribute("ruleId", F.Check);
      auto It = RuleIndex.find(F.Check);
      if (It != RuleIndex.end())
        J.attribute("ruleIndex", It->second);
      J.attribute("level", sarifLevel(F.Sev));
      J.attributeObject("message", [&] { J.attribute("text", F.Message); });
      J.attributeArray("locations", [&] {
        J.object([&] { writePhysicalLocation(F.Where); });
      });
      if (!F.Notes.empty())
        J.attributeArray("relatedLocations", [&] {
          for (size_t I = 0; I < F.Notes.size(); ++I)
            J.object([&] {
              J.attribute("id", static_cast<int64_t>(I));
              J.attributeObject(
                  "message", [&] { J.attribute("text", F.Notes[I].Message); });
              writePhysicalLocation(F.Notes[I].Where);
            });
        });
      if (!F.FixIts.empty())
        J.attributeArray("fixes", [&] { writeFix(F); });
      J.attributeObject("partialFingerprints",
                        [&] { J.attribute(FingerprintKey, F.Fingerprint); });
      J.attributeObject("properties", [&] {
        J.attribute(LevelProperty, levelName(F.Level));
        if (F.FromFileWithErrors)
          J.attribute(FromFileWithErrorsProperty, true);
      });
    });
  }

  void writeNotification(const ToolError &E) {
    J.object([&] {
      J.attribute("level", "error");
      J.attributeObject("message", [&] { J.attribute("text", E.Message); });
      if (!E.File.empty())
        J.attributeArray("locations", [&] {
          J.object([&] {
            J.attributeObject("physicalLocation",
                              [&] { writeArtifact(E.File); });
          });
        });
    });
  }

  json::OStream &J;
  const EmitContext &Ctx;
  llvm::StringMap<size_t> RuleIndex;
};

/// Reads back what SarifWriter writes; anything it does not need is ignored.
class SarifReader {
public:
  SarifReader(llvm::StringRef Name, SourceCache &Sources)
      : Name(Name), Sources(Sources) {}

  llvm::Expected<Report> read(const json::Value &Root) {
    const json::Object *Log = Root.getAsObject();
    const json::Array *Runs = Log ? Log->getArray("runs") : nullptr;
    if (!Runs)
      return error("not a SARIF log (no 'runs')");
    Report R;
    for (const json::Value &Run : *Runs) {
      const json::Object *RunObject = Run.getAsObject();
      if (!RunObject)
        return error("a run is not an object");
      if (llvm::Error Err = readRun(*RunObject, R))
        return std::move(Err);
    }
    return R;
  }

private:
  llvm::Error error(const llvm::Twine &Message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Name + ": " + Message);
  }

  static std::string text(const json::Object *O, llvm::StringRef Key) {
    if (const json::Object *Message = O ? O->getObject(Key) : nullptr)
      if (auto Text = Message->getString("text"))
        return Text->str();
    return "";
  }

  llvm::Error readRun(const json::Object &Run, Report &R) {
    BaseIds.clear();
    if (const json::Object *Bases = Run.getObject("originalUriBaseIds"))
      for (const auto &[Key, Value] : *Bases)
        if (const json::Object *Base = Value.getAsObject())
          if (auto Uri = Base->getString("uri"))
            BaseIds[Key.str()] = pathFromFileUri(*Uri);
    if (const json::Array *Invocations = Run.getArray("invocations"))
      for (const json::Value &Invocation : *Invocations)
        if (const json::Object *I = Invocation.getAsObject())
          if (const json::Array *Notes =
                  I->getArray("toolExecutionNotifications"))
            for (const json::Value &Note : *Notes)
              R.Errors.push_back(readNotification(Note.getAsObject()));
    const json::Array *Results = Run.getArray("results");
    if (!Results)
      return error("a run has no 'results'");
    for (const json::Value &Result : *Results) {
      const json::Object *O = Result.getAsObject();
      if (!O)
        return error("a result is not an object");
      auto F = readResult(*O);
      if (!F)
        return F.takeError();
      R.Findings.push_back(std::move(*F));
    }
    return llvm::Error::success();
  }

  std::string readArtifact(const json::Object *Physical) {
    const json::Object *Artifact =
        Physical ? Physical->getObject("artifactLocation") : nullptr;
    if (!Artifact)
      return "";
    auto Uri = Artifact->getString("uri");
    if (!Uri)
      return "";
    if (auto BaseId = Artifact->getString("uriBaseId")) {
      std::string Base = BaseIds.lookup(*BaseId);
      return Base + uriDecode(*Uri);
    }
    return pathFromFileUri(*Uri);
  }

  /// A region's start as a byte column, from the code-point column written.
  Location readStart(const std::string &File, const json::Object *Region) {
    Location Where;
    Where.File = File;
    if (!Region)
      return Where;
    Where.Line = Region->getInteger("startLine").value_or(0);
    Where.Column = Region->getInteger("startColumn").value_or(0);
    if (auto Line = Sources.lineText(File, Where.Line))
      Where.Column = byteColumn(*Line, Where.Column);
    return Where;
  }

  Location readLocation(const json::Object *Physical) {
    std::string File = readArtifact(Physical);
    return readStart(File, Physical ? Physical->getObject("region") : nullptr);
  }

  ToolError readNotification(const json::Object *O) {
    ToolError E;
    E.Message = text(O, "message");
    if (const json::Array *Locations = O ? O->getArray("locations") : nullptr)
      if (!Locations->empty())
        if (const json::Object *L = Locations->front().getAsObject())
          E.File = readArtifact(L->getObject("physicalLocation"));
    return E;
  }

  void readFixes(const json::Object &Result, Finding &F) {
    const json::Array *Fixes = Result.getArray("fixes");
    if (!Fixes || Fixes->empty())
      return;
    const json::Object *Fix = Fixes->front().getAsObject();
    const json::Array *Changes =
        Fix ? Fix->getArray("artifactChanges") : nullptr;
    if (!Changes)
      return;
    for (const json::Value &Change : *Changes) {
      const json::Object *C = Change.getAsObject();
      if (!C)
        continue;
      std::string File = readArtifact(C);
      const json::Array *Replacements = C->getArray("replacements");
      if (!Replacements)
        continue;
      for (const json::Value &Replacement : *Replacements) {
        const json::Object *Rep = Replacement.getAsObject();
        if (!Rep)
          continue;
        const json::Object *Deleted = Rep->getObject("deletedRegion");
        FixIt Edit;
        Edit.Where = readStart(File, Deleted);
        if (Deleted) {
          Edit.Offset = Deleted->getInteger("byteOffset").value_or(0);
          Edit.Length = Deleted->getInteger("byteLength").value_or(0);
        }
        Edit.Replacement = text(Rep, "insertedContent");
        F.FixIts.push_back(std::move(Edit));
      }
    }
  }

  llvm::Expected<Finding> readResult(const json::Object &Result) {
    Finding F;
    auto RuleId = Result.getString("ruleId");
    if (!RuleId)
      return error("a result has no 'ruleId'");
    F.Check = RuleId->str();
    if (const CheckInfo *Info = findCheck(F.Check))
      F.Level = Info->Level;
    if (const json::Object *Properties = Result.getObject("properties")) {
      if (auto Level = Properties->getString(LevelProperty))
        if (auto Parsed = parseLevel(*Level))
          F.Level = *Parsed;
      F.FromFileWithErrors =
          Properties->getBoolean(FromFileWithErrorsProperty).value_or(false);
    }
    F.Sev = parseSeverity(Result.getString("level").value_or("warning"))
                .value_or(Severity::Warning);
    F.Message = text(&Result, "message");
    if (const json::Array *Locations = Result.getArray("locations"))
      if (!Locations->empty())
        if (const json::Object *L = Locations->front().getAsObject())
          F.Where = readLocation(L->getObject("physicalLocation"));
    if (const json::Array *Related = Result.getArray("relatedLocations"))
      for (const json::Value &V : *Related)
        if (const json::Object *L = V.getAsObject())
          F.Notes.push_back({text(L, "message"),
                             readLocation(L->getObject("physicalLocation"))});
    readFixes(Result, F);
    if (const json::Object *Prints = Result.getObject("partialFingerprints"))
      if (auto Print = Prints->getString(FingerprintKey))
        F.Fingerprint = Print->str();
    return F;
  }

  std::string Name;
  SourceCache &Sources;
  llvm::StringMap<std::string> BaseIds;
};

} // namespace

void emitSarif(const Report &R, llvm::raw_ostream &OS, const EmitContext &Ctx) {
  json::OStream J(OS, /*IndentSize=*/2);
  SarifWriter(J, Ctx).write(R);
  OS << '\n';
}

llvm::Expected<Report> readSarifReport(llvm::StringRef Text,
                                       llvm::StringRef Name,
                                       SourceCache &Sources) {
  auto Root = json::parse(Text);
  if (!Root)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not valid JSON: %s", Name.str().c_str(),
                                   llvm::toString(Root.takeError()).c_str());
  return SarifReader(Name, Sources).read(*Root);
}

} // namespace trainlint
