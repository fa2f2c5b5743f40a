// Probable-duplicate detection for the master patient index: Fellegi–Sunter record linkage.
//
// Each field of two records is compared at a few levels (a family name agrees exactly, with a
// typo, by sound, or not at all). Every level has an m-probability (how often true duplicates
// show it) and a u-probability (how often unrelated patients do); the level contributes
// log2(m/u) bits of evidence, negative when it speaks against a match, nothing when a field is
// missing on either side. The sum is the match weight. Exact name agreement is weighed by how
// common the name is when the index's name counts are available: two "John Smith"s prove less
// than two "Zbigniew Wojciechowski"s.
//
// Fields: given name (exact, nickname, typo, sound-alike, initial only), family name (exact,
// typo, sound-alike), given and family names swapped, middle initial, birth date (exact, day and
// month transposed, one digit off, one component off), sex, phone (exact, same tail, one digit
// off), e-mail and postal code. Phone, e-mail and postal code are shared within households, so
// only the strongest of their agreements counts. Twins — same family name, birth date and
// address — still score as probable duplicates: telling them apart is the reviewer's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/patients/patient_index.h"

namespace caredesk {

// Weights at or above this are probable duplicates worth a person's review. With the fixed
// weights, matching names and birth date score about 31; a nickname or a typo in a name with the
// same birth date 26–29; names with day and month transposed and a shared phone about 34; two
// unrelated John Smiths whose birth dates and phones differ about 8.5 (and less in an index that
// knows how common the names are). On the FEBRL data the threshold gives precision ≥ 0.99 with
// recall 0.91–0.96 (duplicate_detector_febrl_test.cc, with the curve over thresholds).
inline constexpr double kProbableDuplicateWeight = 13.0;

struct MatchScore {
  double weight = 0;       // bits of evidence for "same person" (Σ log2(m/u))
  double probability = 0;  // 1 / (1 + 2^-(weight - kProbableDuplicateWeight)): 0.5 at the threshold
  std::vector<std::string> reasons;  // one per compared field: "family_name: typo (+5.9)"
};

struct DuplicateCandidate {
  int64_t id = 0;
  MatchScore score;
};

// How common name tokens are: `patients` in all, `count(token)` of whom have that NameTokens
// token among their names.
struct NameCounts {
  size_t patients = 0;
  std::function<size_t(std::string_view token)> count;
};

// Thread-safe when the index is (PatientIndex is): Find only reads it.
class DuplicateDetector {
 public:
  // `index` must outlive the detector.
  explicit DuplicateDetector(const PatientIndex& index) : index_(index) {}

  // The Fellegi–Sunter comparison of two records. Symmetric. With `counts`, exact name agreement
  // is weighed by the name's frequency (smoothed towards the fixed weights for small indexes);
  // without, by fixed weights.
  static MatchScore Score(const IndexedPatient& a, const IndexedPatient& b,
                          const NameCounts* counts = nullptr);

  // The indexed patients (other than probe.id) whose Score against `probe`, with the index's
  // name counts, reaches kProbableDuplicateWeight: best first, ties by id, at most `limit`.
  // Candidates come from PatientIndex::FindDuplicateCandidates.
  std::vector<DuplicateCandidate> Find(const IndexedPatient& probe, size_t limit) const;

 private:
  const PatientIndex& index_;
};

}  // namespace caredesk
