// String similarity primitives for person names: folding to a comparable form, edit distance,
// Jaro–Winkler similarity, a phonetic key and a nickname table. Everything here is a pure
// function over bytes of UTF-8 text; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caredesk {

// Lowercases `text` (UTF-8) and folds the Latin letters of Latin-1 and Latin Extended-A (plus
// Romanian ș/ț and capital ẞ) to ASCII: é→e, ñ→n, ü→u, ø→o, ł→l, ß→ss, æ→ae, œ→oe, þ→th.
// Combining accents (U+0300–U+036F, as in decomposed "e\u0301") are dropped; typographic
// apostrophes become ' and typographic dashes -. Code points outside these tables (Greek,
// Cyrillic, CJK, …) are kept unchanged so that such names still match exactly; malformed UTF-8
// bytes are dropped.
std::string FoldToAscii(std::string_view text);

// Splits a name into the tokens that are compared: folds it (FoldToAscii), breaks it at
// whitespace and at punctuation such as - , / ; ( ) &, and removes apostrophes, periods and
// quotes inside a token: "O’Brien-Núñez, J.R." → {"obrien", "nunez", "jr"}.
std::vector<std::string> NameTokens(std::string_view name);

// NameTokens joined by single spaces: the normalized form of a whole name ("  María  José " →
// "maria jose").
std::string NormalizeName(std::string_view name);

// Optimal string alignment distance (restricted Damerau–Levenshtein: insertions, deletions,
// substitutions and transpositions of adjacent bytes, no substring edited twice) between `a`
// and `b`, counted in bytes — compare folded names. Returns `max_distance + 1` as soon as the
// distance is known to exceed `max_distance`, which is what makes it cheap on dictionaries.
// `max_distance` must be ≥ 0.
int DamerauLevenshtein(std::string_view a, std::string_view b, int max_distance);

// Jaro–Winkler similarity in [0, 1]: 1 for equal strings, 0 when no character matches or one
// side is empty. Winkler's prefix boost (scale 0.1, at most 4 characters) applies when the Jaro
// similarity is at least 0.7.
double JaroWinkler(std::string_view a, std::string_view b);

// A phonetic key: Lawrence Philips' original Metaphone (1990) over the ASCII letters of the
// folded name, with two refinements that suit names — repeated adjacent codes are collapsed
// ("Schmidt" → "SKMT", not "SKMTT") and the key is not truncated. Sound-alike
// spellings share a key: Smith/Smyth → "SM0", Catherine/Kathryn → "K0RN", Stephen/Steven →
// "STFN", Jon/John → "JN". Returns "" when the name has no ASCII letter.
//
// Chosen over Soundex because it handles the digraphs names are full of (ph, th, ch, gh, kn, wr)
// and does not keep the first letter verbatim (Catherine/Kathryn, Philips/Filips agree); simpler
// than Double Metaphone, whose secondary keys the index does not need.
std::string PhoneticKey(std::string_view name);

// Nicknames: a fixed table of about sixty families of a formal given name and its common short
// forms (robert: bob, bobby, rob, …; elizabeth: liz, beth, betty, …; william: bill, will, …).
// Arguments are folded single tokens ("bob", not "Bob "). A name may belong to several families
// ("al": albert, alfred, alexander).
//
// AreNicknames: true when `a` and `b` differ and share a family.
bool AreNicknames(std::string_view a, std::string_view b);
// The other members of every family `name` belongs to, without duplicates, in table order;
// empty when the name is not in the table. The views point to static storage.
std::vector<std::string_view> NicknameVariants(std::string_view name);

}  // namespace caredesk
