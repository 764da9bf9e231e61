// What the data-loading model reads from make_data_loader calls: the dataset
// under its maps, the options, the loader's variable and the loops over it.

#include "model/DataLoading.h"
#include "MockAST.h"
#include "model/HotPath.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  return parseWithMocks("#include <torch/torch.h>\n", Code, false);
}

constexpr const char *Datasets = R"cpp(
namespace data = torch::data;
struct Images : data::datasets::Dataset<Images> {
  data::Example<> get(size_t i) override;
  c10::optional<size_t> size() const override;
};
struct Preloaded : data::datasets::Dataset<Preloaded> {
  data::Example<> get(size_t i) override { return {images_[i], labels_.select(0, i)}; }
  c10::optional<size_t> size() const override;
  torch::Tensor images_, labels_;
};
struct Batched : data::datasets::BatchDataset<Batched, data::Example<>> {
  data::Example<> get_batch(c10::ArrayRef<size_t> request) override;
  c10::optional<size_t> size() const override;
};
struct Net : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
)cpp";

const CXXRecordDecl *record(ASTContext &Ctx, llvm::StringRef Name) {
  auto Found =
      match(cxxRecordDecl(hasName(Name), isDefinition()).bind("r"), Ctx);
  return Found.empty() ? nullptr : Found[0].getNodeAs<CXXRecordDecl>("r");
}

TEST(DataLoadingTest, OptionsDatasetAndVariable) {
  auto AST = parse(std::string(Datasets) + R"cpp(
void build(size_t flag) {
  auto none = data::make_data_loader(Images());
  auto bare = data::make_data_loader(Images().map(data::transforms::Stack<>()), 64);
  auto chained = data::make_data_loader<data::samplers::SequentialSampler>(
      Preloaded(), data::DataLoaderOptions().batch_size(32).workers(4));
  data::DataLoaderOptions options(16);
  options.workers(flag);
  auto variable = data::make_data_loader(Batched(), options);
  auto zero = data::make_data_loader(data::datasets::TensorDataset(torch::Tensor()),
                                     data::DataLoaderOptions(8).workers(0));
}
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  const DataLoadingModel &Model = DataLoadingModel::get(Ctx);
  ASSERT_EQ(Model.loaders().size(), 5u);
  const LoaderFacts &None = Model.loaders()[0];
  EXPECT_EQ(None.DatasetClass, record(Ctx, "Images"));
  EXPECT_EQ(None.Options, nullptr);
  EXPECT_EQ(None.BatchSize.How, LoaderSetting::Source::Default);
  EXPECT_EQ(None.BatchSize.known(), std::optional<uint64_t>(1));
  EXPECT_TRUE(None.hasNoWorkers());
  EXPECT_FALSE(None.HasCollation);
  EXPECT_FALSE(None.InMemory);
  ASSERT_TRUE(None.Variable);
  EXPECT_EQ(None.Variable->getName(), "none");

  const LoaderFacts &Bare = Model.loaders()[1];
  EXPECT_EQ(Bare.DatasetClass, record(Ctx, "Images")) << "under the map";
  EXPECT_EQ(Bare.Transforms.size(), 1u);
  EXPECT_TRUE(Bare.HasCollation);
  EXPECT_EQ(Bare.BatchSize.known(), std::optional<uint64_t>(64));
  EXPECT_EQ(Bare.Workers.How, LoaderSetting::Source::Default);

  const LoaderFacts &Chained = Model.loaders()[2];
  EXPECT_EQ(Chained.BatchSize.known(), std::optional<uint64_t>(32));
  EXPECT_EQ(Chained.Workers.known(), std::optional<uint64_t>(4));
  EXPECT_FALSE(Chained.hasNoWorkers());
  EXPECT_TRUE(Chained.InMemory) << "get() indexes member tensors";

  const LoaderFacts &Variable = Model.loaders()[3];
  EXPECT_TRUE(Variable.OptionsInVariable);
  EXPECT_EQ(Variable.BatchSize.known(), std::optional<uint64_t>(16));
  EXPECT_FALSE(Variable.Workers.isKnown()) << "set from a parameter";
  EXPECT_FALSE(Variable.hasNoWorkers());
  EXPECT_TRUE(Variable.HasCollation) << "get_batch builds whole batches";

  const LoaderFacts &Zero = Model.loaders()[4];
  EXPECT_TRUE(Zero.hasNoWorkers());
  EXPECT_EQ(Zero.Workers.How, LoaderSetting::Source::Constant);
  EXPECT_TRUE(Zero.InMemory) << "TensorDataset";

  EXPECT_TRUE(Model.datasetLoadedWithoutWorkers(*record(Ctx, "Images")));
  EXPECT_FALSE(Model.datasetLoadedWithoutWorkers(*record(Ctx, "Preloaded")))
      << "its one loader has workers";
  EXPECT_TRUE(Model.datasetLoadedWithoutWorkers(*record(Ctx, "Batched")))
      << "unknown workers and no loader saying otherwise";
  EXPECT_FALSE(Model.datasetLoadedWithoutWorkers(*record(Ctx, "Net")));
}

TEST(DataLoadingTest, LoopsOverALoaderHandedDown) {
  auto AST = parse(std::string(Datasets) + R"cpp(
using Loader = data::StatelessDataLoader<Images, data::samplers::RandomSampler>;
void trainEpoch(Loader &loader, Net &net, torch::optim::SGD &opt) {
  for (auto &batch : loader) {
    opt.zero_grad();
    net.forward(batch[0].data).backward();
    opt.step();
  }
}
void evaluate(Loader &loader, Net &net) {
  for (auto &batch : loader)
    net.forward(batch[0].data);
}
void fit(Net &net, torch::optim::SGD &opt) {
  auto train = data::make_data_loader(Images(), 8);
  for (int epoch = 0; epoch < 3; ++epoch)
    trainEpoch(*train, net, opt);
  auto test = data::make_data_loader(Images(), 8);
  evaluate(*test, net);
  for (auto it = test->begin(); it != test->end(); ++it) {}
}
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  const DataLoadingModel &Model = DataLoadingModel::get(Ctx);
  const HotPathModel &Hot = HotPathModel::get(Ctx);
  ASSERT_EQ(Model.loaders().size(), 2u);
  const LoaderFacts &Train = Model.loaders()[0];
  const LoaderFacts &Test = Model.loaders()[1];

  auto Loops = Model.loopsOver(Train);
  ASSERT_EQ(Loops.size(), 1u)
      << "the loop of trainEpoch, through its parameter";
  EXPECT_TRUE(Loops[0].second) << "the call that hands the loader down";
  std::optional<TrainingUse> Use = Model.trainingUseOf(Train, Hot);
  ASSERT_TRUE(Use);
  EXPECT_EQ(Use->Loop, Loops[0].first);
  EXPECT_FALSE(Use->Condition.Deferred);

  EXPECT_EQ(Model.loopsOver(Test).size(), 2u) << "evaluate's and begin()'s";
  EXPECT_FALSE(Model.trainingUseOf(Test, Hot)) << "evaluation only";
}

TEST(DataLoadingTest, GetMethodsAndInMemoryDatasets) {
  auto AST = parse(std::string(Datasets) + R"cpp(
struct Reading : data::datasets::Dataset<Reading> {
  data::Example<> get(size_t i) override {
    torch::Tensor t;
    torch::load(t, paths_[i]);
    return {t, labels_[i]};
  }
  c10::optional<size_t> size() const override;
  std::vector<std::string> paths_;
  std::vector<torch::Tensor> labels_;
};
struct MoreTensors : data::datasets::TensorDataset {
  using TensorDataset::TensorDataset;
};
)cpp");
  ASTContext &Ctx = AST->getASTContext();
  EXPECT_TRUE(isInMemoryDataset(*record(Ctx, "Preloaded")));
  EXPECT_FALSE(isInMemoryDataset(*record(Ctx, "Reading"))) << "torch::load";
  EXPECT_FALSE(isInMemoryDataset(*record(Ctx, "Images"))) << "get() elsewhere";
  EXPECT_TRUE(isInMemoryDataset(*record(Ctx, "MoreTensors")));
  const CXXRecordDecl *Reading = record(Ctx, "Reading");
  unsigned GetMethods = 0;
  for (const CXXMethodDecl *Method : Reading->methods())
    GetMethods += isDatasetGetMethod(*Method);
  EXPECT_EQ(GetMethods, 1u);
  for (const CXXMethodDecl *Method : record(Ctx, "Net")->methods())
    EXPECT_FALSE(isDatasetGetMethod(*Method));
}

} // namespace
