// Request bodies come from anyone who can reach the server: parsing and every
// typed accessor must answer with a value or a field-named error, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = caredesk::api::JsonBody::Parse(body);
  if (!parsed.ok()) return 0;
  const auto& b = *parsed;
  for (const char* key : {"given_name", "birth_date", "patient_id", "start", "override", "ids", "address"}) {
    (void)b.String(key);
    (void)b.RequiredString(key);
    (void)b.Int(key);
    (void)b.Bool(key);
    (void)b.Date(key);
    (void)b.IntList(key);
    if (auto nested = b.Object(key); nested.ok() && nested->has_value()) (void)(*nested)->String("city");
    if (auto arr = b.Array(key); arr.ok() && arr->has_value()) {
      for (const auto& v : **arr) (void)caredesk::api::ElementObject(v, "x");
    }
  }
  return 0;
}
