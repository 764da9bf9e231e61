// Where a program evaluates: evaluation names, no-grad scopes, modules that
// compute differently by mode, and the modes the hot-path model tracks.

#include "model/EvaluationCode.h"
#include "model/HotPath.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  return parseWithMocks("#include <torch/torch.h>\n", Code, false);
}

const FunctionDecl *function(ASTContext &Ctx, llvm::StringRef Name) {
  auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"), Ctx);
  return Found.empty() ? nullptr : Found[0].getNodeAs<FunctionDecl>("f");
}

TEST(EvaluationCodeTest, EvaluationNamesAreWholeWords) {
  for (const char *Name : {"evaluate", "run_validation", "testEpoch", "Eval",
                           "predict_batch", "RNNTest", "val_step", "doInference"})
    EXPECT_TRUE(namedLikeEvaluation(Name)) << Name;
  for (const char *Name : {"latest", "contest", "interval", "evaluator2x",
                           "trainEpoch", "protest_model", ""})
    EXPECT_FALSE(namedLikeEvaluation(Name)) << Name;
}

TEST(EvaluationCodeTest, ModulesThatComputeDifferentlyByMode) {
  auto AST = parse(R"cpp(
struct PlainImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc{nullptr};
};
struct DropImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return drop(x); }
  torch::nn::Dropout drop{nullptr};
};
struct NestedImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
  std::shared_ptr<DropImpl> inner;
};
torch::Tensor NestedImpl::forward(torch::Tensor x) { return x; }
struct ByFlagImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return is_training() ? x : x; }
};
struct ElsewhereImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
struct ListImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x; }
  std::vector<torch::nn::Linear> layers;
};
void use(PlainImpl &, DropImpl &, NestedImpl &, ByFlagImpl &, ElsewhereImpl &,
         ListImpl &, torch::nn::Linear &, torch::nn::BatchNorm2d &,
         torch::nn::Sequential &, torch::nn::LSTM &);
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  auto Found = match(functionDecl(hasName("use")).bind("f"), Ctx);
  ASSERT_FALSE(Found.empty());
  const FunctionDecl *Use = Found[0].getNodeAs<FunctionDecl>("f");
  auto ClassOf = [&](unsigned I) {
    return Use->getParamDecl(I)->getType().getNonReferenceType()->getAsCXXRecordDecl();
  };
  std::string Why;
  EXPECT_FALSE(mayBehaveDifferentlyInTraining(ClassOf(0))) << "linear layers only";
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(1), &Why));
  EXPECT_EQ(Why, "drop");
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(2), &Why)) << "holds a module with dropout";
  EXPECT_EQ(Why, "inner");
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(3))) << "reads is_training()";
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(4))) << "forward defined elsewhere";
  EXPECT_FALSE(mayBehaveDifferentlyInTraining(ClassOf(5))) << "a vector of linear layers";
  EXPECT_FALSE(mayBehaveDifferentlyInTraining(ClassOf(6)));
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(7)));
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(8))) << "contents known at run time";
  EXPECT_TRUE(mayBehaveDifferentlyInTraining(ClassOf(9))) << "recurrent dropout";
}

TEST(EvaluationCodeTest, ModesBeforeAStatementCountTheNextIteration) {
  auto AST = parse(R"cpp(
void probe(int);
void evaluate(torch::nn::Linear &model) { model->eval(); }
void fit(torch::nn::Linear &model, torch::optim::SGD &opt, torch::Tensor x, bool flag) {
  probe(0);
  for (int epoch = 0; epoch < 3; ++epoch) {
    probe(1);
    model->train();
    probe(2);
    evaluate(model);
    probe(3);
  }
  model->train(flag);
  probe(4);
}
void once(torch::nn::Linear &model) {
  probe(5);
  model->eval();
}
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  const HotPathModel &Model = HotPathModel::get(Ctx);
  auto Probes = match(callExpr(callee(functionDecl(hasName("probe")))).bind("c"), Ctx);
  ASSERT_EQ(Probes.size(), 6u);
  // By the number each probe is given.
  std::vector<const CallExpr *> ByNumber(Probes.size());
  for (const auto &M : Probes) {
    const auto *Call = M.getNodeAs<CallExpr>("c");
    Expr::EvalResult Value;
    ASSERT_TRUE(Call->getArg(0)->EvaluateAsInt(Value, Ctx));
    ByNumber.at(Value.Val.getInt().getExtValue()) = Call;
  }
  auto ModeAt = [&](unsigned I) { return Model.modeBefore(*ByNumber[I]).Mode; };
  EXPECT_EQ(ModeAt(0), ModuleMode::Unknown) << "nothing before it";
  EXPECT_EQ(ModeAt(1), ModuleMode::Eval) << "the previous iteration's evaluate()";
  EXPECT_EQ(ModeAt(2), ModuleMode::Train);
  EXPECT_EQ(ModeAt(3), ModuleMode::Eval) << "a call of a function that calls eval()";
  EXPECT_EQ(ModeAt(4), ModuleMode::Unknown) << "train(flag): the run decides";
  EXPECT_TRUE(Model.modeBefore(*ByNumber[4]).Where);
  EXPECT_EQ(ModeAt(5), ModuleMode::Unknown) << "a function's end does not wrap";

  const FunctionDecl *Evaluate = function(Ctx, "evaluate");
  ASSERT_TRUE(Evaluate);
  auto [Calls, Complete] = Model.callsTo(*Evaluate);
  ASSERT_EQ(Calls.size(), 1u);
  EXPECT_EQ(Calls[0].ModeBefore, ModuleMode::Train);
  // The mode travels in summaries.
  ProjectGraph G = Model.exportGraph();
  auto Back = ProjectGraph::fromJson(G.toJson());
  ASSERT_TRUE(bool(Back));
  bool Seen = false;
  for (const auto &[Key, F] : Back->Functions)
    for (const GraphCall &C : F.Calls)
      if (C.CalleeName == "evaluate") {
        EXPECT_EQ(C.ModeBefore, ModuleMode::Train);
        Seen = true;
      }
  EXPECT_TRUE(Seen);
}

TEST(EvaluationCodeTest, EvaluationLoopsGuardsAndTrainingOutsideLoops) {
  auto AST = parse(R"cpp(
void evaluate(torch::nn::Linear &model, torch::Tensor x) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      model(x);
  {
    torch::NoGradGuard no_grad;
    for (int i = 0; i < 3; ++i)
      model(x);
  }
  x.requires_grad_();
}
void step(torch::nn::Linear &model, torch::optim::SGD &opt, torch::Tensor x) {
  torch::Tensor loss = torch::zeros({1});
  for (int i = 0; i < 3; ++i)
    loss += model(x).sum();
  loss.backward();
}
void fit(torch::nn::Linear &model, torch::optim::SGD &opt, torch::Tensor x) {
  for (int i = 0; i < 3; ++i) { model(x).sum().backward(); opt.step(); }
  for (int i = 0; i < 3; ++i) model(x);
}
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  const HotPathModel &Model = HotPathModel::get(Ctx);
  const FunctionDecl *Evaluate = function(Ctx, "evaluate");
  auto Loops = outermostLoops(*Evaluate, Model, LoopKind::Evaluation);
  ASSERT_EQ(Loops.size(), 2u) << "the nested loop belongs to the first";
  EXPECT_FALSE(noGradGuardInScope(*Loops[0], Model));
  EXPECT_TRUE(noGradGuardInScope(*Loops[1], Model));
  EXPECT_TRUE(asksForInputGradients(*Evaluate->getBody()));
  EXPECT_FALSE(asksForInputGradients(*function(Ctx, "fit")->getBody()));
  EXPECT_TRUE(Model.signalsOutsideTrainingLoops(*function(Ctx, "step")) &
              BackwardSignal)
      << "the backward after the forward loop";
  EXPECT_FALSE(Model.signalsOutsideTrainingLoops(*function(Ctx, "fit")) &
               TrainingSignals)
      << "training only in its training loop";
  EXPECT_EQ(outermostLoops(*function(Ctx, "fit"), Model, LoopKind::Evaluation).size(), 1u);
}

} // namespace
