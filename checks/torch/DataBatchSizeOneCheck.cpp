//===--- DataBatchSizeOneCheck.cpp - torch-data-batch-size-one ------------===//

#include "DataBatchSizeOneCheck.h"
#include "model/DataLoading.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::torch {

namespace {
constexpr llvm::StringLiteral MakeLoaderId = "make";
} // namespace

DataBatchSizeOneCheck::DataBatchSizeOneCheck(llvm::StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {}

void DataBatchSizeOneCheck::registerMatchers(MatchFinder *Finder) {
  // make_data_loader(dataset), (dataset, 1), (dataset, options) whose batch
  // size is 1 by default or explicitly.
  // FIXME: a batch size of 1 that comes from a flag or a config is not
  // seen: only the run knows it.
  Finder->addMatcher(makeDataLoaderCall().bind(MakeLoaderId), this);
}

void DataBatchSizeOneCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(MakeLoaderId);
  assert(Call && "the matcher binds the call");
  const DataLoadingModel &Loading = DataLoadingModel::get(*Result.Context);
  const LoaderFacts *Loader = Loading.loaderOfCall(*Call);
  // A call in a template's pattern: its instantiations are checked.
  if (!Loader)
    return;
  if (Loader->BatchSize.known() != std::optional<uint64_t>(1))
    return;
  // A dataset whose get_batch() builds whole batches itself decides what a
  // batch is; the loader's batch size counts its requests.
  if (Loader->HasCollation && Loader->Transforms.empty())
    return;
  std::optional<TrainingUse> Use =
      Loading.trainingUseOf(*Loader, HotPathModel::get(*Result.Context));
  // Evaluation and inference one example at a time are often what the
  // program means (latency, variable-size inputs).
  if (!Use)
    return;
  diag(Call->getBeginLoc(),
       "data loader yields batches of one example%select{| (libtorch's "
       "default batch size)}0, so each training step runs the model on a "
       "single example and the device idles between small kernels; set a "
       "batch size in its options")
      << (Loader->BatchSize.How == LoaderSetting::Source::Default);
  noteTrainingUse(*Use);
}

} // namespace trainlint::torch
