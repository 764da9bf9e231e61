//===--- StackSymbolizer.h - return addresses to source lines ---*- C++ -*-===//
//
// The runtime records raw return addresses and the program's load map; this
// turns them into source frames with LLVM's symbolizer after the run, inlined
// frames included, so that a call inlined from a libtorch header into the
// user's loop is attributed to the loop's line.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_VALIDATE_STACKSYMBOLIZER_H
#define TRAINLINT_TOOL_VALIDATE_STACKSYMBOLIZER_H

#include "validate/RuntimeData.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
namespace symbolize {
class LLVMSymbolizer;
} // namespace symbolize
} // namespace llvm

namespace trainlint {
namespace validate {

/// One source frame. Line is 0 when the module has no line table for the
/// address (then only Function, from the symbol table, is known).
struct SourceFrame {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Function;
  /// The module the address is in.
  std::string Module;
};

/// The frames of a stack, innermost first.
using SourceStack = std::vector<SourceFrame>;

class StackSymbolizer {
public:
  explicit StackSymbolizer(const RuntimeData &Data);
  ~StackSymbolizer();

  /// The source frames of stack \p Id of the data, cached.
  const SourceStack &stack(unsigned Id);

private:
  const std::vector<SourceFrame> &address(uint64_t Address);

  const RuntimeData &Data;
  std::unique_ptr<llvm::symbolize::LLVMSymbolizer> Symbolizer;
  std::map<uint64_t, std::vector<SourceFrame>> Addresses;
  std::map<unsigned, SourceStack> Stacks;
};

} // namespace validate
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_STACKSYMBOLIZER_H
