//===--- Stacks.cpp - call stacks of operator calls, cheaply
//----------------===//
//
// Each top-level operator call is attributed to the user code that made it:
// the return addresses of its call stack, minus libtorch's own frames. No
// symbolization happens here; `trainlint validate` does that afterwards from
// the module list written next to the stacks.
//
// Unwinding costs about 200 ns a frame, and a training step makes the same
// calls from the same places every time. So after a full unwind the runtime
// remembers where on the stack each kept return address lives (relative to
// captureStack's own frame) and what it was; the next call from the same
// place finds the same values in the same slots and skips the unwind. Any
// mismatch falls back to a full unwind, so a stale entry costs time, never a
// wrong stack. The slots are read only inside the thread's own stack.
//
//===----------------------------------------------------------------------===//

#include "JsonOut.h"
#include "Recorder.h"

#include <cstddef>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <unwind.h>

namespace trainlint {
namespace runtime {

namespace {

struct Range {
  uintptr_t Lo, Hi;
};
// Code of libtorch, c10 and this library: frames there are not user code.
Range SkipRanges[32];
unsigned NumSkipRanges = 0;

} // namespace

bool isSkippedCode(uintptr_t IP) {
  for (unsigned I = 0; I < NumSkipRanges; ++I)
    if (IP >= SkipRanges[I].Lo && IP < SkipRanges[I].Hi)
      return true;
  return false;
}

namespace {

const char *baseName(const char *Path) {
  const char *Slash = std::strrchr(Path, '/');
  return Slash ? Slash + 1 : Path;
}

bool isTorchModule(const char *Path) {
  const char *Base = baseName(Path);
  return std::strncmp(Base, "libtorch", 8) == 0 ||
         std::strncmp(Base, "libc10", 6) == 0;
}

int addSkipRanges(struct dl_phdr_info *Info, size_t, void *Self) {
  const char *Name = Info->dlpi_name ? Info->dlpi_name : "";
  bool Mine = false;
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    uintptr_t Lo = Info->dlpi_addr + P.p_vaddr;
    if (P.p_type == PT_LOAD && reinterpret_cast<uintptr_t>(Self) >= Lo &&
        reinterpret_cast<uintptr_t>(Self) < Lo + P.p_memsz)
      Mine = true;
  }
  if (!Mine && !isTorchModule(Name))
    return 0;
  for (int I = 0; I < Info->dlpi_phnum && NumSkipRanges < 32; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Lo = Info->dlpi_addr + P.p_vaddr;
    SkipRanges[NumSkipRanges++] = {Lo, Lo + P.p_memsz};
  }
  return 0;
}

struct Unwound {
  uintptr_t Base;
  uintptr_t StackHi;
  unsigned Seen;
  unsigned Kept;
  bool Cacheable;
  uintptr_t IP[MaxFrames];
  int32_t Offset[MaxFrames];
};

_Unwind_Reason_Code collectFrame(struct _Unwind_Context *Ctx, void *Arg) {
  Unwound &U = *static_cast<Unwound *>(Arg);
  // Frame 0 is captureStack itself.
  if (U.Seen++ == 0)
    return _URC_NO_REASON;
  if (U.Seen > 160)
    return _URC_END_OF_STACK;
  uintptr_t IP = _Unwind_GetIP(Ctx);
  if (!IP)
    return _URC_END_OF_STACK;
  if (isSkippedCode(IP))
    return _URC_NO_REASON;
#if defined(__x86_64__)
  // libgcc reports each frame with the CFA of the frame it returns from, so
  // the return address sits right below it.
  uintptr_t Slot = _Unwind_GetCFA(Ctx) - sizeof(uintptr_t);
  if (Slot < U.Base || Slot + sizeof(uintptr_t) > U.StackHi ||
      *reinterpret_cast<const uintptr_t *>(Slot) != IP ||
      Slot - U.Base > 0x7fffffff)
    U.Cacheable = false;
  else
    U.Offset[U.Kept] = static_cast<int32_t>(Slot - U.Base);
#else
  U.Cacheable = false;
#endif
  U.IP[U.Kept++] = IP;
  return U.Kept == MaxFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
}

unsigned bucketOf(uintptr_t Key, uintptr_t Depth) {
  uint64_t H = (Key ^ (Depth * 0x9E3779B97F4A7C15ull)) * 0xff51afd7ed558ccdull;
  return static_cast<unsigned>(H >> 54) & (ThreadData::SigBuckets - 1);
}

void findThreadStack(ThreadData &T) {
  pthread_attr_t Attr;
  if (pthread_getattr_np(pthread_self(), &Attr) != 0)
    return;
  void *Addr = nullptr;
  size_t Size = 0;
  if (pthread_attr_getstack(&Attr, &Addr, &Size) == 0 && Addr && Size) {
    T.StackLo = reinterpret_cast<uintptr_t>(Addr);
    T.StackHi = T.StackLo + Size;
  }
  pthread_attr_destroy(&Attr);
}

} // namespace

void initSkipRanges() {
  NumSkipRanges = 0;
  dl_iterate_phdr(addSkipRanges, reinterpret_cast<void *>(&initSkipRanges));
}

uint32_t internStackLocked(const uintptr_t *F, unsigned N) {
  Recorder &R = recorder();
  uint64_t H = N;
  for (unsigned I = 0; I < N; ++I)
    H = (H ^ F[I]) * 0x100000001b3ull;
  auto Range = R.StackIndex.equal_range(H);
  for (auto It = Range.first; It != Range.second; ++It) {
    uint32_t Id = It->second;
    if (R.StackLen[Id] == N &&
        std::memcmp(&R.Frames[R.StackBegin[Id]], F, N * sizeof(uintptr_t)) == 0)
      return Id;
  }
  uint32_t Id = static_cast<uint32_t>(R.StackBegin.size());
  R.StackBegin.push_back(static_cast<uint32_t>(R.Frames.size()));
  R.StackLen.push_back(static_cast<uint8_t>(N));
  R.Frames.insert(R.Frames.end(), F, F + N);
  R.StackIndex.emplace(H, Id);
  return Id;
}

__attribute__((noinline)) uint32_t captureStack(ThreadData &T, uintptr_t Key) {
  uintptr_t Base = reinterpret_cast<uintptr_t>(__builtin_dwarf_cfa());
  if (!T.StackHi) {
    findThreadStack(T);
    if (!T.StackHi)
      T.StackHi = 1; // Unknown: never take the fast path.
  }
  bool OnOwnStack = Base >= T.StackLo && Base < T.StackHi;
  uintptr_t Depth = T.StackHi - Base;
#if defined(__x86_64__)
  if (OnOwnStack) {
    unsigned B = bucketOf(Key, Depth);
    for (int32_t I = T.SigHead[B]; I >= 0; I = T.Sigs[I].Next) {
      const SigEntry &E = T.Sigs[I];
      if (E.Key != Key || E.Depth != Depth)
        continue;
      bool Same = true;
      for (unsigned J = 0; J < E.N && Same; ++J) {
        uintptr_t Slot = Base + static_cast<uint32_t>(E.Offset[J]);
        Same = Slot + sizeof(uintptr_t) <= T.StackHi &&
               *reinterpret_cast<const uintptr_t *>(Slot) == E.Value[J];
      }
      if (Same) {
        // Counted without the lock: a statistic, and a relaxed one.
        __atomic_fetch_add(&recorder().StackCacheHits, 1, __ATOMIC_RELAXED);
        return E.Stack;
      }
    }
  }
#endif
  Unwound U;
  U.Base = Base;
  U.StackHi = OnOwnStack ? T.StackHi : 0;
  U.Seen = 0;
  U.Kept = 0;
  U.Cacheable = OnOwnStack;
  _Unwind_Backtrace(collectFrame, &U);
  uint32_t Id;
  {
    RecorderLock L;
    ++recorder().Unwinds;
    Id = internStackLocked(U.IP, U.Kept);
  }
  if (U.Cacheable && U.Kept && T.Sigs.size() < ThreadData::MaxSigEntries) {
    SigEntry E;
    E.Key = Key;
    E.Depth = Depth;
    E.Stack = Id;
    E.N = static_cast<uint8_t>(U.Kept);
    for (unsigned J = 0; J < U.Kept; ++J) {
      E.Offset[J] = U.Offset[J];
      E.Value[J] = U.IP[J];
    }
    unsigned B = bucketOf(Key, Depth);
    E.Next = T.SigHead[B];
    T.SigHead[B] = static_cast<int32_t>(T.Sigs.size());
    T.Sigs.push_back(E);
  }
  return Id;
}

//===----------------------------------------------------------------------===//
// The module list, for symbolization.
//===----------------------------------------------------------------------===//

namespace {

struct Module {
  char Path[512];
  uintptr_t Bias;
  unsigned NumRanges;
  Range Ranges[4];
};
Module Modules[MaxModules];
unsigned NumModules = 0;
unsigned LastSeenCount = 0;

// The loader counts loads and unloads; the first module reports them.
int countModules(struct dl_phdr_info *Info, size_t Size, void *Arg) {
  if (Size >=
      offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(Info->dlpi_subs))
    *static_cast<unsigned *>(Arg) =
        static_cast<unsigned>(Info->dlpi_adds + Info->dlpi_subs);
  else
    *static_cast<unsigned *>(Arg) = ~0u;
  return 1;
}

int addModule(struct dl_phdr_info *Info, size_t, void *Arg) {
  unsigned &N = *static_cast<unsigned *>(Arg);
  if (N >= MaxModules)
    return 1;
  Module &M = Modules[N];
  const char *Name = Info->dlpi_name ? Info->dlpi_name : "";
  if (!*Name) {
    // The main program (or the vDSO, which has no ranges worth keeping).
    if (N != 0)
      return 0;
    ssize_t Len = readlink("/proc/self/exe", M.Path, sizeof(M.Path) - 1);
    M.Path[Len > 0 ? Len : 0] = 0;
  } else {
    std::strncpy(M.Path, Name, sizeof(M.Path) - 1);
    M.Path[sizeof(M.Path) - 1] = 0;
  }
  M.Bias = Info->dlpi_addr;
  M.NumRanges = 0;
  for (int I = 0; I < Info->dlpi_phnum && M.NumRanges < 4; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Lo = Info->dlpi_addr + P.p_vaddr;
    M.Ranges[M.NumRanges++] = {Lo, Lo + P.p_memsz};
  }
  if (M.NumRanges && M.Path[0])
    ++N;
  return 0;
}

} // namespace

void refreshModules(bool Force) {
  unsigned Count = 0;
  dl_iterate_phdr(countModules, &Count);
  if (!Force && Count == LastSeenCount && Count != ~0u)
    return;
  LastSeenCount = Count;
  unsigned N = 0;
  dl_iterate_phdr(addModule, &N);
  NumModules = N;
}

void writeModules(JsonOut &Out) {
  Out.ch('[');
  for (unsigned I = 0; I < NumModules; ++I) {
    const Module &M = Modules[I];
    if (I)
      Out.ch(',');
    Out.raw("{\"path\":");
    Out.str(M.Path);
    Out.key("bias");
    Out.hex(M.Bias);
    Out.key("ranges");
    Out.ch('[');
    for (unsigned J = 0; J < M.NumRanges; ++J) {
      if (J)
        Out.ch(',');
      Out.ch('[');
      Out.hex(M.Ranges[J].Lo);
      Out.ch(',');
      Out.hex(M.Ranges[J].Hi);
      Out.ch(']');
    }
    Out.raw("]}");
  }
  Out.ch(']');
}

} // namespace runtime
} // namespace trainlint
