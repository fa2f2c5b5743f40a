// Search text is typed by users: the typo-tolerant index must answer any
// query, ranked and within the limit, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/patients/duplicate_detector.h"
#include "domain/patients/patient_index.h"

namespace {

const caredesk::PatientIndex& Index() {
  static const caredesk::PatientIndex* index = [] {
    static caredesk::PatientIndex idx;
    const char* given[] = {"John", "Maria", "Nguyen", "Aisha", "Robert", "Zoë", "Li", "José"};
    const char* family[] = {"Smith", "García", "Tran", "Okafor", "O'Neil", "Müller", "Chen", "Smith-Jones"};
    int64_t id = 1;
    for (const char* g : given) {
      for (const char* f : family) {
        caredesk::IndexedPatient p;
        p.id = id;
        p.given_name = g;
        p.family_name = f;
        p.birth_date = caredesk::CivilDate{1950 + static_cast<int>(id % 60), 1 + static_cast<int>(id % 12), 1 + static_cast<int>(id % 28)};
        p.phone = "55512" + std::to_string(10000 + id);
        idx.Upsert(p);
        ++id;
      }
    }
    return &idx;
  }();
  return *index;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view query(reinterpret_cast<const char*>(data), size);
  const auto& index = Index();
  auto hits = index.Search(query, 10, 0);
  if (hits.size() > 10) __builtin_trap();
  for (size_t i = 1; i < hits.size(); ++i) {
    if (hits[i].score > hits[i - 1].score) __builtin_trap();
  }
  caredesk::IndexedPatient probe;
  probe.given_name = std::string(query.substr(0, size / 2));
  probe.family_name = std::string(query.substr(size / 2));
  (void)caredesk::DuplicateDetector(index).Find(probe, 5);
  return 0;
}
