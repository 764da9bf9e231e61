//===--- ProjectGraph.cpp - the hot-path model as plain data --------------===//

#include "ProjectGraph.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <cassert>
#include <deque>
#include <set>
#include <tuple>

namespace trainlint {

namespace json = llvm::json;

llvm::StringRef loopKindName(LoopKind Kind) {
  switch (Kind) {
  case LoopKind::Training:
    return "training loop";
  case LoopKind::Evaluation:
    return "evaluation loop";
  case LoopKind::CudaStep:
    return "CUDA step loop";
  case LoopKind::Undecided:
    return UndecidedLoopText;
  }
  return "hot loop";
}

std::string callNoteText(llvm::StringRef CalleeName, LoopKind Kind) {
  return ("'" + CalleeName + "' is called here, on the " + loopKindName(Kind) +
          " path")
      .str();
}

std::string loopNoteText(LoopKind Kind) {
  return (loopKindName(Kind) + " starts here").str();
}

DeviceEvidence strongest(DeviceEvidence A, DeviceEvidence B) {
  return static_cast<int>(A) > static_cast<int>(B) ? A : B;
}

std::string functionKey(llvm::StringRef Usr, const SourcePoint &Where) {
  // USRs hold no spaces, so the definitions of one USR sort together, right
  // after `USR `.
  return (Usr + " " + Where.File + ":" + llvm::Twine(Where.Line) + ":" +
          llvm::Twine(Where.Column))
      .str();
}

void ProjectGraph::merge(const ProjectGraph &Other) {
  for (const auto &[Key, Function] : Other.Functions)
    Functions.try_emplace(Key, Function);
  Devices = strongest(Devices, Other.Devices);
}

std::vector<std::string> ProjectGraph::keysOf(llvm::StringRef Usr) const {
  std::string Prefix = (Usr + " ").str();
  std::vector<std::string> Keys;
  for (auto It = Functions.lower_bound(Prefix);
       It != Functions.end() && llvm::StringRef(It->first).starts_with(Prefix);
       ++It)
    Keys.push_back(It->first);
  return Keys;
}

bool ProjectGraph::timesItself(llvm::StringRef Usr) const {
  for (const std::string &Key : keysOf(Usr))
    if (Functions.at(Key).TimesItself)
      return true;
  return false;
}

unsigned ProjectGraph::programSignals() const {
  unsigned Result = NoSignal;
  for (const auto &Entry : Functions)
    for (const GraphSignal &S : Entry.second.Signals)
      Result |= S.Bits;
  return Result;
}

// --- JSON -----------------------------------------------------------------

namespace {

json::Value pointToJson(const SourcePoint &P) {
  return json::Array{P.File, P.Line, P.Column};
}

bool pointFromJson(const json::Value *V, SourcePoint &P) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A || A->size() != 3)
    return false;
  auto File = (*A)[0].getAsString();
  auto Line = (*A)[1].getAsInteger();
  auto Column = (*A)[2].getAsInteger();
  if (!File || !Line || !Column)
    return false;
  P = {File->str(), static_cast<unsigned>(*Line),
       static_cast<unsigned>(*Column)};
  return true;
}

llvm::StringRef evidenceName(DeviceEvidence E) {
  switch (E) {
  case DeviceEvidence::None:
    return "none";
  case DeviceEvidence::CpuOnly:
    return "cpu";
  case DeviceEvidence::MaybeAccelerator:
    return "maybe-accelerator";
  }
  return "none";
}

std::optional<DeviceEvidence> parseEvidence(llvm::StringRef Name) {
  for (DeviceEvidence E : {DeviceEvidence::None, DeviceEvidence::CpuOnly,
                           DeviceEvidence::MaybeAccelerator})
    if (evidenceName(E) == Name)
      return E;
  return std::nullopt;
}

llvm::StringRef modeName(ModuleMode Mode) {
  switch (Mode) {
  case ModuleMode::Eval:
    return "eval";
  case ModuleMode::Train:
    return "train";
  case ModuleMode::Unknown:
    break;
  }
  return "";
}

ModuleMode modeNamed(llvm::StringRef Name) {
  if (Name == "eval")
    return ModuleMode::Eval;
  if (Name == "train")
    return ModuleMode::Train;
  return ModuleMode::Unknown;
}

json::Value functionToJson(llvm::StringRef Usr, const GraphFunction &F) {
  json::Array Loops;
  for (const GraphLoop &L : F.Loops)
    Loops.push_back(json::Object{{"parent", L.Parent},
                                 {"where", pointToJson(L.Where)},
                                 {"loader", L.IteratesLoader},
                                 {"timed", L.TimesItself}});
  json::Array Calls;
  for (const GraphCall &C : F.Calls) {
    json::Array Counters;
    for (const CounterArgument &A : C.Counters)
      Counters.push_back(json::Object{{"param", A.Param},
                                      {"loop", A.LoopCounter},
                                      {"params", json::Array(A.CallerParams)}});
    Calls.push_back(json::Object{{"callee", C.Callee},
                                 {"name", C.CalleeName},
                                 {"where", pointToJson(C.Where)},
                                 {"at", toJson(C.At)},
                                 {"counters", std::move(Counters)},
                                 {"device_work", C.PassesDeviceWork},
                                 {"no_grad", C.UnderNoGrad},
                                 {"mode_before", modeName(C.ModeBefore)}});
  }
  json::Array Signals;
  for (const GraphSignal &S : F.Signals)
    Signals.push_back(json::Array{S.Bits, S.Loop});
  return json::Object{{"key", Usr},
                      {"name", F.Name},
                      {"where", pointToJson(F.Where)},
                      {"timed", F.TimesItself},
                      {"loops", std::move(Loops)},
                      {"calls", std::move(Calls)},
                      {"signals", std::move(Signals)}};
}

template <typename T>
bool readUnsignedArray(const json::Value *V, std::vector<T> &Out) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A)
    return false;
  for (const json::Value &E : *A) {
    auto N = E.getAsInteger();
    if (!N || *N < 0)
      return false;
    Out.push_back(static_cast<T>(*N));
  }
  return true;
}

bool functionFromJson(const json::Object &O, std::string &Usr,
                      GraphFunction &F) {
  auto U = O.getString("key");
  auto Name = O.getString("name");
  const json::Array *Loops = O.getArray("loops");
  const json::Array *Calls = O.getArray("calls");
  const json::Array *Signals = O.getArray("signals");
  if (!U || !Name || !Loops || !Calls || !Signals ||
      !pointFromJson(O.get("where"), F.Where))
    return false;
  Usr = U->str();
  F.Name = Name->str();
  F.TimesItself = O.getBoolean("timed").value_or(false);
  for (const json::Value &V : *Loops) {
    const json::Object *L = V.getAsObject();
    GraphLoop Loop;
    if (!L || !pointFromJson(L->get("where"), Loop.Where))
      return false;
    Loop.Parent = static_cast<int>(L->getInteger("parent").value_or(-1));
    Loop.IteratesLoader = L->getBoolean("loader").value_or(false);
    Loop.TimesItself = L->getBoolean("timed").value_or(false);
    F.Loops.push_back(std::move(Loop));
  }
  for (const json::Value &V : *Calls) {
    const json::Object *C = V.getAsObject();
    GraphCall Call;
    if (!C)
      return false;
    auto Callee = C->getString("callee");
    auto CalleeName = C->getString("name");
    json::Path::Root Root;
    if (!Callee || !CalleeName || !pointFromJson(C->get("where"), Call.Where) ||
        !C->get("at") || !fromJson(*C->get("at"), Call.At, Root))
      return false;
    Call.Callee = Callee->str();
    Call.CalleeName = CalleeName->str();
    Call.PassesDeviceWork = C->getBoolean("device_work").value_or(false);
    Call.UnderNoGrad = C->getBoolean("no_grad").value_or(false);
    Call.ModeBefore = modeNamed(C->getString("mode_before").value_or(""));
    if (const json::Array *Counters = C->getArray("counters"))
      for (const json::Value &A : *Counters) {
        const json::Object *Arg = A.getAsObject();
        CounterArgument Counter;
        auto Param = Arg ? Arg->getInteger("param") : std::nullopt;
        if (!Param || *Param < 0 ||
            !readUnsignedArray(Arg->get("params"), Counter.CallerParams))
          return false;
        Counter.Param = static_cast<unsigned>(*Param);
        Counter.LoopCounter = Arg->getBoolean("loop").value_or(false);
        Call.Counters.push_back(std::move(Counter));
      }
    F.Calls.push_back(std::move(Call));
  }
  for (const json::Value &V : *Signals) {
    const json::Array *S = V.getAsArray();
    if (!S || S->size() != 2 || !(*S)[0].getAsInteger() ||
        !(*S)[1].getAsInteger())
      return false;
    F.Signals.push_back({static_cast<unsigned>(*(*S)[0].getAsInteger()),
                         static_cast<int>(*(*S)[1].getAsInteger())});
  }
  // Loop indices must stay inside the function, or the analysis would read
  // past its loops.
  auto ValidLoop = [&](int L) {
    return L >= -1 && L < static_cast<int>(F.Loops.size());
  };
  for (const GraphLoop &L : F.Loops)
    if (!ValidLoop(L.Parent))
      return false;
  for (const GraphCall &C : F.Calls)
    if (!ValidLoop(C.At.Loop))
      return false;
  for (const GraphSignal &S : F.Signals)
    if (!ValidLoop(S.Loop))
      return false;
  return true;
}

} // namespace

json::Value toJson(const GraphPosition &P) {
  json::Array Gated;
  for (bool G : P.GatedUpTo)
    Gated.push_back(G);
  return json::Object{{"loop", P.Loop},
                      {"gated", std::move(Gated)},
                      {"gate_params", json::Array(P.GateParams)}};
}

bool fromJson(const json::Value &V, GraphPosition &P, json::Path Path) {
  const json::Object *O = V.getAsObject();
  if (!O) {
    Path.report("expected a position");
    return false;
  }
  P.Loop = static_cast<int>(O->getInteger("loop").value_or(-1));
  P.GatedUpTo.clear();
  if (const json::Array *Gated = O->getArray("gated"))
    for (const json::Value &G : *Gated)
      P.GatedUpTo.push_back(G.getAsBoolean().value_or(false));
  P.GateParams.clear();
  if (!readUnsignedArray(O->get("gate_params"), P.GateParams)) {
    Path.report("expected gate_params");
    return false;
  }
  return true;
}

json::Value ProjectGraph::toJson() const {
  json::Array Out;
  for (const auto &[Usr, F] : Functions)
    Out.push_back(functionToJson(Usr, F));
  return json::Object{{"devices", evidenceName(Devices)},
                      {"functions", std::move(Out)}};
}

llvm::Expected<ProjectGraph> ProjectGraph::fromJson(const json::Value &V) {
  auto Malformed = [](const llvm::Twine &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed project graph: " + What);
  };
  const json::Object *O = V.getAsObject();
  if (!O)
    return Malformed("not an object");
  ProjectGraph G;
  auto Devices = O->getString("devices");
  auto Evidence = Devices ? parseEvidence(*Devices) : std::nullopt;
  if (!Evidence)
    return Malformed("no valid 'devices'");
  G.Devices = *Evidence;
  const json::Array *Functions = O->getArray("functions");
  if (!Functions)
    return Malformed("no 'functions'");
  for (const json::Value &F : *Functions) {
    const json::Object *FO = F.getAsObject();
    std::string Usr;
    GraphFunction Function;
    if (!FO || !functionFromJson(*FO, Usr, Function))
      return Malformed("a function entry is incomplete");
    G.Functions.try_emplace(std::move(Usr), std::move(Function));
  }
  return G;
}

// --- Deferred notes -------------------------------------------------------

std::string encodeDeferredNote(const DeferredHotPath &D) {
  llvm::json::Object O{{"function", D.Function},
                       {"at", toJson(D.At)},
                       {"needs_accelerator", D.NeedsAccelerator},
                       {"needs_untimed_loop", D.NeedsUntimedLoop},
                       {"decided", D.Decided},
                       {"must_do", D.MustDo},
                       {"must_lack", D.MustLack},
                       {"needs_cpu_only", D.NeedsCpuOnly},
                       {"program_must_do", D.ProgramMustDo},
                       {"program_must_lack", D.ProgramMustLack}};
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << DeferredNotePrefix << llvm::json::Value(std::move(O));
  return Text;
}

std::optional<DeferredHotPath> decodeDeferredNote(llvm::StringRef Message) {
  if (!Message.consume_front(DeferredNotePrefix))
    return std::nullopt;
  auto Parsed = llvm::json::parse(Message);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *O = Parsed->getAsObject();
  if (!O)
    return std::nullopt;
  DeferredHotPath D;
  auto Function = O->getString("function");
  llvm::json::Path::Root Root;
  if (!Function || !O->get("at") || !fromJson(*O->get("at"), D.At, Root))
    return std::nullopt;
  D.Function = Function->str();
  D.NeedsAccelerator = O->getBoolean("needs_accelerator").value_or(false);
  D.NeedsUntimedLoop = O->getBoolean("needs_untimed_loop").value_or(false);
  D.Decided = O->getBoolean("decided").value_or(false);
  D.MustDo = static_cast<unsigned>(O->getInteger("must_do").value_or(0));
  D.MustLack = static_cast<unsigned>(O->getInteger("must_lack").value_or(0));
  D.NeedsCpuOnly = O->getBoolean("needs_cpu_only").value_or(false);
  D.ProgramMustDo =
      static_cast<unsigned>(O->getInteger("program_must_do").value_or(0));
  D.ProgramMustLack =
      static_cast<unsigned>(O->getInteger("program_must_lack").value_or(0));
  return D;
}

DeferredHotPath bothHold(const DeferredHotPath &A, const DeferredHotPath &B) {
  assert((A.Function.empty() || B.Function.empty()) &&
         "two deferred findings about different code cannot be joined");
  DeferredHotPath Joined = A.Function.empty() ? B : A;
  const DeferredHotPath &Other = A.Function.empty() ? A : B;
  Joined.NeedsAccelerator |= Other.NeedsAccelerator;
  Joined.NeedsUntimedLoop |= Other.NeedsUntimedLoop;
  Joined.NeedsCpuOnly |= Other.NeedsCpuOnly;
  Joined.MustDo |= Other.MustDo;
  Joined.MustLack |= Other.MustLack;
  Joined.ProgramMustDo |= Other.ProgramMustDo;
  Joined.ProgramMustLack |= Other.ProgramMustLack;
  Joined.Decided = A.Decided && B.Decided;
  return Joined;
}

// --- The analysis ---------------------------------------------------------

/// How a function is reached from a step loop.
struct Reach {
  LoopKind Kind;
  std::string LoopFunction;
  int Loop;
  std::vector<std::pair<std::string, unsigned>> Chain;
  bool Gated = false;
  /// The function's parameters that carry the step counter.
  std::set<unsigned> Counters;
};

struct HotAnalysis::Impl {
  const ProjectGraph &G;
  /// Step loops by function and index.
  std::map<std::pair<std::string, int>, LoopKind> StepLoops;
  /// Loops that are not step loops but whose iterations train.
  std::set<std::pair<std::string, int>> EpochLoops;
  std::map<std::string, Reach> HotFunctions;
  std::map<std::tuple<std::string, unsigned, bool>, unsigned> Memo;
  std::map<std::string, std::vector<std::string>> Definitions;

  explicit Impl(const ProjectGraph &G) : G(G) {
    classifyLoops();
    propagate();
  }

  const GraphFunction *function(llvm::StringRef Key) const {
    auto It = G.Functions.find(Key.str());
    return It == G.Functions.end() ? nullptr : &It->second;
  }

  /// The definitions a call to \p Usr may reach.
  const std::vector<std::string> &definitionsOf(const std::string &Usr) {
    auto It = Definitions.find(Usr);
    if (It == Definitions.end())
      It = Definitions.emplace(Usr, G.keysOf(Usr)).first;
    return It->second;
  }

  /// What a call does for the loop around it, through its callee.
  unsigned callSignals(const GraphCall &C, unsigned Depth, bool All) {
    const std::vector<std::string> &Callees = definitionsOf(C.Callee);
    if (Callees.empty())
      return (C.PassesDeviceWork ? LaunchSignal : NoSignal) | OpaqueCallSignal;
    unsigned Result = NoSignal;
    for (const std::string &Callee : Callees)
      Result |= signalsOf(Callee, Depth, All);
    return Result;
  }

  /// What the function \p Key and its callees do: outside their loops
  /// only, or with \p All everything.
  unsigned signalsOf(const std::string &Key, unsigned Depth, bool All) {
    const GraphFunction *F = function(Key);
    if (!F)
      return NoSignal;
    if (Depth > MaxCallDepth)
      return OpaqueCallSignal;
    auto MemoKey = std::make_tuple(Key, Depth, All);
    if (auto It = Memo.find(MemoKey); It != Memo.end())
      return It->second;
    Memo[MemoKey] = NoSignal; // recursion ends here
    unsigned Result = NoSignal;
    for (const GraphSignal &S : F->Signals)
      if (All || S.Loop < 0)
        Result |= S.Bits;
    for (const GraphCall &C : F->Calls)
      if (All || C.At.Loop < 0)
        Result |= callSignals(C, Depth + 1, All);
    return Memo[MemoKey] = Result;
  }

  static bool isNestedIn(const GraphFunction &F, int Inner, int Outer) {
    for (int L = Inner; L >= 0; L = F.Loops[L].Parent)
      if (L == Outer)
        return true;
    return false;
  }

  /// The signals of \p Loop's own iterations (statements directly in it,
  /// and what its calls do outside their loops), or with \p Nested those of
  /// its nested loops and of everything its calls do.
  unsigned signalsIn(const GraphFunction &F, int Loop, bool Nested) {
    unsigned Result = NoSignal;
    for (const GraphSignal &S : F.Signals)
      if (S.Loop == Loop || (Nested && S.Loop >= 0 && isNestedIn(F, S.Loop, Loop)))
        Result |= S.Bits;
    for (const GraphCall &C : F.Calls) {
      if (C.At.Loop == Loop)
        Result |= callSignals(C, 1, Nested);
      else if (Nested && C.At.Loop >= 0 && isNestedIn(F, C.At.Loop, Loop))
        Result |= callSignals(C, 1, /*All=*/true);
    }
    return Result;
  }

  static unsigned depthOf(const GraphFunction &F, int Loop) {
    unsigned Depth = 0;
    for (int L = F.Loops[Loop].Parent; L >= 0; L = F.Loops[L].Parent)
      ++Depth;
    return Depth;
  }

  void classifyLoops() {
    for (const auto &Entry : G.Functions) {
      // Named, not bound: the sort's lambda captures F.
      const std::string &Usr = Entry.first;
      const GraphFunction &F = Entry.second;
      // Inner loops first: an outer loop's kind depends on them.
      std::vector<int> Order(F.Loops.size());
      for (size_t I = 0; I < Order.size(); ++I)
        Order[I] = static_cast<int>(I);
      llvm::stable_sort(Order, [&](int A, int B) {
        return depthOf(F, A) > depthOf(F, B);
      });
      for (int Loop : Order) {
        unsigned Own = signalsIn(F, Loop, /*Nested=*/false);
        unsigned All = signalsIn(F, Loop, /*Nested=*/true);
        std::optional<LoopKind> Kind;
        if (Own & TrainingSignals)
          Kind = LoopKind::Training;
        else if (F.Loops[Loop].IteratesLoader)
          Kind = (All & TrainingSignals) ? LoopKind::Training
                                         : LoopKind::Evaluation;
        else if ((Own & ForwardSignal) && !(All & TrainingSignals))
          Kind = LoopKind::Evaluation;
        // An epoch loop that launches a few kernels of its own (zeroing
        // gradients) around a batch loop is not a step loop: the batch loop
        // is the hot one, and the epoch loop's own work runs once per epoch.
        else if ((Own & LaunchSignal) && !hasNestedStepLoop(Usr, F, Loop))
          Kind = LoopKind::CudaStep;
        // Otherwise an epoch loop around a step loop, or ordinary code.
        if (Kind)
          StepLoops[{Usr, Loop}] = *Kind;
        else if (All & TrainingSignals)
          EpochLoops.insert({Usr, Loop});
      }
    }
    // A loop nested in a step loop is part of that step, not an epoch.
    for (auto It = EpochLoops.begin(); It != EpochLoops.end();)
      It = stepLoopOf(It->first, It->second) ? EpochLoops.erase(It)
                                             : std::next(It);
  }

  bool hasNestedStepLoop(const std::string &Usr, const GraphFunction &F,
                         int Loop) const {
    for (size_t L = 0; L < F.Loops.size(); ++L)
      if (static_cast<int>(L) != Loop &&
          isNestedIn(F, static_cast<int>(L), Loop) &&
          StepLoops.count({Usr, static_cast<int>(L)}))
        return true;
    return false;
  }

  std::optional<std::pair<LoopKind, int>> stepLoopOf(const std::string &Usr,
                                                     int Loop) const {
    const GraphFunction *F = function(Usr);
    if (!F)
      return std::nullopt;
    for (int L = Loop; L >= 0; L = F->Loops[L].Parent)
      if (auto It = StepLoops.find({Usr, L}); It != StepLoops.end())
        return std::make_pair(It->second, L);
    return std::nullopt;
  }

  /// How many loops out from \p Inner \p Outer is (0 when they are the
  /// same).
  static unsigned levelOf(const GraphFunction &F, int Inner, int Outer) {
    unsigned Level = 0;
    for (int L = Inner; L >= 0 && L != Outer; L = F.Loops[L].Parent)
      ++Level;
    return Level;
  }

  void propagate() {
    std::deque<std::string> Work;
    auto OfferOne = [&](const std::string &Callee, Reach R) {
      auto It = HotFunctions.find(Callee);
      if (It != HotFunctions.end()) {
        const Reach &Old = It->second;
        bool Better = (Old.Gated && !R.Gated) ||
                      (Old.Gated == R.Gated && R.Chain.size() < Old.Chain.size());
        if (!Better)
          return;
        It->second = std::move(R);
      } else {
        HotFunctions.emplace(Callee, std::move(R));
      }
      Work.push_back(Callee);
    };
    // Every definition of the callee's USR may be the one called.
    auto Offer = [&](const std::string &CalleeUsr, const Reach &R) {
      for (const std::string &Callee : definitionsOf(CalleeUsr))
        OfferOne(Callee, R);
    };

    // Calls made inside step loops.
    for (const auto &[Usr, F] : G.Functions)
      for (unsigned I = 0; I < F.Calls.size(); ++I) {
        const GraphCall &C = F.Calls[I];
        if (C.At.Loop < 0)
          continue;
        auto Step = stepLoopOf(Usr, C.At.Loop);
        if (!Step)
          continue;
        Reach R{Step->first, Usr, Step->second, {{Usr, I}}, false, {}};
        R.Gated = C.At.gatedWithin(levelOf(F, C.At.Loop, Step->second));
        for (const CounterArgument &A : C.Counters)
          if (A.LoopCounter)
            R.Counters.insert(A.Param);
        Offer(C.Callee, R);
      }
    // And from there, a few calls deeper.
    while (!Work.empty()) {
      std::string Usr = Work.front();
      Work.pop_front();
      const Reach From = HotFunctions.at(Usr);
      if (From.Chain.size() >= MaxCallDepth)
        continue;
      const GraphFunction &F = *function(Usr);
      for (unsigned I = 0; I < F.Calls.size(); ++I) {
        const GraphCall &C = F.Calls[I];
        Reach R{From.Kind, From.LoopFunction, From.Loop, From.Chain,
                From.Gated, {}};
        R.Chain.emplace_back(Usr, I);
        if (!R.Gated)
          R.Gated = gatedByCounters(C.At, From.Counters);
        for (const CounterArgument &A : C.Counters)
          if (llvm::any_of(A.CallerParams,
                           [&](unsigned P) { return From.Counters.count(P); }))
            R.Counters.insert(A.Param);
        Offer(C.Callee, R);
      }
    }
  }

  static bool gatedByCounters(const GraphPosition &At,
                              const std::set<unsigned> &Counters) {
    return llvm::any_of(At.GateParams,
                        [&](unsigned P) { return Counters.count(P) != 0; });
  }

  std::optional<HotReach> resolve(const std::string &Usr,
                                  const GraphPosition &At) const {
    const GraphFunction *F = function(Usr);
    if (!F)
      return std::nullopt;
    if (At.Loop >= 0)
      if (auto Step = stepLoopOf(Usr, At.Loop)) {
        HotReach R;
        R.Kind = Step->first;
        R.LoopFunction = Usr;
        R.Loop = Step->second;
        R.Gated = At.gatedWithin(levelOf(*F, At.Loop, Step->second));
        return R;
      }
    auto It = HotFunctions.find(Usr);
    if (It == HotFunctions.end())
      return std::nullopt;
    const Reach &From = It->second;
    HotReach R;
    R.Kind = From.Kind;
    R.LoopFunction = From.LoopFunction;
    R.Loop = From.Loop;
    R.Chain = From.Chain;
    R.Gated = From.Gated || gatedByCounters(At, From.Counters);
    return R;
  }
};

unsigned HotAnalysis::loopSignals(llvm::StringRef Function, int Loop) const {
  const GraphFunction *F = P->function(Function);
  if (!F || Loop < 0 || Loop >= static_cast<int>(F->Loops.size()))
    return OpaqueCallSignal;
  return P->signalsIn(*F, Loop, /*Nested=*/true);
}

unsigned HotAnalysis::functionSignals(llvm::StringRef Function) const {
  if (!P->function(Function))
    return OpaqueCallSignal;
  return P->signalsOf(Function.str(), 0, /*All=*/true);
}

unsigned
HotAnalysis::signalsOutsideTrainingLoops(llvm::StringRef Function) const {
  const GraphFunction *F = P->function(Function);
  if (!F)
    return OpaqueCallSignal;
  auto InTrainingLoop = [&](int Loop) {
    if (Loop < 0)
      return false;
    auto Step = P->stepLoopOf(Function.str(), Loop);
    return Step && Step->first == LoopKind::Training;
  };
  unsigned Result = NoSignal;
  for (const GraphSignal &S : F->Signals)
    if (!InTrainingLoop(S.Loop))
      Result |= S.Bits;
  for (const GraphCall &C : F->Calls)
    if (!InTrainingLoop(C.At.Loop))
      Result |= P->callSignals(C, 1, /*All=*/true);
  return Result;
}

bool HotAnalysis::holds(const DeferredHotPath &D) const {
  if (D.NeedsCpuOnly && Graph.Devices == DeviceEvidence::MaybeAccelerator)
    return false;
  if (D.ProgramMustDo || D.ProgramMustLack) {
    unsigned Program = Graph.programSignals();
    if ((Program & D.ProgramMustDo) != D.ProgramMustDo ||
        (Program & D.ProgramMustLack))
      return false;
  }
  if (!D.MustDo && !D.MustLack)
    return true;
  unsigned Does = D.At.Loop >= 0 ? loopSignals(D.Function, D.At.Loop)
                                 : functionSignals(D.Function);
  if ((Does & D.MustDo) != D.MustDo)
    return false;
  return !D.MustLack || !(Does & (D.MustLack | OpaqueCallSignal));
}

std::vector<std::pair<std::string, unsigned>>
HotAnalysis::callsTo(llvm::StringRef Usr) const {
  std::vector<std::pair<std::string, unsigned>> Calls;
  for (const auto &[Key, F] : Graph.Functions)
    for (unsigned I = 0; I < F.Calls.size(); ++I)
      if (F.Calls[I].Callee == Usr)
        Calls.emplace_back(Key, I);
  return Calls;
}

HotAnalysis::HotAnalysis(const ProjectGraph &Graph)
    : Graph(Graph), P(std::make_unique<Impl>(Graph)) {}

HotAnalysis::~HotAnalysis() = default;

std::optional<std::pair<LoopKind, int>>
HotAnalysis::stepLoopOf(llvm::StringRef Function, int Loop) const {
  return P->stepLoopOf(Function.str(), Loop);
}

bool HotAnalysis::isEpochLoop(llvm::StringRef Function, int Loop) const {
  return P->EpochLoops.count({Function.str(), Loop}) != 0;
}

std::optional<HotReach> HotAnalysis::resolve(llvm::StringRef Function,
                                             const GraphPosition &At) const {
  return P->resolve(Function.str(), At);
}

} // namespace trainlint
