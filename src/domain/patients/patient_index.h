// PatientIndex: the in-memory master patient index behind the registration search box and
// duplicate detection — typo-tolerant, ranked search by name, birth date, phone, MRN and e-mail
// over up to millions of patients.
//
// Thread-safe: the const members (Search, FindDuplicateCandidates, Get, size, …) run
// concurrently under a shared lock; Upsert, Remove and Reserve take it exclusively. Results are
// values, valid after the lock is released.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "domain/patients/patient.h"

namespace caredesk {

// What the index keeps of a patient. Text is normalized on the way in: names by NameTokens
// (folded, lower case, punctuation dropped — Get returns that form), phone to digits,
// e-mail to lower case, MRN and postal code to upper case.
struct IndexedPatient {
  int64_t id = 0;
  std::string given_name;
  std::string family_name;
  std::string middle_name;
  std::optional<CivilDate> birth_date;  // unknown for unidentified patients and some imports
  std::string sex;                      // female|male|other; empty or "unknown" when unknown
  std::string phone;                    // digits; a leading '+' or separators are ignored
  std::string mrn;
  std::string email;
  std::string postal_code;
};

// The index entry of a registered patient.
IndexedPatient ToIndexedPatient(const Patient& patient);

struct SearchHit {
  int64_t id = 0;
  double score = 0;
};

class PatientIndex {
 public:
  PatientIndex();
  ~PatientIndex();
  PatientIndex(const PatientIndex&) = delete;
  PatientIndex& operator=(const PatientIndex&) = delete;

  // Adds the patient, or replaces the entry with the same id.
  void Upsert(const IndexedPatient& patient);
  // Removes the patient with this id; no effect when absent.
  void Remove(int64_t id);
  // Number of patients indexed.
  size_t size() const;
  // Prepares room for `patients` patients, avoiding rehashing during a bulk load.
  void Reserve(size_t patients);

  // The entry with this id in normalized form, or nullopt.
  std::optional<IndexedPatient> Get(int64_t id) const;

  // Ranked search (see search_query.h for the query grammar). Each query token matches a patient
  // or not, with a quality: name tokens match given, middle or family names — each name of the
  // patient used by one token at most, in any order — exactly (1.0), as a prefix of ≥ 2 letters
  // (0.85), as a nickname (0.8), within Damerau–Levenshtein 1 (0.7; tokens of 3+ letters) or 2
  // (0.6; 6+ letters), or by sound (0.5); an initial matches a name starting with it (0.6). A
  // birth date matches exactly (1.0), with day and month swapped (0.7) or with one digit
  // different (0.6). A number of ≥ 7 digits matches a phone exactly (1.0) or as the same number
  // with more or less of its prefix (0.9, PhoneTailsMatch), or an MRN typed without "MRN". MRNs
  // and e-mails match exactly.
  //
  // score = (matched + total quality / tokens) / (tokens + 1), so 1.0 means every token matched
  // exactly, and a patient who matches more tokens always outranks one who matches fewer. Hits
  // come best first, ties by ascending id; `offset` hits are skipped, then up to `limit`
  // returned. Patients matching no token, or only initials, are not returned.
  //
  // Work follows the selectivity of the query rather than the number of patients ("jonh smtih"
  // walks the postings of name pairs, not every Smith): tokens expand against the dictionary of
  // distinct names, the most selective postings yield candidates in order of decreasing
  // quality, and enumeration stops once no unseen patient could enter the top `offset + limit`.
  std::vector<SearchHit> Search(std::string_view query, size_t limit, size_t offset = 0) const;

  // Candidate generation for duplicate detection ("blocking"): the patients that share with
  // `probe` a phone number, an e-mail or the birth date (each when no more than a couple of
  // thousand patients share it; otherwise together with a name), the birth date with day and month
  // swapped together with a name, or a similar given + family name pair (exact, nickname, edit
  // distance or sound, in either order). Never returns probe.id. Up to `limit` hits, ordered by
  // the weight of the keys that agree and the closeness of the names (score in [0, 1], not a
  // probability), ties by id.
  std::vector<SearchHit> FindDuplicateCandidates(const IndexedPatient& probe, size_t limit) const;

  // How many indexed patients have `name_token` (one NameTokens token) among their given,
  // middle or family names; lets duplicate detection weigh agreement on "smith" below agreement
  // on a rare name.
  size_t CountWithName(std::string_view name_token) const;

  // Heap bytes held by the index (approximate).
  size_t MemoryUsage() const;

 private:
  class Impl;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<Impl> impl_;  // guarded by mutex_
};

}  // namespace caredesk
