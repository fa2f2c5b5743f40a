#include "domain/hl7v2/hl7v2_reading.h"

#include "core/text.h"

namespace caredesk::hl7v2::reading {

std::string Value(const Segment& seg, size_t field, size_t rep, size_t comp, size_t sub) {
  const std::string v = seg.Get(field, rep, comp, sub);
  const std::string_view t = TrimSpace(v);
  if (t == "\"\"") return {};
  return std::string(t);
}

}  // namespace caredesk::hl7v2::reading
