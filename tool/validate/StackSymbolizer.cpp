//===--- StackSymbolizer.cpp - return addresses to source lines -----------===//

#include "validate/StackSymbolizer.h"
#include "llvm/DebugInfo/DIContext.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Object/ObjectFile.h"

namespace trainlint {
namespace validate {

StackSymbolizer::StackSymbolizer(const RuntimeData &Data) : Data(Data) {
  llvm::symbolize::LLVMSymbolizer::Options Opts;
  Opts.Demangle = true;
  Opts.UseSymbolTable = true;
  Opts.PathStyle =
      llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath;
  Opts.PrintFunctions =
      llvm::DILineInfoSpecifier::FunctionNameKind::LinkageName;
  Symbolizer = std::make_unique<llvm::symbolize::LLVMSymbolizer>(Opts);
}

StackSymbolizer::~StackSymbolizer() = default;

const std::vector<SourceFrame> &StackSymbolizer::address(uint64_t Address) {
  auto It = Addresses.find(Address);
  if (It != Addresses.end())
    return It->second;
  std::vector<SourceFrame> &Frames = Addresses[Address];
  const Module *Owner = nullptr;
  for (const Module &M : Data.Modules)
    for (const auto &[Lo, Hi] : M.Ranges)
      if (Address >= Lo && Address < Hi)
        Owner = &M;
  if (!Owner || Address <= Owner->Bias) {
    Frames.push_back(SourceFrame());
    return Frames;
  }
  // A return address points after the call; the call is one byte before.
  uint64_t Offset = Address - Owner->Bias - 1;
  llvm::Expected<llvm::DIInliningInfo> Info = Symbolizer->symbolizeInlinedCode(
      Owner->Path, {Offset, llvm::object::SectionedAddress::UndefSection});
  if (!Info) {
    llvm::consumeError(Info.takeError());
    SourceFrame F;
    F.Module = Owner->Path;
    Frames.push_back(F);
    return Frames;
  }
  for (unsigned I = 0; I < Info->getNumberOfFrames(); ++I) {
    const llvm::DILineInfo &L = Info->getFrame(I);
    SourceFrame F;
    F.Module = Owner->Path;
    if (L.FileName != llvm::DILineInfo::BadString)
      F.File = L.FileName;
    F.Line = L.Line;
    F.Column = L.Column;
    if (L.FunctionName != llvm::DILineInfo::BadString)
      F.Function = L.FunctionName;
    Frames.push_back(std::move(F));
  }
  if (Frames.empty()) {
    SourceFrame F;
    F.Module = Owner->Path;
    Frames.push_back(F);
  }
  return Frames;
}

const SourceStack &StackSymbolizer::stack(unsigned Id) {
  auto It = Stacks.find(Id);
  if (It != Stacks.end())
    return It->second;
  SourceStack &Out = Stacks[Id];
  if (Id < Data.Stacks.size())
    for (uint64_t Address : Data.Stacks[Id]) {
      const std::vector<SourceFrame> &Frames = address(Address);
      Out.insert(Out.end(), Frames.begin(), Frames.end());
    }
  return Out;
}

} // namespace validate
} // namespace trainlint
