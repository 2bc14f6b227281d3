// Amdahl's law fitted to measured speedups, and what it projects.
#pragma once

#include <vector>

namespace ngfreq {

/// One measured point of a strong-scaling run: `jobs` workers ran
/// `speedup` times faster than one worker did.
struct SpeedupPoint {
  double jobs = 1;
  double speedup = 1;
};

/// Least-squares serial fraction s of Amdahl's law 1/S(p) = s + (1-s)/p over
/// the points with p > 1 (p = 1 carries no information: every s fits it).
/// Throws Error when no point has p > 1. The result is not clamped: a value
/// below 0 means superlinear points, above 1 slower with more workers.
double fit_serial_fraction(const std::vector<SpeedupPoint>& points);

/// The speedup Amdahl's law gives on `jobs` workers for serial fraction `s`.
double amdahl_speedup(double serial_fraction, double jobs);

}  // namespace ngfreq
