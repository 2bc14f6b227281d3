// Fitting Amdahl's law to measured speedups. With x = 1/p and y = 1/S the
// law reads y = s + (1-s)x, that is y - x = s(1 - x): a line through the
// origin in the variables (1 - x, y - x), whose least-squares slope is
// s = sum((1-x)(y-x)) / sum((1-x)^2). Fitting 1/S rather than S keeps the
// problem linear and exact on noise-free data; the price is that it weighs
// errors at large p (small 1/S) less, which suits a 2-core machine whose
// few points all sit at small p. A projection to 64 cores from two points
// is only as good as the assumption that nothing but a fixed serial part
// limits scaling (memory bandwidth and the reduce's growth with p say
// otherwise), so callers label it a projection.
#include "ngfreq/amdahl.h"

#include "ngfreq/common.h"

namespace ngfreq {

double fit_serial_fraction(const std::vector<SpeedupPoint>& points) {
  double num = 0, den = 0;
  for (const SpeedupPoint& pt : points) {
    if (pt.jobs <= 1 || pt.speedup <= 0) continue;
    double x = 1 / pt.jobs;
    double y = 1 / pt.speedup;
    num += (1 - x) * (y - x);
    den += (1 - x) * (1 - x);
  }
  if (den == 0) throw Error("an Amdahl fit needs a measured point with more than one job");
  return num / den;
}

double amdahl_speedup(double serial_fraction, double jobs) {
  return 1 / (serial_fraction + (1 - serial_fraction) / jobs);
}

}  // namespace ngfreq
