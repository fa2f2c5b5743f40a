// Patient-relations cases (complaints, grievances, inquiries), their event
// timeline, attachments and decision letters, reference-number counters and
// the locations' business calendars, in the database. Thread-compatible:
// static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct CaseRow {
  int64_t id = 0;
  std::string reference_number;
  std::string kind;
  std::optional<std::string> inquiry_type;
  std::string status;
  std::string channel;
  std::string category;
  std::string severity;
  std::string description;
  std::string desired_outcome;
  std::optional<int64_t> patient_id;
  std::optional<int64_t> encounter_id;
  int64_t location_id = 0;
  std::string department;
  std::string staff_member;
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  std::string contact_preference;
  std::optional<int64_t> owner_user_id;
  std::string facts;  // comma-separated codes of the intake facts that hold
  std::optional<std::string> triage_chosen;
  bool triage_overridden = false;
  std::string triage_override_reason;
  std::string triage_by;
  std::optional<int64_t> triage_at;
  int64_t received_at = 0;  // epoch ms
  std::optional<int64_t> acknowledged_at;
  std::optional<int64_t> interim_notice_at;
  std::optional<int64_t> resolved_at;
  std::optional<int64_t> decision_letter_at;
  std::optional<int64_t> closed_at;
  std::optional<int64_t> reopened_at;
  std::optional<int64_t> next_due_at;
  std::string source;  // staff | public
  std::string created_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Joined for display.
  std::string patient_name;
  std::string location_name;
  std::string time_zone;
  std::string owner_name;
};

struct CaseFilter {
  std::optional<std::string> kind;
  std::optional<std::string> status;
  std::optional<std::string> category;
  bool open_only = false;             // not resolved or closed
  std::optional<int64_t> overdue_at;  // not closed, with next_due_at before this instant
  std::optional<int64_t> owner_user_id;
  std::optional<int64_t> location_id;
  std::optional<int64_t> patient_id;
  std::optional<int64_t> received_from;  // received_at in [from, to)
  std::optional<int64_t> received_to;
  std::string text;  // in the description, contact name or reference number
  int limit = 50;
  int offset = 0;
};

struct CaseEventRow {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t at = 0;
  std::string by_user;
  std::string type;
  std::string text;
};

struct CaseAttachmentRow {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  int64_t uploaded_at = 0;
  std::string uploaded_by;
};

struct CaseLetterRow {
  int64_t case_id = 0;
  std::string contact_name;
  std::string contact_title;
  std::string contact_phone;
  std::string investigation_steps;
  std::string results;
  std::string completion_date;  // YYYY-MM-DD
  std::string letter_date;
  std::string further_recourse;
  std::string rendered_text;
  std::string pdf_base64;
  int64_t updated_at = 0;
  std::optional<int64_t> sent_at;
};

struct LocationCalendarRow {
  int64_t location_id = 0;
  std::string working_weekdays;  // "1,2,3,4,5"
  std::string holidays;          // "2026-12-25,2027-01-01"
};

class CaseRepository {
 public:
  // The next sequence number of `year`'s reference numbers (1, 2, ...).
  static Result<int64_t> NextSequence(Connection& c, int year);
  static Result<int64_t> Insert(Connection& c, const CaseRow& row);
  // Writes every mutable column of `row` (all but id, reference number,
  // source, creator and creation time).
  static Status Update(Connection& c, const CaseRow& row);
  static Result<std::optional<CaseRow>> Find(Connection& c, int64_t id);
  static Result<std::optional<CaseRow>> FindByReference(Connection& c, const std::string& reference_number);
  // Overdue first, then the next deadline, then the newest; and the total.
  static Result<std::pair<std::vector<CaseRow>, int64_t>> List(Connection& c, const CaseFilter& f);
  // Every case received in [from, to), optionally of one location, unpaged (for reports).
  static Result<std::vector<CaseRow>> Received(Connection& c, int64_t from, int64_t to,
                                               std::optional<int64_t> location_id);
  static Result<int64_t> CountOpen(Connection& c, std::optional<int64_t> location_id,
                                   std::optional<int64_t> overdue_at);

  static Status AddEvent(Connection& c, const CaseEventRow& e);
  static Result<std::vector<CaseEventRow>> Events(Connection& c, int64_t case_id);

  static Result<int64_t> AddAttachment(Connection& c, const CaseAttachmentRow& a, const std::string& data_base64);
  static Result<std::vector<CaseAttachmentRow>> Attachments(Connection& c, int64_t case_id);
  // The attachment and its content (base64), if it belongs to the case.
  static Result<std::optional<std::pair<CaseAttachmentRow, std::string>>> Attachment(Connection& c, int64_t case_id,
                                                                                      int64_t attachment_id);

  static Status SaveLetter(Connection& c, const CaseLetterRow& letter);  // insert or replace
  static Result<std::optional<CaseLetterRow>> Letter(Connection& c, int64_t case_id);
  static Status MarkLetterSent(Connection& c, int64_t case_id, int64_t at);

  static Result<std::optional<LocationCalendarRow>> Calendar(Connection& c, int64_t location_id);
  static Status SaveCalendar(Connection& c, const LocationCalendarRow& row);
};

}  // namespace caredesk::db
