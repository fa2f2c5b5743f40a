#include "fhir/importer.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "fhir/json_access.h"
#include "fhir/kept_as_sent.h"
#include "fhir/references.h"
#include "fhir/resource_types.h"
#include "fhir/survey_responses.h"
#include "fhir/schedule_resources.h"
#include "fhir/search_params.h"
#include "fhir/visit_store.h"
#include "storage/encounter_repository.h"
#include "storage/fhir_source_repository.h"
#include "storage/patient_identifier_repository.h"
#include "storage/patient_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

// One resource read from a file, and where it came from.
struct Item {
  explicit Item(json::object r) : resource(std::move(r)) {}  // moved with its storage
  json::object resource;
  std::string type;
  std::string source_id;  // its id as sent; empty without one
  std::string full_url;   // its Bundle entry's fullUrl; empty for ndjson
  std::string where;      // "file:line" or "file entry[i]", for the report
  std::string id;         // a stored type's id here
};

// Reads every resource of the input into memory. The resources live as long as the import, so they are
// parsed into one arena (a monotonic resource shared by every Item, freed with the last of them) by one
// parser reused for each line: no allocation and free per JSON node, which was most of the reading's cost.
class Reader {
 public:
  explicit Reader(ImportReport& report)
      : report_(report), arena_(json::make_shared_resource<json::monotonic_resource>()) {}

  void Fail(const std::string& where, const std::string& what) {
    ++report_.failed;
    if (report_.errors.size() < ImportReport::kMaxErrors) report_.errors.push_back(where + ": " + what);
  }

  // One resource: kept when it is an object naming an R4 resource type.
  void Add(json::value v, std::string where, std::string full_url) {
    if (!v.is_object()) return Fail(where, "not a JSON object");
    json::object& o = v.get_object();
    const json::value* rt = o.if_contains("resourceType");
    if (!rt || !rt->is_string()) return Fail(where, "no resourceType");
    std::string type(rt->get_string());
    if (!IsR4ResourceType(type)) return Fail(where, type + " is not an R4 resource type");
    ++report_.read;
    Item item(std::move(o));  // in the arena still
    item.type = std::move(type);
    if (const json::value* id = item.resource.if_contains("id"); id && id->is_string()) item.source_id = id->get_string();
    item.full_url = std::move(full_url);
    item.where = std::move(where);
    items.push_back(std::move(item));
  }

  void ReadNdjson(const fs::path& file, std::istream& in) {
    const std::string name = file.filename().string() + ":";
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::string where = name + std::to_string(n);
      boost::system::error_code ec;
      json::value v = Parse(line, ec);
      if (ec) {
        Fail(where, "not JSON: " + ec.message());
        continue;
      }
      Add(std::move(v), std::move(where), "");
    }
  }

  void ReadJson(const fs::path& file, const std::string& text) {
    const std::string name = file.filename().string();
    boost::system::error_code ec;
    json::value v = Parse(text, ec);
    if (ec) return Fail(name, "not JSON: " + ec.message());
    const bool bundle = v.is_object() && v.get_object().contains("resourceType") &&
                        v.get_object().at("resourceType") == "Bundle";
    if (!bundle) return Add(std::move(v), name, "");
    json::value* entries = v.get_object().if_contains("entry");
    if (!entries) return;
    if (!entries->is_array()) return Fail(name, "Bundle.entry is not an array");
    json::array& list = entries->get_array();
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = name + " entry[" + std::to_string(i) + "]";
      if (!list[i].is_object()) {
        Fail(where, "not an object");
        continue;
      }
      json::object& entry = list[i].get_object();
      if (const json::value* request = entry.if_contains("request"); request && request->is_object()) {
        const json::value* method = request->get_object().if_contains("method");
        if (method && method->is_string() && method->get_string() != "POST" && method->get_string() != "PUT") {
          ++report_.skipped["Bundle entry " + std::string(method->get_string())];
          continue;
        }
      }
      json::value* resource = entry.if_contains("resource");
      if (!resource) {
        Fail(where, "no resource");
        continue;
      }
      std::string full_url;
      if (const json::value* u = entry.if_contains("fullUrl"); u && u->is_string()) full_url = u->get_string();
      Add(std::move(*resource), where, std::move(full_url));
    }
  }

  std::vector<Item> items;

 private:
  // One JSON text into the arena (Item::resource's storage); a partial value is dropped on error.
  json::value Parse(std::string_view text, boost::system::error_code& ec) {
    parser_.reset(arena_);
    parser_.write(text, ec);
    if (ec) return nullptr;
    return parser_.release();
  }

  ImportReport& report_;
  json::storage_ptr arena_;
  json::parser parser_;  // its own working memory, reused for every text
};

// The names a source may use for `item`: its fullUrl, urn:uuid:<id> and Type/<id>.
void Name(const Item& item, const std::string& here, ReferenceNames& refs) {
  if (!item.full_url.empty()) refs[item.full_url] = here;
  if (!item.source_id.empty()) {
    refs.emplace("urn:uuid:" + item.source_id, here);
    refs[item.type + "/" + item.source_id] = here;
  }
}

// The names a source may use for `item`, to keep for later imports.
std::vector<std::string> NamesOf(const Item& item) {
  std::vector<std::string> out;
  if (!item.full_url.empty()) out.push_back(item.full_url);
  if (!item.source_id.empty()) {
    out.push_back("urn:uuid:" + item.source_id);
    out.push_back(item.type + "/" + item.source_id);
  }
  return out;
}

Status PutNames(db::Connection& c, const Item& item, const std::string& here) {
  for (const std::string& name : NamesOf(item)) {
    CD_RETURN_IF_ERROR(db::FhirResourceRepository::PutImportName(c, name, here));
  }
  return Ok();
}

// What an earlier import made of `item` (a provider, an encounter): its CareDesk id, or 0.
int64_t Imported(const Item& item, const ReferenceNames& refs) {
  for (const std::string& name : NamesOf(item)) {
    const auto found = refs.find(name);
    if (found == refs.end() || !found->second.starts_with(item.type + "/")) continue;
    if (const int64_t id = ReferenceId(found->second, item.type); id > 0) return id;
  }
  return 0;
}

std::string Described(const Error& e) { return (e.field.empty() ? "" : e.field + ": ") + e.message; }

bool IsFailure(const Error& e) { return e.code == ErrorCode::kInternal || e.code == ErrorCode::kUnavailable; }

// The identifiers of a Patient resource as sent (system and value both given).
std::vector<db::IdentifierKey> Identifiers(const json::object& patient) {
  std::vector<db::IdentifierKey> out;
  const json::value* ids = patient.if_contains("identifier");
  if (!ids || !ids->is_array()) return out;
  for (const json::value& id : ids->get_array()) {
    if (!id.is_object()) continue;
    const json::value* system = id.get_object().if_contains("system");
    const json::value* value = id.get_object().if_contains("value");
    if (system && value && system->is_string() && value->is_string()) {
      out.push_back(db::IdentifierKey{std::string(system->get_string()), std::string(value->get_string())});
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a Patient resource is `known` (found by one of its identifiers): the same birth date and one of its
// family names. Identifiers collide in real data (a mistyped licence number, Synthea's own duplicates); two
// people are never merged on an identifier alone.
bool SamePerson(const json::object& resource, const Patient& known) {
  const json::value* birth = resource.if_contains("birthDate");
  if (!birth || !birth->is_string() || birth->get_string() != known.birth_date.ToString()) return false;
  const json::value* names = resource.if_contains("name");
  if (!names || !names->is_array()) return false;
  for (const json::value& n : names->get_array()) {
    const json::value* family = n.is_object() ? n.get_object().if_contains("family") : nullptr;
    if (family && family->is_string() && Lower(family->get_string()) == Lower(known.family_name)) return true;
  }
  return false;
}

// What the writing phases share.
struct Context {
  const Actor& by;
  VisitStore& visits;
  CoverageStore& coverages;
  ResourceStore& resources;
  db::Pool& pool;
  ReferenceNames& refs;
  int64_t now;
  ImportReport& report;
  Reader& reader;

  // `e` reported against the resource, or returned when the database failed.
  Status Refuse(const Item& item, const Error& e) {
    if (IsFailure(e)) return e;
    reader.Fail(item.where, Described(e));
    return Ok();
  }
};

using Tell = std::function<void(std::string_view, int64_t, int64_t)>;

// `item` (a Practitioner or an Encounter) written by `write` as what an earlier import made of it (`known`),
// or as a new one when there is none or it is gone, with the names later imports may use for it.
template <typename Write>
auto WriteImported(db::Connection& c, Item& item, int64_t known, const Write& write) -> decltype(write(0)) {
  decltype(write(0)) w = Error::NotFound("not imported before");
  if (known > 0) {
    item.resource["id"] = std::to_string(known);
    w = write(known);
  }
  // Never imported, or gone since (a NotFound naming no element is about the record, not the resource).
  if (!w.ok() && w.error().code == ErrorCode::kNotFound && w.error().field.empty()) {
    item.resource.erase("id");
    w = write(0);
  }
  if (!w.ok()) return w;
  CD_RETURN_IF_ERROR(PutNames(c, item, item.type + "/" + std::to_string(w->id)));
  return w;
}

// Practitioners: CareDesk providers through VisitStore (few: one transaction each, with the names they had).
// One imported before is updated: its name and whether it is active.
Status ImportPractitioners(Context& x, const std::vector<Item*>& practitioners, const Tell& tell) {
  for (size_t i = 0; i < practitioners.size(); ++i) {
    tell("practitioners", static_cast<int64_t>(i), static_cast<int64_t>(practitioners.size()));
    Item& item = *practitioners[i];
    Rewrite(item.resource, x.refs);
    const int64_t known = Imported(item, x.refs);
    Result<VisitStore::Written> saved = Error::Internal("not written");
    auto conn = x.pool.Acquire();
    Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      std::vector<AuditRecord> audit;
      saved = WriteImported(c, item, known, [&](int64_t id) {
        return x.visits.PractitionerInTx(c, x.by, id, item.resource, std::nullopt, x.now, audit);
      });
      if (!saved.ok()) return IsFailure(saved.error()) ? saved.error() : Ok();
      return x.resources.audit().AppendInTx(c, std::move(audit));
    });
    x.visits.Committed();
    if (!done.ok()) return done.error();
    if (!saved.ok()) {
      CD_RETURN_IF_ERROR(x.Refuse(item, saved.error()));
      continue;
    }
    Name(item, "Practitioner/" + std::to_string(saved->id), x.refs);
    ++x.report.written["Practitioner"];
  }
  tell("practitioners", static_cast<int64_t>(practitioners.size()), static_cast<int64_t>(practitioners.size()));
  return Ok();
}

// Encounters: visits that are over, through VisitStore, FhirImporter::kBatch to a transaction (each in a
// savepoint, so one refused leaves the rest), with the names they had, one audit entry per patient. One
// imported before is replaced (its next version). Where one naming no CareDesk location happened is a location
// made once for its organization: one of this import's (not yet kept), else one kept (visit_store.h).
Status ImportEncounters(Context& x, const std::vector<Item*>& encounters,
                        const std::unordered_map<std::string, const Item*>& organizations, const Tell& tell) {
  const VisitStore::Pending pending = [&](const std::string& reference) -> const json::object* {
    const auto found = organizations.find(reference);
    return found == organizations.end() ? nullptr : &found->second->resource;
  };
  for (size_t start = 0; start < encounters.size(); start += FhirImporter::kBatch) {
    tell("encounters", static_cast<int64_t>(start), static_cast<int64_t>(encounters.size()));
    const size_t end = std::min(encounters.size(), start + FhirImporter::kBatch);
    for (size_t i = start; i < end; ++i) Rewrite(encounters[i]->resource, x.refs);
    std::vector<std::pair<Item*, std::string>> written;
    std::vector<std::pair<Item*, Error>> refused;  // reported once the batch commits
    int64_t locations = 0;
    auto conn = x.pool.Acquire();
    Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      written.clear();
      refused.clear();
      locations = 0;
      std::vector<AuditRecord> audit;
      std::map<int64_t, int64_t> per_patient;
      for (size_t i = start; i < end; ++i) {
        Item& item = *encounters[i];
        CD_RETURN_IF_ERROR(c.Exec("SAVEPOINT import_encounter"));
        const size_t audited = audit.size();
        Result<VisitStore::Written> w = WriteImported(c, item, Imported(item, x.refs), [&](int64_t id) {
          return x.visits.EncounterInTx(c, x.by, id, item.resource, std::nullopt, x.now, audit,
                                        /*audit_patient=*/false, pending);
        });
        if (!w.ok()) {
          CD_RETURN_IF_ERROR(c.Exec("ROLLBACK TO SAVEPOINT import_encounter"));
          CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_encounter"));
          if (IsFailure(w.error())) return w.error();
          audit.resize(audited);
          refused.emplace_back(&item, w.error());
          continue;
        }
        CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_encounter"));
        if (w->made_location) ++locations;
        ++per_patient[w->patient_id];
        written.emplace_back(&item, "Encounter/" + std::to_string(w->id));
      }
      for (const auto& [patient, count] : per_patient) {
        audit.push_back(x.resources.audit().Make(x.by, "import", audit_category::kEncounter, patient, "success",
                                                 std::to_string(count) + " encounters imported"));
      }
      return x.resources.audit().AppendInTx(c, std::move(audit));
    });
    x.visits.Committed();
    if (!done.ok()) return done.error();
    for (const auto& [item, here] : written) Name(*item, here, x.refs);
    x.report.written["Encounter"] += static_cast<int64_t>(written.size());
    if (locations > 0) x.report.written["Location"] += locations;
    for (const auto& [item, why] : refused) CD_RETURN_IF_ERROR(x.Refuse(*item, why));
  }
  tell("encounters", static_cast<int64_t>(encounters.size()), static_cast<int64_t>(encounters.size()));
  return Ok();
}

// Coverages: each an update of its beneficiary's record (coverage_store.h), kBatch to a transaction, each in a
// savepoint so one refused leaves the rest. After the types kept as sent, so a payor may be an Organization of
// the same import. One imported before, or one of the same payer and member id the patient has, is updated.
Status ImportCoverages(Context& x, const std::vector<Item*>& coverages, const Tell& tell) {
  for (size_t start = 0; start < coverages.size(); start += FhirImporter::kBatch) {
    tell("coverages", static_cast<int64_t>(start), static_cast<int64_t>(coverages.size()));
    const size_t end = std::min(coverages.size(), start + FhirImporter::kBatch);
    for (size_t i = start; i < end; ++i) Rewrite(coverages[i]->resource, x.refs);
    std::vector<std::pair<Item*, std::string>> written;
    std::vector<std::pair<Item*, Error>> refused;  // reported once the batch commits
    std::vector<Patient> patients;
    auto conn = x.pool.Acquire();
    Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      written.clear();
      refused.clear();
      patients.clear();
      for (size_t i = start; i < end; ++i) {
        Item& item = *coverages[i];
        CD_RETURN_IF_ERROR(c.Exec("SAVEPOINT import_coverage"));
        Patient patient;
        auto w = WriteImported(c, item, Imported(item, x.refs), [&](int64_t id) {
          return x.coverages.WriteInTx(c, x.by, id, item.resource, x.now, patient, /*same_updates=*/true);
        });
        if (!w.ok()) {
          CD_RETURN_IF_ERROR(c.Exec("ROLLBACK TO SAVEPOINT import_coverage"));
          CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_coverage"));
          if (IsFailure(w.error())) return w.error();
          refused.emplace_back(&item, w.error());
          continue;
        }
        CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_coverage"));
        patients.push_back(std::move(patient));
        written.emplace_back(&item, "Coverage/" + std::to_string(w->id));
      }
      return Ok();
    });
    if (!done.ok()) return done.error();
    for (const Patient& p : patients) x.coverages.Indexed(p);
    for (const auto& [item, here] : written) Name(*item, here, x.refs);
    x.report.written["Coverage"] += static_cast<int64_t>(written.size());
    for (const auto& [item, why] : refused) CD_RETURN_IF_ERROR(x.Refuse(*item, why));
  }
  tell("coverages", static_cast<int64_t>(coverages.size()), static_cast<int64_t>(coverages.size()));
  return Ok();
}

Result<std::vector<fs::path>> InputFiles(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files;
  for (const fs::path& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(input, ec)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".ndjson" || ext == ".json")) found.push_back(e.path());
      }
      if (ec) return Error::Invalid("input", "cannot list " + input.string() + ": " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input, ec)) {
      files.push_back(input);
    } else {
      return Error::Invalid("input", input.string() + " is neither a file nor a directory");
    }
  }
  return files;
}

}  // namespace

Result<ImportReport> FhirImporter::Import(const Actor& by, const std::vector<fs::path>& inputs,
                                          const Progress& progress) {
  const auto tell = [&](std::string_view phase, int64_t done, int64_t total) {
    if (progress) progress(phase, done, total);
  };
  ImportReport report;
  Reader reader(report);
  CD_ASSIGN_OR_RETURN(std::vector<fs::path> files, InputFiles(inputs));
  for (size_t i = 0; i < files.size(); ++i) {
    tell("reading", static_cast<int64_t>(i), static_cast<int64_t>(files.size()));
    std::ifstream in(files[i], std::ios::binary);
    if (!in) return Error::Invalid("input", "cannot open " + files[i].string());
    if (files[i].extension() == ".ndjson") {
      reader.ReadNdjson(files[i], in);
    } else {
      std::stringstream text;
      text << in.rdbuf();
      reader.ReadJson(files[i], text.str());
    }
  }
  tell("reading", static_cast<int64_t>(files.size()), static_cast<int64_t>(files.size()));
  std::vector<Item>& items = reader.items;
  if (items.empty() && report.failed > 0) {
    return Error::Invalid("input", "no resource could be read: " + report.errors.front());
  }

  // What each resource will be called here. Stored types keep their ids (a urn:uuid fullUrl gives one
  // without); patients get theirs when written, below.
  ReferenceNames refs;
  std::vector<Item*> patients, practitioners, encounters, coverages, stored;
  std::unordered_map<std::string, const Item*> organizations;  // by what they are called here
  for (Item& item : items) {
    if (item.type == "Patient") {
      patients.push_back(&item);
    } else if (item.type == "Practitioner") {
      practitioners.push_back(&item);
    } else if (item.type == "Encounter") {
      encounters.push_back(&item);
    } else if (item.type == "Coverage") {
      coverages.push_back(&item);
    } else if (IsStoredType(item.type)) {
      // Another CareDesk's survey responses are not this one's (whose ids they would take).
      const bool theirs = item.type == kQuestionnaireResponse && SurveyResponseIdOf(item.source_id);
      if (IsValidResourceId(item.source_id) && !theirs) {
        item.id = item.source_id;
      } else if (item.full_url.starts_with("urn:uuid:") && IsValidResourceId(item.full_url.substr(9))) {
        item.id = item.full_url.substr(9);
      } else {
        item.id = NewResourceId();
      }
      Name(item, item.type + "/" + item.id, refs);
      if (item.type == "Organization") organizations[item.type + "/" + item.id] = &item;
      stored.push_back(&item);
    } else {
      ++report.skipped[item.type];
    }
  }

  // References this import does not resolve may name patients, providers or encounters an earlier import
  // wrote; the providers and encounters of this one may be those of an earlier one, imported again.
  {
    std::vector<std::string> unknown;
    std::unordered_map<std::string, bool> seen;
    for (const std::vector<Item*>* again : {&practitioners, &encounters, &coverages}) {
      for (const Item* item : *again) {
        for (std::string& name : NamesOf(*item)) {
          if (!refs.contains(name) && seen.emplace(name, true).second) unknown.push_back(std::move(name));
        }
      }
    }
    for (Item& item : items) {
      EachReference(item.resource, [&](json::value& ref) {
        std::string text(ref.get_string());
        if (!refs.contains(text) && seen.emplace(text, true).second) unknown.push_back(std::move(text));
      });
    }
    auto conn = pool_.Acquire();
    for (size_t at = 0; at < unknown.size(); at += 1000) {
      const std::vector<std::string> chunk(unknown.begin() + at,
                                           unknown.begin() + std::min(unknown.size(), at + 1000));
      CD_ASSIGN_OR_RETURN(auto known, db::FhirResourceRepository::ImportNames(*conn, chunk));
      for (auto& [name, target] : known) refs.emplace(std::move(name), std::move(target));
    }
  }

  const int64_t now = ToMillis(resources_.clock().Now());
  // Patients: kPatientBatch to a transaction, through PatientStore, each in a savepoint of its own so that
  // one refused leaves the others. A patient CareDesk knows by an identifier (the same person) is updated.
  for (size_t start = 0; start < patients.size(); start += kPatientBatch) {
    tell("patients", static_cast<int64_t>(start), static_cast<int64_t>(patients.size()));
    const size_t end = std::min(patients.size(), start + kPatientBatch);
    std::vector<Patient> written_patients;
    std::vector<std::pair<Item*, std::string>> named;  // each patient written and its reference here
    ImportReport batch_report;                         // merged once the batch commits
    auto conn = pool_.Acquire();
    Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      for (size_t i = start; i < end; ++i) {
        Item& item = *patients[i];
        Rewrite(item.resource, refs);
        // Who this is: a patient found by an identifier with the same birth date and family name. Those an
        // earlier patient of this batch wrote count too (the same connection sees them).
        std::optional<int64_t> same;
        std::vector<db::IdentifierKey> taken;  // identifiers other people have
        std::string whose;
        const std::vector<db::IdentifierKey> keys = Identifiers(item.resource);
        std::vector<db::PatientIdentifierRow> known;
        if (!keys.empty()) {
          CD_ASSIGN_OR_RETURN(known, db::PatientIdentifierRepository::FindAny(c, keys));
        }
        for (const db::PatientIdentifierRow& row : known) {
          CD_ASSIGN_OR_RETURN(auto patient, db::PatientRepository::Find(c, row.patient_id));
          if (patient && SamePerson(item.resource, *patient)) {
            same = row.patient_id;
          } else {
            taken.push_back(db::IdentifierKey{row.system, row.value});
            if (whose.empty()) {
              whose = row.system + "|" + row.value + " belongs to patient " + std::to_string(row.patient_id) +
                      ", who has another name or birth date";
            }
          }
        }
        CD_RETURN_IF_ERROR(c.Exec("SAVEPOINT import_patient"));
        Result<PatientStore::Written> written = Error::Internal("not written");
        if (same) {
          item.resource["id"] = std::to_string(*same);
          written = patients_.UpdateInTx(c, by, *same, item.resource, std::nullopt, taken);
        } else {
          item.resource.erase("id");
          written = patients_.CreateInTx(c, by, item.resource, taken);
        }
        if (!written.ok()) {
          CD_RETURN_IF_ERROR(c.Exec("ROLLBACK TO SAVEPOINT import_patient"));
          CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_patient"));
          const Error& e = written.error();
          if (IsFailure(e)) return e;
          ++batch_report.failed;
          batch_report.errors.push_back(item.where + ": " + Described(e));
          continue;
        }
        CD_RETURN_IF_ERROR(c.Exec("RELEASE SAVEPOINT import_patient"));
        const std::string here = "Patient/" + std::to_string(written->patient.id);
        ++(same ? batch_report.patients_updated : batch_report.patients_created);
        if (!same && !taken.empty()) {
          batch_report.warnings.push_back(item.where + ": registered as a new patient (" +
                                          std::to_string(written->patient.id) + ") without identifier " + whose);
        }
        CD_RETURN_IF_ERROR(PutNames(c, item, here));  // the names later imports may use for it
        written_patients.push_back(std::move(written->patient));
        named.emplace_back(&item, here);
      }
      return Ok();
    });
    if (!done.ok()) return done.error();
    for (const Patient& p : written_patients) patients_.Indexed(p);
    for (const auto& [item, here] : named) Name(*item, here, refs);
    report.written["Patient"] += static_cast<int64_t>(named.size());
    report.patients_created += batch_report.patients_created;
    report.patients_updated += batch_report.patients_updated;
    for (auto& w : batch_report.warnings) {
      if (report.warnings.size() < ImportReport::kMaxErrors) report.warnings.push_back(std::move(w));
    }
    for (auto& e : batch_report.errors) {
      ++report.failed;
      if (report.errors.size() < ImportReport::kMaxErrors) report.errors.push_back(std::move(e));
    }
  }
  tell("patients", static_cast<int64_t>(patients.size()), static_cast<int64_t>(patients.size()));

  Context x{by, visits_, coverages_, resources_, pool_, refs, now, report, reader};
  CD_RETURN_IF_ERROR(ImportPractitioners(x, practitioners, tell));
  CD_RETURN_IF_ERROR(ImportEncounters(x, encounters, organizations, tell));

  // The rest: batches of kBatch resources, each one transaction with one audit entry per patient it touches.
  for (size_t start = 0; start < stored.size(); start += kBatch) {
    tell("resources", static_cast<int64_t>(start), static_cast<int64_t>(stored.size()));
    const size_t end = std::min(stored.size(), start + kBatch);
    std::vector<Item*> batch;
    for (size_t i = start; i < end; ++i) {
      Item& item = *stored[i];
      Rewrite(item.resource, refs);
      if (const json::value* meta = item.resource.if_contains("meta"); meta && !meta->is_object()) {
        reader.Fail(item.where, "meta must be an object");
        continue;
      }
      batch.push_back(&item);
    }
    auto conn = pool_.Acquire();
    Status done = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
      std::map<int64_t, int64_t> per_patient;
      for (Item* item : batch) {
        CD_ASSIGN_OR_RETURN(auto w, resources_.PutInTx(c, by, item->type, item->id, item->resource, std::nullopt, now,
                                                       nullptr));
        if (w.resource.patient_id > 0) ++per_patient[w.resource.patient_id];
      }
      std::vector<AuditRecord> audit;
      for (const auto& [patient, count] : per_patient) {
        audit.push_back(resources_.audit().Make(by, "import", audit_category::kClinical, patient, "success",
                                                std::to_string(count) + " FHIR resources imported"));
      }
      return resources_.audit().AppendInTx(c, std::move(audit));
    });
    if (!done.ok()) return done.error();
    for (Item* item : batch) ++report.written[item->type];
  }
  tell("resources", static_cast<int64_t>(stored.size()), static_cast<int64_t>(stored.size()));
  CD_RETURN_IF_ERROR(ImportCoverages(x, coverages, tell));
  return report;
}

}  // namespace caredesk::fhir
