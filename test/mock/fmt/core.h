// A small stand-in for fmt's <fmt/core.h> (fmt 9), for the check tests: the
// real qualified names and signatures the checks match on, no formatting.
// test/real/ holds the same cases on the genuine headers.
//
// Deliberately not a system header: a project that vendors fmt includes it
// with -I, and the hot-path model then follows the user's call into fmt's own
// inline bodies, where the checks must stay silent.
#pragma once

#include <cstddef>
#include <string>

namespace fmt {
inline namespace v9 {

template <typename T> struct type_identity {
  using type = T;
};
template <typename T> using type_identity_t = typename type_identity<T>::type;

template <typename Char> class basic_string_view {
public:
  basic_string_view(const Char *S);
  basic_string_view(const std::basic_string<Char> &S);
};
using string_view = basic_string_view<char>;

/// fmt has no formatter for a type unless one is specialized, like this one.
template <typename T, typename Char = char, typename Enable = void>
struct formatter {
  formatter() = delete;
};

template <typename Char> struct basic_format_parse_context {
  const Char *begin();
};
using format_parse_context = basic_format_parse_context<char>;
struct appender {};
struct format_context {
  appender out();
};

template <typename... Args> struct format_arg_store {};
struct format_args {
  template <typename... Args> format_args(const format_arg_store<Args...> &);
};

template <typename Char, typename... Args> class basic_format_string {
public:
  template <typename S> basic_format_string(const S &Text);
  operator basic_string_view<Char>() const;
};
template <typename... Args>
using format_string = basic_format_string<char, type_identity_t<Args>...>;

template <typename... Args>
format_arg_store<Args...> make_format_args(Args &&...Arguments);

template <typename Char, typename T> struct named_arg {
  const Char *name;
  const T &value;
};
template <typename Char, typename T>
named_arg<Char, T> arg(const Char *Name, const T &Value);

void vprint(string_view Format, format_args Args);
template <typename... T> void print(format_string<T...> Format, T &&...Args) {
  vprint(Format, fmt::make_format_args(Args...));
}
template <typename... T>
void println(format_string<T...> Format, T &&...Args);

std::string vformat(string_view Format, format_args Args);
template <typename... T>
std::string format(format_string<T...> Format, T &&...Args) {
  return vformat(Format, fmt::make_format_args(Args...));
}

template <typename OutputIt, typename... T>
OutputIt format_to(OutputIt Out, format_string<T...> Format, T &&...Args);

template <typename OutputIt> struct format_to_n_result {
  OutputIt out;
  std::size_t size;
};
template <typename OutputIt, typename... T>
format_to_n_result<OutputIt> format_to_n(OutputIt Out, std::size_t N,
                                         format_string<T...> Format,
                                         T &&...Args);

template <> struct formatter<int> {
  const char *parse(format_parse_context &Ctx);
  appender format(int Value, format_context &Ctx) const;
};
template <> struct formatter<float> {
  const char *parse(format_parse_context &Ctx);
  appender format(float Value, format_context &Ctx) const;
};
template <> struct formatter<std::string> {
  const char *parse(format_parse_context &Ctx);
  appender format(const std::string &Value, format_context &Ctx) const;
};

} // namespace v9
} // namespace fmt
