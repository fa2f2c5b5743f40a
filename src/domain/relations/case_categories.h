// The categories a location files its cases under: a configurable list of
// snake_case names, with a default list. Immutable after creation;
// thread-safe to read.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace caredesk::relations {

inline constexpr std::array<std::string_view, 10> kDefaultCategories = {
    "quality_of_care", "premature_discharge", "abuse_or_neglect", "billing_rights", "communication",
    "staff_attitude",  "wait_times",          "facilities",       "privacy",        "other"};

inline constexpr size_t kMaxCategoryLength = 64;
inline constexpr size_t kMaxCategories = 200;

class CaseCategories {
 public:
  // The default list (kDefaultCategories).
  CaseCategories();

  // A configured list. Each name is 1..kMaxCategoryLength characters of
  // a-z, 0-9 and '_', starting with a letter; names are unique; the list has
  // 1..kMaxCategories entries. Otherwise Error::Invalid on field
  // "categories" whose message names the offending entry.
  static Result<CaseCategories> Create(std::vector<std::string> names);

  bool Contains(std::string_view name) const;
  // Ok() when `name` is configured; otherwise Error::Invalid on `field` with
  // reason "unknown_category" and the accepted names in the message.
  Status Check(std::string_view name, std::string_view field = "category") const;

  // In configured order.
  const std::vector<std::string>& names() const { return names_; }

 private:
  explicit CaseCategories(std::vector<std::string> names) : names_(std::move(names)) {}

  std::vector<std::string> names_;
};

}  // namespace caredesk::relations
