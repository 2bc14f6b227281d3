#include "ngfreq/amdahl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ngfreq/common.h"

using namespace ngfreq;

// Timings made from the law itself: T(p) = T1 (s + (1-s)/p).
static std::vector<SpeedupPoint> synthetic(double s, std::vector<double> jobs) {
  std::vector<SpeedupPoint> points;
  double t1 = 7.5;
  for (double p : jobs) points.push_back({p, t1 / (t1 * (s + (1 - s) / p))});
  return points;
}

TEST(AmdahlFit, RecoversKnownSerialFractions) {
  EXPECT_NEAR(fit_serial_fraction(synthetic(0.1, {1, 2, 4, 8})), 0.1, 1e-6);
  EXPECT_NEAR(fit_serial_fraction(synthetic(0.3, {1, 2, 3})), 0.3, 1e-6);
  EXPECT_NEAR(fit_serial_fraction(synthetic(0.3, {2})), 0.3, 1e-6);
}

TEST(AmdahlFit, PerfectScalingHasNoSerialPart) {
  EXPECT_NEAR(fit_serial_fraction({{1, 1}, {2, 2}, {4, 4}}), 0.0, 1e-12);
}

TEST(AmdahlFit, NoSpeedupIsAllSerial) { EXPECT_NEAR(fit_serial_fraction({{1, 1}, {2, 1}}), 1.0, 1e-12); }

TEST(AmdahlFit, FitsNoisyPointsInBetween) {
  double s = fit_serial_fraction({{1, 1}, {2, 1.8}, {4, 3.0}});
  EXPECT_GT(s, 0.05);
  EXPECT_LT(s, 0.15);
}

TEST(AmdahlFit, NeedsAPointBeyondOneJob) {
  try {
    fit_serial_fraction({{1, 1}});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("more than one job"));
  }
  EXPECT_THROW(fit_serial_fraction({}), Error);
}

TEST(AmdahlSpeedup, ProjectsTheLaw) {
  EXPECT_DOUBLE_EQ(amdahl_speedup(0, 64), 64);
  EXPECT_DOUBLE_EQ(amdahl_speedup(1, 64), 1);
  EXPECT_NEAR(amdahl_speedup(0.1, 8), 1 / (0.1 + 0.9 / 8), 1e-12);
}
