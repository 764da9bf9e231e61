// A stand-in for fmt's <fmt/ostream.h> (fmt 9): formatting through a type's
// operator<<, by fmt::streamed or by a formatter derived from
// fmt::ostream_formatter. See core.h.
#pragma once

#include "core.h"

#include <ostream>

namespace fmt {
inline namespace v9 {

namespace detail {
template <typename T> struct streamed_view {
  const T &value;
};
} // namespace detail

template <typename T> detail::streamed_view<T> streamed(const T &Value);

struct ostream_formatter {
  const char *parse(format_parse_context &Ctx);
  template <typename T> appender format(const T &Value, format_context &Ctx) const;
};
template <typename T>
struct formatter<detail::streamed_view<T>> : ostream_formatter {};

} // namespace v9
} // namespace fmt
