//===--- JsonOut.h - JSON to a file descriptor, allocating nothing -*- C++
//-*-===//
//
// The data file is written from a signal handler after a crash as well as at
// exit, so the writer uses only a fixed buffer and write(2). Numbers are
// formatted by fmt into that buffer: a format compiled at build time
// (FMT_COMPILE) of integers and strings allocates nothing, reads no locale
// and throws nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TRAINLINT_RUNTIME_JSONOUT_H
#define TRAINLINT_RUNTIME_JSONOUT_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fmt/compile.h>
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
        format<6>(FMT_COMPILE("\\u{:04x}"), static_cast<unsigned>(C));
      } else {
        ch(static_cast<char>(C));
      }
    }
    ch('"');
  }
  /// Formats \p Args with the compiled format \p Format straight into the
  /// buffer; \p MaxSize bounds the text (a number is at most 22 characters).
  template <size_t MaxSize, typename Compiled, typename... Args>
  void format(const Compiled &Format, const Args &...Arguments) {
    static_assert(MaxSize <= sizeof(Buf), "the text must fit the buffer");
    if (sizeof(Buf) - Used < MaxSize)
      flush();
    auto Result = fmt::format_to_n(Buf + Used, MaxSize, Format, Arguments...);
    Used += Result.size < MaxSize ? Result.size : MaxSize;
  }
  void u64(uint64_t V) { format<24>(FMT_COMPILE("{}"), V); }
  void i64(int64_t V) { format<24>(FMT_COMPILE("{}"), V); }
  /// An address as a JSON string "0x...": JSON numbers lose precision above
  /// 2^53 in many readers.
  void hex(uint64_t V) { format<24>(FMT_COMPILE("\"0x{:x}\""), V); }
  void boolean(bool B) { raw(B ? "true" : "false"); }
  /// A double as a JSON number of nine significant digits, or the string
  /// "nan", "inf" or "-inf" (JSON has no such numbers). Scaling by tens and
  /// integer formatting only: this runs in signal handlers too.
  void real(double V) {
    if (V != V) {
      str("nan");
      return;
    }
    if (V > 1.7976931348623157e308 || V < -1.7976931348623157e308) {
      str(V > 0 ? "inf" : "-inf");
      return;
    }
    if (V == 0) {
      ch('0');
      return;
    }
    bool Negative = V < 0;
    if (Negative)
      V = -V;
    int Exponent = 0;
    while (V >= 10) {
      V /= 10;
      ++Exponent;
    }
    while (V < 1) {
      V *= 10;
      --Exponent;
    }
    uint64_t Digits = static_cast<uint64_t>(V * 1e8 + 0.5);
    if (Digits >= 1000000000ull) {
      Digits /= 10;
      ++Exponent;
    }
    format<40>(FMT_COMPILE("{}{}.{:08}e{}"), Negative ? "-" : "",
               Digits / 100000000ull, Digits % 100000000ull, Exponent);
  }
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
