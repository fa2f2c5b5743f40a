// The patient search box: free text such as "Smith, John 03/04/1980", "555-123-4567" or
// "MRN00000018" split into typed tokens for PatientIndex::Search. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"

namespace caredesk {

// Queries longer than this many tokens keep their first kMaxSearchTokens.
inline constexpr size_t kMaxSearchTokens = 8;

struct SearchToken {
  enum class Kind {
    kName,       // text: a NameTokens token of ≥ 2 bytes ("smith")
    kInitial,    // text: a one-letter name token ("j")
    kBirthDate,  // date
    kDigits,     // text: ≥ 7 digits, a phone number or its tail, maybe an MRN typed bare
    kMrn,        // text: an IsMrnShaped MRN in upper case
    kEmail,      // text: lower case
  };
  Kind kind = Kind::kName;
  std::string text;
  CivilDate date;
};

// Splits `query` into tokens, in order:
//  - pieces are separated by whitespace, ',' and ';';
//  - "YYYY-MM-DD", "MM/DD/YYYY" and "DD.MM.YYYY" (day and month may have one digit) are birth
//    dates; a slashed date whose first number cannot be a month (13/04/1980) is read day first.
//    Impossible dates are dropped;
//  - neighbouring pieces made only of digits and phone punctuation "+-.()" join into one
//    number ("(555) 123-4567"); 7 or more digits make a kDigits token, fewer are dropped;
//  - "MRN…" pieces that pass IsMrnShaped are kMrn; pieces containing '@' are kEmail;
//  - everything else is split by NameTokens into kName (or, one letter long, kInitial) tokens.
std::vector<SearchToken> ParseSearchQuery(std::string_view query);

}  // namespace caredesk
