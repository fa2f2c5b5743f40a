// Writing HL7 v2 text under the default delimiters (|^~\&): the pieces the ACK writer and the
// outbound message writer share. Values passed as "encoded" must already be escaped (Esc).
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/clock.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2::writing {

inline const Delimiters kDelimiters;

// `text` escaped for the default delimiters.
std::string Esc(std::string_view text);

// `parts`, encoded already, joined by `sep`, trailing empty parts left out.
std::string Join(std::initializer_list<std::string_view> parts, char sep);
inline std::string Components(std::initializer_list<std::string_view> parts) {
  return Join(parts, kDelimiters.component);
}

// HD: <namespace>^<universal id>^<universal id type>, escaped.
std::string Hd(const HierarchicDesignator& hd);

// Appends a segment: `fields` (encoded already) after the segment id, trailing empty fields left
// out, then the CR that ends it. For MSH, fields[0] is MSH-2 (the encoding characters).
void AppendSegment(std::string& out, std::string_view id, std::initializer_list<std::string_view> fields);
// The same for fields numbered by position (fields[0] is field 1), for segments written sparsely.
void AppendSegment(std::string& out, std::string_view id, std::span<const std::string> fields);

// DTM to the second in UTC: 20250310170000+0000.
std::string DtmUtc(TimePoint t);
// DTM to the second as wall time in `tz` with its offset: 20250310120000-0500.
std::string DtmIn(TimePoint t, std::string_view tz);
// DT: 19800517.
std::string Dt(const CivilDate& date);

}  // namespace caredesk::hl7v2::writing
