#include "fhir/search_params.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/text.h"
#include "domain/patients/patient.h"

namespace caredesk::fhir {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// "given:exact" -> {"given", "exact"}.
std::pair<std::string_view, std::string_view> SplitModifier(std::string_view key) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return {key, {}};
  return {key.substr(0, colon), key.substr(colon + 1)};
}

bool ParseInt(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool Digits(std::string_view text, size_t from, size_t count) {
  if (text.size() < from + count) return false;
  return std::all_of(text.begin() + from, text.begin() + from + count, [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view text, size_t from, size_t count) {
  int n = 0;
  for (size_t i = from; i < from + count; ++i) n = n * 10 + (text[i] - '0');
  return n;
}

Error BadValue(std::string_view field, std::string message) {
  return Error::Invalid(std::string(field), std::move(message), "invalid_search_parameter");
}

Error BadDate(std::string_view field, std::string_view text) {
  return BadValue(field, std::string(field) + ": \"" + std::string(text) +
                             "\" is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a zone)");
}

int64_t DayMs(const CivilDate& d) { return d.DaysSinceEpoch() * kDayMs; }

CivilDate NextMonth(CivilDate d) {
  return d.month == 12 ? CivilDate{d.year + 1, 1, 1} : CivilDate{d.year, d.month + 1, 1};
}

struct Prefixed {
  DateMatch::Op op = DateMatch::Op::kEq;
  bool approximate = false;
  std::string_view value;
};

Prefixed ReadPrefix(std::string_view text) {
  static constexpr std::pair<std::string_view, DateMatch::Op> kPrefixes[] = {
      {"eq", DateMatch::Op::kEq}, {"ne", DateMatch::Op::kNe}, {"lt", DateMatch::Op::kLt},
      {"le", DateMatch::Op::kLe}, {"gt", DateMatch::Op::kGt}, {"ge", DateMatch::Op::kGe},
      {"sa", DateMatch::Op::kGt}, {"eb", DateMatch::Op::kLt}, {"ap", DateMatch::Op::kEq}};
  for (const auto& [prefix, op] : kPrefixes) {
    if (text.starts_with(prefix)) return {op, prefix == "ap", text.substr(2)};
  }
  return {DateMatch::Op::kEq, false, text};
}

// `ap`: the range widened by a tenth of its distance from today in whole days, at least a day each way.
InstantRange Approximately(InstantRange r, CivilDate today) {
  const int64_t gap = std::llabs(DayMs(today) - r.lo_ms);
  const int64_t widen = std::max(kDayMs, gap / 10 / kDayMs * kDayMs);
  return {r.lo_ms - widen, r.hi_ms + widen};
}

Result<TextMatch::Kind> StringModifier(std::string_view name, std::string_view modifier) {
  if (modifier.empty()) return TextMatch::Kind::kStartsWith;
  if (modifier == "exact") return TextMatch::Kind::kExact;
  if (modifier == "contains") return TextMatch::Kind::kContains;
  return BadValue(std::string(name) + ":" + std::string(modifier),
                  "the modifier :" + std::string(modifier) + " is not supported for " + std::string(name) +
                      " (supported: :exact, :contains)");
}

Result<bool> MissingFlag(std::string_view key, std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return BadValue(key, std::string(key) + " takes true or false");
}

// A token "system|code" -> {system, code}; without '|' the system is nullopt (any).
std::pair<std::optional<std::string>, std::string> Token(const std::string& value) {
  const size_t bar = value.find('|');
  if (bar == std::string::npos) return {std::nullopt, value};
  return {value.substr(0, bar), value.substr(bar + 1)};
}

Result<PatientOrder> SortKey(std::string_view key, bool& descending) {
  descending = key.starts_with('-');
  if (descending) key.remove_prefix(1);
  if (key == "_id") return PatientOrder::kId;
  if (key == "_lastUpdated") return PatientOrder::kLastUpdated;
  if (key == "family") return PatientOrder::kFamily;
  if (key == "given") return PatientOrder::kGiven;
  if (key == "birthdate") return PatientOrder::kBirthDate;
  return BadValue("_sort", "cannot sort by \"" + std::string(key) +
                               "\" (one of _id, _lastUpdated, family, given, birthdate, each with '-' for descending)");
}

}  // namespace

Result<InstantRange> ReadFhirDateTime(std::string_view text, std::string_view field) {
  if (!Digits(text, 0, 4)) return BadDate(field, text);
  const int year = Number(text, 0, 4);
  if (text.size() == 4) {
    if (year < 1) return BadDate(field, text);
    return InstantRange{DayMs({year, 1, 1}), DayMs({year + 1, 1, 1})};
  }
  if (text.size() == 7) {
    if (text[4] != '-' || !Digits(text, 5, 2)) return BadDate(field, text);
    const int month = Number(text, 5, 2);
    if (month < 1 || month > 12) return BadDate(field, text);
    CivilDate first{year, month, 1};
    return InstantRange{DayMs(first), DayMs(NextMonth(first))};
  }
  auto date = ParseCivilDate(text.substr(0, 10), field);
  if (!date.ok()) return BadDate(field, text);
  if (text.size() == 10) return InstantRange{DayMs(*date), DayMs(date->AddDays(1))};
  // A date-time: hh:mm, optional :ss and fraction, then Z or +hh:mm / -hh:mm (UTC when absent).
  if (text[10] != 'T' || !Digits(text, 11, 2) || text.size() < 16 || text[13] != ':' || !Digits(text, 14, 2)) {
    return BadDate(field, text);
  }
  const int hour = Number(text, 11, 2), minute = Number(text, 14, 2);
  int second = 0, millis = 0;
  int64_t precision = 60'000;
  size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!Digits(text, at + 1, 2)) return BadDate(field, text);
    second = Number(text, at + 1, 2);
    precision = 1000;
    at += 3;
    if (at < text.size() && text[at] == '.') {
      size_t digits = 0;
      int scale = 100;
      while (at + 1 + digits < text.size() && Digits(text, at + 1 + digits, 1)) {
        if (digits < 3) millis += (text[at + 1 + digits] - '0') * scale, scale /= 10;
        ++digits;
      }
      if (digits == 0) return BadDate(field, text);
      precision = 1;
      at += 1 + digits;
    }
  }
  int offset_minutes = 0;
  if (at < text.size()) {
    if (text[at] == 'Z' && at + 1 == text.size()) {
      // UTC
    } else if ((text[at] == '+' || text[at] == '-') && text.size() == at + 6 && Digits(text, at + 1, 2) &&
               text[at + 3] == ':' && Digits(text, at + 4, 2)) {
      offset_minutes = Number(text, at + 1, 2) * 60 + Number(text, at + 4, 2);
      if (text[at] == '-') offset_minutes = -offset_minutes;
    } else {
      return BadDate(field, text);
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return BadDate(field, text);
  const int64_t lo = DayMs(*date) + ((hour * 60 + minute - offset_minutes) * 60 + second) * int64_t{1000} + millis;
  return InstantRange{lo, lo + precision};
}

int64_t ReferenceId(std::string_view text, std::string_view type) {
  if (const size_t slash = text.rfind('/'); slash != std::string_view::npos) {
    const std::string_view before = text.substr(0, slash);
    if (!before.ends_with(type) || (before.size() > type.size() && before[before.size() - type.size() - 1] != '/')) {
      return -1;
    }
    text.remove_prefix(slash + 1);
  }
  int64_t id = 0;
  return ParseInt(text, id) && id > 0 ? id : -1;
}

Status NarrowWindow(std::string_view key, std::string_view value, std::optional<int64_t>& from,
                    std::optional<int64_t>& to) {
  const auto alternatives = SplitAlternatives(value);
  if (alternatives.size() > 1) return BadValue(key, std::string(key) + " takes one value a parameter (repeat it to narrow)");
  std::string_view text = alternatives[0];
  std::string_view prefix = "eq";
  if (text.size() > 2 && std::isalpha(static_cast<unsigned char>(text[0]))) {
    prefix = text.substr(0, 2);
    text.remove_prefix(2);
  }
  CD_ASSIGN_OR_RETURN(InstantRange r, ReadFhirDateTime(text, key));
  const auto at_least = [&](int64_t ms) { from = std::max(from.value_or(ms), ms); };
  const auto before = [&](int64_t ms) { to = std::min(to.value_or(ms), ms); };
  if (prefix == "eq") {
    at_least(r.lo_ms);
    before(r.hi_ms);
  } else if (prefix == "ge") {
    at_least(r.lo_ms);
  } else if (prefix == "gt" || prefix == "sa") {
    at_least(r.hi_ms);
  } else if (prefix == "lt" || prefix == "eb") {
    before(r.lo_ms);
  } else if (prefix == "le") {
    before(r.hi_ms);
  } else {
    return BadValue(key, std::string(key) + ": the prefix " + std::string(prefix) +
                             " is not supported here (eq, lt, le, gt, ge, sa, eb)");
  }
  return Ok();
}

Result<AnyOf<InstantMatch>> ReadInstantAlternatives(std::string_view key, std::string_view value, CivilDate today) {
  AnyOf<InstantMatch> out;
  for (const auto& v : SplitAlternatives(value)) {
    const Prefixed p = ReadPrefix(v);
    CD_ASSIGN_OR_RETURN(InstantRange range, ReadFhirDateTime(p.value, key));
    if (p.approximate) range = Approximately(range, today);
    out.push_back({p.op, range.lo_ms, range.hi_ms});
  }
  return out;
}

Result<bool> ReadPageParam(std::string_view name, std::string_view value, std::string_view time_name,
                           KeyedPage& page, ResultParams& result, bool& used) {
  used = true;
  if (name == "_count") {
    CD_ASSIGN_OR_RETURN(page.limit, ReadCount(value));
  } else if (name == "_sort") {
    const auto keys = SplitAlternatives(value);
    if (keys.size() > 1) return BadValue("_sort", "sorting by more than one key is not supported");
    std::string_view key = keys[0];
    page.descending = key.starts_with('-');
    if (page.descending) key.remove_prefix(1);
    if (key != "_id" && (time_name.empty() || key != time_name)) {
      return BadValue("_sort", "cannot sort by \"" + std::string(key) + "\" (" +
                                   (time_name.empty() ? std::string("_id or -_id") : "one of " + std::string(time_name) +
                                                                                    ", _id, each with '-' for descending") +
                                   ")");
    }
    page.by_time = !time_name.empty() && key == time_name;
  } else if (name == "_summary") {
    if (value == "count") {
      result.summary_count = true;
    } else if (value != "false") {
      return BadValue("_summary", "_summary supports count and false");
    }
  } else if (name == "_total") {
    if (value == "none") {
      result.with_total = false;
    } else if (value != "accurate" && value != "estimate") {
      return BadValue("_total", "_total is one of none, estimate, accurate");
    }
  } else if (name == "_cursor") {
    used = false;
    const size_t dot = value.find('.');
    int64_t id = 0, time = 0;
    if (!ParseInt(value.substr(0, dot), id) || id < 0 ||
        (dot != std::string_view::npos && !ParseInt(value.substr(dot + 1), time))) {
      return BadValue("_cursor", "not a cursor this server issued");
    }
    page.after_id = id;
    if (dot != std::string_view::npos) page.after_time = time;
  } else if (name == "_format") {
    used = false;  // the handler answers it
  } else {
    used = false;
    return false;
  }
  return true;
}

Status CheckPage(KeyedPage& page, const ResultParams& result) {
  if (page.after_id && page.by_time != page.after_time.has_value()) {
    return BadValue("_cursor", "not a cursor this server issued for this sort order");
  }
  if (result.summary_count) page.limit = 0;
  return Ok();
}

std::string NextCursor(const KeyedPage& page, int64_t last_id, int64_t last_time) {
  if (!page.by_time) return std::to_string(last_id);
  return std::to_string(last_id) + "." + std::to_string(last_time);
}

Result<PatientSearch> ReadPatientSearch(const QueryParams& query, CivilDate today) {
  PatientSearch out;
  PatientCriteria& q = out.criteria;
  q.limit = kDefaultCount;
  bool sorted = false;
  for (const auto& [key, value] : query) {
    if (value.empty()) continue;  // an empty parameter is ignored
    const auto [name, modifier] = SplitModifier(key);
    bool used = true;
    if (name == "name" || name == "family" || name == "given") {
      CD_ASSIGN_OR_RETURN(auto kind, StringModifier(name, modifier));
      AnyOf<TextMatch> any;
      for (auto& v : SplitAlternatives(value)) {
        if (!v.empty()) any.push_back({kind, std::move(v)});
      }
      if (any.empty()) continue;
      (name == "name" ? q.name : name == "family" ? q.family : q.given).push_back(std::move(any));
    } else if ((name == "phone" || name == "email") && modifier == "missing") {
      CD_ASSIGN_OR_RETURN(bool missing, MissingFlag(key, value));
      (name == "phone" ? q.has_phone : q.has_email) = !missing;
    } else if (name == "phone" || name == "email" || name == "gender" || name == "identifier" || name == "_id") {
      if (!modifier.empty()) {
        return BadValue(key, "the modifier :" + std::string(modifier) + " is not supported for " + std::string(name));
      }
      if (name == "phone") {
        AnyOf<std::string> any;
        for (const auto& v : SplitAlternatives(value)) {
          auto phone = NormalizePhone(Token(v).second, key);
          if (!phone.ok()) return BadValue(key, "phone: \"" + v + "\" is not a telephone number");
          any.push_back(std::move(*phone));
        }
        q.phone.push_back(std::move(any));
      } else if (name == "email") {
        AnyOf<std::string> any;
        for (const auto& v : SplitAlternatives(value)) any.push_back(AsciiLower(Token(v).second));
        q.email.push_back(std::move(any));
      } else if (name == "gender") {
        AnyOf<std::string> any;
        for (const auto& v : SplitAlternatives(value)) {
          std::string code = Token(v).second;
          if (code != "male" && code != "female" && code != "other" && code != "unknown") {
            return BadValue(key, "gender: \"" + code + "\" is not one of male, female, other, unknown");
          }
          any.push_back(std::move(code));
        }
        q.sex.push_back(std::move(any));
      } else if (name == "identifier") {
        AnyOf<IdentifierMatch> any;
        for (const auto& v : SplitAlternatives(value)) {
          auto [system, code] = Token(v);
          any.push_back({std::move(system), std::move(code)});
        }
        q.identifier.push_back(std::move(any));
      } else {  // _id
        AnyOf<int64_t> any;
        for (const auto& v : SplitAlternatives(value)) {
          int64_t id = 0;
          any.push_back(ParseInt(v, id) && id > 0 ? id : -1);  // an id CareDesk never issues matches nothing
        }
        q.ids.push_back(std::move(any));
      }
    } else if (name == "birthdate" || name == "_lastUpdated") {
      if (!modifier.empty()) {
        return BadValue(key, "the modifier :" + std::string(modifier) + " is not supported for " + std::string(name));
      }
      AnyOf<DateMatch> dates;
      AnyOf<InstantMatch> instants;
      for (const auto& v : SplitAlternatives(value)) {
        const Prefixed p = ReadPrefix(v);
        CD_ASSIGN_OR_RETURN(InstantRange range, ReadFhirDateTime(p.value, key));
        if (p.approximate) range = Approximately(range, today);
        if (name == "birthdate") {
          // A birth date is a day: the days the range touches.
          const int64_t lo_day = range.lo_ms >= 0 ? range.lo_ms / kDayMs : -((-range.lo_ms + kDayMs - 1) / kDayMs);
          const int64_t hi_day = range.hi_ms >= 0 ? (range.hi_ms + kDayMs - 1) / kDayMs : -((-range.hi_ms) / kDayMs);
          dates.push_back({p.op, CivilDate::FromDaysSinceEpoch(lo_day), CivilDate::FromDaysSinceEpoch(hi_day)});
        } else {
          instants.push_back({p.op, range.lo_ms, range.hi_ms});
        }
      }
      if (name == "birthdate") {
        q.birth_date.push_back(std::move(dates));
      } else {
        q.last_updated.push_back(std::move(instants));
      }
    } else if (name == "_count") {
      CD_ASSIGN_OR_RETURN(q.limit, ReadCount(value));
    } else if (name == "_sort") {
      sorted = true;
      const auto keys = SplitAlternatives(value);
      if (keys.size() > 1) return BadValue("_sort", "sorting by more than one key is not supported");
      CD_ASSIGN_OR_RETURN(q.order, SortKey(keys[0], q.descending));
    } else if (name == "_summary") {
      if (value == "count") {
        out.summary_count = true;
      } else if (value != "false") {
        return BadValue("_summary", "_summary supports count and false");
      }
    } else if (name == "_total") {
      if (value == "none") {
        out.with_total = false;
      } else if (value != "accurate" && value != "estimate") {
        return BadValue("_total", "_total is one of none, estimate, accurate");
      }
    } else if (name == "_cursor") {
      used = false;
      const std::string_view text = value;
      const size_t dot = text.find('.');
      int64_t id = 0;
      if (!ParseInt(text.substr(0, dot), id) || id < 0) return BadValue("_cursor", "not a cursor this server issued");
      q.after_id = id;
      if (dot != std::string_view::npos) q.after_key = std::string(text.substr(dot + 1));
    } else if (name == "_format") {
      used = false;  // the handler answers it
    } else if (key == "_revinclude") {
      static constexpr IncludeRule kRevIncludes[] = {{"Appointment:patient", "Appointment"},
                                                     {"Appointment:actor", "Appointment"},
                                                     {"Encounter:patient", "Encounter"},
                                                     {"Encounter:subject", "Encounter"},
                                                     {"Coverage:patient", "Coverage"},
                                                     {"Coverage:beneficiary", "Coverage"}};
      if (!ReadInclude(value, kRevIncludes, out.revinclude)) {
        used = false;
        out.ignored.push_back(key + "=" + value);
      }
    } else {
      used = false;
      out.ignored.push_back(key);
    }
    if (used) out.used.emplace_back(key, value);
  }
  if (!sorted && !q.family.empty()) {
    // Unsorted name searches come in family-name order: the name index then yields just the page, where id
    // order would read every match to sort it (a three-letter prefix matches thousands at 1,000,000 patients).
    q.order = PatientOrder::kFamily;
  }
  if (q.after_id && q.order != PatientOrder::kId && !q.after_key) {
    return BadValue("_cursor", "not a cursor this server issued for this sort order");
  }
  if (q.after_id && q.order == PatientOrder::kLastUpdated) {
    int64_t ms = 0;
    if (!ParseInt(*q.after_key, ms)) return BadValue("_cursor", "not a cursor this server issued for this sort order");
  }
  if (out.summary_count) q.limit = 0;
  return out;
}

std::vector<std::string> SplitAlternatives(std::string_view value) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() && (value[i + 1] == ',' || value[i + 1] == '|' ||
                                                     value[i + 1] == '$' || value[i + 1] == '\\')) {
      out.back() += value[++i];
    } else if (value[i] == ',') {
      out.emplace_back();
    } else {
      out.back() += value[i];
    }
  }
  return out;
}

Result<int> ReadCount(std::string_view value) {
  int64_t count = 0;
  if (!ParseInt(value, count) || count < 0 || count > kMaxCount) {
    return BadValue("_count", "_count must be a whole number from 0 to " + std::to_string(kMaxCount));
  }
  return static_cast<int>(count);
}

std::string NextCursor(const PatientCriteria& criteria, int64_t last_id, const std::string& last_sort_key) {
  if (criteria.order == PatientOrder::kId) return std::to_string(last_id);
  return std::to_string(last_id) + "." + last_sort_key;
}

}  // namespace caredesk::fhir
