//===--- DataLoading.h - how a program loads its batches --------*- C++ -*-===//
//
// libtorch's data loaders are built with `torch::data::make_data_loader`
// over a dataset, perhaps wrapped in `.map(...)` transforms, with
// `DataLoaderOptions` whose defaults are a batch size of 1 and no workers:
// without workers, the thread that iterates the loader loads, transforms and
// collates every batch itself. The torch-data checks ask the same questions
// of each loader (over which dataset, with which options, iterated where);
// this model answers them once per translation unit, over the user's code.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_DATALOADING_H
#define TRAINLINT_CHECKS_MODEL_DATALOADING_H

#include "HotPath.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <memory>
#include <optional>

namespace trainlint {

/// A setting of `DataLoaderOptions` (batch_size, workers) as the code makes
/// it.
struct LoaderSetting {
  enum class Source {
    /// Not set: libtorch's default applies (a batch size of 1, no workers).
    Default,
    /// Set to a constant the compiler can evaluate.
    Constant,
    /// Set to a value that only the run knows (a parameter, a flag), or
    /// set through a variable the model cannot follow.
    Unknown,
  };
  Source How = Source::Default;
  /// The value, for Default (libtorch's) and Constant.
  uint64_t Value = 0;
  /// The expression that sets it: the argument of `.workers(n)`, of
  /// `.batch_size(n)`, of `DataLoaderOptions(n)`, or the bare batch size
  /// handed to make_data_loader. Null for Default.
  const clang::Expr *Written = nullptr;

  bool isKnown() const { return How != Source::Unknown; }
  /// The value when the code fixes it (Default or Constant).
  std::optional<uint64_t> known() const {
    return isKnown() ? std::optional<uint64_t>(Value) : std::nullopt;
  }
};

/// What a `torch::data::make_data_loader(...)` call of the user's code
/// builds.
struct LoaderFacts {
  /// The make_data_loader call.
  const clang::CallExpr *Call = nullptr;
  /// The dataset argument as written, past the copy into the parameter.
  const clang::Expr *Dataset = nullptr;
  /// The dataset's class under any chain of `.map(...)`: the user's dataset
  /// class, or libtorch's (TensorDataset, MNIST). Null when the type is
  /// not a class the model knows.
  const clang::CXXRecordDecl *DatasetClass = nullptr;
  /// The transforms applied with `.map(...)`, innermost first.
  llvm::SmallVector<const clang::CXXRecordDecl *, 2> Transforms;
  /// Batches come out collated: a Collation (`Stack<>`) is among the
  /// transforms, or the dataset's batches are not vectors of examples (a
  /// get_batch of the user's that builds whole batches).
  bool HasCollation = false;
  /// The options argument as written, past conversions; null when the call
  /// leaves the options to their default. A bare batch size
  /// (`make_data_loader(ds, 64)`) is the options argument too.
  const clang::Expr *Options = nullptr;
  /// The options argument names a variable (or parameter, or member)
  /// rather than an expression that builds them.
  bool OptionsInVariable = false;
  /// The batch size; Default is libtorch's 1.
  LoaderSetting BatchSize{LoaderSetting::Source::Default, 1, nullptr};
  /// The workers; Default is libtorch's 0.
  LoaderSetting Workers{LoaderSetting::Source::Default, 0, nullptr};
  /// The variable, parameter or member the loader is stored in, when the
  /// call initializes or is assigned to one.
  const clang::ValueDecl *Variable = nullptr;
  /// The dataset holds its examples in memory: libtorch's TensorDataset or
  /// MNIST (which reads its files in the constructor), or a class whose
  /// get() only indexes tensors it holds (isInMemoryDataset).
  bool InMemory = false;

  /// The thread that iterates the loader loads the batches: workers are 0,
  /// by default or explicitly.
  bool hasNoWorkers() const { return Workers.isKnown() && Workers.Value == 0; }
};

/// A `torch::data::make_data_loader` call (either overload, any sampler).
bool isMakeDataLoaderCall(const clang::CallExpr &Call);

/// Matches a make_data_loader call of the user's code, for the checks that
/// report on loaders (look its facts up with DataLoadingModel::loaderOfCall).
clang::ast_matchers::internal::BindableMatcher<clang::Stmt>
makeDataLoaderCall();

/// `get` or `get_batch` of a class derived from
/// torch::data::datasets::BatchDataset (Dataset derives from it): the
/// methods a loader calls to load examples.
bool isDatasetGetMethod(const clang::CXXMethodDecl &Method);

/// The dataset's examples are in memory already: libtorch's TensorDataset
/// and MNIST, classes derived from them that keep their get(), and classes
/// whose get()/get_batch() only index or slice tensors they hold (members
/// of tensor type or vectors of tensors), calling no function but tensor
/// methods and at:: operators.
bool isInMemoryDataset(const clang::CXXRecordDecl &Dataset);

/// Where a loader's batches go into training.
struct TrainingUse {
  /// The loop over the loader that may train (mayTrainIn): a range-for over
  /// it, or a loop over its begin() or next(). Null when the loader is
  /// handed to a function that neither the unit nor a summary defines.
  const clang::Stmt *Loop = nullptr;
  /// The call that hands the loader to the function that holds Loop (or,
  /// when Loop is null, to the function defined elsewhere); null when the
  /// loop is in the function that owns the loader.
  const clang::CallExpr *HandedTo = nullptr;
  /// What is left to the project run: whether the loop, or the function
  /// defined elsewhere, trains (HotPathModel::lacks).
  Lack Condition;
};

class DataLoadingModel {
public:
  /// The model of \p Ctx's translation unit, built on first use and freed
  /// with the ASTContext.
  static const DataLoadingModel &get(clang::ASTContext &Ctx);

  explicit DataLoadingModel(clang::ASTContext &Ctx);
  ~DataLoadingModel();
  DataLoadingModel(const DataLoadingModel &) = delete;
  DataLoadingModel &operator=(const DataLoadingModel &) = delete;

  /// Every make_data_loader call of the user's code, in source order.
  llvm::ArrayRef<LoaderFacts> loaders() const;

  /// The facts of the make_data_loader call \p Call, or null.
  const LoaderFacts *loaderOfCall(const clang::CallExpr &Call) const;

  /// The loader that \p RangeInit iterates: a range-for's range (`*loader`,
  /// `*this->loader_`, `loader` of a loader reference), or the object of
  /// `loader->begin()` / `loader->next()`. Through a parameter of loader
  /// type: the loader that this unit's calls of the function pass, when
  /// they all pass the same one, or else the unit's one make_data_loader
  /// call of that loader type. Null when none is known.
  const LoaderFacts *loaderOf(const clang::Expr &RangeInit) const;

  /// Whether a loader of this unit over \p Dataset (or a class derived from
  /// it, under any `.map(...)`) loads on the iterating thread. The rule: yes
  /// when some loader over it has no workers; when every loader over it
  /// has a worker count that only the run knows, yes too (maybe); no when
  /// some loader has workers and none has none, and no when the unit builds
  /// no loader over it (the project may, elsewhere).
  bool datasetLoadedWithoutWorkers(const clang::CXXRecordDecl &Dataset) const;

  /// The get() or get_batch() of a dataset that a loader of this unit runs
  /// on the iterating thread (datasetLoadedWithoutWorkers) and that runs
  /// \p Function: it is \p Function, or calls it directly or through up to
  /// two more functions this unit defines (a decoder that get() calls).
  /// Null when there is none.
  const clang::CXXMethodDecl *
  getRunningOnLoaderThread(const clang::FunctionDecl &Function) const;

  /// The loops of this unit that may iterate \p Loader, in source order:
  /// over it, or over a parameter that some call passes it to (or, when no
  /// call of the unit passes one, the unit's one loader of its type). Each
  /// comes with the call that hands the loader to the loop's function when
  /// it is not the function that builds it.
  llvm::SmallVector<std::pair<const clang::Stmt *, const clang::CallExpr *>, 2>
  loopsOver(const LoaderFacts &Loader) const;

  /// Where \p Loader feeds training: the first loop over it that may train,
  /// else a function defined elsewhere it is handed to that may train (in a
  /// project run, deferred). Nothing when no use trains or the unit cannot
  /// tell.
  std::optional<TrainingUse> trainingUseOf(const LoaderFacts &Loader,
                                           const HotPathModel &Model) const;

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_DATALOADING_H
