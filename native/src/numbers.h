// Checks on JavaScript numbers before they become C++ integers.
#pragma once
#include <cmath>

namespace shiftkit {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // Number.MAX_SAFE_INTEGER

// Whether d is an integer in [lo, hi]. Always check before casting: converting NaN, an infinity or an
// out-of-range double to an integer type is undefined behaviour. (NaN fails every comparison.)
inline bool isIntegerIn(double d, double lo, double hi) { return d >= lo && d <= hi && d == std::floor(d); }

}  // namespace shiftkit
