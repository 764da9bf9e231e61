//===--- JsonFormat.cpp - the JSON findings format, written and read
//-------===//
//
// The schema is documented in docs/formats.md; it is the contract between
// `trainlint check --format json`, `--baseline`, `trainlint merge` and
// `trainlint validate`. Keys are written in the documented order.
//
//===----------------------------------------------------------------------===//

#include "Formats.h"
#include "llvm/Support/JSON.h"

#ifndef TRAINLINT_VERSION
#define TRAINLINT_VERSION "0.0.0"
#endif

namespace trainlint {

namespace json = llvm::json;

namespace {

void writeLocation(json::OStream &J, const Location &Where) {
  J.attribute("file", Where.File);
  J.attribute("line", Where.Line);
  J.attribute("column", Where.Column);
}

void writeFinding(json::OStream &J, const Finding &F) {
  J.object([&] {
    J.attribute("check", F.Check);
    J.attribute("level", levelName(F.Level));
    J.attribute("severity", severityName(F.Sev));
    J.attribute("message", F.Message);
    writeLocation(J, F.Where);
    J.attributeArray("notes", [&] {
      for (const Note &N : F.Notes)
        J.object([&] {
          J.attribute("message", N.Message);
          writeLocation(J, N.Where);
        });
    });
    J.attributeArray("fixits", [&] {
      for (const FixIt &Fix : F.FixIts)
        J.object([&] {
          writeLocation(J, Fix.Where);
          J.attribute("offset", Fix.Offset);
          J.attribute("length", Fix.Length);
          J.attribute("replacement", Fix.Replacement);
        });
    });
    J.attribute("fingerprint", F.Fingerprint);
    // Written only when true, so that reports of units that compile read as
    // they did before the field existed.
    if (F.FromFileWithErrors)
      J.attribute("fromFileWithErrors", true);
  });
}

/// Reads one JSON report, remembering the first problem with its path in the
/// document.
class JsonReader {
public:
  explicit JsonReader(llvm::StringRef Name) : Name(Name) {}

  llvm::Expected<Report> read(const json::Value &Root) {
    // Errors read "FILE: expected a string at $.findings[0].check".
    json::Path::Root PathRoot("$");
    json::Path P(PathRoot);
    Report R;
    if (!readReport(Root, R, P))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     Name + ": " +
                                         llvm::toString(PathRoot.getError()));
    return R;
  }

private:
  bool fail(json::Path P, llvm::StringLiteral Message) {
    P.report(Message);
    return false;
  }

  bool readString(const json::Object &O, llvm::StringRef Key, std::string &Out,
                  json::Path P) {
    auto S = O.getString(Key);
    if (!S)
      return fail(P.field(Key), "expected a string");
    Out = S->str();
    return true;
  }

  bool readUnsigned(const json::Object &O, llvm::StringRef Key, unsigned &Out,
                    json::Path P) {
    auto N = O.getInteger(Key);
    if (!N || *N < 0)
      return fail(P.field(Key), "expected a non-negative integer");
    Out = static_cast<unsigned>(*N);
    return true;
  }

  bool readLocation(const json::Object &O, Location &Where, json::Path P) {
    return readString(O, "file", Where.File, P) &&
           readUnsigned(O, "line", Where.Line, P) &&
           readUnsigned(O, "column", Where.Column, P);
  }

  bool readNote(const json::Value &V, Note &N, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O)
      return fail(P, "expected an object");
    return readString(*O, "message", N.Message, P) &&
           readLocation(*O, N.Where, P);
  }

  bool readFixIt(const json::Value &V, FixIt &Fix, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O)
      return fail(P, "expected an object");
    return readLocation(*O, Fix.Where, P) &&
           readUnsigned(*O, "offset", Fix.Offset, P) &&
           readUnsigned(*O, "length", Fix.Length, P) &&
           readString(*O, "replacement", Fix.Replacement, P);
  }

  template <typename T, typename ReadOne>
  bool readArray(const json::Object &O, llvm::StringRef Key,
                 std::vector<T> &Out, json::Path P, ReadOne Read) {
    const json::Value *V = O.get(Key);
    if (!V)
      return true;
    const json::Array *A = V->getAsArray();
    if (!A)
      return fail(P.field(Key), "expected an array");
    for (size_t I = 0; I < A->size(); ++I) {
      T Item;
      if (!(this->*Read)((*A)[I], Item, P.field(Key).index(I)))
        return false;
      Out.push_back(std::move(Item));
    }
    return true;
  }

  bool readFinding(const json::Value &V, Finding &F, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O)
      return fail(P, "expected an object");
    std::string Level, Sev;
    if (!readString(*O, "check", F.Check, P) ||
        !readString(*O, "level", Level, P) ||
        !readString(*O, "severity", Sev, P) ||
        !readString(*O, "message", F.Message, P) ||
        !readLocation(*O, F.Where, P))
      return false;
    auto ParsedLevel = parseLevel(Level);
    if (!ParsedLevel)
      return fail(P.field("level"),
                  "expected \"0\", \"1\", \"2\" or \"manual\"");
    F.Level = *ParsedLevel;
    auto ParsedSeverity = parseSeverity(Sev);
    if (!ParsedSeverity)
      return fail(P.field("severity"), "expected note, warning or error");
    F.Sev = *ParsedSeverity;
    if (auto Fingerprint = O->getString("fingerprint"))
      F.Fingerprint = Fingerprint->str();
    if (const json::Value *Mark = O->get("fromFileWithErrors")) {
      auto Flag = Mark->getAsBoolean();
      if (!Flag)
        return fail(P.field("fromFileWithErrors"), "expected true or false");
      F.FromFileWithErrors = *Flag;
    }
    return readArray(*O, "notes", F.Notes, P, &JsonReader::readNote) &&
           readArray(*O, "fixits", F.FixIts, P, &JsonReader::readFixIt);
  }

  bool readError(const json::Value &V, ToolError &E, json::Path P) {
    const json::Object *O = V.getAsObject();
    if (!O)
      return fail(P, "expected an object");
    return readString(*O, "file", E.File, P) &&
           readString(*O, "message", E.Message, P);
  }

  bool readReport(const json::Value &Root, Report &R, json::Path P) {
    const json::Object *O = Root.getAsObject();
    if (!O)
      return fail(P, "expected a trainlint JSON report (an object)");
    auto Version = O->getInteger("version");
    if (!Version)
      return fail(P.field("version"), "expected the format version");
    if (*Version != JsonFormatVersion)
      return fail(P.field("version"), "unsupported format version");
    if (!O->getArray("findings"))
      return fail(P.field("findings"), "expected an array");
    return readArray(*O, "findings", R.Findings, P, &JsonReader::readFinding) &&
           readArray(*O, "errors", R.Errors, P, &JsonReader::readError);
  }

  std::string Name;
};

} // namespace

void emitJson(const Report &R, llvm::raw_ostream &OS, const EmitContext &) {
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attribute("version", JsonFormatVersion);
    J.attributeObject("tool", [&] {
      J.attribute("name", "trainlint");
      J.attribute("version", TRAINLINT_VERSION);
    });
    J.attributeArray("findings", [&] {
      for (const Finding &F : R.Findings)
        writeFinding(J, F);
    });
    J.attributeArray("errors", [&] {
      for (const ToolError &E : R.Errors)
        J.object([&] {
          J.attribute("file", E.File);
          J.attribute("message", E.Message);
        });
    });
  });
  OS << '\n';
}

llvm::Expected<Report> readJsonReport(llvm::StringRef Text,
                                      llvm::StringRef Name) {
  auto Root = json::parse(Text);
  if (!Root)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not valid JSON: %s", Name.str().c_str(),
                                   llvm::toString(Root.takeError()).c_str());
  return JsonReader(Name).read(*Root);
}

} // namespace trainlint
