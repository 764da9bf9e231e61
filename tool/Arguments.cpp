//===--- Arguments.cpp - a small command-line parser
//-----------------------===//

#include "Arguments.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace trainlint {

namespace {

llvm::Error usageError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

bool isShort(llvm::StringRef Name) {
  return Name.size() == 2 && Name[0] == '-' && Name[1] != '-';
}

/// Finds the spec that \p Arg spells and the value written inside it, if any.
const OptionSpec *match(llvm::StringRef Arg, llvm::ArrayRef<OptionSpec> Specs,
                        std::optional<llvm::StringRef> &InlineValue) {
  for (const OptionSpec &Spec : Specs) {
    for (llvm::StringRef Name : Spec.Names) {
      if (Arg == Name) {
        InlineValue.reset();
        return &Spec;
      }
      // `--name=value`; for a flag the caller refuses the value.
      if (Arg.starts_with(Name) && !isShort(Name) &&
          Arg.drop_front(Name.size()).starts_with("=")) {
        InlineValue = Arg.drop_front(Name.size() + 1);
        return &Spec;
      }
      if (isShort(Name) && !Spec.ValueName.empty() && Arg.starts_with(Name) &&
          Arg.size() > 2) {
        InlineValue = Arg.drop_front(2);
        return &Spec;
      }
    }
  }
  return nullptr;
}

} // namespace

llvm::Expected<ParsedArguments>
parseArguments(llvm::ArrayRef<const char *> Args,
               llvm::ArrayRef<OptionSpec> Specs, bool AllowDashDash) {
  ParsedArguments Result;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--" && AllowDashDash) {
      Result.AfterDashDash.emplace(Args.begin() + I + 1, Args.end());
      break;
    }
    if (!Arg.starts_with("-") || Arg == "-") {
      Result.Positional.push_back(Arg.str());
      continue;
    }
    std::optional<llvm::StringRef> Value;
    const OptionSpec *Spec = match(Arg, Specs, Value);
    if (!Spec)
      return usageError("unknown option '" + Arg + "'");
    if (Spec->ValueName.empty() && Value)
      return usageError("option '" + Arg + "' takes no value");
    if (!Spec->ValueName.empty() && !Value) {
      if (I + 1 == Args.size())
        return usageError("option '" + Arg + "' needs a value (" +
                          Spec->ValueName + ")");
      Value = Args[++I];
    }
    std::string Problem = Spec->Apply(Value.value_or(""));
    if (!Problem.empty())
      return usageError(Problem);
  }
  return Result;
}

bool parseOptionsOnly(llvm::ArrayRef<const char *> Args,
                      llvm::ArrayRef<OptionSpec> Specs,
                      llvm::StringRef Command) {
  auto Parsed = parseArguments(Args, Specs, /*AllowDashDash=*/false);
  if (Parsed && Parsed->Positional.empty())
    return true;
  llvm::errs() << "trainlint " << Command << ": error: "
               << (Parsed
                       ? "unexpected argument '" + Parsed->Positional[0] + "'"
                       : llvm::toString(Parsed.takeError()))
               << "\n";
  return false;
}

OptionSpec helpOption(bool &Help) {
  return {{"-h", "--help"}, "", "show this help", [&Help](llvm::StringRef) {
            Help = true;
            return std::string();
          }};
}

void printOptionHelp(llvm::raw_ostream &OS, llvm::ArrayRef<OptionSpec> Specs) {
  for (const OptionSpec &Spec : Specs) {
    if (Spec.Hidden)
      continue;
    std::string Left = "  ";
    for (size_t I = 0; I < Spec.Names.size(); ++I) {
      if (I)
        Left += ", ";
      Left += Spec.Names[I].str();
    }
    if (!Spec.ValueName.empty())
      Left += " " + Spec.ValueName.str();
    OS << Left;
    if (Left.size() < 28)
      OS.indent(28 - Left.size());
    else
      OS << "\n" << std::string(28, ' ');
    OS << Spec.Help << '\n';
  }
}

} // namespace trainlint
