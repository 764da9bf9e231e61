//===--- UnitGraphAction.h - a unit's graph out of clang-tidy's run -*- C++ -*-=//
//
// The worker runs clang-tidy's library, which builds and drops the AST
// inside. A clang plugin action added after clang-tidy's own
// (`-add-plugin trainlint-unit-graph`) sees the same AST once the checks are
// done, and hands the unit's graph to the worker.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_UNITGRAPHACTION_H
#define TRAINLINT_TOOL_UNITGRAPHACTION_H

#include "model/ProjectGraph.h"
#include <optional>
#include <string>
#include <vector>

namespace trainlint {

/// The compiler arguments that add the action to a unit's command.
std::vector<std::string> unitGraphActionArguments();

/// The graph of the last unit the action saw, once.
std::optional<ProjectGraph> takeUnitGraph();

} // namespace trainlint

#endif // TRAINLINT_TOOL_UNITGRAPHACTION_H
