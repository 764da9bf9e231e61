// A small stand-in for C++20's <format> and C++23's <print>, for the check
// tests on a standard library without them (libstdc++ before 13): the real
// qualified names and signatures the checks match on, no formatting. A test
// includes it only where `__has_include(<format>)` is false.
#pragma once
#pragma clang system_header

#include <string>

namespace std {

template <typename T, typename Char = char> struct formatter;

template <typename Char> struct basic_format_parse_context {
  const Char *begin();
};
using format_parse_context = basic_format_parse_context<char>;
struct format_context {
  char *out();
};

template <typename... Args> struct __format_arg_store {};
struct format_args {
  template <typename... Args> format_args(const __format_arg_store<Args...> &);
};
template <typename T> struct __format_type_identity {
  using type = T;
};
template <typename Char, typename... Args> struct basic_format_string {
  template <typename S> consteval basic_format_string(const S &Text) {}
};
template <typename... Args>
using format_string =
    basic_format_string<char, typename __format_type_identity<Args>::type...>;

template <typename... Args>
__format_arg_store<Args...> make_format_args(Args &...Arguments);
string vformat(const char *Format, format_args Args);

template <typename... Args>
string format(format_string<Args...> Format, Args &&...Arguments);
template <typename OutputIt, typename... Args>
OutputIt format_to(OutputIt Out, format_string<Args...> Format,
                   Args &&...Arguments);
template <typename... Args>
void print(format_string<Args...> Format, Args &&...Arguments);
template <typename... Args>
void println(format_string<Args...> Format, Args &&...Arguments);

template <> struct formatter<string, char> {
  constexpr const char *parse(format_parse_context &Ctx);
  char *format(const string &Value, format_context &Ctx) const;
};

} // namespace std
