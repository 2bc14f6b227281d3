// Surface forms: the texts of n-grams without their POS tag (dictionary
// words and their inflections, made-up names, compounds, OCR damage, codes,
// acronyms, accented and punctuated tokens), and the tagged variants each
// distinct form becomes.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "generate/random.h"
#include "generate/word-list.h"

namespace ngfreq::generator {

/// Draws one surface form (an n-gram without its tag). Every kind starts
/// with `lead` in some case when `lead` != 0, as every n-gram of the real
/// "a" file starts with a or A.
std::string make_surface(Rng& rng, const Words& words, char lead);

/// Upper-cases the first letter if it is an ASCII lower-case one.
void capitalize(std::string& s);

// Tag of a variant: an index in Google's tags, or one of these.
constexpr i64 UNTAGGED = -1;
constexpr i64 EMPTY_TAG = -2;  // a bare "_"
constexpr i64 NOUN = 0;        // "_NOUN"
constexpr i64 MAX_VARIANTS = 5;

/// The n-grams made from one distinct surface form: untagged and/or with
/// 1-3 different tags. Tags are chosen only after surfaces are made
/// distinct, so the tagged share does not drift as common surfaces run out.
struct Variants {
  std::array<i64, MAX_VARIANTS> tags;
  i64 count = 0;
};

Variants make_variants(Rng& rng);

/// A tag drawn as often as Google's tags are.
i64 random_tag(Rng& rng);

/// "_NOUN" and the like; "" for UNTAGGED, "_" for EMPTY_TAG.
std::string_view tag_text(i64 tag);

}  // namespace ngfreq::generator
