//===--- UnitGraphConsumer.cpp - a unit's graph out of the checks' run ----===//

#include "UnitGraphConsumer.h"
#include "model/HotPath.h"

namespace trainlint {

namespace {

class UnitGraphConsumer : public clang::ASTConsumer {
public:
  explicit UnitGraphConsumer(ProjectGraph &Out) : Out(Out) {}

  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    // The checks have asked for the model already, or nothing matched and
    // it is built now: either way once per unit.
    Out = HotPathModel::get(Ctx).exportGraph();
  }

private:
  ProjectGraph &Out;
};

} // namespace

std::unique_ptr<clang::ASTConsumer> unitGraphConsumer(ProjectGraph &Out) {
  return std::make_unique<UnitGraphConsumer>(Out);
}

} // namespace trainlint
