#include "generate/year-model.h"

#include <fmt/format.h>

#include <cstring>

namespace ngfreq::generator {
namespace {

// Volumes per year, roughly as in the v2 English total counts (log-linear in
// between): years are drawn and counts spread in proportion to them, so
// these shape the year mix (real heads: 0.2% of lines before 1700, 17% in
// the 1800s, 63% from 1950).
struct BooksKnot {
  int year;
  double books;
};
constexpr std::array<BooksKnot, 9> BOOKS_PER_YEAR = {{{1500, 1},
                                                      {1600, 4},
                                                      {1700, 60},
                                                      {1800, 1'000},
                                                      {1850, 3'500},
                                                      {1900, 12'000},
                                                      {1950, 15'000},
                                                      {2000, 100'000},
                                                      {2008, 206'000}}};

}  // namespace

YearModel::YearModel() {
  for (int i = 0, k = 0; i < NUM_YEARS; i++) {
    int year = FIRST_YEAR + i;
    while (BOOKS_PER_YEAR[k + 1].year < year) k++;
    const BooksKnot& a = BOOKS_PER_YEAR[k];
    const BooksKnot& b = BOOKS_PER_YEAR[k + 1];
    double x = double(year - a.year) / (b.year - a.year);
    double books = det_exp(det_log(a.books) + x * (det_log(b.books) - det_log(a.books)));
    max_volumes_[i] = std::max<i64>(1, i64(books));
    books_[i] = books / BOOKS_PER_YEAR.back().books;
    std::memcpy(year_text_[i].data(), fmt::format("{}", FIRST_YEAR + i).data(), 4);
  }
  std::array<double, NUM_YEARS + 1> below{};  // sum of books_[0..i)
  for (int i = 0; i < NUM_YEARS; i++) below[i + 1] = below[i] + books_[i];

  cumulative_.resize(i64(NUM_YEARS) * (NUM_YEARS + 1));
  share_.resize(i64(NUM_YEARS) * NUM_YEARS);
  strata_.resize(i64(NUM_YEARS) * STRATA_ROW);
  for (int y = 1; y <= NUM_YEARS; y++) {
    // Books grow with the year, so the capped years are the last `capped`.
    int capped = 0;
    double lambda = 0;
    for (; capped < y; capped++) {
      int rest = NUM_YEARS - capped;
      lambda = (y - capped) / below[rest];
      if (lambda * books_[rest - 1] <= 1) break;
    }
    if (capped == y) lambda = 0;
    double* cum = &cumulative_[i64(y - 1) * (NUM_YEARS + 1)];
    double* share = &share_[i64(y - 1) * NUM_YEARS];
    cum[0] = 0;
    for (int i = 0; i < NUM_YEARS; i++) {
      double pi = i >= NUM_YEARS - capped ? 1 : std::min(1.0, lambda * books_[i]);
      cum[i + 1] = cum[i] + pi;
      share[i] = pi > 0 ? books_[i] / pi : 0;
    }
    // strata[s] = the first year whose interval reaches past s / STEPS.
    u16* strata = &strata_[i64(y - 1) * STRATA_ROW];
    for (int k = 0, i = 0; k <= STEPS * y; k++) {
      while (i < NUM_YEARS - 1 && cum[i + 1] <= double(k) / STEPS) i++;
      strata[k] = i;
    }
  }
  for (int m = 0; m < SMALL_MATCHES; m++) small_powers_[m] = m ? det_exp(VOLUME_EXPONENT * det_log(m)) : 0;
  for (int e = 0; e < 64; e++) power_of_two_powers_[e] = det_exp(VOLUME_EXPONENT * e * LN2);
  for (int j = 0; j < (1 << MANTISSA_BITS); j++)
    mantissa_powers_[j] = det_exp(VOLUME_EXPONENT * det_log(1 + (j + 0.5) / (1 << MANTISSA_BITS)));
  for (int j = 0; j < (1 << NOISE_BITS); j++) exponential_[j] = -det_log(1 - (j + 0.5) / (1 << NOISE_BITS));
}

}  // namespace ngfreq::generator
