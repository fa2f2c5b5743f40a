// HL7 version 2 messages (v2.3 to v2.8.x): the parser, the message model and the escaping rules.
//
// A parsed Message owns a copy of its text and records where each segment and field starts in it;
// repetitions, components and subcomponents are found inside a field when they are read, and escape
// sequences are decoded only by the Get functions. Parsing looks for segment ends with memchr and
// reads each byte of a segment once more to find its fields; it allocates for the copy of the
// text, the two offset tables and the decoded header, never per field.
//
// Numbering is HL7's: fields, components and subcomponents count from 1 (PID-5.1.1), repetitions
// and segment occurrences from 0 (HAPI's terser "PID-3(1)" is the second repetition). In MSH, FHS
// and BHS field 1 is the field separator itself and field 2 the encoding characters, both read
// verbatim.
//
// Errors are values: an Error whose `reason` is one of hl7v2::reason (stable) and whose `field` is
// the HL7 location of the fault ("MSH[1]-9"); ConditionOf and LocationOf turn them into what an
// ACK's ERR segment reports. Parsing functions are pure and thread-safe; Message, Segment and
// Envelope are thread-compatible values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk::hl7v2 {

// ---------------------------------------------------------------------------------------------
// Delimiters and escaping

// The delimiters a message declares in MSH-1 and MSH-2 (HL7's defaults here).
struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // v2.7+: the optional fifth character of MSH-2; '\0' when not declared

  bool operator==(const Delimiters&) const = default;
  // MSH-2 as written: component, repetition, escape, subcomponent [, truncation].
  std::string EncodingCharacters() const;
};

// Decodes the escape sequences of a field value read with delimiters `d`: \F\ \S\ \T\ \R\ \E\ (and
// \P\ when a truncation character is declared) become the delimiter they name, \Xhh..\ the bytes
// of its hexadecimal digits and \.br\ a line feed. Other sequences (formatting, character sets,
// \Z..\ locally defined ones) and an escape character without its closing partner stay verbatim.
std::string Unescape(std::string_view raw, const Delimiters& d);

// Encodes `text` as a field value under `d`: each delimiter becomes its escape sequence, and the
// bytes that would end a segment or an MLLP frame (CR, LF, 0x0B, 0x1C) become \Xhh\. The exact
// inverse of Unescape: Unescape(Escape(x, d), d) == x for every x.
std::string Escape(std::string_view text, const Delimiters& d);

// ---------------------------------------------------------------------------------------------
// Versions

// An HL7 version id (MSH-12.1) such as "2.5.1": {2, 5, 1}.
struct VersionId {
  int major = 0;
  int minor = 0;
  int revision = 0;

  auto operator<=>(const VersionId&) const = default;
};

// Reads "M.m" or "M.m.r" (digits only); nullopt for anything else.
std::optional<VersionId> ParseVersionId(std::string_view text);

// The versions this parser accepts: 2.3 up to any 2.8.x.
bool IsSupportedVersion(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Errors

// The message error conditions of HL7 table 0357, as reported in ERR-3 (v2.5+) or ERR-1.4.
enum class ErrorCondition {
  kSegmentSequenceError = 100,
  kRequiredFieldMissing = 101,
  kDataTypeError = 102,
  kTableValueNotFound = 103,
  kUnsupportedMessageType = 200,
  kUnsupportedEventCode = 201,
  kUnsupportedProcessingId = 202,
  kUnsupportedVersionId = 203,
  kUnknownKeyIdentifier = 204,
  kDuplicateKeyIdentifier = 205,
  kApplicationRecordLocked = 206,
  kApplicationInternalError = 207,
};

// Table 0357's description of `condition` ("Segment sequence error").
std::string_view ConditionText(ErrorCondition condition);

// The stable reasons (Error::reason) of parse errors. The comment names the HL7 condition each
// maps to (ConditionOf).
namespace reason {
inline constexpr std::string_view kEmptyInput = "empty_input";                   // 100: nothing but framing
inline constexpr std::string_view kInvalidSegmentId = "invalid_segment_id";      // 100: not [A-Z][A-Z0-9]{2}
inline constexpr std::string_view kSegmentBeforeMsh = "segment_before_msh";      // 100
inline constexpr std::string_view kSecondMsh = "second_msh";                     // 100: ParseMessage got several
inline constexpr std::string_view kEnvelopeInMessage = "envelope_in_message";    // 100: FHS/BHS/BTS/FTS
inline constexpr std::string_view kHeaderTooShort = "header_too_short";          // 101: no room for MSH-1/MSH-2
inline constexpr std::string_view kInvalidDelimiters = "invalid_delimiters";     // 102
inline constexpr std::string_view kMissingMessageType = "missing_message_type";  // 101: MSH-9
inline constexpr std::string_view kMissingControlId = "missing_control_id";      // 101: MSH-10
inline constexpr std::string_view kMissingVersion = "missing_version";           // 101: MSH-12
inline constexpr std::string_view kUnsupportedVersion = "unsupported_version";   // 203: MSH-12
inline constexpr std::string_view kUnsupportedMessageType = "unsupported_message_type";  // 200: for callers
inline constexpr std::string_view kTooLarge = "too_large";                               // 207: over 4 GiB
// Batch and file envelopes (ParseBatchOrMessage).
inline constexpr std::string_view kMisplacedFileHeader = "misplaced_fhs";          // 100: FHS not first
inline constexpr std::string_view kSegmentAfterFileTrailer = "segment_after_fts";  // 100
inline constexpr std::string_view kNestedBatch = "nested_bhs";                     // 100: BHS before BTS
inline constexpr std::string_view kTrailerWithoutBatch = "bts_without_batch";      // 100
inline constexpr std::string_view kBatchesWithoutFile = "batches_without_fhs";     // 100
inline constexpr std::string_view kMissingTrailer = "missing_trailer";  // 100: strict: BHS w/o BTS, FHS w/o FTS
inline constexpr std::string_view kMissingHeader = "missing_header";    // 100: strict: BTS w/o BHS, FTS w/o FHS
inline constexpr std::string_view kTrailerCountMismatch = "trailer_count_mismatch";  // 100: BTS-1, FTS-1
inline constexpr std::string_view kInvalidTrailerCount = "invalid_trailer_count";    // 102
}  // namespace reason

// Where an error is (HL7's ERL data type, as far as this parser locates errors).
struct ErrorLocation {
  std::string segment_id;       // empty: the error has no location
  size_t segment_sequence = 0;  // 1 = the first segment with this id in the message (or envelope)
  size_t field = 0;             // 0 = the segment as a whole

  bool operator==(const ErrorLocation&) const = default;
  // "MSH[1]-9", "EVN[2]"; empty without a segment id. This is the text parse errors carry in
  // Error::field.
  std::string ToString() const;
};

// Reads ToString's form, also without the sequence ("PID-3" is PID[1]-3); an empty location
// when `text` is neither.
ErrorLocation ParseErrorLocation(std::string_view text);

// The HL7 condition of an error from its reason; kApplicationInternalError for reasons that are
// not this parser's.
ErrorCondition ConditionOf(const Error& error);
// The location an error's field names (ParseErrorLocation).
ErrorLocation LocationOf(const Error& error);

// ---------------------------------------------------------------------------------------------
// The model

namespace detail {

// Where a piece of text starts in the owning buffer and how long it is. Offsets rather than
// string_views so that a Message can be copied and moved freely.
struct Span {
  uint32_t begin = 0;
  uint32_t size = 0;
};

struct SegmentEntry {
  uint32_t first_field = 0;          // index in SegmentTable::fields of the segment id (field 0)
  uint32_t field_count = 0;          // including the id
  bool declares_delimiters = false;  // MSH, FHS, BHS: fields 1 and 2 are verbatim
};

// The text of one or more segments and the spans of their fields, all under one set of
// delimiters. Field n of a segment is fields[first_field + n] in HL7 numbering, also for MSH,
// whose field 1 is the span of the separator character itself.
struct SegmentTable {
  std::string text;
  Delimiters delimiters;
  std::vector<SegmentEntry> segments;
  std::vector<Span> fields;

  std::string_view Slice(Span span) const { return std::string_view(text).substr(span.begin, span.size); }
};

}  // namespace detail

// A view of one segment of a Message or Envelope, valid while that object lives unmoved.
// Positions past the end of what the segment holds read as empty: HL7 does not distinguish a
// field that is absent from one that is empty, and component or subcomponent 0 does not exist.
// The HL7 null `""` is returned as is.
class Segment {
 public:
  std::string_view id() const;
  // The number of the last field present (HL7 numbering); 0 for a segment with only its id.
  size_t field_count() const;

  // Field `field`, all its repetitions, undecoded. Field 0 is the segment id.
  std::string_view RawField(size_t field) const;
  // How many repetitions field `field` holds; 0 when it is empty.
  size_t RepetitionCount(size_t field) const;
  // How many components repetition `rep` of field `field` holds; 0 when it is empty.
  size_t ComponentCount(size_t field, size_t rep = 0) const;
  // One subcomponent (by default the first component of the first repetition), undecoded.
  std::string_view Raw(size_t field, size_t rep = 0, size_t comp = 1, size_t sub = 1) const;
  // Raw with its escape sequences decoded.
  std::string Get(size_t field, size_t rep = 0, size_t comp = 1, size_t sub = 1) const;

 private:
  friend class Message;
  friend class Envelope;
  Segment(const detail::SegmentTable* table, size_t index) : table_(table), index_(index) {}
  const detail::SegmentEntry& entry() const { return table_->segments[index_]; }
  bool IsVerbatim(size_t field) const;

  const detail::SegmentTable* table_;
  size_t index_;
};

// An HD composite (MSH-3 to MSH-6): namespace id ^ universal id ^ universal id type, decoded.
struct HierarchicDesignator {
  std::string namespace_id;
  std::string universal_id;
  std::string universal_id_type;

  bool operator==(const HierarchicDesignator&) const = default;
};

// MSH-9, decoded: "ADT^A01^ADT_A01".
struct MessageType {
  std::string code;       // ADT
  std::string trigger;    // A01
  std::string structure;  // ADT_A01 (v2.3.1+, optional)

  bool operator==(const MessageType&) const = default;
};

// What MSH says about a message, decoded.
struct MessageHeader {
  Delimiters delimiters;
  HierarchicDesignator sending_application;    // MSH-3
  HierarchicDesignator sending_facility;       // MSH-4
  HierarchicDesignator receiving_application;  // MSH-5
  HierarchicDesignator receiving_facility;     // MSH-6
  std::string timestamp;                       // MSH-7.1 as sent (DTM, e.g. 200701011129+0100)
  MessageType type;                            // MSH-9
  std::string control_id;                      // MSH-10
  std::string processing_id;                   // MSH-11.1: P, T or D
  std::string processing_mode;                 // MSH-11.2, mostly empty
  std::string version;                         // MSH-12.1: "2.5.1"
};

// One HL7 message: MSH and the segments after it. Made by ParseMessage or ParseBatchOrMessage.
class Message {
 public:
  const MessageHeader& header() const { return header_; }
  const Delimiters& delimiters() const { return table_.delimiters; }
  // The message as parsed: without BOM and framing, segment terminators as received.
  std::string_view text() const { return table_.text; }

  size_t segment_count() const { return table_.segments.size(); }
  // The segment at `index` (0 is MSH), in message order.
  Segment segment(size_t index) const;
  // Occurrence `occurrence` (0 = the first) of segment `id`.
  std::optional<Segment> Find(std::string_view id, size_t occurrence = 0) const;
  // Every segment `id`, in message order.
  std::vector<Segment> Segments(std::string_view id) const;

  // Segment::Raw and Segment::Get on the first segment `segment_id`; empty when there is none.
  std::string_view Raw(std::string_view segment_id, size_t field, size_t rep = 0, size_t comp = 1,
                       size_t sub = 1) const;
  std::string Get(std::string_view segment_id, size_t field, size_t rep = 0, size_t comp = 1, size_t sub = 1) const;
  size_t RepetitionCount(std::string_view segment_id, size_t field) const;

  // A decoded value by terser path: SEG[(occurrence)]-FIELD[(repetition)][-COMP[-SUB]], '.' also
  // accepted before COMP and SUB: "PID-5-1", "PID-3(1)-1", "OBX(2)-5", "PID-5.1.1". Empty when
  // the value is absent; Invalid "invalid_path" when `path` does not follow that form.
  Result<std::string> GetPath(std::string_view path) const;

 private:
  friend Result<Message> ParseMessage(std::string_view input);
  friend MessageHeader SalvageHeader(std::string_view input);
  Message() = default;

  detail::SegmentTable table_;
  MessageHeader header_;
};

// Parses one message. `input` may carry a UTF-8 byte order mark, a leading MLLP start byte
// (0x0B) and trailing 0x1C or blank lines; segments may end in CR, LF or CRLF, mixed. Fails when
// the text does not begin with a valid MSH, a segment id is malformed, MSH-9, MSH-10 or MSH-12 is
// missing, the version is not supported, or the text holds more than one message or an envelope
// segment.
Result<Message> ParseMessage(std::string_view input);

// What a message's MSH says, read without any validation from the first segment that starts
// with "MSH" (undeclared or invalid delimiters read as HL7's defaults): the header to acknowledge
// a message that ParseMessage rejects. All empty when there is no MSH.
MessageHeader SalvageHeader(std::string_view input);

// ---------------------------------------------------------------------------------------------
// Batches and files

// One batch: the messages between a BHS and its BTS, or messages outside any BHS.
struct BatchInfo {
  std::optional<size_t> header;   // index of the BHS in Envelope::segment, if any
  std::optional<size_t> trailer;  // index of the BTS, if any
  size_t first_message = 0;       // this batch is messages [first_message, first_message + message_count)
  size_t message_count = 0;       //   of MessageBatch::messages
};

// The FHS, BHS, BTS and FTS segments of an input, in input order, and how they group messages.
class Envelope {
 public:
  size_t segment_count() const { return table_.segments.size(); }
  Segment segment(size_t index) const;
  std::optional<Segment> file_header() const;   // FHS
  std::optional<Segment> file_trailer() const;  // FTS
  // The batches in input order; one for a bare message or a file without BHS.
  const std::vector<BatchInfo>& batches() const { return batches_; }

 private:
  friend class BatchParser;
  detail::SegmentTable table_;
  std::optional<size_t> file_header_;
  std::optional<size_t> file_trailer_;
  std::vector<BatchInfo> batches_;
};

struct MessageBatch {
  std::vector<Message> messages;
  Envelope envelope;
};

struct BatchOptions {
  // Also require each BHS and FHS to be closed by its BTS and FTS, and each BTS and FTS to have
  // its BHS and FHS. Off by default: senders often leave them out, and python-hl7 accepts that.
  bool strict_envelope = false;
};

// Parses a file (FHS ... FTS), a batch (BHS ... BTS) or one or more bare messages, with the
// tolerance of ParseMessage. Always rejected: a segment before the first MSH, FHS anywhere but
// first, anything after FTS, a BHS while a batch is open, a BTS with no batch to close, a second
// batch without FHS, and a BTS-1 or FTS-1 count that does not match. An error inside a message
// names the message ("message 2: ...") and keeps its location within that message.
Result<MessageBatch> ParseBatchOrMessage(std::string_view input, BatchOptions options = {});

}  // namespace caredesk::hl7v2
