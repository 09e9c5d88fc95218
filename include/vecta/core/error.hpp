// SPDX-License-Identifier: MIT
// vecta/core/error.hpp - the exceptions vecta throws, and the checks that throw them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace vecta {

/// Thrown by every public function whose argument breaks a documented rule. The message names
/// the function, the argument and the rule: "vecta::canny: params.low must be <= params.high".
class invalid_argument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Thrown for files that cannot be read or written and for corrupt or truncated data.
class io_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {

[[noreturn]] inline void throw_invalid(std::string_view function, std::string_view argument, std::string_view rule) {
    std::string msg;
    msg.reserve(function.size() + argument.size() + rule.size() + 4);
    msg.append(function).append(": ").append(argument).append(" ").append(rule);
    throw invalid_argument(msg);
}

/// Throws vecta::invalid_argument("<function>: <argument> <rule>") unless `ok`.
inline void require(bool ok, std::string_view function, std::string_view argument, std::string_view rule) {
    if (!ok) throw_invalid(function, argument, rule);
}

}  // namespace detail
}  // namespace vecta
