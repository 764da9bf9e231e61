//===--- UnitGraphConsumer.h - a unit's graph out of the checks' run -*- C++ -*-=//
//
// The worker runs clang-tidy's checks, which build and drop the AST inside
// the run. A consumer added after the checks' own sees the same AST once the
// checks are done and keeps the unit's graph (ProjectGraph.h) for the
// project run.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_TOOL_UNITGRAPHCONSUMER_H
#define TRAINLINT_TOOL_UNITGRAPHCONSUMER_H

#include "model/ProjectGraph.h"
#include "clang/AST/ASTConsumer.h"
#include <memory>

namespace trainlint {

/// A consumer that stores the graph of the unit it sees in \p Out.
std::unique_ptr<clang::ASTConsumer> unitGraphConsumer(ProjectGraph &Out);

} // namespace trainlint

#endif // TRAINLINT_TOOL_UNITGRAPHCONSUMER_H
