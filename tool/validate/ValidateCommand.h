//===--- ValidateCommand.h - `trainlint validate` ---------------*- C++ -*-===//

#ifndef TRAINLINT_TOOL_VALIDATE_VALIDATECOMMAND_H
#define TRAINLINT_TOOL_VALIDATE_VALIDATECOMMAND_H

#include "llvm/ADT/ArrayRef.h"

namespace trainlint {
int runValidateCommand(llvm::ArrayRef<const char *> Args);
} // namespace trainlint

#endif // TRAINLINT_TOOL_VALIDATE_VALIDATECOMMAND_H
