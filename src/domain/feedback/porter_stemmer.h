// The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980):
// maps English inflected and derived word forms to a common stem ("waiting", "waited", "waits"
// → "wait"; "helpful", "helpfulness" → "help"), so that the word terms of text_features.h pool
// their evidence. The stems are not always words ("ambulance" → "ambul"); they only need to be
// the same for related forms.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caredesk::feedback {

// The stem of `word`, which should be lower case. Words of fewer than three bytes and words with
// any byte other than 'a'..'z' (digits, UTF-8) are returned unchanged.
std::string PorterStem(std::string_view word);

}  // namespace caredesk::feedback
