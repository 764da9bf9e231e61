//===--- ReportWriter.cpp - the validation report's three forms -----------===//

#include "validate/ReportWriter.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <map>

#ifndef TRAINLINT_VERSION
#define TRAINLINT_VERSION "0.0.0"
#endif

namespace trainlint {
namespace validate {

std::string describeSignal(int Signal) {
  const char *Name = signalName(Signal);
  return Name ? Name : "signal " + std::to_string(Signal);
}

std::string endName(const RunInfo &Run) {
  if (Run.Exit.How == ProgramExit::TimedOut)
    return "timed-out";
  if (!Run.Primary)
    return "no-data";
  return Run.Primary->EndReason;
}

namespace {

std::string timeText(double Ns) {
  if (Ns >= 1e9)
    return llvm::formatv("{0:F2} s", Ns / 1e9).str();
  if (Ns >= 1e6)
    return llvm::formatv("{0:F2} ms", Ns / 1e6).str();
  if (Ns >= 1e3)
    return llvm::formatv("{0:F1} us", Ns / 1e3).str();
  return llvm::formatv("{0:F0} ns", Ns).str();
}

std::string bytesText(double Bytes) {
  if (Bytes >= 1 << 20)
    return llvm::formatv("{0:F1} MiB", Bytes / (1 << 20)).str();
  if (Bytes >= 1 << 10)
    return llvm::formatv("{0:F1} KiB", Bytes / (1 << 10)).str();
  return llvm::formatv("{0:F0} B", Bytes).str();
}

std::string percent(double Share) {
  return llvm::formatv("{0:F1}%", Share * 100).str();
}

double share(double Part, double Whole) { return Whole > 0 ? Part / Whole : 0; }

std::string exitText(const ProgramExit &E) {
  switch (E.How) {
  case ProgramExit::NotStarted:
    return "did not start" + (E.Error.empty() ? "" : ": " + E.Error);
  case ProgramExit::Exited:
    return "exited with status " + std::to_string(E.Code);
  case ProgramExit::Signaled:
    return "was killed by " + describeSignal(E.Signal);
  case ProgramExit::TimedOut:
    return "ran past the time limit and was stopped";
  }
  return "";
}

std::string endText(const RunInfo &Run) {
  std::string End = endName(Run);
  if (End == "steps-reached")
    return "stopped after " + std::to_string(Run.StepsRequested) +
           " measured steps";
  if (End == "exit")
    return "the program ended by itself";
  if (End == "signal")
    return "the runtime wrote its data on " + Run.Primary->SignalName;
  if (End == "refused")
    return "the runtime refused the program's libtorch";
  if (End == "timed-out")
    return "the runtime wrote its data on SIGTERM";
  return "no observations were written";
}

std::string location(const std::string &File, unsigned Line, unsigned Col = 0) {
  std::string Out = File.empty() ? "?" : File;
  if (Line)
    Out += ":" + std::to_string(Line);
  if (Col)
    Out += ":" + std::to_string(Col);
  return Out;
}

std::string shortLocation(const std::string &File, unsigned Line) {
  return location(llvm::sys::path::filename(File).str(), Line);
}

/// "train.cpp:18 <- train.cpp:52", or the frame's place without a chain.
std::string chainText(const SignalResult &Sig, bool Short) {
  if (Sig.Chain.empty() && !Sig.Where.Line && !Sig.Where.Function.empty())
    return baseFunctionName(Sig.Where.Function) + " (no line table)";
  if (Sig.Chain.empty())
    return Short ? shortLocation(Sig.Where.File, Sig.Where.Line)
                 : location(Sig.Where.File, Sig.Where.Line);
  std::string Out;
  for (const SourceFrame &F : Sig.Chain) {
    if (!Out.empty())
      Out += " <- ";
    Out += Short ? shortLocation(F.File, F.Line) : location(F.File, F.Line);
  }
  return Out;
}

std::map<std::string, unsigned> statusCounts(const Validation &V) {
  std::map<std::string, unsigned> Counts = {{"confirmed", 0},
                                            {"not-observed", 0},
                                            {"not-exercised", 0},
                                            {"not-checkable", 0}};
  for (const FindingResult &F : V.Findings)
    ++Counts[statusName(F.Result).str()];
  return Counts;
}

/// A per-step series, for findings and signals alike.
void seriesArray(llvm::json::OStream &J,
                 const std::vector<SeriesPoint> &Series) {
  J.attributeArray("series", [&] {
    for (const SeriesPoint &P : Series)
      J.object([&] {
        J.attribute("step", P.Step);
        J.attribute("count", static_cast<int64_t>(P.Count));
        J.attribute("bytes", static_cast<int64_t>(P.Bytes));
        J.attribute("max_bytes", static_cast<int64_t>(P.MaxBytes));
      });
  });
}

/// A loss as JSON: a number, or "nan", "inf", "-inf" (JSON has no such
/// numbers), as in the runtime's data file.
void lossJson(llvm::json::OStream &J, double Value) {
  if (std::isnan(Value))
    J.value("nan");
  else if (std::isinf(Value))
    J.value(Value > 0 ? "inf" : "-inf");
  else
    J.value(Value);
}

void flagsArray(llvm::json::OStream &J, uint32_t Flags) {
  J.attributeArray("flags", [&] {
    for (unsigned Bit = 0; Bit < 32; ++Bit)
      if (Flags >> Bit & 1) {
        std::string Name = flagNames(1u << Bit);
        if (!Name.empty())
          J.value(Name);
      }
  });
}

} // namespace

void writeJsonReport(llvm::raw_ostream &OS, const RunInfo &Run,
                     const Validation &V) {
  llvm::json::OStream J(OS, 2);
  const Summary &S = V.Totals;
  double Wall = S.MeanStepNs;
  J.object([&] {
    J.attribute("version", 1);
    J.attribute("kind", "trainlint-validation");
    J.attributeObject("tool", [&] {
      J.attribute("name", "trainlint");
      J.attribute("version", TRAINLINT_VERSION);
    });
    J.attributeObject("program", [&] {
      J.attributeArray("argv", [&] {
        for (const std::string &A : Run.Argv)
          J.value(A);
      });
      J.attributeObject("exit", [&] {
        switch (Run.Exit.How) {
        case ProgramExit::NotStarted:
          J.attribute("status", "not-started");
          J.attribute("error", Run.Exit.Error);
          break;
        case ProgramExit::Exited:
          J.attribute("status", "exited");
          J.attribute("code", Run.Exit.Code);
          break;
        case ProgramExit::Signaled:
          J.attribute("status", "signaled");
          J.attribute("signal", Run.Exit.Signal);
          J.attribute("signal_name", describeSignal(Run.Exit.Signal));
          break;
        case ProgramExit::TimedOut:
          J.attribute("status", "timed-out");
          break;
        }
      });
    });
    J.attributeObject("run", [&] {
      J.attribute("end", endName(Run));
      J.attribute("gpu", V.Gpu);
      J.attribute("device", V.Gpu ? "cuda" : "cpu");
      J.attribute("step_definition", Run.StepOn);
      J.attribute("steps_requested", static_cast<int64_t>(Run.StepsRequested));
      if (Run.Primary) {
        J.attributeObject("torch", [&] {
          J.attribute("built", Run.Primary->TorchBuilt);
          J.attribute("loaded", Run.Primary->TorchLoaded);
          J.attribute("cuda_build", Run.Primary->CudaBuild);
        });
        if (!Run.Primary->Message.empty())
          J.attribute("message", Run.Primary->Message);
        const EvaluationSeen &E = Run.Primary->Evaluation;
        J.attributeObject("evaluation", [&] {
          J.attribute("batches_allowed",
                      static_cast<int64_t>(Run.Primary->EvalBatches));
          J.attribute("waited", E.Waited);
          J.attribute("batches", static_cast<int64_t>(E.Batches));
          J.attribute("phases", static_cast<int64_t>(E.Phases));
          if (!E.StoppedBy.empty())
            J.attribute("stopped_by", E.StoppedBy);
        });
      }
      J.attributeArray("processes", [&] {
        for (const RuntimeData *P : Run.Processes)
          J.object([&] {
            J.attribute("pid", P->Pid);
            J.attribute("parent_pid", P->ParentPid);
            J.attribute("primary", P == Run.Primary);
            J.attribute("forked_child", P->ForkedChild);
            J.attribute("end", P->EndReason);
            J.attribute("steps_measured",
                        static_cast<int64_t>(P->measuredSteps().size()));
            J.attribute("operators", static_cast<int64_t>(P->TopLevelOps));
          });
      });
    });
    J.attributeObject("summary", [&] {
      J.attribute("steps_measured", static_cast<int64_t>(S.StepsMeasured));
      J.attribute("backward_passes", static_cast<int64_t>(S.BackwardPasses));
      J.attribute("optimizer_steps", static_cast<int64_t>(S.OptimizerSteps));
      J.attribute("steps_per_second", S.StepsPerSecond);
      J.attribute("mean_step_ns", S.MeanStepNs);
      J.attribute("median_step_ns", S.MedianStepNs);
      J.attribute("compute_ns", S.ComputeNs);
      J.attribute("sync_ns", S.SyncNs);
      J.attribute("host_gap_ns", S.HostGapNs);
      J.attribute("compute_share", share(S.ComputeNs, Wall));
      J.attribute("sync_share", share(S.SyncNs, Wall));
      J.attribute("host_gap_share", share(S.HostGapNs, Wall));
      J.attribute("backward_ns", S.BackwardNs);
      J.attribute("other_threads_op_ns", S.OtherThreadsOpNs);
      J.attribute("data_loading_ns", S.DataLoadingNs);
      J.attribute("data_loading_share", share(S.DataLoadingNs, Wall));
      J.attribute("data_loading_op_ns", S.DataLoadingOpNs);
      J.attributeObject("samples", [&] {
        J.attribute("period_ns",
                    static_cast<int64_t>(
                        Run.Primary ? Run.Primary->Samples.PeriodNs : 0));
        J.attribute("measured", static_cast<int64_t>(S.Samples));
        J.attribute("data_loading", static_cast<int64_t>(S.DataLoadingSamples));
        J.attribute("dropped", static_cast<int64_t>(
                                   Run.Primary ? Run.Primary->Samples.Dropped
                                               : 0));
      });
      if (Run.Primary && !Run.Primary->DeviceStepNs.empty())
        J.attributeArray("device_step_ns", [&] {
          for (const std::pair<int64_t, uint64_t> &P :
               Run.Primary->DeviceStepNs)
            J.object([&] {
              J.attribute("step", P.first);
              J.attribute("ns", static_cast<int64_t>(P.second));
            });
        });
      J.attributeObject("findings", [&] {
        for (const auto &[Name, Count] : statusCounts(V))
          J.attribute(Name, Count);
      });
    });
    J.attributeObject("loss", [&] {
      J.attributeArray("points", [&] {
        for (const LossValue &L : V.Loss.Points)
          J.object([&] {
            J.attribute("step", L.Step);
            J.attributeBegin("value");
            lossJson(J, L.Value);
            J.attributeEnd();
          });
      });
      J.attribute("diverged", !V.Loss.Divergence.empty());
      if (!V.Loss.Divergence.empty())
        J.attribute("reason", V.Loss.Divergence);
    });
    J.attributeArray("steps", [&] {
      for (size_t I = 0; I < S.Steps.size(); ++I)
        J.object([&] {
          const StepRecord *R = S.Steps[I];
          J.attribute("index", static_cast<int64_t>(R->Index));
          J.attribute("wall_ns", static_cast<int64_t>(R->wallNs()));
          J.attribute("op_ns", static_cast<int64_t>(R->OpNs));
          J.attribute("sync_ns", static_cast<int64_t>(R->SyncNs));
          J.attribute("backward_ns", static_cast<int64_t>(R->BackwardNs));
          J.attribute("host_gap_ns",
                      static_cast<int64_t>(R->wallNs() -
                                           std::min(R->OpNs, R->wallNs())));
          J.attribute("operators", static_cast<int64_t>(R->Ops));
          J.attribute("data_loading_ns",
                      static_cast<int64_t>(I < S.StepDataLoadingNs.size()
                                               ? S.StepDataLoadingNs[I]
                                               : 0));
        });
    });
    J.attributeArray("findings", [&] {
      for (const FindingResult &F : V.Findings)
        J.object([&] {
          J.attribute("check", F.Source.Check);
          J.attribute("message", F.Source.Message);
          J.attribute("file", F.Source.Where.File);
          J.attribute("line", F.Source.Where.Line);
          J.attribute("column", F.Source.Where.Column);
          if (!F.Source.Fingerprint.empty())
            J.attribute("fingerprint", F.Source.Fingerprint);
          J.attribute("status", statusName(F.Result));
          J.attribute("reason", F.Reason);
          J.attribute("signal", signalKindName(F.Kind));
          J.attribute("match", F.MatchedByFunction ? "function" : "line");
          if (F.MatchedByFunction)
            J.attribute("function", F.Function);
          if (F.StatementEnd)
            J.attributeObject("lines", [&] {
              J.attribute("from", F.Source.Where.Line);
              J.attribute("to", F.StatementEnd);
            });
          J.attribute("needs_gpu", F.NeedsGpu);
          if (F.Batch.Batches)
            J.attributeObject("per_batch", [&] {
              J.attribute("batches", static_cast<int64_t>(F.Batch.Batches));
              J.attribute("count", F.Batch.Count);
              J.attribute("ns", F.Batch.Ns);
            });
          if (F.Result == Status::Confirmed ||
              F.Result == Status::NotObserved) {
            J.attributeObject("per_step", [&] {
              J.attribute("count", F.Per.Count);
              J.attribute("ns", F.Per.Ns);
              J.attribute("bytes", F.Per.Bytes);
              J.attribute("share", F.Share);
            });
            J.attribute("steps_seen", static_cast<int64_t>(F.StepsSeen));
            J.attributeObject("total", [&] {
              J.attribute("count", static_cast<int64_t>(F.Total.Count));
              J.attribute("ns", static_cast<int64_t>(F.Total.Ns));
              J.attribute("bytes", static_cast<int64_t>(F.Total.Bytes));
            });
            J.attributeObject("outside_steps", [&] {
              J.attribute("count", static_cast<int64_t>(F.Outside.Count));
              J.attribute("ns", static_cast<int64_t>(F.Outside.Ns));
            });
            if (!F.Series.empty())
              seriesArray(J, F.Series);
          }
          J.attributeArray("evidence", [&] {
            for (const Evidence &E : F.Seen)
              J.object([&] {
                J.attribute("operator", E.Op);
                flagsArray(J, E.Flags);
                J.attribute("src", E.Src);
                J.attribute("dst", E.Dst);
                J.attribute("measured_count",
                            static_cast<int64_t>(E.Measured.Count));
                J.attribute("outside_count",
                            static_cast<int64_t>(E.Outside.Count));
                J.attribute("measured_bytes",
                            static_cast<int64_t>(E.Measured.Bytes));
                J.attribute("signal", E.Signal);
              });
          });
        });
    });
    J.attributeArray("signals", [&] {
      for (const SignalResult &Sig : V.Signals)
        J.object([&] {
          J.attribute("kind", signalKindName(Sig.Kind));
          J.attribute("file", Sig.Where.File);
          J.attribute("line", Sig.Where.Line);
          J.attribute("function", Sig.Where.Function);
          J.attributeArray("call_chain", [&] {
            for (const SourceFrame &F : Sig.Chain)
              J.object([&] {
                J.attribute("file", F.File);
                J.attribute("line", F.Line);
                J.attribute("function", F.Function);
              });
          });
          J.attribute("operators", Sig.Op);
          J.attributeObject("per_step", [&] {
            J.attribute("count", Sig.Per.Count);
            J.attribute("ns", Sig.Per.Ns);
            J.attribute("bytes", Sig.Per.Bytes);
          });
          J.attribute("total_count", static_cast<int64_t>(Sig.Total.Count));
          if (!Sig.Detail.empty())
            J.attribute("detail", Sig.Detail);
          if (!Sig.Series.empty())
            seriesArray(J, Sig.Series);
        });
    });
    J.attributeArray("lines", [&] {
      for (const LineCost &L : V.Lines)
        J.object([&] {
          J.attribute("file", L.Where.File);
          J.attribute("line", L.Where.Line);
          J.attribute("function", L.Where.Function);
          J.attribute("operators_per_step", L.Ops.Count);
          J.attribute("op_ns_per_step", L.Ops.Ns);
          J.attribute("gap_ns_per_step", L.GapNs);
        });
    });
    J.attributeArray("needs_gpu", [&] {
      for (const std::string &N : V.NeedsGpu)
        J.value(N);
    });
    J.attributeArray("warnings", [&] {
      for (const std::string &W : V.Warnings)
        J.value(W);
    });
  });
  OS << "\n";
}

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

namespace {

/// \p Path relative to the current directory when it lies under it.
std::string displayPath(const std::string &Path) {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return Path;
  llvm::StringRef P(Path);
  if (P.consume_front(Cwd) && P.consume_front("/"))
    return P.str();
  return Path;
}

} // namespace

void writeTextSummary(llvm::raw_ostream &OS, const RunInfo &Run,
                      const Validation &V) {
  const Summary &S = V.Totals;
  OS << "trainlint validate: the program " << exitText(Run.Exit) << "; "
     << endText(Run) << "\n";
  if (S.StepsMeasured) {
    OS << llvm::formatv("  {0} steps measured, {1:F1} steps/s, {2} per step: "
                        "compute {3}, syncs {4}, host gaps {5}\n",
                        S.StepsMeasured, S.StepsPerSecond,
                        timeText(S.MeanStepNs),
                        percent(share(S.ComputeNs, S.MeanStepNs)),
                        percent(share(S.SyncNs, S.MeanStepNs)),
                        percent(share(S.HostGapNs, S.MeanStepNs)));
  }
  if (S.StepsMeasured && S.Samples)
    OS << llvm::formatv("  data loading on the training thread: {0} per step, "
                        "{1} of step time ({2} of {3} samples)\n",
                        timeText(S.DataLoadingNs),
                        percent(share(S.DataLoadingNs, S.MeanStepNs)),
                        S.DataLoadingSamples, S.Samples);
  if (Run.Primary && !V.Gpu && Run.Primary->EndReason != "refused")
    OS << "  CPU-only run: syncs and copies are seen, their device cost is "
          "not (see the report's needs_gpu)\n";
  for (const FindingResult &F : V.Findings) {
    OS << llvm::formatv("  {0,-14} {1}: {2}", statusName(F.Result),
                        location(displayPath(F.Source.Where.File),
                                 F.Source.Where.Line, F.Source.Where.Column),
                        F.Source.Check);
    if (F.Kind == SignalKind::DataLoading &&
        (F.Result == Status::Confirmed || F.Result == Status::NotObserved))
      OS << llvm::formatv(" (data loading {0}/step, {1} of step time)",
                          timeText(F.Per.Ns), percent(F.Share));
    else if (F.Result == Status::Confirmed && F.Batch.Batches)
      OS << llvm::formatv(" ({0:F1}/evaluation batch, {1}/batch, {2} batches)",
                          F.Batch.Count, timeText(F.Batch.Ns),
                          F.Batch.Batches);
    else if (F.Result == Status::Confirmed && S.StepsMeasured &&
             F.Kind == SignalKind::GradNotCleared)
      OS << llvm::formatv(" ({0:F2} gradients/step, {1}/step)", F.Per.Count,
                          bytesText(F.Per.Bytes));
    else if (F.Result == Status::Confirmed && S.StepsMeasured)
      OS << llvm::formatv(" ({0:F2}/step, {1}/step, {2} of step time)",
                          F.Per.Count, timeText(F.Per.Ns), percent(F.Share));
    else if (F.Result == Status::Confirmed)
      OS << llvm::formatv(" ({0:F0} times in the run, {1})", F.Per.Count,
                          timeText(F.Per.Ns));
    OS << "\n";
  }
  for (const SignalResult &Sig : V.Signals)
    if (Sig.Kind == SignalKind::GrowingCat ||
        Sig.Kind == SignalKind::GradWithoutBackward ||
        Sig.Kind == SignalKind::GradNotCleared ||
        Sig.Kind == SignalKind::ModeMismatch ||
        Sig.Kind == SignalKind::LossDiverged ||
        Sig.Kind == SignalKind::DataLoading) {
      SignalResult Shown = Sig;
      Shown.Where.File = displayPath(Sig.Where.File);
      for (SourceFrame &F : Shown.Chain)
        F.File = displayPath(F.File);
      OS << "  signal " << signalKindName(Sig.Kind) << " at "
         << chainText(Shown, false) << ": " << Sig.Detail << "\n";
    }
  if (!V.Loss.Points.empty())
    OS << llvm::formatv("  loss {0} -> {1} over {2} backward passes{3}\n",
                        lossText(V.Loss.Points.front().Value),
                        lossText(V.Loss.Points.back().Value),
                        V.Loss.Points.size(),
                        V.Loss.Divergence.empty() ? "" : " (diverged)");
  for (const std::string &W : V.Warnings)
    OS << "  warning: " << W << "\n";
}

//===----------------------------------------------------------------------===//
// HTML
//===----------------------------------------------------------------------===//

namespace {

std::string esc(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    case '\'':
      Out += "&#39;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

const char *const ComputeColor = "#4c78a8";
const char *const SyncColor = "#e45756";
const char *const GapColor = "#f2b447";
const char *const DataLoadingColor = "#54a24b";

/// A step's time in the bar's segments: compute, syncs and host gaps
/// outside data loading, then data loading (its operators' part taken from
/// compute, the rest from the host gaps), none below zero.
struct StepSplit {
  double Compute, Sync, HostGap, DataLoading;
};
StepSplit splitStep(double Compute, double Sync, double HostGap,
                    double DataLoading, double DataLoadingOp) {
  DataLoadingOp = std::min(DataLoadingOp, DataLoading);
  return {std::max(0.0, Compute - DataLoadingOp), Sync,
          std::max(0.0, HostGap - (DataLoading - DataLoadingOp)), DataLoading};
}

const char *const Style = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}
h1{font-size:1.45em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #dde1ea;padding-bottom:.2em}
.sub{color:#5a6270;margin-top:0}
.kpis{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}.kpi{background:#f3f5f9;border-radius:6px;padding:.5em .9em;min-width:9em}
.kpi b{display:block;font-size:1.3em}.kpi span{color:#5a6270;font-size:.85em}
table{border-collapse:collapse;width:100%;margin-top:.5em}td,th{padding:.35em .5em;border-bottom:1px solid #e6e8ee;text-align:left;vertical-align:top}
th{font-weight:600;font-size:.9em;color:#3b4252}
.st{border-radius:10px;padding:.1em .55em;font-size:.85em;white-space:nowrap}
.chk,.share{white-space:nowrap}
.confirmed{background:#fde2e1;color:#9b1c1c}.not-observed{background:#e3f4e5;color:#1b5e20}
.not-exercised{background:#eceff4;color:#4a5568}.not-checkable{background:#fff4d6;color:#7a5a00}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.why{color:#4a5160;font-size:.9em}.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;white-space:nowrap}
.legend span{display:inline-block;margin-right:1.2em}.legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;vertical-align:-1px}
.series{margin-top:.3em;color:#5a6270;font-size:.85em}.series svg{vertical-align:middle;background:#f3f5f9}
.warn{background:#fff4d6;border-radius:6px;padding:.5em .9em}
code{font-size:.92em}
)css";

/// The stacked bar of where a step's time goes.
void splitBar(llvm::raw_ostream &OS, const Summary &S) {
  StepSplit Split = splitStep(S.ComputeNs, S.SyncNs, S.HostGapNs,
                              S.DataLoadingNs, S.DataLoadingOpNs);
  double Total = Split.Compute + Split.Sync + Split.HostGap + Split.DataLoading;
  if (Total <= 0)
    return;
  const double W = 1000, H = 46;
  OS << llvm::formatv(
      "<svg viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\" "
      "aria-label=\"where step time goes\">",
      W, H + 24);
  double X = 0;
  struct Part {
    const char *Name;
    double Ns;
    const char *Color;
  } Parts[] = {{"compute", Split.Compute, ComputeColor},
               {"syncs", Split.Sync, SyncColor},
               {"host gaps", Split.HostGap, GapColor},
               {"data loading", Split.DataLoading, DataLoadingColor}};
  for (const Part &P : Parts) {
    double Width = W * P.Ns / Total;
    if (Width <= 0)
      continue;
    OS << llvm::formatv(
        "<rect x=\"{0:F1}\" y=\"0\" width=\"{1:F1}\" height=\"{2}\" "
        "fill=\"{3}\"><title>{4}: {5} per step ({6})</title></rect>",
        X, Width, H, P.Color, P.Name, timeText(P.Ns), percent(P.Ns / Total));
    if (Width > 90)
      OS << llvm::formatv(
          "<text x=\"{0:F1}\" y=\"{1}\" fill=\"#fff\" "
          "font-size=\"15\" font-family=\"sans-serif\">{2} {3}</text>",
          X + 8, H / 2 + 5, P.Name, percent(P.Ns / Total));
    X += Width;
  }
  OS << llvm::formatv(
      "<text x=\"0\" y=\"{0}\" font-size=\"13\" fill=\"#5a6270\" "
      "font-family=\"sans-serif\">0</text><text x=\"{1}\" y=\"{0}\" "
      "font-size=\"13\" fill=\"#5a6270\" text-anchor=\"end\" "
      "font-family=\"sans-serif\">{2} per step</text></svg>\n",
      H + 18, W, timeText(Total));
}

/// One column per measured step, stacked the same way.
void stepColumns(llvm::raw_ostream &OS, const Summary &S) {
  if (S.Steps.empty())
    return;
  double Max = 0;
  for (const StepRecord *R : S.Steps)
    Max = std::max(Max, static_cast<double>(R->wallNs()));
  if (Max <= 0)
    return;
  const double W = 1000, H = 160, Left = 60;
  double Col = (W - Left) / S.Steps.size();
  OS << llvm::formatv(
      "<svg viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\" "
      "aria-label=\"time per step\">",
      W, H + 30);
  OS << llvm::formatv(
      "<text x=\"0\" y=\"12\" font-size=\"12\" fill=\"#5a6270\" "
      "font-family=\"sans-serif\">{0}</text>",
      timeText(Max));
  OS << llvm::formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                      "stroke=\"#c5cad6\"/>",
                      Left, H, W);
  for (size_t I = 0; I < S.Steps.size(); ++I) {
    const StepRecord &R = *S.Steps[I];
    double Wall = static_cast<double>(R.wallNs());
    double Op = std::min(static_cast<double>(R.OpNs), Wall);
    double Sync = std::min(static_cast<double>(R.SyncNs), Op);
    StepSplit Split = splitStep(
        Op - Sync, Sync, Wall - Op,
        I < S.StepDataLoadingNs.size() ? S.StepDataLoadingNs[I] : 0,
        I < S.StepDataLoadingOpNs.size() ? S.StepDataLoadingOpNs[I] : 0);
    double Parts[] = {Split.Compute, Split.Sync, Split.HostGap,
                      Split.DataLoading};
    const char *Colors[] = {ComputeColor, SyncColor, GapColor,
                            DataLoadingColor};
    double Y = H;
    for (int P = 0; P < 4; ++P) {
      double Height = H * Parts[P] / Max;
      if (Height <= 0)
        continue;
      Y -= Height;
      OS << llvm::formatv("<rect x=\"{0:F1}\" y=\"{1:F1}\" width=\"{2:F1}\" "
                          "height=\"{3:F1}\" fill=\"{4}\"><title>step {5}: {6}"
                          "</title></rect>",
                          Left + I * Col + Col * 0.1, Y, Col * 0.8, Height,
                          Colors[P], R.Index, timeText(Wall));
    }
  }
  OS << llvm::formatv(
      "<text x=\"{0}\" y=\"{1}\" font-size=\"12\" fill=\"#5a6270\" "
      "font-family=\"sans-serif\">step {2}</text>",
      Left, H + 18, S.Steps.front()->Index);
  OS << llvm::formatv(
      "<text x=\"{0}\" y=\"{1}\" font-size=\"12\" fill=\"#5a6270\" "
      "text-anchor=\"end\" font-family=\"sans-serif\">step {2}</text>",
      W, H + 18, S.Steps.back()->Index);
  OS << "</svg>\n";
}

/// A small chart of a per-step series: the largest output per step of a
/// growing `cat` (Bytes), or the calls per step of anything else.
void seriesChart(llvm::raw_ostream &OS, const std::vector<SeriesPoint> &Series,
                 bool Bytes) {
  if (Series.empty())
    return;
  auto Value = [&](const SeriesPoint &P) {
    return static_cast<double>(Bytes ? P.MaxBytes : P.Count);
  };
  auto Label = [&](double V) {
    return Bytes ? bytesText(V) : llvm::formatv("{0:F0}", V).str();
  };
  double Max = 0;
  for (const SeriesPoint &P : Series)
    Max = std::max(Max, Value(P));
  if (Max <= 0)
    return;
  const double W = 240, H = 40;
  double Col = W / Series.size();
  OS << llvm::formatv("<div class=\"series\"><svg viewBox=\"0 0 {0} {1}\" "
                      "width=\"{0}\" height=\"{1}\" role=\"img\" "
                      "aria-label=\"{2} per step\">",
                      W, H, Bytes ? "output bytes" : "calls");
  for (size_t I = 0; I < Series.size(); ++I) {
    double Height = std::max(1.0, H * Value(Series[I]) / Max);
    OS << llvm::formatv("<rect x=\"{0:F1}\" y=\"{1:F1}\" width=\"{2:F1}\" "
                        "height=\"{3:F1}\" fill=\"{4}\"><title>step {5}: {6}"
                        "</title></rect>",
                        I * Col + Col * 0.1, H - Height, Col * 0.8, Height,
                        ComputeColor, Series[I].Step, Label(Value(Series[I])));
  }
  OS << "</svg> " << esc(Label(Value(Series.front()))) << " &rarr; "
     << esc(Label(Value(Series.back()))) << " over " << Series.size()
     << " steps</div>";
}

/// The loss of every backward pass as a line, with a red mark at each
/// non-finite one (drawn at the top).
void lossChart(llvm::raw_ostream &OS, const std::vector<LossValue> &Points) {
  double Min = 0, Max = 0;
  bool Any = false;
  for (const LossValue &L : Points)
    if (std::isfinite(L.Value)) {
      Min = Any ? std::min(Min, L.Value) : L.Value;
      Max = Any ? std::max(Max, L.Value) : L.Value;
      Any = true;
    }
  if (Max <= Min)
    Max = Min + 1;
  const double W = 1000, H = 160, Left = 60;
  double Step = Points.size() > 1 ? (W - Left) / (Points.size() - 1) : 0;
  auto Y = [&](double V) { return H - H * (V - Min) / (Max - Min); };
  OS << llvm::formatv("<svg viewBox=\"0 0 {0} {1}\" width=\"100%\" "
                      "role=\"img\" aria-label=\"loss per backward pass\">",
                      W, H + 30);
  OS << llvm::formatv("<text x=\"0\" y=\"12\" font-size=\"12\" "
                      "fill=\"#5a6270\" font-family=\"sans-serif\">{0}</text>"
                      "<text x=\"0\" y=\"{1}\" font-size=\"12\" "
                      "fill=\"#5a6270\" font-family=\"sans-serif\">{2}</text>",
                      esc(lossText(Max)), H, esc(lossText(Min)));
  OS << llvm::formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                      "stroke=\"#c5cad6\"/>",
                      Left, H, W);
  std::string Line;
  for (size_t I = 0; I < Points.size(); ++I) {
    double X = Left + I * Step;
    if (!std::isfinite(Points[I].Value)) {
      OS << llvm::formatv("<circle cx=\"{0:F1}\" cy=\"4\" r=\"4\" "
                          "fill=\"{1}\"><title>step {2}: {3}</title></circle>",
                          X, SyncColor, Points[I].Step,
                          esc(lossText(Points[I].Value)));
      continue;
    }
    Line += llvm::formatv("{0}{1:F1},{2:F1}", Line.empty() ? "" : " ", X,
                          Y(Points[I].Value))
                .str();
  }
  if (!Line.empty())
    OS << "<polyline fill=\"none\" stroke=\"" << ComputeColor
       << "\" stroke-width=\"2\" points=\"" << Line << "\"/>";
  OS << llvm::formatv(
      "<text x=\"{0}\" y=\"{1}\" font-size=\"12\" fill=\"#5a6270\" "
      "font-family=\"sans-serif\">step {2}</text><text x=\"{3}\" y=\"{1}\" "
      "font-size=\"12\" fill=\"#5a6270\" text-anchor=\"end\" "
      "font-family=\"sans-serif\">step {4}</text></svg>\n",
      Left, H + 18, Points.front().Step, W, Points.back().Step);
}

void shareBar(llvm::raw_ostream &OS, double Share) {
  double W = std::min(1.0, std::max(0.0, Share)) * 120;
  OS << llvm::formatv(
      "<svg width=\"124\" height=\"14\" aria-label=\"{0}\">"
      "<rect x=\"0\" y=\"1\" width=\"120\" height=\"12\" "
      "fill=\"#eef0f5\"/><rect x=\"0\" y=\"1\" width=\"{1:F1}\" "
      "height=\"12\" fill=\"{2}\"/></svg> {0}",
      percent(Share), W, SyncColor);
}

} // namespace

void writeHtmlReport(llvm::raw_ostream &OS, const RunInfo &Run,
                     const Validation &V) {
  const Summary &S = V.Totals;
  std::string Program =
      Run.Argv.empty() ? "" : llvm::sys::path::filename(Run.Argv.front()).str();
  std::string Command;
  for (const std::string &A : Run.Argv)
    Command += (Command.empty() ? "" : " ") + A;
  OS << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
     << "<meta name=\"viewport\" "
        "content=\"width=device-width,initial-scale=1\">"
     << "<title>trainlint validate: " << esc(Program) << "</title><style>"
     << Style << "</style></head><body>\n";
  OS << "<h1>trainlint validate: " << esc(Program) << "</h1>\n";
  OS << "<p class=\"sub\"><code>" << esc(Command) << "</code><br>The program "
     << esc(exitText(Run.Exit)) << "; " << esc(endText(Run)) << ".</p>\n";

  OS << "<div class=\"kpis\">";
  auto Kpi = [&](const std::string &Value, const std::string &Label) {
    OS << "<div class=\"kpi\"><b>" << esc(Value) << "</b><span>" << esc(Label)
       << "</span></div>";
  };
  Kpi(std::to_string(S.StepsMeasured), "steps measured");
  Kpi(llvm::formatv("{0:F1}", S.StepsPerSecond).str(), "steps per second");
  Kpi(timeText(S.MeanStepNs), "mean step");
  auto Counts = statusCounts(V);
  Kpi(std::to_string(Counts["confirmed"]) + " of " +
          std::to_string(V.Findings.size()),
      "findings confirmed");
  Kpi(V.Gpu ? "GPU" : "CPU only", "device");
  OS << "</div>\n";

  if (!V.Warnings.empty()) {
    OS << "<div class=\"warn\">";
    for (const std::string &W : V.Warnings)
      OS << "<div>" << esc(W) << "</div>";
    OS << "</div>\n";
  }

  if (S.StepsMeasured) {
    OS << "<h2>Where step time goes</h2>\n<p class=\"legend\">"
       << "<span><i style=\"background:" << ComputeColor
       << "\"></i>compute (inside operators) " << timeText(S.ComputeNs)
       << "</span><span><i style=\"background:" << SyncColor << "\"></i>syncs "
       << timeText(S.SyncNs)
       << "</span><span><i style=\"background:" << GapColor
       << "\"></i>host gaps (between operators) " << timeText(S.HostGapNs)
       << "</span>";
    if (S.Samples)
      OS << "<span><i style=\"background:" << DataLoadingColor
         << "\"></i>data loading (fetching batches on the training thread, "
            "from samples) "
         << timeText(S.DataLoadingNs) << ", taken out of the others</span>";
    OS << "</p>\n";
    splitBar(OS, S);
    OS << "<p class=\"why\">Each measured step:</p>\n";
    stepColumns(OS, S);
  }

  if (!V.Loss.Points.empty()) {
    OS << "<h2>Loss</h2>\n<p class=\"why\">The scalar each backward pass "
          "started from, "
       << V.Loss.Points.size() << " passes: "
       << esc(lossText(V.Loss.Points.front().Value)) << " &rarr; "
       << esc(lossText(V.Loss.Points.back().Value)) << ".</p>\n";
    if (!V.Loss.Divergence.empty())
      OS << "<div class=\"warn\">loss-diverged: " << esc(V.Loss.Divergence)
         << "</div>\n";
    lossChart(OS, V.Loss.Points);
  }

  OS << "<h2>Findings</h2>\n<table><tr><th>status</th><th>check</th>"
        "<th>where</th><th class=\"num\">per step</th><th class=\"num\">"
        "bytes/step</th><th class=\"num\">time/step</th><th>share of step"
        "</th><th>why</th></tr>\n";
  for (const FindingResult &F : V.Findings) {
    bool Measured =
        F.Result == Status::Confirmed || F.Result == Status::NotObserved;
    OS << "<tr><td><span class=\"st " << statusName(F.Result) << "\">"
       << statusName(F.Result) << "</span></td><td class=\"chk\"><code>"
       << esc(F.Source.Check) << "</code></td><td class=\"loc\" title=\""
       << esc(location(F.Source.Where.File, F.Source.Where.Line,
                       F.Source.Where.Column))
       << "\">" << esc(shortLocation(F.Source.Where.File, F.Source.Where.Line))
       << "</td>";
    if (F.Kind == SignalKind::DataLoading &&
        (F.Result == Status::Confirmed || F.Result == Status::NotObserved))
      OS << llvm::formatv(" (data loading {0}/step, {1} of step time)",
                          timeText(F.Per.Ns), percent(F.Share));
    else if (F.Result == Status::Confirmed && F.Batch.Batches) {
      OS << "<td class=\"num\">"
         << llvm::formatv("{0:F1}/batch", F.Batch.Count)
         << "</td><td class=\"num\"></td><td class=\"num\">"
         << timeText(F.Batch.Ns) << "/batch</td><td></td>";
    } else if (Measured && F.Result == Status::Confirmed) {
      OS << "<td class=\"num\">" << llvm::formatv("{0:F2}", F.Per.Count)
         << "</td><td class=\"num\">"
         << (F.Per.Bytes > 0 ? bytesText(F.Per.Bytes) : "")
         << "</td><td class=\"num\">" << timeText(F.Per.Ns)
         << "</td><td class=\"share\">";
      shareBar(OS, F.Share);
      OS << "</td>";
    } else {
      OS << "<td></td><td></td><td></td><td></td>";
    }
    OS << "<td class=\"why\">" << esc(F.Reason);
    if (Measured)
      seriesChart(OS, F.Series, F.Kind == SignalKind::GrowingCat);
    OS << "</td></tr>\n";
  }
  OS << "</table>\n";

  if (!V.Signals.empty()) {
    OS << "<h2>Signals in the run</h2>\n<p class=\"why\">What the runtime "
          "saw, whether or not a finding asked about it.</p>\n"
          "<table><tr><th>signal</th><th>where</th><th>operators</th>"
          "<th class=\"num\">per step</th><th class=\"num\">time/step</th>"
          "<th>detail</th></tr>\n";
    for (const SignalResult &Sig : V.Signals) {
      OS << "<tr><td>" << signalKindName(Sig.Kind) << "</td><td class=\"loc\" "
         << "title=\"" << esc(chainText(Sig, false)) << "\">"
         << esc(chainText(Sig, true)) << "</td><td><code>" << esc(Sig.Op)
         << "</code></td><td class=\"num\">"
         << llvm::formatv("{0:F2}", Sig.Per.Count) << "</td><td class=\"num\">"
         << timeText(Sig.Per.Ns) << "</td><td class=\"why\">"
         << esc(Sig.Detail);
      seriesChart(OS, Sig.Series, Sig.Kind == SignalKind::GrowingCat);
      OS << "</td></tr>\n";
    }
    OS << "</table>\n";
  }

  if (!V.Lines.empty()) {
    OS << "<h2>Busiest lines</h2>\n<table><tr><th>where</th><th>function</th>"
          "<th class=\"num\">operators/step</th><th class=\"num\">"
          "time in operators/step</th><th class=\"num\">host time before/step"
          "</th></tr>\n";
    for (const LineCost &L : V.Lines)
      OS << "<tr><td class=\"loc\" title=\""
         << esc(location(L.Where.File, L.Where.Line)) << "\">"
         << esc(shortLocation(L.Where.File, L.Where.Line)) << "</td><td><code>"
         << esc(baseFunctionName(L.Where.Function)) << "</code></td><td "
         << "class=\"num\">" << llvm::formatv("{0:F1}", L.Ops.Count)
         << "</td><td class=\"num\">" << timeText(L.Ops.Ns)
         << "</td><td class=\"num\">" << timeText(L.GapNs) << "</td></tr>\n";
    OS << "</table>\n";
  }

  if (!V.NeedsGpu.empty()) {
    OS << "<h2>What this CPU-only run cannot confirm</h2>\n<ul>";
    for (const std::string &N : V.NeedsGpu)
      OS << "<li>" << esc(N) << "</li>";
    OS << "</ul>\n";
  }
  OS << "<p class=\"why\">trainlint " << TRAINLINT_VERSION
     << " &middot; report schema version 1</p>\n</body></html>\n";
}

} // namespace validate
} // namespace trainlint
