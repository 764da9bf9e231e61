//===--- TrainedModel.h - what a training loop trains, and with what -*- C++
//-*-===//
//
// The checks that report what a training loop lacks point at one loop per
// problem: the innermost loop that runs both a backward pass and an
// optimizer step, not the epoch loop around it. Some of them also need to
// know what the loop trains (a recurrent model needs its gradients clipped)
// and which optimizer it steps (plain SGD needs momentum). This file answers
// those questions on the statements of the loop itself; what the loop's
// callees do is known to the hot-path model as signals only.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_CHECKS_MODEL_TRAINEDMODEL_H
#define TRAINLINT_CHECKS_MODEL_TRAINEDMODEL_H

#include "HotPath.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"

namespace trainlint {

/// Whether \p Loop runs a backward pass and an optimizer step, in itself,
/// its nested loops or its calls; in a project run, also when calls that
/// only the project knows may (HotPathModel::lacks decides).
bool mayTrainIn(const clang::Stmt &Loop, const HotPathModel &Model);

/// Whether \p Loop is the training step loop that a finding about what
/// training lacks points at: it may train (mayTrainIn) and no loop nested in
/// it, in its function, may. An epoch loop around a training loop is not.
bool isInnermostTrainingLoop(const clang::Stmt &Loop,
                             const HotPathModel &Model);

/// For a finding about what a training loop lacks: when \p Loop is the
/// innermost training loop (isInnermostTrainingLoop) and, with everything
/// it calls, does none of \p MustLack, the Lack to attach with
/// TrainlintCheck::noteLack (HotPathModel::lacks); nothing otherwise.
std::optional<Lack> trainingLoopLacks(const clang::Stmt &Loop,
                                      const HotPathModel &Model,
                                      unsigned MustLack);

/// The module class behind \p T: the class itself when it derives from
/// torch::nn::Module, the `Contained` of a `ModuleHolder<Contained>`
/// (`torch::nn::LSTM` is a holder of `LSTMImpl`), or the pointee of a
/// `std::shared_ptr`; null for anything else.
const clang::CXXRecordDecl *moduleImplOf(clang::QualType T);

/// The declaration an expression names, through `->` of a holder or a
/// smart pointer and parentheses: a variable, a parameter or a member.
const clang::ValueDecl *namedDeclOf(const clang::Expr *E);

/// The `step()` calls in \p S (lambdas excluded) on an optimizer that
/// \p Optimizer names; with a null \p Optimizer, every optimizer's.
llvm::SmallVector<const clang::CXXMemberCallExpr *, 2>
optimizerStepsIn(const clang::Stmt &S,
                 const clang::ValueDecl *Optimizer = nullptr);

/// The construction that initializes the variable \p D, through the copy
/// of a temporary (`auto opt = torch::optim::SGD(...)`); null when \p D is
/// not a variable so initialized.
const clang::CXXConstructExpr *constructionOf(const clang::ValueDecl *D);

/// A module that a training loop trains, and the expression that says so.
struct TrainedModule {
  /// The module's class (an Impl, or the user's class).
  const clang::CXXRecordDecl *Class = nullptr;
  /// The variable or member that holds it, when the expression names one.
  const clang::ValueDecl *Decl = nullptr;
  /// The call of its forward, or its `parameters()` in the construction of
  /// the optimizer that the loop steps.
  const clang::Expr *Evidence = nullptr;
  /// Evidence is the `parameters()` that built the optimizer.
  bool ThroughOptimizer = false;
};

/// The modules that \p Loop trains: the modules it calls (`model->forward`,
/// `model(x)`) and the modules whose `parameters()` built an optimizer it
/// steps (an optimizer variable with its construction at hand). Calls made
/// in the loop's callees are not looked into.
llvm::SmallVector<TrainedModule, 2> modulesTrainedIn(const clang::Stmt &Loop);

/// Where a module's recurrent or transformer part is.
struct RecurrentPart {
  /// torch::nn's class: LSTMImpl, GRUImpl, RNNImpl, their cells,
  /// TransformerImpl, TransformerEncoder/Decoder(Layer)Impl.
  const clang::CXXRecordDecl *Class = nullptr;
  /// The member or the register_module() call of the user's module that
  /// holds it; null when the module is the recurrent module itself.
  const clang::Stmt *RegisteredAt = nullptr;
  const clang::FieldDecl *Member = nullptr;
};

/// When \p Module is a recurrent or transformer module of torch::nn, or a
/// module of the user's with one as a member or registered submodule (one
/// level deep): where that part is.
std::optional<RecurrentPart>
recurrentPartOf(const clang::CXXRecordDecl *Module);

} // namespace trainlint

#endif // TRAINLINT_CHECKS_MODEL_TRAINEDMODEL_H
