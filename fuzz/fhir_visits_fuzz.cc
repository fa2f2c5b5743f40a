// What other systems send to the scheduling and visit resources: search parameters of Appointment, Encounter,
// Coverage, Slot and AuditEvent from the query string, an Appointment to book, a batch Bundle, and the
// Practitioners, Organizations and Encounters an import brings, as JSON. Each reader accepts or refuses with an
// error naming a parameter or element, never crashes; what it accepts is usable (a limit within bounds, a
// cursor that reads back, a slot window not inverted by the reader, a visit that does not end before it
// begins, a provider and a location with names), and what CareDesk does not model is served back as sent.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/appointment_input.h"
#include "fhir/audit_event_resource.h"
#include "fhir/bundle.h"
#include "fhir/coverage_resource.h"
#include "fhir/kept_as_sent.h"
#include "fhir/schedule_resources.h"
#include "fhir/visit_import.h"
#include "fhir/visit_resources.h"

namespace {

using caredesk::fhir::QueryParams;

QueryParams Split(std::string_view text) {
  QueryParams query;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find('&', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(at, end - at);
    const size_t eq = pair.find('=');
    query.emplace_back(std::string(pair.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    at = end + 1;
  }
  return query;
}

template <typename Search>
void CheckKeyed(const caredesk::Result<Search>& s) {
  if (!s.ok()) {
    if (s.error().field.empty()) __builtin_trap();
    return;
  }
  const auto& page = s->criteria.page;
  if (page.limit < 0 || page.limit > caredesk::fhir::kMaxCount) __builtin_trap();
  if (page.after_id && page.by_time != page.after_time.has_value()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const QueryParams query = Split(text);
  CheckKeyed(caredesk::fhir::ReadAppointmentSearch(query, {2026, 11, 24}));
  CheckKeyed(caredesk::fhir::ReadEncounterSearch(query, {2026, 11, 24}));
  CheckKeyed(caredesk::fhir::ReadCoverageSearch(query));
  if (auto slots = caredesk::fhir::ReadSlotSearch(query); !slots.ok()) {
    if (slots.error().field.empty()) __builtin_trap();
  } else {
    if (slots->limit < 1 || slots->limit > static_cast<int>(caredesk::kMaxSlotLimit)) __builtin_trap();
    if (slots->free && slots->from_ms && slots->to_ms && *slots->to_ms <= *slots->from_ms) __builtin_trap();
    if (slots->after && caredesk::fhir::ReadSlotId(caredesk::fhir::FormatSlotId(*slots->after)) != slots->after) {
      __builtin_trap();
    }
  }
  if (auto audit = caredesk::fhir::ReadAuditEventSearch(query); !audit.ok() && audit.error().field.empty()) {
    __builtin_trap();
  }
  (void)caredesk::fhir::ReadSlotId(text);
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(text, ec);
  if (!ec) {
    for (bool update : {false, true}) {
      auto in = caredesk::fhir::ReadAppointmentResource(body, update);
      if (!in.ok() && in.error().field.empty()) __builtin_trap();
      if (in.ok() && (in->booking.patient_id <= 0 || in->booking.provider_id <= 0)) __builtin_trap();
    }
    if (const boost::json::object* o = body.if_object()) {
      auto refused = [](const caredesk::Error& e) {
        if (e.field.empty()) __builtin_trap();
      };
      if (auto v = caredesk::fhir::ReadVisit(*o); !v.ok()) {
        refused(v.error());
      } else if (v->end < v->start || v->patient_id <= 0 || (v->state != "completed" && v->state != "left_without_being_seen")) {
        __builtin_trap();
      }
      if (auto p = caredesk::fhir::ReadPractitioner(*o); !p.ok()) {
        refused(p.error());
      } else if (p->name.empty()) {
        __builtin_trap();
      }
      if (auto l = caredesk::fhir::ReadOrganizationSite(*o, "UTC"); !l.ok()) {
        refused(l.error());
      } else if (l->name.empty()) {
        __builtin_trap();
      }
      const boost::json::object projection{{"resourceType", "Encounter"}, {"id", "1"}, {"status", "finished"}};
      const boost::json::object served =
          caredesk::fhir::KeepAsSent(caredesk::fhir::AsSent(*o), projection, projection,
                                     caredesk::fhir::EncounterModelled(), true);
      for (std::string_view key : {"reasonCode", "serviceProvider", "extension", "text", "hospitalization"}) {
        if (o->contains(key) && !served.contains(key)) __builtin_trap();
      }
    }
    // A batch's (or transaction's) entries are relative to the base and never leave it.
    bool transaction = false;
    if (auto batch = caredesk::fhir::ReadBatch(body, &transaction); !batch.ok()) {
      if (batch.error().field.empty()) __builtin_trap();
    } else {
      if (batch->size() > caredesk::fhir::kMaxBatchEntries) __builtin_trap();
      for (const auto& e : *batch) {
        if (e.url.empty() || e.url.front() == '/' || e.url.find("..") != std::string::npos) __builtin_trap();
      }
    }
  }
  return 0;
}
