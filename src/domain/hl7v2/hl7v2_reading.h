// Reading values out of parsed HL7 v2 segments: what the ADT and SIU readers share.
#pragma once

#include <cstddef>
#include <string>

#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2::reading {

// The decoded value at that position, without surrounding blanks; HL7's explicit null ("") reads as
// nothing, as an absent value does.
std::string Value(const Segment& seg, size_t field, size_t rep = 0, size_t comp = 1, size_t sub = 1);

}  // namespace caredesk::hl7v2::reading
