// A FHIR Patient comes from another system as JSON: reading it into the
// patient record must accept it or refuse it naming an element, never crash;
// what it accepts must be a valid record, and serving it back (KeepUnmodelled)
// must keep every element the writer sent that CareDesk does not model.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fhir/patient_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace json = boost::json;
  boost::system::error_code ec;
  json::value body = json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  const caredesk::CivilDate today{2026, 11, 24};
  auto in = caredesk::fhir::ReadPatientResource(body, today);
  if (!in.ok()) {
    if (in.error().field.empty()) __builtin_trap();  // every refusal names an element
    return 0;
  }
  caredesk::Patient again = in->patient;
  if (!caredesk::ValidateAndNormalize(again, today).ok()) __builtin_trap();
  json::object projection{{"resourceType", "Patient"}, {"id", "1"}, {"name", json::array{}}};
  json::object served = caredesk::fhir::KeepUnmodelled(in->original, projection, projection);
  for (std::string_view key : {"extension", "text", "contained", "maritalStatus", "_birthDate"}) {
    if (in->original.contains(key) && served.if_contains(key) == nullptr) __builtin_trap();
  }
  return 0;
}
