//===--- Validation.cpp - findings against measurements -------------------===//

#include "validate/Validation.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace trainlint {
namespace validate {

llvm::StringRef statusName(Status S) {
  switch (S) {
  case Status::Confirmed:
    return "confirmed";
  case Status::NotObserved:
    return "not-observed";
  case Status::NotExercised:
    return "not-exercised";
  case Status::NotCheckable:
    return "not-checkable";
  }
  return "not-checkable";
}

llvm::StringRef signalKindName(SignalKind K) {
  switch (K) {
  case SignalKind::None:
    return "none";
  case SignalKind::Item:
    return "item";
  case SignalKind::DeviceToHost:
    return "device-to-host";
  case SignalKind::HostToDevice:
    return "host-to-device";
  case SignalKind::ShapeSync:
    return "data-dependent-shape";
  case SignalKind::ExplicitSync:
    return "explicit-sync";
  case SignalKind::GrowingCat:
    return "growing-cat";
  case SignalKind::GradWithoutBackward:
    return "grad-without-backward";
  case SignalKind::GradNotCleared:
    return "grad-not-cleared";
  case SignalKind::OpCount:
    return "op-count";
  case SignalKind::Allocation:
    return "allocation";
  case SignalKind::CudaAlloc:
    return "cuda-alloc";
  case SignalKind::ModeMismatch:
    return "mode-mismatch";
  case SignalKind::LossDiverged:
    return "loss-diverged";
  case SignalKind::DataLoading:
    return "data-loading";
  }
  return "none";
}

CheckSignal signalForCheck(llvm::StringRef Check) {
  // The one table that ties checks to runtime signals (docs/validator.md).
  // A new check is one line here.
  CheckSignal S;
  if (Check == "torch-sync-item") {
    S.Kind = SignalKind::Item;
    S.CostOnDevice = true;
  } else if (Check == "torch-sync-device-to-host") {
    S.Kind = SignalKind::DeviceToHost;
    S.CostOnDevice = true;
  } else if (Check == "torch-sync-host-to-device" ||
             Check == "torch-sync-create-then-move") {
    S.Kind = SignalKind::HostToDevice;
    S.CostOnDevice = true;
  } else if (Check == "torch-sync-data-dependent-shape") {
    S.Kind = SignalKind::ShapeSync;
    S.CostOnDevice = true;
  } else if (Check == "torch-sync-explicit") {
    S.Kind = SignalKind::ExplicitSync;
    S.OnlyOnGpu = true;
    S.Why = "CUDA sync-debug reports";
  } else if (Check == "torch-loop-cat-accumulate") {
    S.Kind = SignalKind::GrowingCat;
  } else if (Check == "torch-loop-per-element" ||
             Check == "torch-loop-per-sample-forward") {
    // Each call is cheap; their number is the cost.
    S.Kind = SignalKind::OpCount;
    S.MinPerStep = LoopOpCallsPerStep;
  } else if (Check == "torch-loop-invariant-forward") {
    // The runtime cannot tell that the input did not change, only that the
    // forward ran again every step: the work that hoisting it saves.
    S.Kind = SignalKind::OpCount;
    S.MinPerStep = 1;
  } else if (Check == "torch-loop-invariant-tensor") {
    S.Kind = SignalKind::Allocation;
    S.MinPerStep = 1;
  } else if (Check == "torch-optim-eval-without-no-grad") {
    // The graphs the evaluation builds and nothing backpropagates, per
    // evaluation batch.
    S.Kind = SignalKind::GradWithoutBackward;
    S.SpansStatement = true;
    S.PerEvaluationBatch = true;
  } else if (Check == "torch-optim-train-eval-mode") {
    S.Kind = SignalKind::ModeMismatch;
    S.SpansStatement = true;
    S.PerEvaluationBatch = true;
  } else if (Check == "torch-optim-missing-zero-grad") {
    // Reported at the loop's header; the accumulation shows at the
    // backward() call inside it.
    S.Kind = SignalKind::GradNotCleared;
    S.SpansStatement = true;
  } else if (Check == "torch-data-no-workers" ||
             Check == "torch-data-io-in-loop") {
    // Loading, decoding and collating run mostly outside operators: time
    // from samples of the training thread, not operator calls.
    S.Kind = SignalKind::DataLoading;
  } else if (Check == "torch-loop-rebuilt-state") {
    S.Why = "rebuilding an optimizer runs no operator at its line (its "
            "constructor allocates nothing; its state comes back lazily "
            "inside step()), so the runtime cannot tell a rebuilt state from "
            "a kept one";
  } else if (Check == "torch-loop-accessor-in-loop") {
    S.Why = "creating an accessor runs no libtorch operator (it checks the "
            "tensor's dimensions and reads its data pointer on the host); "
            "the runtime observes operators only";
  } else if (Check == "cuda-alloc-in-loop") {
    // The runtime counts the calls of a shared libcudart's allocator; what
    // they cost (an allocation, the synchronization of cudaFree) shows on a
    // GPU only.
    S.Kind = SignalKind::CudaAlloc;
    S.CostOnDevice = true;
  } else if (Check.starts_with("cuda-")) {
    S.Why = "the runtime observes libtorch operators; calls to the CUDA "
            "runtime API are not observed";
  } else {
    S.Why = "no runtime signal is wired to this check";
  }
  return S;
}

bool isLibraryFile(llvm::StringRef File) {
  if (File.empty())
    return true;
  static const char *const Prefixes[] = {"/usr/include/", "/usr/lib/",
                                         "/usr/local/include/",
                                         "/usr/local/cuda", "/build/"};
  for (const char *P : Prefixes)
    if (File.starts_with(P))
      return true;
  static const char *const Parts[] = {"/include/torch/", "/include/ATen/",
                                      "/include/c10/",   "/include/c++/",
                                      "/torch/csrc/",    "/bits/"};
  for (const char *P : Parts)
    if (File.contains(P))
      return true;
  return File.starts_with("./") &&
         (File.contains("libc") || File.contains("nptl"));
}

namespace {

bool isLibraryModule(llvm::StringRef Module) {
  llvm::StringRef Base = llvm::sys::path::filename(Module);
  static const char *const Names[] = {"libc.so",  "libstdc++", "libgcc",
                                      "ld-linux", "libm.so",   "libpthread",
                                      "libgomp",  "libdl",     "libtrainlint"};
  for (const char *N : Names)
    if (Base.starts_with(N))
      return true;
  return Module.starts_with("/lib/") || Module.starts_with("/usr/lib/") ||
         Module.starts_with("/lib64/");
}

std::string normalized(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P.str());
}

} // namespace

bool sameFile(llvm::StringRef FrameFile, llvm::StringRef FindingFile) {
  if (FrameFile.empty() || FindingFile.empty())
    return false;
  std::string A = normalized(FrameFile), B = normalized(FindingFile);
  if (A == B)
    return true;
  // Different roots (a build machine's path, a relative path in the line
  // table): the file name and its directory must agree.
  auto A1 = llvm::sys::path::rbegin(A), B1 = llvm::sys::path::rbegin(B);
  auto AE = llvm::sys::path::rend(A), BE = llvm::sys::path::rend(B);
  for (int I = 0; I < 2; ++I, ++A1, ++B1) {
    if (A1 == AE || B1 == BE || *A1 != *B1)
      return false;
  }
  return true;
}

bool isDataLoadingFrame(const SourceFrame &F) {
  return llvm::StringRef(F.Function).contains("torch::data::") ||
         llvm::StringRef(F.File).contains("/torch/data/");
}

std::string baseFunctionName(llvm::StringRef Name) {
  // The last identifier at template and parenthesis depth 0 before the
  // first parameter list.
  int Angle = 0, Paren = 0;
  std::string Last, Current;
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    auto IsWord = [](char X) {
      return std::isalnum(static_cast<unsigned char>(X)) || X == '_';
    };
    if (!Angle && !Paren && Name.substr(I).starts_with("operator") &&
        (I == 0 || !IsWord(Name[I - 1])) &&
        (I + 8 >= Name.size() || !IsWord(Name[I + 8]))) {
      // operator() is named by its first parentheses; any other operator
      // ends where its parameters begin.
      size_t From = Name.substr(I).starts_with("operator()") ? I + 10 : I + 8;
      size_t End = std::min(Name.find('(', From), Name.size());
      return Name.substr(I, End - I).trim().str();
    }
    if (C == '<') {
      ++Angle;
    } else if (C == '>') {
      Angle = std::max(0, Angle - 1);
    } else if (C == '(') {
      if (!Angle && !Paren)
        return Current.empty() ? Last : Current;
      ++Paren;
    } else if (C == ')') {
      Paren = std::max(0, Paren - 1);
    } else if (!Angle && !Paren &&
               (std::isalnum(static_cast<unsigned char>(C)) || C == '_' ||
                C == '~')) {
      Current += C;
      continue;
    }
    if (!Current.empty() && !Angle && !Paren)
      Last = Current;
    if (!Angle && !Paren)
      Current.clear();
  }
  return Current.empty() ? Last : Current;
}

std::optional<std::string> enclosingFunctionName(llvm::StringRef Source,
                                                 unsigned Line) {
  struct Block {
    bool Function;
    std::string Name;
  };
  std::vector<Block> Blocks;
  std::string Header; // The code since the last ';', '{' or '}'.
  unsigned CurrentLine = 1;
  bool LineStart = true;
  std::optional<std::string> Result;
  auto InsideFunction = [&]() -> const Block * {
    for (const Block &B : Blocks)
      if (B.Function)
        return &B;
    return nullptr;
  };
  for (size_t I = 0; I < Source.size(); ++I) {
    char C = Source[I];
    if (C == '\n') {
      if (CurrentLine == Line) {
        if (const Block *F = InsideFunction())
          Result = F->Name;
      }
      ++CurrentLine;
      LineStart = true;
      Header += ' ';
      continue;
    }
    if (LineStart && C == '#') {
      // A preprocessor line, continuations included.
      while (I < Source.size() && !(Source[I] == '\n' && Source[I - 1] != '\\'))
        ++I;
      --I;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(C)))
      LineStart = false;
    if (C == '/' && I + 1 < Source.size() && Source[I + 1] == '/') {
      while (I + 1 < Source.size() && Source[I + 1] != '\n')
        ++I;
      continue;
    }
    if (C == '/' && I + 1 < Source.size() && Source[I + 1] == '*') {
      I += 2;
      while (I + 1 < Source.size() &&
             !(Source[I] == '*' && Source[I + 1] == '/')) {
        if (Source[I] == '\n') {
          if (CurrentLine == Line)
            if (const Block *F = InsideFunction())
              Result = F->Name;
          ++CurrentLine;
        }
        ++I;
      }
      ++I;
      continue;
    }
    if (C == '"' || C == '\'') {
      char Quote = C;
      Header += "\"\"";
      for (++I; I < Source.size() && Source[I] != Quote; ++I) {
        if (Source[I] == '\\')
          ++I;
        else if (Source[I] == '\n')
          ++CurrentLine;
      }
      continue;
    }
    if (C == ';') {
      Header.clear();
    } else if (C == '{') {
      Block B{false, ""};
      if (!InsideFunction()) {
        llvm::StringRef H = llvm::StringRef(Header).trim();
        size_t Open = H.find('(');
        llvm::StringRef Before =
            Open == llvm::StringRef::npos ? "" : H.substr(0, Open).rtrim();
        // The identifier right before the first '(' names the function,
        // unless it is a control statement or a lambda's capture list.
        size_t Start = Before.size();
        while (Start &&
               (std::isalnum(static_cast<unsigned char>(Before[Start - 1])) ||
                Before[Start - 1] == '_' || Before[Start - 1] == '~'))
          --Start;
        llvm::StringRef Name = Before.substr(Start);
        static const char *const NotFunctions[] = {
            "if", "for", "while", "switch", "catch", "return", "sizeof"};
        bool Control = llvm::any_of(NotFunctions,
                                    [&](const char *K) { return Name == K; });
        if (!Name.empty() && !Control && !Before.ends_with("]") &&
            !std::isdigit(static_cast<unsigned char>(Name[0]))) {
          B.Function = true;
          B.Name = Name.str();
        }
      }
      Blocks.push_back(B);
      Header.clear();
    } else if (C == '}') {
      if (!Blocks.empty())
        Blocks.pop_back();
      Header.clear();
    } else {
      Header += C;
    }
  }
  return Result;
}

std::optional<unsigned> statementEndLine(llvm::StringRef Source,
                                         unsigned Line) {
  size_t I = 0;
  unsigned Current = 1;
  for (; Current < Line && I < Source.size(); ++I)
    if (Source[I] == '\n')
      ++Current;
  if (Current != Line)
    return std::nullopt;
  // Braces count only outside parentheses: `for (int x : {1, 2})` opens no
  // body.
  int Paren = 0, Brace = 0;
  bool LineStart = true;
  for (; I < Source.size(); ++I) {
    char C = Source[I];
    char Next = I + 1 < Source.size() ? Source[I + 1] : 0;
    if (C == '\n') {
      ++Current;
      LineStart = true;
      continue;
    }
    if (LineStart && C == '#') {
      while (I + 1 < Source.size() &&
             !(Source[I + 1] == '\n' && Source[I] != '\\'))
        ++I;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(C)))
      LineStart = false;
    if (C == '/' && Next == '/') {
      while (I + 1 < Source.size() && Source[I + 1] != '\n')
        ++I;
    } else if (C == '/' && Next == '*') {
      for (I += 2; I + 1 < Source.size() &&
                   !(Source[I] == '*' && Source[I + 1] == '/');
           ++I)
        if (Source[I] == '\n')
          ++Current;
      ++I;
    } else if (C == '"' || C == '\'') {
      for (++I; I < Source.size() && Source[I] != C; ++I) {
        if (Source[I] == '\\')
          ++I;
        else if (Source[I] == '\n')
          ++Current;
      }
    } else if (C == '(') {
      ++Paren;
    } else if (C == ')') {
      if (--Paren < 0)
        return std::nullopt;
    } else if (C == '{' && !Paren) {
      ++Brace;
    } else if (C == '}' && !Paren) {
      if (--Brace == 0)
        return Current;
      if (Brace < 0)
        return std::nullopt;
    } else if (C == ';' && !Paren && !Brace) {
      return Current;
    }
  }
  return std::nullopt;
}

namespace {

/// Does site S carry Kind's signal? StandIn: it does only as a CPU stand-in
/// for what a device would do (the operation ran; its device cost did not).
bool carriesSignal(SignalKind Kind, const Site &S, bool Gpu, bool &StandIn) {
  StandIn = false;
  bool HostSrc = S.Src == "cpu";
  switch (Kind) {
  case SignalKind::Item:
    if (!S.has(FlagItem))
      return false;
    if (!HostSrc)
      return true;
    StandIn = true;
    return !Gpu;
  case SignalKind::DeviceToHost:
    if (S.has(FlagCopyD2H) || (S.has(FlagMove) && S.Dst == "cpu" && !HostSrc) ||
        (S.has(FlagItem) && !HostSrc))
      return true;
    if (!Gpu && ((S.has(FlagMove) && S.Dst == "cpu") || S.has(FlagItem))) {
      StandIn = true;
      return true;
    }
    return false;
  case SignalKind::HostToDevice:
    if (S.has(FlagCopyH2D))
      return true;
    if (!Gpu && S.has(FlagMove) && HostSrc) {
      StandIn = true;
      return true;
    }
    return false;
  case SignalKind::ShapeSync:
    if (!S.has(FlagShapeSync))
      return false;
    StandIn = !Gpu;
    return true;
  case SignalKind::ExplicitSync:
    return S.has(FlagSyncDebug);
  case SignalKind::GrowingCat:
    return false; // Decided on the series, below.
  case SignalKind::GradWithoutBackward: {
    Tally All = S.all();
    return All.Nodes && !All.NodesBackwarded;
  }
  case SignalKind::GradNotCleared:
    return S.has(FlagGradNotCleared);
  case SignalKind::OpCount:
    return !S.has(FlagBackward) && !S.has(FlagGradNotCleared) &&
           !S.has(FlagCudaAlloc);
  case SignalKind::Allocation:
    return S.has(FlagFactory);
  case SignalKind::CudaAlloc:
    if (!S.has(FlagCudaAlloc))
      return false;
    StandIn = !Gpu;
    return true;
  case SignalKind::ModeMismatch: {
    if (!S.has(FlagModeOp))
      return false;
    Tally All = S.all();
    // Training mode where nothing trains: grad mode off, or a graph that no
    // backward pass used. Evaluation mode in a graph a backward pass used.
    if (S.has(FlagTrainingMode))
      return !S.has(FlagGradMode) || (All.Nodes && !All.NodesBackwarded);
    return S.has(FlagGradMode) && All.NodesBackwarded;
  }
  case SignalKind::LossDiverged:
  case SignalKind::DataLoading:
  case SignalKind::None:
    return false;
  }
  return false;
}

/// The call count most of \p Counts share (the larger on a tie): the number
/// of times a loop's body ran, when each site in it runs once an iteration
/// and a few run more (an inner loop) or less (a condition).
uint64_t sharedCount(const std::vector<uint64_t> &Counts) {
  std::map<uint64_t, unsigned> Frequency;
  for (uint64_t C : Counts)
    if (C)
      ++Frequency[C];
  uint64_t Best = 0;
  unsigned BestFrequency = 0;
  for (const auto &[Count, Times] : Frequency)
    if (Times >= BestFrequency) {
      Best = Count;
      BestFrequency = Times;
    }
  return Best;
}

double median(std::vector<double> Values) {
  std::sort(Values.begin(), Values.end());
  size_t N = Values.size();
  return N % 2 ? Values[N / 2] : (Values[N / 2 - 1] + Values[N / 2]) / 2;
}

/// A `cat` whose largest output grows over the measured steps: never
/// shrinking, growing in at least half of the step-to-step pairs, over at
/// least three steps.
bool isGrowing(const std::vector<SeriesPoint> &Series) {
  if (Series.size() < 3)
    return false;
  unsigned Up = 0;
  for (size_t I = 1; I < Series.size(); ++I) {
    if (Series[I].MaxBytes < Series[I - 1].MaxBytes)
      return false;
    if (Series[I].MaxBytes > Series[I - 1].MaxBytes)
      ++Up;
  }
  return Up * 2 >= Series.size() - 1 &&
         Series.back().MaxBytes > Series.front().MaxBytes;
}

/// Adds \p From's points to \p Into's, step by step (both in step order).
void mergeSeries(std::vector<SeriesPoint> &Into,
                 const std::vector<SeriesPoint> &From) {
  std::vector<SeriesPoint> Out;
  size_t I = 0, J = 0;
  while (I < Into.size() || J < From.size()) {
    if (J == From.size() || (I < Into.size() && Into[I].Step < From[J].Step)) {
      Out.push_back(Into[I++]);
    } else if (I == Into.size() || From[J].Step < Into[I].Step) {
      Out.push_back(From[J++]);
    } else {
      SeriesPoint P = Into[I++];
      P.Count += From[J].Count;
      P.Bytes += From[J].Bytes;
      P.MaxBytes = std::max(P.MaxBytes, From[J++].MaxBytes);
      Out.push_back(P);
    }
  }
  Into = std::move(Out);
}

bool isUserFrame(const SourceFrame &F) {
  return F.Line && !isLibraryFile(F.File) && !isLibraryModule(F.Module);
}

/// The user's frames of a stack, innermost first, at most four.
std::vector<SourceFrame> userChain(const SourceStack &Frames) {
  std::vector<SourceFrame> Out;
  for (const SourceFrame &F : Frames)
    if (isUserFrame(F) && Out.size() < 4)
      Out.push_back(F);
  return Out;
}

/// The innermost frame of the user's own code, else the innermost frame
/// with a function name.
SourceFrame userFrame(const SourceStack &Frames) {
  for (const SourceFrame &F : Frames)
    if (F.Line && !isLibraryFile(F.File) && !isLibraryModule(F.Module))
      return F;
  for (const SourceFrame &F : Frames)
    if (!isLibraryModule(F.Module) && !F.Function.empty())
      return F;
  return Frames.empty() ? SourceFrame() : Frames.front();
}

std::string bytesText(double Bytes) {
  if (Bytes >= 1 << 20)
    return llvm::formatv("{0:F1} MiB", Bytes / (1 << 20)).str();
  if (Bytes >= 1 << 10)
    return llvm::formatv("{0:F1} KiB", Bytes / (1 << 10)).str();
  return llvm::formatv("{0:F0} B", Bytes).str();
}

std::string timeText(double Ns) {
  if (Ns >= 1e6)
    return llvm::formatv("{0:F2} ms", Ns / 1e6).str();
  if (Ns >= 1e3)
    return llvm::formatv("{0:F1} us", Ns / 1e3).str();
  return llvm::formatv("{0:F0} ns", Ns).str();
}

/// What the signal is, in words, for reasons.
std::string signalPhrase(SignalKind K) {
  switch (K) {
  case SignalKind::Item:
    return "read a tensor's value into a host scalar";
  case SignalKind::DeviceToHost:
    return "copied a tensor to the host";
  case SignalKind::HostToDevice:
    return "copied a host tensor to the device";
  case SignalKind::ShapeSync:
    return "ran an operator whose output shape depends on tensor values";
  case SignalKind::ExplicitSync:
    return "synchronized with the device";
  case SignalKind::GrowingCat:
    return "concatenated into a tensor that grows every step";
  case SignalKind::GradWithoutBackward:
    return "built autograd nodes that no backward pass used";
  case SignalKind::GradNotCleared:
    return "accumulated gradients across optimizer steps";
  case SignalKind::OpCount:
    return "ran an operator";
  case SignalKind::Allocation:
    return "created a tensor from no tensor (a factory call)";
  case SignalKind::CudaAlloc:
    return "called the CUDA runtime's allocator";
  case SignalKind::ModeMismatch:
    return "ran dropout or batch norm in the wrong mode";
  case SignalKind::LossDiverged:
    return "diverged";
  case SignalKind::DataLoading:
    return "fetched batches on the training thread";
  case SignalKind::None:
    break;
  }
  return "";
}

std::string standInNote(SignalKind K, const PerStep &Per) {
  switch (K) {
  case SignalKind::Item:
  case SignalKind::ShapeSync:
    return "this CPU-only run read host memory; the wait for the device it "
           "causes on a GPU needs a GPU run to measure";
  case SignalKind::DeviceToHost:
  case SignalKind::HostToDevice:
    return "in this CPU-only run the tensor stayed on the CPU (" +
           bytesText(Per.Bytes) +
           " per step would move on a GPU); the transfer and its wait need a "
           "GPU run to measure";
  case SignalKind::CudaAlloc:
    return "this CPU-only run counted the calls; what they cost on a device "
           "(the allocation, the synchronization of cudaFree) needs a GPU run "
           "to measure";
  default:
    return "its device cost needs a GPU run to measure";
  }
}

/// Judges a finding about evaluation (CheckSignal::PerEvaluationBatch):
/// evaluation runs between epochs or after training, mostly outside the
/// measured steps, so its signal counts over the whole run, per batch.
void judgePerBatch(FindingResult &R, const Tally &Measured,
                   const Tally &Outside,
                   const std::vector<uint64_t> &SignalCounts,
                   bool TrainingModeOps, const std::string &Where,
                   const std::vector<std::string> &NotSignalWhy,
                   const Summary &S) {
  Tally All = Measured;
  All.add(Outside);
  bool Nodes = R.Kind == SignalKind::GradWithoutBackward;
  uint64_t Amount = Nodes ? All.Nodes : All.Count;
  if (!Amount) {
    R.Result = Status::NotObserved;
    R.Reason = "the code ran but never " + signalPhrase(R.Kind) +
               (NotSignalWhy.empty() ? "" : ": " + NotSignalWhy.front());
    return;
  }
  R.Result = Status::Confirmed;
  PerBatch &B = R.Batch;
  B.Batches = std::max<uint64_t>(1, sharedCount(SignalCounts));
  B.Count = static_cast<double>(Amount) / B.Batches;
  B.Ns = static_cast<double>(All.Ns) / B.Batches;
  if (S.StepsMeasured) {
    double N = static_cast<double>(S.StepsMeasured);
    R.Per.Count = (Nodes ? Measured.Nodes : Measured.Count) / N;
    R.Per.Ns = Measured.Ns / N;
    R.Share = S.MeanStepNs > 0 ? R.Per.Ns / S.MeanStepNs : 0;
  }
  if (Nodes)
    R.Reason = llvm::formatv("built {0:F1} autograd nodes per evaluation "
                             "batch that no backward pass used, {1} ({2} "
                             "batches, {3} per batch in the operators that "
                             "built them)",
                             B.Count, Where, B.Batches, timeText(B.Ns))
                   .str();
  else
    R.Reason = llvm::formatv("ran dropout or batch norm in {0} {1:F1} times "
                             "per batch, {2} ({3} batches, {4} per batch)",
                             TrainingModeOps
                                 ? "training mode during evaluation"
                                 : "evaluation mode during training",
                             B.Count, Where, B.Batches, timeText(B.Ns))
                   .str();
}

bool inDataLoading(const SourceStack &Frames) {
  return llvm::any_of(Frames, isDataLoadingFrame);
}

std::string percentText(double Share) {
  return llvm::formatv("{0:F1}%", Share * 100).str();
}

/// Estimates each measured step's data loading from the samples of the
/// training thread: the step's wall time times the share of its samples
/// whose stack is inside data loading (a ratio, so that samples the loaded
/// machine delayed or the sampler skipped bias nothing but the count).
void measureDataLoading(const RuntimeData &Data, StackSource Stacks,
                        Summary &S) {
  size_t N = S.Steps.size();
  std::map<int64_t, size_t> Position;
  for (size_t I = 0; I < N; ++I)
    Position[static_cast<int64_t>(S.Steps[I]->Index)] = I;
  std::vector<uint64_t> All(N), Loading(N), LoadingOp(N);
  for (const SampleCount &C : Data.Samples.Counts) {
    auto It = Position.find(C.Step);
    if (It == Position.end())
      continue;
    All[It->second] += C.Count;
    if (inDataLoading(Stacks(C.Stack))) {
      Loading[It->second] += C.Count;
      LoadingOp[It->second] += C.InOperator;
    }
  }
  S.StepDataLoadingNs.assign(N, 0);
  S.StepDataLoadingOpNs.assign(N, 0);
  for (size_t I = 0; I < N; ++I) {
    S.Samples += All[I];
    S.DataLoadingSamples += Loading[I];
    if (!All[I])
      continue;
    double Wall = static_cast<double>(S.Steps[I]->wallNs());
    S.StepDataLoadingNs[I] = Wall * Loading[I] / All[I];
    S.StepDataLoadingOpNs[I] = Wall * LoadingOp[I] / All[I];
    S.DataLoadingNs += S.StepDataLoadingNs[I] / N;
    S.DataLoadingOpNs += S.StepDataLoadingOpNs[I] / N;
  }
}

/// Judges a data-loading finding (torch-data-no-workers at a loader's
/// construction, torch-data-io-in-loop at a read or a decode) by the time
/// the training thread spent fetching batches. A loader's finding, and a
/// read that the samples found inside a loader's fetch (a dataset's get()),
/// are judged by the whole fetch; a read straight in the training loop by
/// the samples at its own line. A read is inside the fetch when a sample in
/// data loading has a frame at its line or in \p Function, the function that
/// contains it (opening a file may take too little time to be sampled where
/// reading it from the next line does).
void judgeDataLoading(FindingResult &R, const RuntimeData &Data,
                      StackSource Stacks,
                      llvm::function_ref<bool(const SourceStack &)> AtFinding,
                      const std::optional<std::string> &Function,
                      bool OperatorsAtFinding, const Summary &S) {
  bool Io = R.Source.Check == "torch-data-io-in-loop";
  if (!S.StepsMeasured || !S.Samples) {
    R.Result = Status::NotCheckable;
    R.Reason = !Data.Samples.PeriodNs
                   ? "the training thread was not sampled "
                     "(TRAINLINT_RUNTIME_SAMPLE_US=0, or the program handles "
                     "SIGPROF itself): the time it spent fetching batches is "
                     "unknown"
                   : "no sample of the training thread fell in a measured "
                     "step: the time it spent fetching batches is unknown";
    return;
  }
  std::set<int64_t> Measured;
  for (const StepRecord *Step : S.Steps)
    Measured.insert(static_cast<int64_t>(Step->Index));
  // The finding's line or function among a sample's frames inside data
  // loading: those below (called by) its outermost data-loading frame.
  auto InFetch = [&](const SourceStack &Frames) {
    size_t Outermost = Frames.size();
    for (size_t I = 0; I < Frames.size(); ++I)
      if (isDataLoadingFrame(Frames[I]))
        Outermost = I;
    for (size_t I = 0; I < Outermost && I < Frames.size(); ++I) {
      const SourceFrame &Fr = Frames[I];
      if (sameFile(Fr.File, R.Source.Where.File) &&
          (Fr.Line == R.Source.Where.Line ||
           (Function && baseFunctionName(Fr.Function) == *Function)))
        return true;
    }
    return false;
  };
  uint64_t AtLine = 0, AtLineInFetch = 0, AtLineAnywhen = 0;
  std::set<int64_t> LineSteps;
  for (const SampleCount &C : Data.Samples.Counts) {
    const SourceStack &Frames = Stacks(C.Stack);
    if (Io && Measured.count(C.Step) && InFetch(Frames))
      AtLineInFetch += C.Count;
    if (!AtFinding(Frames))
      continue;
    AtLineAnywhen += C.Count;
    if (!Measured.count(C.Step))
      continue;
    AtLine += C.Count;
    LineSteps.insert(C.Step);
  }
  if (!OperatorsAtFinding && !AtLineAnywhen && !AtLineInFetch) {
    R.Result = Status::NotExercised;
    R.Reason = Io ? "neither an operator nor a sample of the training thread "
                    "was at this line: the code was not reached, or it ran "
                    "on a loader's worker threads, which are not sampled"
                  : "neither an operator nor a sample of the training thread "
                    "was at this line: the loader it builds was not built in "
                    "this run";
    return;
  }
  double N = static_cast<double>(S.StepsMeasured);
  bool WholeFetch = !Io || AtLineInFetch > 0;
  uint64_t Samples = WholeFetch ? S.DataLoadingSamples : AtLine;
  R.Per.Ns = WholeFetch ? S.DataLoadingNs
                        : S.MeanStepNs * static_cast<double>(AtLine) /
                              static_cast<double>(S.Samples);
  R.Per.Count = static_cast<double>(Samples) / N;
  R.Share = S.MeanStepNs > 0 ? R.Per.Ns / S.MeanStepNs : 0;
  R.Total.Count = Samples;
  R.Total.Ns = static_cast<uint64_t>(R.Per.Ns * N);
  if (WholeFetch)
    R.StepsSeen = static_cast<uint64_t>(llvm::count_if(
        S.StepDataLoadingNs, [](double Ns) { return Ns > 0; }));
  else
    R.StepsSeen = LineSteps.size();
  std::string What = WholeFetch ? "fetching batches (a loader's next(), a "
                                  "dataset's get())"
                                : "at this line";
  std::string From =
      llvm::formatv("{0} of {1} samples of the training thread, one every "
                    "{2} of wall time; in {3} of {4} steps",
                    Samples, S.Samples, timeText(Data.Samples.PeriodNs),
                    R.StepsSeen, S.StepsMeasured)
          .str();
  bool Over = R.Share > DataLoadingShareThreshold;
  R.Result = Over ? Status::Confirmed : Status::NotObserved;
  R.Reason = llvm::formatv("the training thread spent {0} per step {1}, {2} "
                           "of the step{3} ({4})",
                           timeText(R.Per.Ns), What, percentText(R.Share),
                           Over ? llvm::formatv(", more than the {0} that "
                                                "confirm this check",
                                                percentText(
                                                    DataLoadingShareThreshold))
                                      .str()
                                : llvm::formatv(": not more than {0}",
                                                percentText(
                                                    DataLoadingShareThreshold))
                                      .str(),
                           From)
                 .str();
}

} // namespace

std::string lossText(double Value) {
  if (std::isnan(Value))
    return "NaN";
  if (std::isinf(Value))
    return Value > 0 ? "inf" : "-inf";
  double Magnitude = std::fabs(Value);
  if (Magnitude == 0 || (Magnitude >= 1e-3 && Magnitude < 1e5))
    return llvm::formatv("{0:F4}", Value).str();
  return llvm::formatv("{0:E3}", Value).str();
}

std::optional<std::string>
lossDivergence(const std::vector<LossValue> &Losses) {
  for (const LossValue &L : Losses) {
    if (std::isnan(L.Value))
      return llvm::formatv("the loss was NaN at step {0}", L.Step).str();
    if (std::isinf(L.Value))
      return llvm::formatv("the loss was {0}infinite at step {1}",
                           L.Value < 0 ? "minus " : "", L.Step)
          .str();
  }
  // Medians of a few points each, so that one noisy batch at either end
  // neither raises nor hides it.
  size_t K = std::min<size_t>(3, Losses.size() / 2);
  if (!K)
    return std::nullopt;
  std::vector<double> First, Last;
  for (size_t I = 0; I < K; ++I) {
    First.push_back(std::fabs(Losses[I].Value));
    Last.push_back(std::fabs(Losses[Losses.size() - K + I].Value));
  }
  double From = median(First), To = median(Last);
  if (To <= 10 * From)
    return std::nullopt;
  return llvm::formatv("the loss grew more than tenfold over the run, from "
                       "{0} (the median of the first {2} backward passes) to "
                       "{1} (the median of the last {2})",
                       lossText(From), lossText(To), K)
      .str();
}

Validation validateFindings(const RuntimeData &Data, StackSource Stacks,
                            const std::vector<Finding> &Findings,
                            const FunctionLookup &EnclosingFunction,
                            const StatementEndLookup &StatementEnd) {
  Validation V;
  V.Loss.Points = Data.Losses;
  if (std::optional<std::string> Why = lossDivergence(Data.Losses))
    V.Loss.Divergence = *Why;
  V.Gpu = Data.CudaAvailable;
  Summary &S = V.Totals;
  S.Steps = Data.measuredSteps();
  S.StepsMeasured = S.Steps.size();
  S.BackwardPasses = Data.BackwardPasses;
  S.OptimizerSteps = Data.OptimizerSteps;
  double N = static_cast<double>(S.StepsMeasured);
  if (S.StepsMeasured) {
    double Wall = 0, Op = 0, Sync = 0, Backward = 0, Other = 0;
    std::vector<double> Walls;
    for (const StepRecord *R : S.Steps) {
      Wall += R->wallNs();
      Walls.push_back(static_cast<double>(R->wallNs()));
      Op += std::min(R->OpNs, R->wallNs());
      Sync += R->SyncNs;
      Backward += R->BackwardNs;
      Other += R->OtherThreadsOpNs;
    }
    std::sort(Walls.begin(), Walls.end());
    S.MeanStepNs = Wall / N;
    S.MedianStepNs = Walls[Walls.size() / 2];
    S.StepsPerSecond = Wall > 0 ? N / (Wall / 1e9) : 0;
    S.SyncNs = Sync / N;
    S.ComputeNs = (Op - Sync) / N;
    S.HostGapNs = (Wall - Op) / N;
    S.BackwardNs = Backward / N;
    S.OtherThreadsOpNs = Other / N;
    measureDataLoading(Data, Stacks, S);
  }

  // Which modules ran user code without line tables: modules of the user's
  // whose frames never resolve to a line (a frame or two without a line,
  // like `_start`, is normal).
  std::map<std::string, bool> ModuleHasLines;
  for (size_t I = 0; I < Data.Stacks.size(); ++I)
    for (const SourceFrame &F : Stacks(static_cast<unsigned>(I)))
      if (!F.Module.empty() && !isLibraryModule(F.Module))
        ModuleHasLines[F.Module] |= F.Line != 0;
  bool UserCodeWithoutLines = false;
  for (const auto &[Module, HasLines] : ModuleHasLines)
    UserCodeWithoutLines |= !HasLines;
  if (UserCodeWithoutLines)
    V.Warnings.push_back(
        "some of the program's code has no line tables (build it with -g1 or "
        "-g): findings there are matched by the function that contains them");

  if (!Data.TopLevelOps && Data.EndReason != "refused")
    V.Warnings.push_back("the program ran no libtorch operators: is it a "
                         "libtorch program?");
  else if (!S.StepsMeasured)
    V.Warnings.push_back(
        Data.BackwardPasses
            ? "backward passes ran but no optimizer step followed one with "
              "grad "
              "mode off; try --step-on backward. Counts are for the whole run"
            : "no training step was seen (no backward pass); counts are for "
              "the whole run");
  if (!Data.TablesComplete && Data.EndReason != "refused")
    V.Warnings.push_back("the runtime could not read its tables when the "
                         "program ended; only the run's outline was recorded");
  if (Data.CallbackErrors)
    V.Warnings.push_back(llvm::formatv("{0} operator calls could not be "
                                       "classified",
                                       Data.CallbackErrors)
                             .str());

  if (!V.Gpu) {
    V.NeedsGpu = {
        "how long syncs wait for the device (item(), copies to the host, "
        "data-dependent shapes): this run sees the operations, not the waits",
        "host-to-device and device-to-host transfer times: this run knows "
        "their bytes, not their duration",
        "explicit synchronizations and the ones CUDA's sync-debug mode "
        "reports (torch-sync-explicit)",
        "device time per step (CUDA events at step boundaries)",
        "what calls of the CUDA runtime's allocator cost (cuda-alloc-in-loop): "
        "this run counts the calls it sees, not their time on a device"};
  }

  for (const Finding &F : Findings) {
    FindingResult R;
    R.Source = F;
    CheckSignal CS = signalForCheck(F.Check);
    R.Kind = CS.Kind;
    if (CS.Kind == SignalKind::None) {
      R.Result = Status::NotCheckable;
      R.Reason = CS.Why.str();
      V.Findings.push_back(std::move(R));
      continue;
    }
    if (CS.OnlyOnGpu && !V.Gpu) {
      // The operation may well run here; what shows its cost does not.
      R.Result = Status::NotCheckable;
      R.NeedsGpu = true;
      R.Reason = "its signal (" + CS.Why.str() + ") needs a GPU run";
      V.Findings.push_back(std::move(R));
      continue;
    }

    // Line mode unless the file never shows up with line tables while some
    // user code ran without them.
    bool FileSeen = false;
    for (size_t I = 0; I < Data.Stacks.size() && !FileSeen; ++I)
      for (const SourceFrame &Fr : Stacks(static_cast<unsigned>(I)))
        if (Fr.Line && sameFile(Fr.File, F.Where.File)) {
          FileSeen = true;
          break;
        }
    std::string FunctionName;
    if (!FileSeen && UserCodeWithoutLines) {
      std::optional<std::string> Name =
          EnclosingFunction ? EnclosingFunction(F.Where.File, F.Where.Line)
                            : std::nullopt;
      if (!Name) {
        R.Result = Status::NotCheckable;
        R.Reason = "the program has no line tables for this file and the "
                   "function that contains the line is unknown";
        V.Findings.push_back(std::move(R));
        continue;
      }
      FunctionName = *Name;
      R.MatchedByFunction = true;
      R.Function = FunctionName;
    }
    // A finding at a loop's header or a function's name covers its body.
    unsigned Last = F.Where.Line;
    if (CS.SpansStatement && !R.MatchedByFunction && StatementEnd)
      if (std::optional<unsigned> End =
              StatementEnd(F.Where.File, F.Where.Line))
        if (*End > F.Where.Line)
          Last = R.StatementEnd = *End;
    auto AtFinding = [&](const SourceStack &Frames) {
      for (const SourceFrame &Fr : Frames) {
        if (R.MatchedByFunction) {
          if (!Fr.Line && !Fr.Function.empty() &&
              baseFunctionName(Fr.Function) == FunctionName)
            return true;
        } else if (Fr.Line >= F.Where.Line && Fr.Line <= Last &&
                   sameFile(Fr.File, F.Where.File)) {
          return true;
        }
      }
      return false;
    };

    bool Exercised = false;
    bool AnyStandIn = false;
    Tally Measured, Outside;
    uint64_t StepsSeen = 0;
    std::vector<std::string> NotSignalWhy;
    // The signal's sites' call counts, for the evaluation batches.
    std::vector<uint64_t> SignalCounts;
    bool TrainingModeOps = false;
    for (const Site &St : Data.Sites) {
      if (!AtFinding(Stacks(St.Stack)))
        continue;
      Tally All = St.all();
      if (All.Count || All.Nodes)
        Exercised = true;
      bool StandIn = false;
      bool Signal = carriesSignal(R.Kind, St, V.Gpu, StandIn);
      if (R.Kind == SignalKind::GrowingCat)
        Signal = St.has(FlagCat) && isGrowing(St.Series);
      Evidence E;
      E.Op = Data.opName(St.Op).str();
      E.Flags = St.Flags;
      E.Src = St.Src;
      E.Dst = St.Dst;
      E.Measured = St.Measured;
      E.Outside = St.Setup;
      E.Outside.add(St.Tail);
      E.Signal = Signal;
      R.Seen.push_back(E);
      if (!Signal) {
        if (R.Kind == SignalKind::GrowingCat && St.has(FlagCat))
          NotSignalWhy.push_back(
              St.Series.size() < 3
                  ? "the `cat` ran in fewer than three measured steps"
                  : llvm::formatv("the `cat`'s output did not grow from step "
                                  "to step ({0} in the first measured step, "
                                  "{1} in the last)",
                                  bytesText(St.Series.front().MaxBytes),
                                  bytesText(St.Series.back().MaxBytes))
                        .str());
        else if (V.Gpu && R.Kind == SignalKind::HostToDevice &&
                 St.has(FlagCopyH2DAsync))
          NotSignalWhy.push_back(
              "the copy was non-blocking from pinned memory");
        else if (V.Gpu && St.has(FlagMove) && St.Src == St.Dst)
          NotSignalWhy.push_back("the tensor was already on the " + St.Dst);
        else if (V.Gpu && R.Kind == SignalKind::Item && St.has(FlagItem))
          NotSignalWhy.push_back("the value was read from a host tensor");
        else if (R.Kind == SignalKind::ModeMismatch && St.has(FlagModeOp))
          NotSignalWhy.push_back(
              St.has(FlagTrainingMode)
                  ? "dropout or batch norm ran in training mode, in training"
                  : "dropout or batch norm ran in evaluation mode, outside "
                    "training");
        else if (R.Kind == SignalKind::GradWithoutBackward &&
                 !St.has(FlagGradMode))
          NotSignalWhy.push_back("its operators ran with grad mode off");
        continue;
      }
      AnyStandIn |= StandIn;
      SignalCounts.push_back(All.Count);
      TrainingModeOps |= St.has(FlagTrainingMode);
      if (R.Kind == SignalKind::GrowingCat) {
        // Two growing `cat`s on one line: the one that ends largest.
        if (R.Series.empty() ||
            St.Series.back().MaxBytes > R.Series.back().MaxBytes)
          R.Series = St.Series;
      } else if (R.Kind == SignalKind::Allocation) {
        mergeSeries(R.Series, St.Series);
      }
      Measured.add(St.Measured);
      Outside.add(St.Setup);
      Outside.add(St.Tail);
      StepsSeen = std::max(StepsSeen, St.StepsSeen);
    }
    std::sort(R.Seen.begin(), R.Seen.end(),
              [](const Evidence &A, const Evidence &B) {
                if (A.Signal != B.Signal)
                  return A.Signal;
                return A.Measured.Count + A.Outside.Count >
                       B.Measured.Count + B.Outside.Count;
              });
    if (R.Seen.size() > 8)
      R.Seen.resize(8);
    R.Total = Measured;
    R.Total.add(Outside);
    R.Outside = Outside;
    R.StepsSeen = StepsSeen;
    std::string Where =
        R.MatchedByFunction
            ? "in " + FunctionName + " (matched by function)"
        : R.StatementEnd ? llvm::formatv("in lines {0}-{1}", F.Where.Line,
                                         R.StatementEnd)
                               .str()
                         : "at this line";

    if (R.Kind == SignalKind::DataLoading) {
      std::optional<std::string> Function =
          EnclosingFunction ? EnclosingFunction(F.Where.File, F.Where.Line)
                            : std::nullopt;
      judgeDataLoading(R, Data, Stacks, AtFinding, Function, Exercised, S);
      V.Findings.push_back(std::move(R));
      continue;
    }
    if (R.Kind == SignalKind::CudaAlloc && !V.Gpu && !R.Total.Count) {
      // A CPU-only run seldom reaches CUDA code, and a program linked with
      // the static libcudart (nvcc's default) is not seen calling it: no
      // call here says nothing.
      R.Result = Status::NotCheckable;
      R.NeedsGpu = true;
      R.Reason = "no call of the CUDA runtime's allocator was seen at this "
                 "line; its signal (cudaMalloc/cudaFree calls per step, seen "
                 "through a shared libcudart) needs a GPU run";
      V.Findings.push_back(std::move(R));
      continue;
    }
    if (!Exercised) {
      R.Result = Status::NotExercised;
      R.Reason = R.MatchedByFunction
                     ? "no operator ran in " + FunctionName +
                           " during the run (matched by function: no line "
                           "tables)"
                 : FileSeen ? "no operator ran at this line during the run: "
                              "the code was not reached"
                            : "no operator ran from this file during the run "
                              "(the code was not reached, or the finding is "
                              "about another program)";
      if (R.Kind == SignalKind::CudaAlloc)
        R.Reason += "; calls of the CUDA runtime's allocator are seen only "
                    "through a shared libcudart (nvcc links the static one "
                    "unless told -cudart shared)";
      V.Findings.push_back(std::move(R));
      continue;
    }
    if (CS.PerEvaluationBatch) {
      judgePerBatch(R, Measured, Outside, SignalCounts, TrainingModeOps, Where,
                    NotSignalWhy, S);
      V.Findings.push_back(std::move(R));
      continue;
    }
    bool Counted = R.Kind == SignalKind::GradWithoutBackward
                       ? Measured.Nodes > 0
                       : Measured.Count > 0;
    // A count below the check's threshold is the line running, not the
    // pattern the check is about (one `select` is not a per-element loop).
    double Reached = S.StepsMeasured ? Measured.Count / N
                                     : static_cast<double>(R.Total.Count);
    bool BelowThreshold = Counted && CS.MinPerStep > 0 &&
                          Reached < CS.MinPerStep &&
                          (S.StepsMeasured || R.Total.Count >= 2);
    if (BelowThreshold) {
      R.Result = Status::NotObserved;
      R.Per.Count = Reached;
      R.Per.Ns = S.StepsMeasured ? Measured.Ns / N : R.Total.Ns;
      R.Per.Bytes = S.StepsMeasured ? Measured.Bytes / N : R.Total.Bytes;
      R.Reason = llvm::formatv("the line {0} {1:F2} times per {2}, fewer than "
                               "the {3:F0} per step that confirm this check",
                               signalPhrase(R.Kind), Reached,
                               S.StepsMeasured ? "step" : "run", CS.MinPerStep)
                     .str();
    } else if (S.StepsMeasured && Counted) {
      R.Result = Status::Confirmed;
      R.NeedsGpu = AnyStandIn && CS.CostOnDevice;
      R.Per.Count =
          (R.Kind == SignalKind::GradWithoutBackward ? Measured.Nodes
                                                     : Measured.Count) /
          N;
      R.Per.Ns = Measured.Ns / N;
      R.Per.Bytes = Measured.Bytes / N;
      R.Share = S.MeanStepNs > 0 ? R.Per.Ns / S.MeanStepNs : 0;
      R.Reason = llvm::formatv("{0} {1:F2} times per step {2} (in {3} of {4} "
                               "steps), {5} per step",
                               signalPhrase(R.Kind), R.Per.Count, Where,
                               R.StepsSeen, S.StepsMeasured, timeText(R.Per.Ns))
                     .str();
      // Accumulating runs inside the backward pass's own operators: its
      // cost is the wrong update, not time of its own.
      if (R.Kind == SignalKind::GradNotCleared)
        R.Reason = llvm::formatv("{0} {1:F2} times per step {2} (in {3} of "
                                 "{4} steps)",
                                 signalPhrase(R.Kind), R.Per.Count, Where,
                                 R.StepsSeen, S.StepsMeasured)
                       .str();
      if (R.Per.Bytes > 0)
        R.Reason += ", " + bytesText(R.Per.Bytes) + " per step";
      if (!R.Series.empty() && R.Kind == SignalKind::GrowingCat)
        R.Reason +=
            llvm::formatv("; the output grew from {0} to {1} over {2} "
                          "steps",
                          bytesText(R.Series.front().MaxBytes),
                          bytesText(R.Series.back().MaxBytes), R.Series.size())
                .str();
      if (CS.MinPerStep > 1)
        R.Reason += llvm::formatv(" (this check is confirmed from {0:F0} calls "
                                  "per step)",
                                  CS.MinPerStep)
                        .str();
      if (R.NeedsGpu)
        R.Reason += "; " + standInNote(R.Kind, R.Per);
    } else if (!S.StepsMeasured && R.Total.Count >= 2) {
      // No step to divide by: a signal that repeats still confirms, per run.
      R.Result = Status::Confirmed;
      R.NeedsGpu = AnyStandIn && CS.CostOnDevice;
      R.Per.Count = static_cast<double>(R.Total.Count);
      R.Per.Ns = static_cast<double>(R.Total.Ns);
      R.Per.Bytes = static_cast<double>(R.Total.Bytes);
      R.Reason = llvm::formatv("{0} {1} times {2} in the run (no training step "
                               "was measured)",
                               signalPhrase(R.Kind), R.Total.Count, Where)
                     .str();
      if (R.NeedsGpu)
        R.Reason += "; " + standInNote(R.Kind, R.Per);
    } else {
      R.Result = Status::NotObserved;
      if (Outside.Count)
        R.Reason =
            llvm::formatv("the line ran and {0} {1} times, all outside "
                          "the measured steps (setup, the first step or "
                          "after the last one): it costs nothing per step",
                          signalPhrase(R.Kind), Outside.Count)
                .str();
      else if (!NotSignalWhy.empty())
        R.Reason = "the line ran but no cost showed: " + NotSignalWhy.front();
      else
        R.Reason = "the line ran but never " + signalPhrase(R.Kind);
    }
    V.Findings.push_back(std::move(R));
  }

  // Signals over the whole run, merged by source line.
  std::map<std::pair<int, std::string>, SignalResult> Signals;
  std::map<std::pair<std::string, unsigned>, LineCost> Lines;
  const SignalKind RunKinds[] = {SignalKind::Item,
                                 SignalKind::DeviceToHost,
                                 SignalKind::HostToDevice,
                                 SignalKind::ShapeSync,
                                 SignalKind::ExplicitSync,
                                 SignalKind::GrowingCat,
                                 SignalKind::GradWithoutBackward,
                                 SignalKind::GradNotCleared,
                                 SignalKind::ModeMismatch};
  for (const Site &St : Data.Sites) {
    const SourceStack &Frames = Stacks(St.Stack);
    SourceFrame Where = userFrame(Frames);
    std::vector<SourceFrame> Chain = userChain(Frames);
    std::string ChainKey;
    for (const SourceFrame &F : Chain)
      ChainKey += F.File + ":" + std::to_string(F.Line) + ";";
    if (Chain.empty())
      ChainKey =
          Where.File + ":" + std::to_string(Where.Line) + ":" + Where.Function;
    if (!St.has(FlagBackward) && !St.has(FlagGradNotCleared) &&
        St.Measured.Count) {
      LineCost &L = Lines[{Where.File, Where.Line}];
      L.Where = Where;
      L.Ops.Count += St.Measured.Count / std::max(1.0, N);
      L.Ops.Ns += St.Measured.Ns / std::max(1.0, N);
      L.GapNs += St.Measured.GapNs / std::max(1.0, N);
    }
    for (SignalKind K : RunKinds) {
      bool StandIn = false;
      bool Signal = K == SignalKind::GrowingCat
                        ? St.has(FlagCat) && isGrowing(St.Series)
                        : carriesSignal(K, St, V.Gpu, StandIn);
      // Sync kinds overlap (a `.cpu()` is a move and, printed, an item):
      // each site is listed under its first kind. On a CPU run a move whose
      // tensor stays put has no direction to tell; the findings that name it
      // say what it would do on a device.
      if (!Signal || (StandIn && (K == SignalKind::DeviceToHost ||
                                  K == SignalKind::HostToDevice)))
        continue;
      Tally Counted = N ? St.Measured : St.all();
      uint64_t Amount =
          K == SignalKind::GradWithoutBackward ? Counted.Nodes : Counted.Count;
      if (!Amount)
        continue;
      SignalResult &Sig = Signals[{static_cast<int>(K), ChainKey}];
      Sig.Kind = K;
      Sig.Where = Where;
      Sig.Chain = Chain;
      if (Sig.Op.empty())
        Sig.Op = Data.opName(St.Op).str();
      else if (Sig.Op.find(Data.opName(St.Op).str()) == std::string::npos)
        Sig.Op += ", " + Data.opName(St.Op).str();
      double Div = N ? N : 1;
      Sig.Per.Count += Amount / Div;
      Sig.Per.Ns += Counted.Ns / Div;
      Sig.Per.Bytes += Counted.Bytes / Div;
      Sig.Total.add(St.all());
      if (K == SignalKind::GrowingCat) {
        Sig.Series = St.Series;
        Sig.Detail = llvm::formatv("output grew from {0} to {1} over {2} steps",
                                   bytesText(St.Series.front().MaxBytes),
                                   bytesText(St.Series.back().MaxBytes),
                                   St.Series.size())
                         .str();
      } else if (K == SignalKind::GradWithoutBackward) {
        Sig.Detail = llvm::formatv("{0:F1} autograd nodes per step built with "
                                   "grad mode on and never backpropagated",
                                   Sig.Per.Count)
                         .str();
      } else if (K == SignalKind::GradNotCleared) {
        Sig.Detail = llvm::formatv("{0:F1} gradients per step accumulated into "
                                   "values left from the previous step",
                                   Sig.Per.Count)
                         .str();
      } else if (K == SignalKind::ModeMismatch) {
        Sig.Detail = St.has(FlagTrainingMode)
                         ? "dropout or batch norm in training mode where "
                           "nothing trains"
                         : "dropout or batch norm in evaluation mode in a "
                           "graph that a backward pass used";
      } else if (StandIn) {
        Sig.Detail = "seen on the CPU; its device cost needs a GPU run";
      }
      break;
    }
  }
  for (auto &[Key, Sig] : Signals)
    V.Signals.push_back(std::move(Sig));  // Data loading, placed where the training code asks for a batch: the
  // first user frame outside the loader's frames (the range-for over the
  // loader), whatever a finding says.
  if (S.DataLoadingSamples) {
    std::set<int64_t> Measured;
    for (const StepRecord *Step : S.Steps)
      Measured.insert(static_cast<int64_t>(Step->Index));
    std::map<std::string, std::pair<SignalResult, uint64_t>> Callers;
    for (const SampleCount &C : Data.Samples.Counts) {
      const SourceStack &Frames = Stacks(C.Stack);
      if (!Measured.count(C.Step) || !inDataLoading(Frames))
        continue;
      size_t Outermost = 0;
      for (size_t I = 0; I < Frames.size(); ++I)
        if (isDataLoadingFrame(Frames[I]))
          Outermost = I;
      SourceStack Outside(Frames.begin() + Outermost + 1, Frames.end());
      std::vector<SourceFrame> Chain = userChain(Outside);
      std::string Key;
      for (const SourceFrame &F : Chain)
        Key += F.File + ":" + std::to_string(F.Line) + ";";
      auto &[Sig, Count] = Callers[Key];
      if (!Count) {
        Sig.Kind = SignalKind::DataLoading;
        Sig.Where = Chain.empty() ? userFrame(Outside) : Chain.front();
        Sig.Chain = Chain;
      }
      Count += C.Count;
    }
    for (auto &[Key, Entry] : Callers) {
      auto &[Sig, Count] = Entry;
      double Part = static_cast<double>(Count) / S.DataLoadingSamples;
      Sig.Per.Ns = S.DataLoadingNs * Part;
      Sig.Per.Count = static_cast<double>(Count) / N;
      Sig.Total.Count = Count;
      Sig.Detail = llvm::formatv("{0} per step fetching batches on the "
                                 "training thread, {1} of the step ({2} "
                                 "samples)",
                                 timeText(Sig.Per.Ns),
                                 percentText(S.MeanStepNs > 0
                                                 ? Sig.Per.Ns / S.MeanStepNs
                                                 : 0),
                                 Count)
                       .str();
      V.Signals.push_back(std::move(Sig));
    }
  }

  if (!V.Loss.Divergence.empty()) {
    // Placed at the first backward() call whose loss was read.
    SignalResult Sig;
    Sig.Kind = SignalKind::LossDiverged;
    unsigned Stack = Data.Losses.front().Stack;
    if (Stack < Data.Stacks.size()) {
      Sig.Where = userFrame(Stacks(Stack));
      Sig.Chain = userChain(Stacks(Stack));
    }
    Sig.Op = "backward";
    Sig.Total.Count = Data.Losses.size();
    Sig.Detail = V.Loss.Divergence;
    V.Signals.push_back(std::move(Sig));
  }
  // By time per step, then by place, so the order is stable across runs.
  std::sort(V.Signals.begin(), V.Signals.end(),
            [](const SignalResult &A, const SignalResult &B) {
              if (A.Per.Ns != B.Per.Ns)
                return A.Per.Ns > B.Per.Ns;
              return std::tie(A.Where.File, A.Where.Line, A.Kind) <
                     std::tie(B.Where.File, B.Where.Line, B.Kind);
            });
  for (auto &[Key, L] : Lines)
    V.Lines.push_back(std::move(L));
  std::sort(V.Lines.begin(), V.Lines.end(),
            [](const LineCost &A, const LineCost &B) {
              return A.Ops.Ns + A.GapNs > B.Ops.Ns + B.GapNs;
            });
  if (V.Lines.size() > 15)
    V.Lines.resize(15);
  return V;
}

} // namespace validate
} // namespace trainlint
