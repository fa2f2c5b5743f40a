// Acknowledgements of inbound HL7 v2 messages (original acknowledgement mode): the ACK's MSH, MSA
// and ERR segments, written for the version the inbound message used. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2 {

// MSA-1 (table 0008): AA, AE, AR.
enum class AckCode { kAccept, kError, kReject };
std::string_view AckCodeText(AckCode code);

// ERR-4 (table 0516): E, W, I.
enum class Severity { kError, kWarning, kInformation };

// One thing wrong with the inbound message, for an ERR segment.
struct AckError {
  ErrorCondition condition = ErrorCondition::kApplicationInternalError;
  ErrorLocation location;  // may be empty
  std::string text;        // for the sender's staff: ERR-8, or ERR-1.4.2 before v2.5
  Severity severity = Severity::kError;
};

// The AckError of a parse error (ConditionOf, LocationOf, its message); works for any Error, an
// unknown reason being an application internal error.
AckError AckErrorFrom(const Error& error);

// The version an ACK is written in when the inbound message's is missing or not supported.
inline constexpr std::string_view kFallbackAckVersion = "2.5.1";

struct AckRequest {
  MessageHeader inbound;  // Message::header(), or SalvageHeader's for a message ParseMessage rejected
  AckCode code = AckCode::kAccept;
  std::vector<AckError> errors;
  HierarchicDesignator application;  // ours: MSH-3 of the ACK
  HierarchicDesignator facility;     // ours: MSH-4
  std::string control_id;            // MSH-10 of the ACK: not empty
  TimePoint created_at;              // MSH-7, written in UTC
};

// The ACK, under HL7's default delimiters, each segment ended by CR:
//   MSH  our application and facility as sender, the inbound sender as receiver; MSH-9
//        ACK^<inbound trigger>^ACK (no structure in v2.3, which predates it); the inbound
//        processing id (P when it is missing) and version (kFallbackAckVersion when unsupported);
//   MSA  the code and the inbound MSH-10;
//   ERR  from v2.5 one segment per error: ERR-2 the location, ERR-3 <code>^<table 0357 text>^HL70357,
//        ERR-4 the severity, ERR-8 the text. Before v2.5 one ERR whose ERR-1 repeats
//        <segment>^<sequence>^<field>^<code>&<text>&HL70357 per error.
// Every value is escaped.
std::string WriteAck(const AckRequest& request);

}  // namespace caredesk::hl7v2
