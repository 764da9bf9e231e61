// What a training loop trains and with what: the innermost loop that trains,
// the modules it trains, the optimizers it steps, and the recurrent parts of
// modules.

#include "model/TrainedModel.h"
#include "MockAST.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

constexpr const char *Models = R"cpp(
struct TaggerImpl : torch::nn::Module {
  TaggerImpl() : lstm(register_module("lstm", torch::nn::LSTM(4, 8))) {}
  torch::Tensor forward(torch::Tensor x) { return x; }
  torch::nn::LSTM lstm;
};
struct Tagger : torch::nn::ModuleHolder<TaggerImpl> {
  using ModuleHolder::ModuleHolder;
};
struct EncoderImpl : torch::nn::Module {
  EncoderImpl() { register_module("layer", torch::nn::TransformerEncoderLayer(8, 2)); }
  torch::Tensor forward(torch::Tensor x) { return x; }
};
struct MlpImpl : torch::nn::Module {
  MlpImpl() : fc(register_module("fc", torch::nn::Linear(4, 8))) {}
  torch::Tensor forward(torch::Tensor x) { return fc(x); }
  torch::nn::Linear fc;
};
struct OuterImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x; }
  std::shared_ptr<TaggerImpl> inner;
};
)cpp";

class Parsed {
public:
  explicit Parsed(const std::string &Code)
      : AST(parseWithMocks("#include <torch/torch.h>\n#include <memory>\n",
                           std::string(Models) + Code)) {}
  ASTContext &context() { return AST->getASTContext(); }

  /// The for-loops of function \p Function, in source order.
  std::vector<const Stmt *> loopsOf(llvm::StringRef Function) {
    auto Matches =
        match(forStmt(hasAncestor(functionDecl(hasName(Function)))).bind("l"),
              context());
    std::vector<const Stmt *> Loops;
    for (const auto &M : Matches)
      Loops.push_back(M.getNodeAs<Stmt>("l"));
    llvm::sort(Loops, [&](const Stmt *A, const Stmt *B) {
      return context().getSourceManager().isBeforeInTranslationUnit(
          A->getBeginLoc(), B->getBeginLoc());
    });
    return Loops;
  }

  const CXXRecordDecl *record(llvm::StringRef Name) {
    auto Matches = match(cxxRecordDecl(hasName(Name), isDefinition()).bind("r"),
                         context());
    return Matches.empty() ? nullptr : Matches[0].getNodeAs<CXXRecordDecl>("r");
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

TEST(TrainedModelTest, TheInnermostLoopThatTrainsIsTheTrainingLoop) {
  Parsed P(R"cpp(
void train(Tagger &model, torch::optim::SGD &opt, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch)
    for (int step = 0; step < 10; ++step) {
      model->forward(x).sum().backward();
      opt.step();
    }
  for (int step = 0; step < 10; ++step) {
    for (int micro = 0; micro < 4; ++micro)
      model->forward(x).sum().backward();
    opt.step();
  }
  for (int step = 0; step < 10; ++step)
    model->forward(x);
})cpp");
  auto L = P.loopsOf("train");
  ASSERT_EQ(L.size(), 5u);
  const HotPathModel &Model = HotPathModel::get(P.context());
  EXPECT_TRUE(mayTrainIn(*L[0], Model))
      << "the epoch loop trains, through its nested loop";
  EXPECT_FALSE(isInnermostTrainingLoop(*L[0], Model))
      << "but is not the training loop";
  EXPECT_TRUE(isInnermostTrainingLoop(*L[1], Model));
  EXPECT_TRUE(isInnermostTrainingLoop(*L[2], Model))
      << "its nested loop runs backward only: the outer one steps";
  EXPECT_FALSE(mayTrainIn(*L[3], Model));
  EXPECT_FALSE(mayTrainIn(*L[4], Model)) << "inference";
}

TEST(TrainedModelTest, ModulesAreTrainedByTheirCallsAndTheirOptimizers) {
  Parsed P(R"cpp(
void train(Tagger &model, torch::nn::GRU &gru, std::shared_ptr<EncoderImpl> encoder,
           torch::Tensor x) {
  torch::optim::Adam optimizer(encoder->parameters(), torch::optim::AdamOptions(1e-3));
  auto copied = torch::optim::SGD(gru->parameters(), 0.1);
  for (int step = 0; step < 10; ++step) {
    model->forward(x);
    gru(x);
    optimizer.step();
  }
  for (int step = 0; step < 10; ++step)
    copied.step();
})cpp");
  auto L = P.loopsOf("train");
  ASSERT_EQ(L.size(), 2u);
  auto Modules = modulesTrainedIn(*L[0]);
  ASSERT_EQ(Modules.size(), 3u);
  EXPECT_EQ(Modules[0].Class, P.record("TaggerImpl")) << "a holder's forward";
  EXPECT_EQ(Modules[0].Decl->getName(), "model");
  EXPECT_FALSE(Modules[0].ThroughOptimizer);
  EXPECT_EQ(Modules[1].Class->getName(), "GRUImpl")
      << "a holder's call operator";
  EXPECT_EQ(Modules[1].Decl->getName(), "gru");
  EXPECT_EQ(Modules[2].Class, P.record("EncoderImpl"))
      << "the parameters() of the stepped optimizer, through a shared_ptr";
  EXPECT_TRUE(Modules[2].ThroughOptimizer);

  auto Copied = modulesTrainedIn(*L[1]);
  ASSERT_EQ(Copied.size(), 1u) << "an optimizer copied from a temporary";
  EXPECT_EQ(Copied[0].Class->getName(), "GRUImpl");
  EXPECT_EQ(optimizerStepsIn(*L[1]).size(), 1u);
  EXPECT_EQ(optimizerStepsIn(*L[0], Modules[2].Decl).size(), 0u)
      << "the steps of another optimizer";
}

TEST(TrainedModelTest, RecurrentPartsAreFoundOneLevelDeep) {
  Parsed P("");
  auto Tagger = recurrentPartOf(P.record("TaggerImpl"));
  ASSERT_TRUE(Tagger) << "an LSTM member";
  EXPECT_EQ(Tagger->Class->getName(), "LSTMImpl");
  ASSERT_TRUE(Tagger->Member);
  EXPECT_EQ(Tagger->Member->getName(), "lstm");

  auto Encoder = recurrentPartOf(P.record("EncoderImpl"));
  ASSERT_TRUE(Encoder) << "a transformer layer registered in the constructor";
  EXPECT_EQ(Encoder->Class->getName(), "TransformerEncoderLayerImpl");
  EXPECT_TRUE(Encoder->RegisteredAt);

  auto Lstm = recurrentPartOf(Tagger->Class);
  ASSERT_TRUE(Lstm) << "the LSTM itself";
  EXPECT_FALSE(Lstm->Member);

  EXPECT_FALSE(recurrentPartOf(P.record("MlpImpl"))) << "feed-forward";
  EXPECT_FALSE(recurrentPartOf(P.record("OuterImpl")))
      << "two levels deep is not looked into";
}

} // namespace
