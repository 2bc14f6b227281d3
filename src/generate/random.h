// Deterministic randomness for the generator: a seeded SplitMix64 stream
// per draw and per n-gram, and log and exp from exact operations only, so
// the bytes do not change with libm's version.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>

#include "ngfreq/common.h"

namespace ngfreq::generator {

__extension__ using u128 = unsigned __int128;

constexpr u64 GOLDEN = 0x9e3779b97f4a7c15;

inline u64 mix64(u64 z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/// SplitMix64: tiny state, so every n-gram can have its own generator.
class Rng {
 public:
  explicit Rng(u64 seed) : state_(seed) {}
  u64 next() { return mix64(state_ += GOLDEN); }
  /// Uniform in [0, 1).
  double unit() { return double(next() >> 11) * 0x1p-53; }
  /// Uniform in (0, 1): safe to take the log of.
  double open_unit() { return (double(next() >> 11) + 0.5) * 0x1p-53; }
  /// Uniform in [0, n) (multiply-shift; the bias is below 2^-40 here).
  i64 below(i64 n) { return i64(u128(next()) * u64(n) >> 64); }
  bool chance(double p) { return unit() < p; }

 private:
  u64 state_;
};

// Seeds of draw j's text and of its statistics, independent streams.
inline u64 text_seed(u64 seed, u64 j) { return mix64(mix64(seed) + j * GOLDEN); }
inline u64 data_seed(u64 seed, u64 j) { return mix64(mix64(~seed) + j * GOLDEN); }

constexpr double LN2 = 0.693147180559945309417;

/// Natural log of a positive, normal x from exact operations only.
inline double det_log(double x) {
  u64 bits = std::bit_cast<u64>(x);
  int e = int(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & ((u64(1) << 52) - 1)) | (u64(1023) << 52));
  if (m > 1.41421356237309504880) {
    m *= 0.5;
    e++;
  }
  // ln m = 2 atanh(f) with |f| <= 0.172. The series to f^9 is within 4e-10
  // of the truth: far closer than noise and rounding need, and this runs
  // once or twice a line.
  double f = (m - 1) / (m + 1);
  double s = f * f;
  double p = 1 + s * (1.0 / 3 + s * (1.0 / 5 + s * (1.0 / 7 + s * (1.0 / 9))));
  return e * LN2 + 2 * f * p;
}

/// e^x for |x| < 700 from exact operations only.
inline double det_exp(double x) {
  x = std::clamp(x, -700.0, 700.0);
  double k = std::floor(x / LN2 + 0.5);
  double r = x - k * LN2;  // |r| <= 0.35: Taylor to r^14 suffices
  double p = 1;
  for (int i = 14; i >= 1; i--) p = 1 + p * r / i;
  return p * std::bit_cast<double>(u64(i64(k) + 1023) << 52);
}

}  // namespace ngfreq::generator
