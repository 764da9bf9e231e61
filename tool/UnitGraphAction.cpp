//===--- UnitGraphAction.cpp - a unit's graph out of clang-tidy's run -----===//

#include "UnitGraphAction.h"
#include "model/HotPath.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include <mutex>

namespace trainlint {

namespace {

constexpr llvm::StringLiteral ActionName = "trainlint-unit-graph";

std::mutex SlotMutex;
std::optional<ProjectGraph> Slot;

class UnitGraphConsumer : public clang::ASTConsumer {
public:
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    ProjectGraph Graph = HotPathModel::get(Ctx).exportGraph();
    std::lock_guard<std::mutex> Lock(SlotMutex);
    Slot = std::move(Graph);
  }
};

class UnitGraphAction : public clang::PluginASTAction {
protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &, llvm::StringRef) override {
    return std::make_unique<UnitGraphConsumer>();
  }
  bool ParseArgs(const clang::CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddAfterMainAction; }
};

clang::FrontendPluginRegistry::Add<UnitGraphAction>
    Registration(ActionName, "exports trainlint's graph of the unit");

} // namespace

std::vector<std::string> unitGraphActionArguments() {
  return {"-Xclang", "-add-plugin", "-Xclang", ActionName.str()};
}

std::optional<ProjectGraph> takeUnitGraph() {
  std::lock_guard<std::mutex> Lock(SlotMutex);
  std::optional<ProjectGraph> Graph = std::move(Slot);
  Slot.reset();
  return Graph;
}

} // namespace trainlint
