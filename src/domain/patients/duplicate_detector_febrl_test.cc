// Precision and recall of DuplicateDetector on the FEBRL synthetic record-linkage data sets
// (Christen, ANU; via the Python Record Linkage Toolkit — see <data>/febrl/SOURCE.txt). Every
// record is indexed, every record is probed, and the flagged pairs are compared with the true
// links, which FEBRL encodes in rec_id ("rec-12-org" and "rec-12-dup-0" are one person).
//
// FEBRL records carry names, an Australian address, a date of birth (YYYYMMDD, corrupted or
// missing in some duplicates) and a 7-digit social security number, but no phone, e-mail or sex.
// Two mappings are measured: names, birth date and postcode only (the harder case, asserted),
// and additionally the social security number in the phone field — a per-person identifier with
// typos, which is the role a phone number plays in the model.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/patients/duplicate_detector.h"

#ifndef CAREDESK_SOURCE_DIR
#define CAREDESK_SOURCE_DIR "."
#endif

namespace caredesk {
namespace {

struct FebrlRecord {
  std::string rec_id;
  IndexedPatient patient;
  std::string soc_sec_id;
};

using Link = std::pair<std::string, std::string>;  // rec_ids, first < second

Link MakeLink(std::string a, std::string b) {
  if (b < a) std::swap(a, b);
  return {std::move(a), std::move(b)};
}

std::filesystem::path DataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(Trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

// Parses a FEBRL date of birth; missing or impossible dates (FEBRL corrupts some) are unknown.
std::optional<CivilDate> ParseFebrlDate(const std::string& s) {
  if (s.size() != 8) return std::nullopt;
  const CivilDate d{std::stoi(s.substr(0, 4)), std::stoi(s.substr(4, 2)),
                    std::stoi(s.substr(6, 2))};
  if (!IsRealDate(d)) return std::nullopt;
  return d;
}

// Reads a data set; on failure returns false with a message naming the path.
bool LoadRecords(const std::filesystem::path& path, std::vector<FebrlRecord>& out,
                 std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "FEBRL data set missing: could not open " + path.string() +
            " (set CAREDESK_DATA_DIR to the directory holding febrl/)";
    return false;
  }
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> f = SplitCsv(line);
    if (f.size() != 11) {
      error = "malformed line in " + path.string() + ": " + line;
      return false;
    }
    FebrlRecord r;
    r.rec_id = f[0];
    r.patient.id = static_cast<int64_t>(out.size() + 1);
    r.patient.given_name = f[1];
    r.patient.family_name = f[2];
    r.patient.postal_code = f[7];
    r.patient.birth_date = ParseFebrlDate(f[9]);
    r.soc_sec_id = f[10];
    out.push_back(std::move(r));
  }
  return true;
}

bool LoadLinks(const std::filesystem::path& path, std::set<Link>& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "FEBRL true links missing: could not open " + path.string();
    return false;
  }
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> f = SplitCsv(line);
    if (f.size() == 2) out.insert(MakeLink(f[0], f[1]));
  }
  return true;
}

struct Quality {
  size_t flagged = 0;
  size_t true_links = 0;
  size_t found = 0;
  double precision() const { return flagged == 0 ? 0 : static_cast<double>(found) / flagged; }
  double recall() const { return true_links == 0 ? 0 : static_cast<double>(found) / true_links; }
};

// Indexes `indexed`, probes with every record of `probes`, and scores the flagged pairs.
Quality Evaluate(const std::vector<FebrlRecord>& indexed, const std::vector<FebrlRecord>& probes,
                 const std::set<Link>& truth, bool soc_sec_id_as_phone) {
  const auto prepare = [&](const FebrlRecord& r, int64_t id_offset) {
    IndexedPatient p = r.patient;
    p.id += id_offset;
    if (soc_sec_id_as_phone) p.phone = r.soc_sec_id;
    return p;
  };
  // Probes from another file get ids after the indexed ones.
  const int64_t probe_offset = &indexed == &probes ? 0 : static_cast<int64_t>(indexed.size());
  PatientIndex index;
  std::unordered_map<int64_t, const std::string*> rec_ids;
  for (const FebrlRecord& r : indexed) {
    index.Upsert(prepare(r, 0));
    rec_ids[r.patient.id] = &r.rec_id;
  }
  const DuplicateDetector detector(index);
  std::set<Link> flagged;
  for (const FebrlRecord& r : probes) {
    for (const DuplicateCandidate& c : detector.Find(prepare(r, probe_offset), 10)) {
      flagged.insert(MakeLink(r.rec_id, *rec_ids.at(c.id)));
    }
  }
  Quality q;
  q.flagged = flagged.size();
  q.true_links = truth.size();
  for (const Link& link : flagged) q.found += truth.count(link);
  return q;
}

struct DataSet {
  const char* records;
  const char* linked_records;  // nullptr: links within `records`
  const char* links;
};

struct Floors {
  double precision;
  double recall;
};

// Measures one data set and checks it against floors set a little below the measured values.
void ExpectAtLeast(const DataSet& set, bool soc_sec_id_as_phone, Floors floors) {
  const std::filesystem::path dir = DataDir() / "febrl";
  std::vector<FebrlRecord> records, linked;
  std::set<Link> truth;
  std::string error;
  if (!LoadRecords(dir / set.records, records, error) ||
      (set.linked_records != nullptr && !LoadRecords(dir / set.linked_records, linked, error)) ||
      !LoadLinks(dir / "true_links" / set.links, truth, error)) {
    FAIL() << error;
  }
  const Quality q = set.linked_records == nullptr
                        ? Evaluate(records, records, truth, soc_sec_id_as_phone)
                        : Evaluate(records, linked, truth, soc_sec_id_as_phone);
  std::printf("[ febrl    ] %s%s: %zu true links, %zu pairs flagged, %zu of them true: "
              "precision %.4f, recall %.4f\n",
              set.records, soc_sec_id_as_phone ? " (+soc_sec_id as phone)" : "", q.true_links,
              q.flagged, q.found, q.precision(), q.recall());
  EXPECT_GE(q.precision(), floors.precision) << set.records;
  EXPECT_GE(q.recall(), floors.recall) << set.records;
}

constexpr DataSet kDataSet1{"dataset1.csv", nullptr, "dataset1_links.csv"};
constexpr DataSet kDataSet2{"dataset2.csv", nullptr, "dataset2_links.csv"};
constexpr DataSet kDataSet3{"dataset3.csv", nullptr, "dataset3_links.csv"};
constexpr DataSet kDataSet4{"dataset4a.csv", "dataset4b.csv", "dataset4_links.csv"};

// Measured with kProbableDuplicateWeight = 13 (precision / recall):
//
//                 names, birth date, postcode    + soc_sec_id as phone
//   dataset1      1.0000 / 0.9500                1.0000 / 0.9820
//   dataset2      0.9962 / 0.9395                0.9989 / 0.9700
//   dataset3      1.0000 / 0.9142                1.0000 / 0.9582
//   dataset4      0.9992 / 0.9586                0.9996 / 0.9806
//
// Most missed links are duplicates whose generator replaced a whole name or the birth date
// (e.g. "sachin stephenson" / "kykee turale", same birth date). Over thresholds 8…18 precision
// stays ≥ 0.98 while recall falls from about 0.95–0.98 to 0.84–0.90; at 16, precision is 1.0
// on datasets 1–3 with recall 0.87–0.91.

TEST(DuplicateDetectorFebrl, LinksDataSet1) {
  ExpectAtLeast(kDataSet1, false, {0.99, 0.94});
  ExpectAtLeast(kDataSet1, true, {0.99, 0.97});
}

TEST(DuplicateDetectorFebrl, LinksDataSet2WithUpToFiveDuplicates) {
  ExpectAtLeast(kDataSet2, false, {0.99, 0.93});
  ExpectAtLeast(kDataSet2, true, {0.99, 0.96});
}

TEST(DuplicateDetectorFebrl, LinksDataSet3WithHeavyCorruption) {
  ExpectAtLeast(kDataSet3, false, {0.99, 0.90});
  ExpectAtLeast(kDataSet3, true, {0.99, 0.95});
}

TEST(DuplicateDetectorFebrl, LinksDataSet4AcrossTwoFiles) {
  ExpectAtLeast(kDataSet4, false, {0.99, 0.94});
  ExpectAtLeast(kDataSet4, true, {0.99, 0.97});
}

}  // namespace
}  // namespace caredesk
