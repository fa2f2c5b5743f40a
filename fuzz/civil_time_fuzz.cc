// Dates and date-times arrive in bodies and query strings: parsing must
// accept or refuse, never crash, and what it accepts must format back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/civil_time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = caredesk::ParseCivilDate(text, "date"); d.ok()) {
    auto again = caredesk::ParseCivilDate(d->ToString(), "date");
    if (!again.ok() || *again != *d) __builtin_trap();
  }
  for (const char* tz : {"", "UTC", "America/New_York", "Asia/Kolkata"}) {
    if (auto t = caredesk::ParseInstant(text, tz, "start"); t.ok()) {
      (void)caredesk::FormatInstant(*t, "America/New_York");
      (void)caredesk::FormatInstantUtc(*t);
    }
  }
  return 0;
}
