//===--- JsonOut.h - JSON to a file descriptor, allocating nothing -*- C++
//-*-===//
//
// The data file is written from a signal handler after a crash as well as at
// exit, so the writer uses only a fixed buffer and write(2).
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_RUNTIME_JSONOUT_H
#define TRAINLINT_RUNTIME_JSONOUT_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <unistd.h>

namespace trainlint {
namespace runtime {

struct JsonOut {
  int Fd = -1;
  bool Failed = false;
  size_t Used = 0;
  char Buf[1 << 16];

  void flush() {
    size_t Done = 0;
    while (Done < Used && !Failed) {
      ssize_t N = ::write(Fd, Buf + Done, Used - Done);
      if (N < 0)
        Failed = true;
      else
        Done += static_cast<size_t>(N);
    }
    Used = 0;
  }
  void raw(const char *S, size_t N) {
    while (N) {
      if (Used == sizeof(Buf))
        flush();
      size_t Take = sizeof(Buf) - Used < N ? sizeof(Buf) - Used : N;
      std::memcpy(Buf + Used, S, Take);
      Used += Take;
      S += Take;
      N -= Take;
    }
  }
  void raw(const char *S) { raw(S, std::strlen(S)); }
  void ch(char C) { raw(&C, 1); }

  /// A JSON string with the escapes JSON needs.
  void str(const char *S) {
    ch('"');
    for (; *S; ++S) {
      unsigned char C = static_cast<unsigned char>(*S);
      if (C == '"' || C == '\\') {
        ch('\\');
        ch(static_cast<char>(C));
      } else if (C < 0x20) {
        const char *Hex = "0123456789abcdef";
        char E[6] = {'\\', 'u', '0', '0', Hex[C >> 4], Hex[C & 15]};
        raw(E, 6);
      } else {
        ch(static_cast<char>(C));
      }
    }
    ch('"');
  }
  void u64(uint64_t V) {
    char T[24];
    int N = 0;
    do {
      T[N++] = static_cast<char>('0' + V % 10);
      V /= 10;
    } while (V);
    while (N)
      ch(T[--N]);
  }
  void i64(int64_t V) {
    if (V < 0) {
      ch('-');
      u64(static_cast<uint64_t>(-(V + 1)) + 1);
    } else {
      u64(static_cast<uint64_t>(V));
    }
  }
  /// An address as a JSON string "0x...": JSON numbers lose precision above
  /// 2^53 in many readers.
  void hex(uint64_t V) {
    char T[20];
    int N = 0;
    do {
      T[N++] = "0123456789abcdef"[V & 15];
      V >>= 4;
    } while (V);
    raw("\"0x");
    while (N)
      ch(T[--N]);
    ch('"');
  }
  void boolean(bool B) { raw(B ? "true" : "false"); }
  /// `"Name":` with a leading comma unless First.
  void key(const char *Name, bool First = false) {
    if (!First)
      ch(',');
    str(Name);
    ch(':');
  }
};

} // namespace runtime
} // namespace trainlint

#endif // TRAINLINT_RUNTIME_JSONOUT_H
