//===--- ListChecksCommand.cpp - `trainlint list-checks`
//-------------------===//

#include "Arguments.h"
#include "CheckList.h"
#include "Commands.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

namespace trainlint {

namespace {

void listAsText(llvm::raw_ostream &OS) {
  size_t NameWidth = 4, FamilyWidth = 6;
  for (const CheckInfo &Info : allChecks()) {
    NameWidth = std::max(NameWidth, Info.Name.size());
    FamilyWidth = std::max(FamilyWidth, Info.Family.size());
  }
  auto Row = [&](llvm::StringRef Name, llvm::StringRef Level,
                 llvm::StringRef Family, llvm::StringRef FixIts,
                 llvm::StringRef Summary) {
    OS << llvm::left_justify(Name, NameWidth) << "  "
       << llvm::left_justify(Level, 6) << "  "
       << llvm::left_justify(Family, FamilyWidth) << "  "
       << llvm::left_justify(FixIts, 7) << "  " << Summary << "\n";
  };
  Row("name", "level", "family", "fix-its", "summary");
  for (const CheckInfo &Info : allChecks())
    Row(Info.Name, levelName(Info.Level), Info.Family,
        Info.OffersFixIts ? "yes" : "no", Info.Summary);
}

void listAsJson(llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.array([&] {
    for (const CheckInfo &Info : allChecks())
      J.object([&] {
        J.attribute("name", Info.Name);
        J.attribute("level", levelName(Info.Level));
        J.attribute("family", Info.Family);
        J.attribute("fixits", Info.OffersFixIts);
        J.attribute("summary", Info.Summary);
      });
  });
  OS << "\n";
}

} // namespace

int runListChecksCommand(llvm::ArrayRef<const char *> Args) {
  bool Json = false, Help = false;
  std::vector<OptionSpec> Specs = {
      {{"--format"},
       "FORMAT",
       "text (default) or json",
       [&](llvm::StringRef V) {
         if (V != "text" && V != "json")
           return "invalid --format '" + V.str() + "': expected text or json";
         Json = V == "json";
         return std::string();
       }},
      helpOption(Help),
  };
  if (!parseOptionsOnly(Args, Specs, "list-checks"))
    return ExitError;
  if (Help) {
    llvm::outs() << "usage: trainlint list-checks [--format text|json]\n\n"
                    "Lists every check: name, level, family, whether it "
                    "offers fix-its, summary.\n\noptions:\n";
    printOptionHelp(llvm::outs(), Specs);
    return ExitClean;
  }
  if (Json)
    listAsJson(llvm::outs());
  else
    listAsText(llvm::outs());
  return ExitClean;
}

} // namespace trainlint
