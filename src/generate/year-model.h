// The year model: which years an n-gram of a given total appears in and
// how its matches and volumes spread over them.
//
// An n-gram's total match count follows Zipf's law with exponent 1: it is
// MIN_TOTAL / q for a uniform q, so the r-th most frequent of N n-grams has
// about MIN_TOTAL * N / r matches. Its number of years grows as total^0.3
// (frequent n-grams cover up to all 509 years of 1500-2008, rare ones one
// to a few). The years are a weighted sample without replacement that
// favours recent years as the number of books per year does, and the total
// is spread over them with Gamma(2) noise.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <string_view>
#include <vector>

#include "generate/random.h"

namespace ngfreq::generator {

using u16 = std::uint16_t;

constexpr int FIRST_YEAR = 1500;
constexpr int LAST_YEAR = 2008;
constexpr int NUM_YEARS = LAST_YEAR - FIRST_YEAR + 1;

// Total of the rarest n-gram; Zipf's law scales everything else from it.
// Google kept only n-grams seen at least 40 times in v2, but the real heads'
// totals have a 10th percentile of 59 and a median of 168: 60 puts the
// synthetic median at 120 and single-match lines near the real 30%.
constexpr double MIN_TOTAL = 60;
// Smallest Zipf quantile: caps a total at 60e9 matches, about twice what
// "the" has in the whole English corpus, so one unlucky draw stays
// plausible.
constexpr double MIN_QUANTILE = 1e-9;
// Years per n-gram = YEARS_SCALE * (total / MIN_TOTAL)^YEARS_SLOPE times
// lognormal noise of YEARS_SIGMA, capped at 509. Fitted to the real v2
// heads (median 39 and mean 53 lines an n-gram, p10 21, p90 105; about 30
// years for totals under 100, 230 for totals over 100,000) and to the real
// "a" file's 51 lines an n-gram; this gives median 42, mean 51, p10 17, p90
// 93. A steeper slope would put more lines on the few frequent n-grams and
// fewer on the many rare ones.
constexpr double YEARS_SCALE = 33;
constexpr double YEARS_SLOPE = 0.3;
constexpr double YEARS_SIGMA = 0.55;
// Share of the rarer half of n-grams (total < 2 * MIN_TOTAL) seen in only
// 1-5 years, like a term from a single book: 4% of all n-grams. Real v2
// heads have fewer (about 0.2%), as the 40-match threshold removes most;
// more would lower the lines per n-gram.
constexpr double SPORADIC_SHARE = 0.08;
constexpr i64 SPORADIC_MAX_YEARS = 5;
// volume_count is about match_count^0.84 (real heads: volume/match is 0.88
// at 2-3 matches, 0.5 at 30-99, 0.33 above 1,000); the noise around it is
// +-VOLUME_NOISE.
constexpr double VOLUME_EXPONENT = 0.84;
constexpr double VOLUME_NOISE = 0.2;

/// Per-year tables shared by every n-gram. For an n-gram with Y years, year
/// i is included with probability pi_Y(i) = min(1, lambda * books(i)), which
/// sums to Y; the years are then drawn by stratified sampling (one uniform
/// point in each of [k, k+1), k < Y, located in the cumulative pi_Y), and
/// each year's share of the total is books(i) / pi_Y(i) times noise, so the
/// expected count of a year is proportional to its books whatever Y is.
class YearModel {
 public:
  YearModel();

  /// Calls emit(year_index, match_count, volume_count) for each line of the
  /// n-gram seeded with `seed` (`total` > 0 fixes its total), in year order.
  template <class Emit> void generate(u64 seed, double total, Emit&& emit) const {
    Rng rng(seed);
    double q = total > 0 ? MIN_TOTAL / total : std::max(MIN_QUANTILE, 1 - rng.unit());
    i64 matches = i64(MIN_TOTAL / q);

    i64 years;
    if (q > 0.5 && rng.chance(SPORADIC_SHARE)) {
      years = 1 + rng.below(SPORADIC_MAX_YEARS);
    } else {
      // Irwin-Hall: four uniforms make a good enough standard normal.
      double z = (rng.unit() + rng.unit() + rng.unit() + rng.unit() - 2) * 1.7320508075688772;
      double mean = YEARS_SCALE * det_exp(YEARS_SLOPE * det_log(1 / q) + YEARS_SIGMA * z);
      years = i64(mean + 0.5);
    }
    years = std::clamp<i64>(years, 1, std::min<i64>(NUM_YEARS, matches));

    const double* cum = &cumulative_[(years - 1) * (NUM_YEARS + 1)];
    const double* share = &share_[(years - 1) * NUM_YEARS];
    const u16* strata = &strata_[(years - 1) * STRATA_ROW];
    std::array<u16, NUM_YEARS> chosen;
    std::array<double, NUM_YEARS> weight;
    i64 n = 0;
    double sum = 0;
    std::array<u64, NUM_YEARS> dither;
    for (i64 k = 0; k < years; k++) {
      double t = k + unit(rng.next());
      // The year with cum[i] <= t < cum[i + 1]. It lies between the first
      // years reaching past t rounded down and up to a 1/STEPS: a short
      // walk, or a binary search over the centuries of rare early years.
      i64 s = i64(t * STEPS);
      i64 i = strata[s];
      i64 last = s < STEPS * years ? strata[s + 1] : NUM_YEARS - 1;
      if (last - i > MAX_WALK)
        i = std::upper_bound(cum + i + 1, cum + last + 1, t) - cum - 1;
      else
        while (i < last && cum[i + 1] <= t) i++;
      if (n > 0 && chosen[n - 1] >= i) continue;  // a wide year hit twice
      chosen[n] = i;
      // Gamma(2) noise, the sum of two exponentials: bursty years without
      // too many single matches. The rest of the bits dither the count.
      u64 r = rng.next();
      weight[n] = share[i] * (exponential_[r >> (64 - NOISE_BITS)] +
                              exponential_[(r >> (64 - 2 * NOISE_BITS)) & NOISE_MASK]);
      dither[n] = r << (2 * NOISE_BITS);
      sum += weight[n++];
    }

    double spread = double(matches - n) / sum;
    for (i64 k = 0; k < n; k++) {
      i64 match = 1 + i64(weight[k] * spread + unit(dither[k]));
      u64 r = rng.next();
      double noise = 1 + VOLUME_NOISE * (2 * unit(r) - 1);
      i64 volume = i64(volume_typical(match) * noise + unit(r << 32));
      volume = std::clamp<i64>(volume, 1, std::min(match, max_volumes_[chosen[k]]));
      emit(chosen[k], match, volume);
    }
  }

  std::string_view year_text(i64 i) const { return {year_text_[i].data(), 4}; }

 private:
  // Tables replace a log or two a line (a third of the run time): the noise
  // comes from a 4096-step exponential quantile table, and m^0.84 for large
  // m from 2^(0.84 e) times a 256-step table of the mantissa's power
  // (within 0.2%, far inside the volume noise).
  static constexpr int SMALL_MATCHES = 256;
  static constexpr int MANTISSA_BITS = 8;
  static constexpr int NOISE_BITS = 12;
  static constexpr u64 NOISE_MASK = (1 << NOISE_BITS) - 1;
  // Years are found by a walk from a jump table with STEPS entries per unit
  // of cumulative inclusion probability: a walk of a step or two for the
  // n-grams with many years, which carry most lines, where a binary search
  // cost a third of the generation time in mispredicted branches.
  static constexpr int STEPS = 4;
  static constexpr i64 MAX_WALK = 8;
  static constexpr i64 STRATA_ROW = STEPS * NUM_YEARS + 1;

  /// Uniform in [0, 1) from the top 53 bits.
  static double unit(u64 bits) { return double(bits >> 11) * 0x1p-53; }

  /// About match^VOLUME_EXPONENT.
  double volume_typical(i64 match) const {
    if (match < SMALL_MATCHES) return small_powers_[match];
    int e = 63 - std::countl_zero(u64(match));
    u64 mantissa = (u64(match) << (63 - e)) << 1;  // the bits below the top one
    return power_of_two_powers_[e] * mantissa_powers_[mantissa >> (64 - MANTISSA_BITS)];
  }

  std::array<double, NUM_YEARS> books_;  // relative books per year, 1 in 2008
  std::array<i64, NUM_YEARS> max_volumes_;
  std::array<std::array<char, 4>, NUM_YEARS> year_text_;
  std::vector<double> cumulative_;                  // [Y - 1][i]: sum of pi_Y over years < i
  std::vector<double> share_;                       // [Y - 1][i]: books(i) / pi_Y(i)
  std::vector<u16> strata_;                         // [Y - 1][s]: first year past s / STEPS
  std::array<double, SMALL_MATCHES> small_powers_;  // m^VOLUME_EXPONENT
  std::array<double, 64> power_of_two_powers_;      // (2^e)^VOLUME_EXPONENT
  std::array<double, 1 << MANTISSA_BITS> mantissa_powers_;
  std::array<double, 1 << NOISE_BITS> exponential_;  // quantiles of Exp(1)
};

}  // namespace ngfreq::generator
