// Name pools for the demo's people: given and family names of the heritages
// common among US patients, with the language a share of each prefers, and
// street names for addresses. Constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace caredesk::demo {

enum class Heritage : uint8_t {
  kAnglo,
  kHispanic,
  kAfricanAmerican,
  kChinese,
  kKorean,
  kJapanese,
  kVietnamese,
  kFilipino,
  kSouthAsian,
  kMiddleEastern,
  kEasternEuropean,
  kPortuguese,
};
inline constexpr int kHeritageCount = 12;

struct NamePool {
  std::span<const std::string_view> female;
  std::span<const std::string_view> male;
  std::span<const std::string_view> family;
  // BCP 47 tags of the languages some prefer over English, the commonest
  // repeated; empty for none.
  std::span<const std::string_view> languages;
  double language_share;  // of people of this heritage who prefer one of them
  // Slavic family names take a feminine form (Ivanov -> Ivanova,
  // Kowalski -> Kowalska).
  bool gendered_family_names;
};

const NamePool& NamesOf(Heritage heritage);

// The share of each heritage among patients, indexed by Heritage: a rough
// US mix. Sums to 1.
std::span<const double> HeritageShares();

std::span<const std::string_view> StreetNames();
std::span<const std::string_view> StreetSuffixes();

}  // namespace caredesk::demo
