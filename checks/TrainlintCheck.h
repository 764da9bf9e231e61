//===--- TrainlintCheck.h - what every trainlint check shares ---*- C++ -*-===//

#ifndef TRAINLINT_CHECKS_TRAINLINTCHECK_H
#define TRAINLINT_CHECKS_TRAINLINTCHECK_H

#include "CheckList.h"
#include "compat.h"
#include "model/DataLoading.h"
#include "model/HotPath.h"

namespace trainlint {

/// The base of every trainlint check: it applies the check's level from
/// checks/CheckList.def against the configured `trainlint.Level`, hands the
/// hot-path options (`trainlint.AssumeAccelerator`, `trainlint.Summary`) to
/// the models, and names the hot-path context of a finding in notes.
/// Matches a loop of the user's code (for, range-for, while, do), for the
/// checks that report what a training or epoch loop lacks; the models then
/// keep the loops that matter (HotPathModel::isStepLoop, isEpochLoop).
clang::ast_matchers::internal::BindableMatcher<clang::Stmt> userLoop();

class TrainlintCheck : public clang::tidy::ClangTidyCheck {
public:
  TrainlintCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  /// C++ only, and only when the configured level (or naming the check
  /// explicitly) enables it: a disabled check registers no matchers.
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override;

protected:
  /// Notes that say why \p Context is the hot path: each call on the way from
  /// the loop, innermost first, then the loop header. A deferred context
  /// gets the one note that tells `trainlint check` where the finding sits.
  void noteHotContext(const HotContext &Context);

  /// For a finding decided without deferral: the note that leaves to
  /// `trainlint check` what only the project knows (whether a unit that
  /// names only the CPU is handed device tensors). Nothing otherwise.
  void noteProjectCondition(const HotPathModel &Model);

  /// The note that leaves to `trainlint check` what only the project knows
  /// of a finding about what code lacks (HotPathModel::lacks). Nothing when
  /// the unit decided.
  void noteLack(const Lack &L);

  /// Notes that say where a data loader's batches go into training
  /// (DataLoadingModel::trainingUseOf): the call that hands the loader down,
  /// the training loop, and what is left to the project run.
  void noteTrainingUse(const TrainingUse &Use);

  /// Whether the step loop of \p Context, or a function on the way to the
  /// finding, reads a clock, so that its synchronizations measure it. A
  /// deferred context answers no and leaves the question to the project run.
  bool hotLoopTimesItself(HotContext &Context, clang::ASTContext &Ctx);

  /// Whether the configured `trainlint.Level` enables findings of \p Level,
  /// for a check whose noisier findings go to a higher level than its own.
  bool levelEnabled(CheckLevel Level) const {
    return levelEnables(ConfiguredLevel, Level);
  }

private:
  bool EnabledByLevel = true;
  CheckLevel ConfiguredLevel = DefaultLevel;
};

} // namespace trainlint

#endif // TRAINLINT_CHECKS_TRAINLINTCHECK_H
