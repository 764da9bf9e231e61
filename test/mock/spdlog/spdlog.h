// A small stand-in for spdlog's <spdlog/spdlog.h> (spdlog 1.10 with an
// external fmt): the real qualified names and signatures the checks match
// on, no logging.
#pragma once
#pragma clang system_header

#include <fmt/format.h>

#include <memory>
#include <string>

namespace spdlog {

template <typename... Args> using format_string_t = fmt::format_string<Args...>;

namespace level {
enum level_enum { trace, debug, info, warn, err, critical, off };
} // namespace level

class logger {
public:
  template <typename... Args>
  void log(level::level_enum Level, format_string_t<Args...> Format,
           Args &&...Arguments);
  template <typename... Args>
  void debug(format_string_t<Args...> Format, Args &&...Arguments);
  template <typename... Args>
  void info(format_string_t<Args...> Format, Args &&...Arguments);
  template <typename... Args>
  void warn(format_string_t<Args...> Format, Args &&...Arguments);
  template <typename... Args>
  void error(format_string_t<Args...> Format, Args &&...Arguments);
};

std::shared_ptr<logger> default_logger();
logger *default_logger_raw();

template <typename... Args>
void debug(format_string_t<Args...> Format, Args &&...Arguments);
template <typename... Args>
void info(format_string_t<Args...> Format, Args &&...Arguments);
template <typename... Args>
void warn(format_string_t<Args...> Format, Args &&...Arguments);
template <typename... Args>
void error(format_string_t<Args...> Format, Args &&...Arguments);

} // namespace spdlog
