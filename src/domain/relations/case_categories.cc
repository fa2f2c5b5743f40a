#include "domain/relations/case_categories.h"

#include <algorithm>
#include <utility>

namespace caredesk::relations {
namespace {

bool IsCategoryName(std::string_view name) {
  if (name.empty() || name.size() > kMaxCategoryLength) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

CaseCategories::CaseCategories() : names_(kDefaultCategories.begin(), kDefaultCategories.end()) {}

Result<CaseCategories> CaseCategories::Create(std::vector<std::string> names) {
  if (names.empty()) return Error::Invalid("categories", "at least one category is required", "empty");
  if (names.size() > kMaxCategories) {
    return Error::Invalid("categories", "at most " + std::to_string(kMaxCategories) + " categories are allowed",
                          "too_many");
  }
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (!IsCategoryName(name)) {
      return Error::Invalid("categories",
                            "category " + std::to_string(i + 1) + " '" + name +
                                "' must be 1 to 64 characters of a-z, 0-9 and '_', starting with a letter",
                            "invalid_category");
    }
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        names.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Error::Invalid("categories", "category '" + name + "' is listed twice", "duplicate_category");
    }
  }
  return CaseCategories(std::move(names));
}

bool CaseCategories::Contains(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

Status CaseCategories::Check(std::string_view name, std::string_view field) const {
  if (Contains(name)) return Ok();
  std::string accepted;
  for (const std::string& n : names_) {
    if (!accepted.empty()) accepted += ", ";
    accepted += n;
  }
  return Error::Invalid(std::string(field), "unknown category '" + std::string(name) + "'; expected one of " + accepted,
                        "unknown_category");
}

}  // namespace caredesk::relations
