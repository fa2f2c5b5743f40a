// The tests a search criterion is made of, shared by every kind of record
// searched by exact criteria (patients, appointments, encounters): each
// criterion holds when any of its alternatives does (AnyOf), and a query's
// criteria must all hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_time.h"

namespace caredesk {

template <typename T>
using AnyOf = std::vector<T>;  // holds when one of its elements holds

// A text test on a name part (given, middle or family) or a whole field.
struct TextMatch {
  enum class Kind {
    kStartsWith,  // case-insensitive: "smi" matches "Smith"
    kExact,       // case- and accent-sensitive equality
    kContains,    // case-insensitive, anywhere
  };
  Kind kind = Kind::kStartsWith;
  std::string value;
};

// A test of a date against the half-open day range [lo, hi) that a partial
// date such as "1980" or "1980-05" stands for.
struct DateMatch {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  Op op = Op::kEq;
  CivilDate lo;
  CivilDate hi;  // exclusive
};

// The same test on an instant in milliseconds since the epoch, against
// [lo_ms, hi_ms).
struct InstantMatch {
  DateMatch::Op op = DateMatch::Op::kEq;
  int64_t lo_ms = 0;
  int64_t hi_ms = 0;
};

// A page of records in id order or in the order of a time (an appointment's start, an encounter's arrival),
// then id, either way. Paging is by key, not offset, so a page stays right while records are added: the
// next page starts after the last row's (time, id).
struct KeyedPage {
  bool by_time = false;
  bool descending = false;
  std::optional<int64_t> after_id;
  std::optional<int64_t> after_time;  // with by_time
  int limit = 20;
};

}  // namespace caredesk
