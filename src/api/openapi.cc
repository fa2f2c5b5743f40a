#include "api/openapi.h"

#include <boost/json.hpp>

#include <string_view>

namespace caredesk::api {
namespace json = boost::json;
namespace {

struct RouteDoc {
  std::string_view method;
  std::string_view pattern;
  std::string_view tag;
  std::string_view summary;
  std::string_view permission;  // "public" when no session is needed
  std::string_view request;     // component schema name, or empty
  std::string_view response;    // component schema name, or empty
  int status;                   // success status
};

constexpr RouteDoc kDocs[] = {
    {"GET", "/healthz", "system", "Liveness check", "public", "", "", 200},
    {"GET", "/api/openapi.json", "system", "This document", "public", "", "", 200},
    {"POST", "/api/v1/test/clock", "system",
     "Only on a server started with --test-clock (end-to-end tests): {\"advance_hours\":n} or {\"reset\":true}",
     "user.admin", "", "", 200},
    {"POST", "/api/v1/session", "session", "Sign in; returns a bearer token", "public", "Login", "Session", 201},
    {"GET", "/api/v1/session", "session", "The signed-in user and their permissions", "setup.read", "", "Me", 200},
    {"DELETE", "/api/v1/session", "session", "Sign out", "setup.read", "", "", 204},
    {"POST", "/api/v1/system-tokens", "admin",
     "A bearer token for another system, acting as a user with SMART scopes (system/*.read, user/Patient.read, "
     "...) on /fhir/R4 only, for 1-366 days (default 90), without idle expiry; shown once",
     "user.admin", "NewSystemToken", "SystemToken", 201},
    {"GET", "/api/v1/system-tokens", "admin", "The tokens issued for systems that still work, newest first",
     "user.admin", "", "SystemTokenList", 200},
    {"DELETE", "/api/v1/system-tokens/{id}", "admin", "Revoke a system's token at once (audited)", "user.admin", "",
     "", 204},
    {"GET", "/api/v1/users", "admin", "List users", "user.admin", "", "UserList", 200},
    {"POST", "/api/v1/users", "admin", "Create a user", "user.admin", "NewUser", "User", 201},
    {"PUT", "/api/v1/users/{id}", "admin", "Change a user's name, role, status or password", "user.admin", "UserChange",
     "User", 200},
    {"GET", "/api/v1/audit-events", "audit", "Search the audit trail by patient, user and period", "audit.read", "",
     "AuditEventList", 200},
    {"POST", "/api/v1/patients", "patients", "Register a patient (409 possible_duplicate unless confirm_new)",
     "patient.write", "PatientInput", "Patient", 201},
    {"GET", "/api/v1/patients", "patients", "Search patients by name (typo-tolerant), birth date, phone or MRN",
     "patient.read", "", "PatientSummaryList", 200},
    {"GET", "/api/v1/patients/{id}", "patients", "Read a patient", "patient.read", "", "Patient", 200},
    {"PUT", "/api/v1/patients/{id}", "patients", "Update a patient", "patient.write", "PatientInput", "Patient", 200},
    {"GET", "/api/v1/patients/{id}/appointments", "patients", "A patient's appointments", "appointment.read", "",
     "AppointmentList", 200},
    {"GET", "/api/v1/patients/{id}/access-log", "audit", "Who read or changed this patient's record", "audit.read",
     "", "AuditEventList", 200},
    {"POST", "/api/v1/patient-merges", "patients",
     "Merge a duplicate record into the record that stays (409 already_merged / patient_merged)", "patient.merge",
     "PatientMergeInput", "PatientMerge", 201},
    {"GET", "/api/v1/patient-merges/{id}", "patients", "Read a patient merge", "patient.read", "", "PatientMerge", 200},
    {"POST", "/api/v1/patient-merges/{id}/undo", "patients",
     "Undo a merge: move back what it moved and reopen the duplicate (409 already_undone)", "patient.merge",
     "PatientUnmergeInput", "PatientMerge", 200},
    {"GET", "/api/v1/patients/{id}/merges", "patients", "The merges a patient took part in, newest first",
     "patient.read", "", "PatientMergeList", 200},
    {"GET", "/api/v1/locations", "setup", "List locations", "setup.read", "", "LocationList", 200},
    {"GET", "/api/v1/locations/{id}", "setup", "Read a location", "setup.read", "", "Location", 200},
    {"POST", "/api/v1/locations", "setup", "Create a location", "setup.write", "Location", "Location", 201},
    {"PUT", "/api/v1/locations/{id}", "setup", "Update a location", "setup.write", "Location", "Location", 200},
    {"GET", "/api/v1/rooms", "setup", "List rooms (optionally ?location=ID)", "setup.read", "", "RoomList", 200},
    {"POST", "/api/v1/rooms", "setup", "Create a room", "setup.write", "Room", "Room", 201},
    {"PUT", "/api/v1/rooms/{id}", "setup", "Update a room", "setup.write", "Room", "Room", 200},
    {"GET", "/api/v1/providers", "setup", "List providers", "setup.read", "", "ProviderList", 200},
    {"GET", "/api/v1/providers/{id}", "setup", "Read a provider", "setup.read", "", "Provider", 200},
    {"POST", "/api/v1/providers", "setup", "Create a provider", "setup.write", "Provider", "Provider", 201},
    {"PUT", "/api/v1/providers/{id}", "setup", "Update a provider", "setup.write", "Provider", "Provider", 200},
    {"GET", "/api/v1/appointment-types", "setup", "List appointment types", "setup.read", "", "AppointmentTypeList",
     200},
    {"GET", "/api/v1/appointment-types/{id}", "setup", "Read an appointment type", "setup.read", "",
     "AppointmentType", 200},
    {"POST", "/api/v1/appointment-types", "setup", "Create an appointment type", "setup.write", "AppointmentType",
     "AppointmentType", 201},
    {"PUT", "/api/v1/appointment-types/{id}", "setup", "Update an appointment type", "setup.write",
     "AppointmentType", "AppointmentType", 200},
    {"GET", "/api/v1/templates", "setup", "Weekly availability templates (optionally ?provider=ID)", "setup.read", "",
     "TemplateList", 200},
    {"POST", "/api/v1/templates", "setup", "Add a weekly availability window", "setup.write", "Template", "Template",
     201},
    {"DELETE", "/api/v1/templates/{id}", "setup", "Remove an availability window", "setup.write", "", "", 204},
    {"GET", "/api/v1/exceptions", "setup", "Holidays and leave (?provider=ID&location=ID)", "setup.read", "",
     "ExceptionList", 200},
    {"POST", "/api/v1/exceptions", "setup", "Add a holiday or leave", "setup.write", "Exception", "Exception", 201},
    {"DELETE", "/api/v1/exceptions/{id}", "setup", "Remove a holiday or leave", "setup.write", "", "", 204},
    {"GET", "/api/v1/slots", "scheduling",
     "Open slots: ?appointment_type=ID&from=ISO&to=ISO[&provider=ID][&location=ID][&limit=N], first available first",
     "appointment.read", "", "SlotList", 200},
    {"POST", "/api/v1/appointments", "scheduling", "Book a slot (409 slot_taken when it is gone)",
     "appointment.write", "BookingInput", "Appointment", 201},
    {"GET", "/api/v1/appointments", "scheduling",
     "Appointments for calendars: ?from&to[&provider][&location][&room][&patient][&status]", "appointment.read", "",
     "AppointmentList", 200},
    {"GET", "/api/v1/appointments/{id}", "scheduling", "Read an appointment with its status history",
     "appointment.read", "", "Appointment", 200},
    {"POST", "/api/v1/appointments/{id}/cancel", "scheduling", "Cancel with a reason", "appointment.write",
     "CancelInput", "Appointment", 200},
    {"POST", "/api/v1/appointments/{id}/reschedule", "scheduling", "Move to another slot", "appointment.write",
     "RescheduleInput", "Appointment", 200},
    {"POST", "/api/v1/appointments/{id}/no-show", "scheduling", "Mark a no-show", "appointment.write", "",
     "Appointment", 200},
    {"POST", "/api/v1/appointments/{id}/check-in", "flow",
     "Check in (409 not_today for another day unless override)", "flow.write", "CheckInInput", "Encounter", 201},
    {"POST", "/api/v1/encounters", "flow", "Register a walk-in", "flow.write", "WalkInInput", "Encounter", 201},
    {"GET", "/api/v1/patients/{id}/encounters", "flow",
     "A patient's visits, the latest first (at most 200; more says when there are more)", "flow.read", "",
     "EncounterList", 200},
    {"GET", "/api/v1/encounters/{id}", "flow", "Read an encounter with its transitions", "flow.read", "",
     "Encounter", 200},
    {"POST", "/api/v1/encounters/{id}/transition", "flow", "Move the patient to the next state", "flow.write",
     "TransitionInput", "Encounter", 200},
    {"POST", "/api/v1/encounters/{id}/undo", "flow", "Undo the last transition", "flow.write", "", "Encounter", 200},
    {"GET", "/api/v1/flow-board", "flow", "The flow board of a location (?location=ID)", "flow.read", "",
     "FlowBoard", 200},
    {"GET", "/api/v1/flow-board/stream", "flow",
     "Live flow board as server-sent events (event: board, data: FlowBoard)", "flow.read", "", "", 200},
    {"POST", "/api/v1/analytics/spc", "analytics",
     "An SPC chart (run, i, mr, xmr, p, u, c, xbar, s, t) with its signals, as qicharts2 and NHSRplotthedots compute it",
     "analytics.read", "SpcInput", "SpcChart", 200},
    {"GET", "/api/v1/cases", "relations",
     "Complaints, grievances and inquiries: ?kind&status&category&open=true&overdue=true&owner=me|ID&location_id&patient_id&q"
     "&limit&offset; overdue first, then by next deadline",
     "cases.read", "", "CaseList", 200},
    {"POST", "/api/v1/cases", "relations", "Take a concern (triaged afterwards) or an inquiry", "cases.write",
     "CaseIntake", "Case", 201},
    {"GET", "/api/v1/cases/owners", "relations", "Users who may own cases", "cases.read", "", "OwnerList", 200},
    {"GET", "/api/v1/cases/{id}", "relations", "A case with its deadlines, timeline, attachments and letter",
     "cases.read", "", "Case", 200},
    {"POST", "/api/v1/cases/{id}/triage", "relations",
     "Confirm CareDesk's triage, or override it with a reason", "cases.write", "TriageInput", "Case", 200},
    {"POST", "/api/v1/cases/{id}/status", "relations",
     "Move the case on (409 invalid_transition; 409 letter_required to close a grievance before its letter is sent)",
     "cases.write", "CaseStatusInput", "Case", 200},
    {"POST", "/api/v1/cases/{id}/owner", "relations", "Assign or clear the owner", "cases.write", "OwnerInput",
     "Case", 200},
    {"POST", "/api/v1/cases/{id}/notes", "relations", "Add an investigation note or an action taken", "cases.write",
     "NoteInput", "Case", 200},
    {"POST", "/api/v1/cases/{id}/interim-notice", "relations",
     "Record the interim notice (the investigation continues)", "cases.write", "NoteInput", "Case", 200},
    {"POST", "/api/v1/cases/{id}/attachments", "relations",
     "Attach a file: the raw body with its Content-Type, ?filename=NAME", "cases.write", "", "Attachment", 201},
    {"GET", "/api/v1/cases/{id}/attachments/{aid}", "relations", "Download an attachment", "cases.read", "", "", 200},
    {"PUT", "/api/v1/cases/{id}/letter", "relations",
     "Draft or revise a grievance's written decision, rendered from the template", "cases.write", "LetterInput",
     "Case", 200},
    {"GET", "/api/v1/cases/{id}/letter.pdf", "relations", "The decision letter as PDF", "cases.read", "", "", 200},
    {"POST", "/api/v1/cases/{id}/letter/send", "relations", "Record that the decision letter was sent",
     "cases.write", "", "Case", 200},
    {"GET", "/api/v1/relations/settings", "relations", "Categories, deadline policies, letter template",
     "cases.read", "", "RelationsSettings", 200},
    {"PUT", "/api/v1/relations/settings", "relations", "Change them", "cases.manage", "RelationsSettings",
     "RelationsSettings", 200},
    {"GET", "/api/v1/locations/{id}/calendar", "relations", "A location's business days and holidays", "cases.read",
     "", "BusinessCalendar", 200},
    {"PUT", "/api/v1/locations/{id}/calendar", "relations", "Change them", "cases.manage", "BusinessCalendar",
     "BusinessCalendar", 200},
    {"GET", "/api/v1/relations/report", "relations",
     "Volume per 1,000 visits by category, department and month; time to acknowledge and resolve; share within "
     "deadline; open and overdue now: ?from=YYYY-MM-DD&to=YYYY-MM-DD[&location_id]",
     "cases.read", "", "RelationsReport", 200},
    {"GET", "/api/v1/public/complaint-form", "public", "What the public complaint form offers (no sign-in)", "public",
     "", "ComplaintForm", 200},
    {"POST", "/api/v1/public/complaints", "public",
     "File a complaint without signing in; 201 with the reference number; 429 when rate-limited", "public",
     "PublicComplaint", "PublicReceipt", 201},
    {"GET", "/api/v1/comments", "feedback",
     "What patients wrote, with themes and sentiment: ?from&to&location_id&source=case|survey&sentiment&theme"
     "&department&q&limit&offset, newest first; staff without analytics.read get their own unit's only",
     "comments.read", "", "CommentList", 200},
    {"GET", "/api/v1/comments/trends", "feedback",
     "Comments per theme and per sentiment by day or month, and sentiment per unit: ?from&to&location_id&source"
     "&interval=day|month&units=location|department; staff without analytics.read get their own unit's only",
     "comments.read", "", "CommentTrends", 200},
    {"GET", "/api/v1/feedback/model", "feedback", "The loaded comment classifier", "analytics.read", "", "FeedbackModel",
     200},
    {"POST", "/api/v1/feedback/model/reload", "feedback",
     "Load the model file again (after `caredesk feedback train` on the customer's own comments)", "setup.write", "",
     "FeedbackModel", 200},
    {"POST", "/api/v1/feedback/classify", "feedback",
     "Themes and sentiment of one text, read with the kind of question it answers", "analytics.read", "ClassifyInput",
     "Classification", 200},
    {"GET", "/api/v1/metrics", "metrics", "The service metrics and their definitions", "analytics.read", "",
     "MetricList", 200},
    {"GET", "/api/v1/metrics/dashboard", "metrics",
     "Every metric with its series and SPC chart: ?location_id&provider_id&department&interval=day|week|month&from"
     "&to (default the last 26 weeks)",
     "analytics.read", "", "MetricDashboard", 200},
    {"GET", "/api/v1/metrics/dashboard.xlsx", "metrics",
     "The dashboard as a workbook (same parameters): a summary sheet, then each metric's series with its centre "
     "line, limits and special causes",
     "analytics.read", "", "", 200},
    {"GET", "/api/v1/metrics/{key}/records", "metrics",
     "The records behind one point: ?location_id&provider_id&department&interval&period_start&limit&offset "
     "(patients' reads audited)",
     "analytics.read", "", "", 200},
    {"GET", "/api/v1/metrics/{key}", "metrics", "One metric with its series and SPC chart (same parameters)",
     "analytics.read", "", "MetricOne", 200},
    {"GET", "/api/v1/surveys/kinds", "surveys", "Item kinds with their answers and default top/middle/bottom boxes",
     "surveys.manage", "", "SurveyKindList", 200},
    {"GET", "/api/v1/surveys", "surveys", "The surveys, each with its latest version", "surveys.manage", "",
     "SurveyList", 200},
    {"POST", "/api/v1/surveys", "surveys", "Publish a new survey as version 1", "surveys.manage", "SurveyDraft",
     "SurveyVersion", 201},
    {"POST", "/api/v1/surveys/hcahps", "surveys", "Create the HCAHPS-style survey from the published question table",
     "surveys.manage", "", "SurveyVersion", 201},
    {"GET", "/api/v1/surveys/settings", "surveys", "What is sent after visits, when and from whom", "surveys.manage", "",
     "SurveySettings", 200},
    {"PUT", "/api/v1/surveys/settings", "surveys", "Change them", "surveys.manage", "SurveySettings", "SurveySettings",
     200},
    {"POST", "/api/v1/surveys/dispatch", "surveys", "Send due invitations and reminders now", "surveys.manage", "",
     "DispatchReport", 200},
    {"GET", "/api/v1/surveys/invitations", "surveys",
     "Invitations: ?state=valid|used|expired|opted_out&channel=email|print&printed=true|false&location_id&limit&offset",
     "surveys.send", "", "InvitationList", 200},
    {"POST", "/api/v1/surveys/invitations/{id}/print", "surveys", "A fresh link and QR code for a paper slip",
     "surveys.send", "", "PrintSlip", 200},
    {"GET", "/api/v1/surveys/{sid}", "surveys", "The latest version of a survey", "surveys.manage", "", "SurveyVersion",
     200},
    {"GET", "/api/v1/surveys/{sid}/versions/{v}", "surveys", "One version of a survey", "surveys.manage", "",
     "SurveyVersion", 200},
    {"POST", "/api/v1/surveys/{sid}/versions", "surveys", "Publish the next version", "surveys.manage", "SurveyDraft",
     "SurveyVersion", 201},
    {"POST", "/api/v1/surveys/{sid}/versions/{v}/imports", "surveys",
     "Import a vendor's results from CSV through a column mapping (dry_run checks only)", "surveys.manage",
     "SurveyImport", "SurveyImportReport", 201},
    {"GET", "/api/v1/surveys/{sid}/imports", "surveys", "Earlier imports", "surveys.manage", "", "SurveyImportList",
     200},
    {"GET", "/api/v1/surveys/{sid}/scores", "surveys",
     "Top-box, composite, linear mean, NPS and response rate: ?version&from&to&location_id&group_by=department|"
     "provider|location|week|month|quarter",
     "analytics.read", "", "SurveyScores", 200},
    {"GET", "/api/v1/public/surveys/{token}", "public", "The survey behind a link (no sign-in)", "public", "",
     "PublicSurvey", 200},
    {"POST", "/api/v1/public/surveys/{token}", "public", "Answer it, once (no sign-in)", "public", "SurveyAnswers",
     "PublicReceipt", 201},
    {"GET", "/api/v1/improvement-projects", "improvement",
     "Improvement projects: ?metric_key&location_id&status=active|completed|abandoned", "analytics.read", "",
     "ProjectList", 200},
    {"POST", "/api/v1/improvement-projects", "improvement", "Start an improvement project on a metric",
     "improvement.write", "ProjectInput", "Project", 201},
    {"GET", "/api/v1/improvement-projects/{id}", "improvement", "One project with its PDSA cycles", "analytics.read",
     "", "Project", 200},
    {"PUT", "/api/v1/improvement-projects/{id}", "improvement", "Change it", "improvement.write", "ProjectInput",
     "Project", 200},
    {"POST", "/api/v1/improvement-projects/{id}/cycles", "improvement", "Add a PDSA cycle", "improvement.write",
     "CycleInput", "Project", 201},
    {"PUT", "/api/v1/improvement-projects/{id}/cycles/{cid}", "improvement", "Change a PDSA cycle",
     "improvement.write", "CycleInput", "Project", 200},
    {"DELETE", "/api/v1/improvement-projects/{id}/cycles/{cid}", "improvement", "Remove a PDSA cycle",
     "improvement.write", "", "Project", 200},
    {"GET", "/api/v1/access/third-next-available", "metrics",
     "Third next available: the latest day's reading per appointment type and provider at a location, longest "
     "first: ?location_id (required)&provider_id&appointment_type_id&department",
     "analytics.read", "", "AccessReadings", 200},
    {"POST", "/api/v1/access/third-next-available/readings", "metrics",
     "Take today's third-next-available reading again now, at one location ({\"location_id\"}) or every location",
     "analytics.read", "AccessReadingInput", "AccessReadingReport", 200},
    {"GET", "/api/v1/metrics/alerts", "metrics",
     "New special causes on the weekly and monthly charts, newest first: ?location_id&metric_key&status=open|"
     "acknowledged|all&limit&offset",
     "analytics.read", "", "MetricAlertList", 200},
    {"POST", "/api/v1/metrics/alerts/scan", "metrics", "Look for new special causes now and email the subscribers",
     "analytics.read", "", "AlertScanReport", 200},
    {"POST", "/api/v1/metrics/alerts/{id}/acknowledge", "metrics", "Mark an alert as seen, with an optional note",
     "analytics.read", "AlertAcknowledgement", "MetricAlert", 200},
    {"GET", "/api/v1/metrics/alert-subscriptions", "metrics", "Your alert emails", "analytics.read", "",
     "AlertSubscriptionList", 200},
    {"POST", "/api/v1/metrics/alert-subscriptions", "metrics",
     "Email me new alerts of a location (null: every location) and metric (\"*\": every metric)", "analytics.read",
     "AlertSubscriptionInput", "AlertSubscription", 201},
    {"DELETE", "/api/v1/metrics/alert-subscriptions/{id}", "metrics", "Stop one of your alert emails",
     "analytics.read", "", "", 204},
    {"POST", "/api/v1/public/surveys/{token}/opt-out", "public", "No more surveys for this patient (no sign-in)",
     "public", "", "PublicReceipt", 200},
    {"GET", "/api/v1/hl7/messages", "interfaces",
     "Inbound HL7 v2 messages and their outcomes, newest first, without their raw text, and how many of all "
     "messages wait for someone (failed, rejected, received): "
     "?status=received|applied|ignored|duplicate|failed|rejected&patient_id&limit&offset",
     "interfaces.manage", "", "Hl7MessageList", 200},
    {"POST", "/api/v1/hl7/messages", "interfaces",
     "Receive an HL7 v2 message without MLLP (the body as text/plain or x-application/hl7-v2+er7): stored, applied "
     "and acknowledged like one from the listener; answers the ACK text and the stored message",
     "interfaces.manage", "Hl7Text", "Hl7Submission", 200},
    {"GET", "/api/v1/hl7/messages/{id}", "interfaces", "One inbound message with its raw text", "interfaces.manage",
     "", "Hl7Message", 200},
    {"POST", "/api/v1/hl7/messages/{id}/reprocess", "interfaces",
     "Run a failed message again after fixing its cause (409 not_reprocessable for other statuses)",
     "interfaces.manage", "", "Hl7Message", 200},
    {"GET", "/api/v1/hl7/peers", "interfaces", "The MLLP peers CareDesk sends its SIU and ADT messages to",
     "interfaces.manage", "", "Hl7PeerList", 200},
    {"POST", "/api/v1/hl7/peers", "interfaces",
     "Add a peer (422/400 naming the field: name, host, port 1–65535, feeds; 409 name_taken); takes effect at once",
     "interfaces.manage", "Hl7PeerInput", "Hl7Peer", 201},
    {"PUT", "/api/v1/hl7/peers/{id}", "interfaces", "Change a peer, enable or disable it", "interfaces.manage",
     "Hl7PeerInput", "Hl7Peer", 200},
    {"DELETE", "/api/v1/hl7/peers/{id}", "interfaces", "Remove a peer and its queue", "interfaces.manage", "", "",
     204},
    {"GET", "/api/v1/fhir/jobs", "interfaces",
     "The user's latest FHIR $export or $import jobs, newest first, kept across restarts until they expire: "
     "?kind=export|import (400 naming kind otherwise)&limit (default 20, at most 100)",
     "interfaces.manage", "", "FhirJobList", 200},
    {"GET", "/api/v1/hl7/outbound", "interfaces",
     "Outbound HL7 v2 messages, newest first, without their text, with the counts of pending and dead messages: "
     "?status=pending|sent|dead|discarded&peer&limit&offset",
     "interfaces.manage", "", "Hl7OutboundList", 200},
    {"GET", "/api/v1/hl7/outbound/{id}", "interfaces", "One outbound message with its text and last error",
     "interfaces.manage", "", "Hl7Outbound", 200},
    {"POST", "/api/v1/hl7/outbound/{id}/retry", "interfaces",
     "Send a dead message again, now (409 not_dead otherwise)", "interfaces.manage", "", "Hl7Outbound", 200},
    {"POST", "/api/v1/hl7/outbound/{id}/discard", "interfaces",
     "Give up a dead message, so that the patient's later messages proceed (409 not_dead otherwise)",
     "interfaces.manage", "", "Hl7Outbound", 200},
};

const RouteDoc* FindDoc(std::string_view method, std::string_view pattern) {
  for (const auto& d : kDocs) {
    if (d.method == method && d.pattern == pattern) return &d;
  }
  return nullptr;
}

json::object Ref(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }

json::object Obj(std::initializer_list<std::pair<std::string_view, json::value>> props,
                 std::initializer_list<std::string_view> required = {}) {
  json::object p;
  for (const auto& [k, v] : props) p[k] = v;
  json::array req;
  for (auto r : required) req.emplace_back(r);
  json::object o{{"type", "object"}, {"properties", p}};
  if (!req.empty()) o["required"] = req;
  return o;
}

json::object T(std::string_view type) { return {{"type", type}}; }
json::object Fmt(std::string_view type, std::string_view format) { return {{"type", type}, {"format", format}}; }
json::object ArrayOf(json::value items) { return {{"type", "array"}, {"items", items}}; }
json::object ListOf(std::string_view name) { return Obj({{"items", ArrayOf(Ref(name))}}, {"items"}); }
json::object Enum(std::initializer_list<std::string_view> values) {
  json::array a;
  for (auto v : values) a.emplace_back(v);
  return {{"type", "string"}, {"enum", a}};
}

json::object Schemas() {
  json::object s;
  s["Error"] = Obj({{"error", Obj({{"code", T("string")}, {"message", T("string")}, {"field", T("string")}},
                                  {"code", "message"})}});
  s["Login"] = Obj({{"username", T("string")}, {"password", T("string")}}, {"username", "password"});
  json::object nullable_number{{"type", json::array{"number", "null"}}};
  s["SpcInput"] = Obj({{"chart", Enum({"run", "i", "mr", "xmr", "p", "u", "c", "xbar", "s", "t"})},
                       {"values", ArrayOf(nullable_number)},
                       {"n", ArrayOf(nullable_number)},
                       {"subgroup", ArrayOf(T("string"))},
                       {"freeze", T("integer")},
                       {"exclude", ArrayOf(T("integer"))},
                       {"parts", ArrayOf(T("integer"))},
                       {"multiply", T("number")},
                       {"screen_outliers", T("boolean")},
                       {"time_ordered", T("boolean")},
                       {"improvement", Enum({"increase", "decrease", "neutral"})},
                       {"target", T("number")}},
                      {"chart", "values"});
  s["SpcChart"] = Obj({{"chart", T("string")},
                       {"points", ArrayOf(Obj({{"subgroup", T("string")},
                                               {"part", T("integer")},
                                               {"baseline", T("boolean")},
                                               {"included", T("boolean")},
                                               {"y", nullable_number},
                                               {"cl", nullable_number},
                                               {"lcl", nullable_number},
                                               {"ucl", nullable_number},
                                               {"sigma_signal", T("boolean")},
                                               {"special_cause", T("string")},
                                               {"point_type", T("string")}}))},
                       {"parts", ArrayOf(T("object"))},
                       {"runs_signal", T("boolean")},
                       {"longest_run", T("integer")},
                       {"longest_run_max", T("integer")},
                       {"n_crossings", T("integer")},
                       {"n_crossings_min", T("integer")},
                       {"n_obs", T("integer")},
                       {"n_useful", T("integer")},
                       {"assurance", T("string")}});
  // Patient relations.
  json::object facts = Obj({{"written", T("boolean")},
                            {"resolved_promptly_by_staff_present", T("boolean")},
                            {"response_requested", T("boolean")},
                            {"alleges_abuse_or_neglect", T("boolean")},
                            {"alleges_conditions_of_participation_breach", T("boolean")},
                            {"medicare_billing_rights_issue", T("boolean")},
                            {"quality_of_care_concern", T("boolean")},
                            {"premature_discharge_concern", T("boolean")}});
  json::object reason = Obj({{"code", T("string")}, {"text", T("string")}});
  s["CaseIntake"] = Obj({{"kind", Enum({"complaint", "inquiry"})},
                         {"inquiry_type", Enum({"billing", "scheduling", "records", "general"})},
                         {"channel", Enum({"phone", "in_person", "letter", "email", "web_form"})},
                         {"category", T("string")},
                         {"severity", Enum({"low", "medium", "high", "critical"})},
                         {"description", T("string")},
                         {"desired_outcome", T("string")},
                         {"patient_id", T("integer")},
                         {"encounter_id", T("integer")},
                         {"location_id", T("integer")},
                         {"department", T("string")},
                         {"staff_member", T("string")},
                         {"contact_name", T("string")},
                         {"contact_email", T("string")},
                         {"contact_phone", T("string")},
                         {"contact_preference", Enum({"phone", "email", "letter", "none"})},
                         {"facts", facts},
                         {"received_at", Fmt("string", "date-time")}},
                        {"channel", "category", "description", "location_id"});
  s["Case"] = Obj({{"id", T("integer")},
                   {"reference_number", T("string")},
                   {"kind", Enum({"complaint", "grievance", "inquiry"})},
                   {"status", T("string")},
                   {"allowed_next_statuses", ArrayOf(T("string"))},
                   {"category", T("string")},
                   {"severity", T("string")},
                   {"owner_user_id", T("integer")},
                   {"received_at", Fmt("string", "date-time")},
                   {"triage", Obj({{"facts", facts},
                                   {"proposed", T("string")},
                                   {"reasons", ArrayOf(reason)},
                                   {"qio_concerns", ArrayOf(reason)},
                                   {"offer_qio_referral", T("boolean")},
                                   {"decision", T("object")}})},
                   {"deadlines", ArrayOf(Obj({{"milestone", T("string")},
                                              {"due", Fmt("string", "date-time")},
                                              {"state", Enum({"pending", "met", "met_late", "overdue"})},
                                              {"met_at", Fmt("string", "date-time")},
                                              {"due_soon", T("boolean")}}))},
                   {"next_due", Fmt("string", "date-time")},
                   {"overdue", T("boolean")},
                   {"events", ArrayOf(Obj({{"id", T("integer")}, {"at", Fmt("string", "date-time")},
                                           {"by", T("string")}, {"type", T("string")}, {"text", T("string")}}))},
                   {"attachments", ArrayOf(Ref("Attachment"))},
                   {"letter", T("object")}});
  s["CaseList"] = Obj({{"items", ArrayOf(Ref("Case"))}, {"total", T("integer")}}, {"items", "total"});
  s["OwnerList"] = Obj({{"items", ArrayOf(Obj({{"id", T("integer")}, {"name", T("string")}, {"role", T("string")}}))}});
  s["TriageInput"] = Obj({{"chosen", Enum({"complaint", "grievance"})}, {"override_reason", T("string")}}, {"chosen"});
  s["CaseStatusInput"] = Obj({{"status", T("string")}, {"note", T("string")}}, {"status"});
  s["OwnerInput"] = Obj({{"owner_user_id", T("integer")}}, {"owner_user_id"});
  s["NoteInput"] = Obj({{"type", Enum({"note", "action"})}, {"text", T("string")}});
  s["Attachment"] = Obj({{"id", T("integer")}, {"filename", T("string")}, {"content_type", T("string")},
                         {"size", T("integer")}, {"uploaded_at", Fmt("string", "date-time")},
                         {"uploaded_by", T("string")}});
  s["LetterInput"] = Obj({{"contact_name", T("string")}, {"contact_title", T("string")}, {"contact_phone", T("string")},
                          {"investigation_steps", T("string")}, {"results", T("string")},
                          {"completion_date", Fmt("string", "date")}, {"letter_date", Fmt("string", "date")},
                          {"further_recourse", T("string")}},
                         {"contact_name", "contact_title", "contact_phone", "investigation_steps", "results",
                          "completion_date"});
  json::object rule = Obj({{"milestone", Enum({"acknowledge", "resolve_or_interim_notice", "written_decision", "resolve"})},
                           {"days", T("integer")},
                           {"count", Enum({"business_days", "calendar_days"})},
                           {"remind_before_hours", T("integer")}});
  s["RelationsSettings"] = Obj({{"organization_name", T("string")},
                                {"categories", ArrayOf(T("string"))},
                                {"deadline_policy", Obj({{"complaint", ArrayOf(rule)},
                                                         {"grievance", ArrayOf(rule)},
                                                         {"inquiry", ArrayOf(rule)}})},
                                {"letter_template", T("string")}});
  s["BusinessCalendar"] = Obj({{"time_zone", T("string")}, {"working_weekdays", ArrayOf(T("integer"))},
                               {"holidays", ArrayOf(Fmt("string", "date"))}});
  json::object keyed = Obj({{"key", T("string")}, {"count", T("integer")}, {"per_1000", T("number")}});
  json::object boxes = Obj({{"top", ArrayOf(T("integer"))}, {"middle", ArrayOf(T("integer"))},
                            {"bottom", ArrayOf(T("integer"))}, {"top_label", T("string")},
                            {"middle_label", T("string")}, {"bottom_label", T("string")}});
  json::object option = Obj({{"value", T("integer")}, {"label", T("string")}});
  json::object item_kind = Enum({"frequency", "yes_no", "rating_0_10", "recommend", "agreement", "nps", "free_text"});
  s["SurveyKindList"] = Obj({{"items", ArrayOf(Obj({{"kind", item_kind}, {"scored", T("boolean")},
                                                    {"options", ArrayOf(option)}, {"default_boxes", boxes}}))}});
  json::object item = Obj({{"id", T("string")}, {"text", T("string")}, {"kind", item_kind},
                           {"measure_id", T("string")}, {"boxes", boxes}, {"options", ArrayOf(option)}},
                          {"id", "text", "kind"});
  json::object measure = Obj({{"id", T("string")}, {"name", T("string")}, {"item_ids", ArrayOf(T("string"))}});
  s["SurveyDraft"] = Obj({{"id", T("string")}, {"title", T("string")}, {"items", ArrayOf(item)},
                          {"measures", ArrayOf(measure)}},
                         {"items"});
  s["SurveyVersion"] = Obj({{"id", T("string")}, {"version", T("integer")}, {"title", T("string")},
                            {"created_at", Fmt("string", "date-time")}, {"created_by", T("string")},
                            {"active", T("boolean")}, {"responses", T("integer")}, {"items", ArrayOf(item)},
                            {"measures", ArrayOf(measure)}, {"versions", ArrayOf(T("integer"))}});
  s["SurveyList"] = Obj({{"items", ArrayOf(Obj({{"id", T("string")}, {"title", T("string")},
                                                {"latest_version", T("integer")}, {"active", T("boolean")},
                                                {"responses", T("integer")},
                                                {"created_at", Fmt("string", "date-time")}}))}});
  s["SurveySettings"] = Obj({{"active_survey_id", T("string")}, {"send_after_hours", T("integer")},
                             {"expires_days", T("integer")}, {"reminder_after_days", T("integer")},
                             {"max_reminders", T("integer")}, {"public_base_url", T("string")},
                             {"from_name", T("string")}, {"from_email", T("string")},
                             {"email_subject", T("string")}, {"email_intro", T("string")},
                             {"mail_enabled", T("boolean")}});
  s["DispatchReport"] = Obj({{"invited", T("integer")}, {"emailed", T("integer")}, {"to_print", T("integer")},
                             {"reminded", T("integer")}, {"failed", T("integer")},
                             {"opted_out_skipped", T("integer")}});
  json::object invitation = Obj({{"id", T("integer")}, {"encounter_id", T("integer")}, {"patient_id", T("integer")},
                                 {"patient_name", T("string")}, {"location_id", T("integer")},
                                 {"location_name", T("string")}, {"department", T("string")},
                                 {"provider_id", T("integer")}, {"provider_name", T("string")},
                                 {"visit_date", Fmt("string", "date")}, {"survey_id", T("string")},
                                 {"survey_version", T("integer")}, {"channel", Enum({"email", "print"})},
                                 {"email", T("string")}, {"issued_at", T("string")}, {"expires_at", T("string")},
                                 {"sent_at", T("string")}, {"printed_at", T("string")}, {"reminders", T("integer")},
                                 {"last_reminder_at", T("string")}, {"used_at", T("string")},
                                 {"state", Enum({"valid", "used", "expired", "opted_out"})},
                                 {"send_error", T("string")}});
  s["InvitationList"] = Obj({{"items", ArrayOf(invitation)}, {"total", T("integer")}});
  s["PrintSlip"] = Obj({{"url", T("string")}, {"qr_svg", T("string")}, {"expires_at", T("string")},
                        {"patient_name", T("string")}, {"survey_title", T("string")},
                        {"location_name", T("string")}, {"visit_date", T("string")}});
  s["SurveyImport"] = Obj({{"filename", T("string")}, {"csv", T("string")}, {"dry_run", T("boolean")},
                           {"mapping", Obj({{"respondent_id_column", T("string")},
                                            {"encounter_id_column", T("string")}, {"date_column", T("string")},
                                            {"date_format", Enum({"iso", "mdy"})},
                                            {"items", ArrayOf(Obj({{"column", T("string")},
                                                                   {"item_id", T("string")},
                                                                   {"values", T("object")}}))},
                                            {"metadata", ArrayOf(Obj({{"column", T("string")},
                                                                      {"key", Enum({"department", "provider",
                                                                                    "location"})}}))},
                                            {"missing_values", ArrayOf(T("string"))}})}},
                          {"csv", "mapping"});
  s["SurveyImportReport"] = Obj({{"id", T("integer")}, {"rows_read", T("integer")}, {"accepted", T("integer")},
                                 {"rejected_rows", T("integer")},
                                 {"issues", ArrayOf(Obj({{"row", T("integer")}, {"line", T("integer")},
                                                         {"column", T("string")}, {"reason", T("string")},
                                                         {"message", T("string")}}))}});
  s["SurveyImportList"] = Obj({{"items", ArrayOf(Obj({{"id", T("integer")}, {"version", T("integer")},
                                                      {"filename", T("string")}, {"at", T("string")},
                                                      {"by", T("string")}, {"rows_read", T("integer")},
                                                      {"accepted", T("integer")},
                                                      {"rejected_rows", T("integer")}}))}});
  json::object box_share{{"type", json::array{"number", "null"}}};
  json::object scores = Obj(
      {{"responses", T("integer")},
       {"items", ArrayOf(Obj({{"item_id", T("string")}, {"text", T("string")}, {"measure_id", T("string")},
                              {"kind", item_kind}, {"answered", T("integer")}, {"top", box_share},
                              {"middle", box_share}, {"bottom", box_share}, {"linear_mean", box_share}}))},
       {"measures", ArrayOf(Obj({{"measure_id", T("string")}, {"name", T("string")}, {"top", box_share},
                                 {"middle", box_share}, {"bottom", box_share}, {"linear_mean", box_share}}))},
       {"nps", ArrayOf(Obj({{"item_id", T("string")}, {"promoters", T("integer")}, {"passives", T("integer")},
                            {"detractors", T("integer")}, {"nps", box_share}}))}});
  s["SurveyScores"] = Obj({{"survey_id", T("string")}, {"version", T("integer")}, {"from", T("string")},
                           {"to", T("string")}, {"group_by", T("string")}, {"responses", T("integer")},
                           {"invitations", T("integer")}, {"response_rate", box_share}, {"overall", scores},
                           {"groups", ArrayOf(Obj({{"key", T("string")}, {"label", T("string")},
                                                   {"responses", T("integer")}, {"invitations", T("integer")},
                                                   {"response_rate", box_share}, {"scores", scores}}))}});
  s["PublicSurvey"] = Obj({{"state", Enum({"valid", "used", "expired", "opted_out"})},
                           {"organization_name", T("string")},
                           {"visit", Obj({{"date", T("string")}, {"location_name", T("string")}})},
                           {"survey", Obj({{"title", T("string")}, {"items", ArrayOf(item)}})}});
  s["SurveyAnswers"] = Obj({{"answers", ArrayOf(Obj({{"item_id", T("string")}, {"value", T("integer")},
                                                     {"text", T("string")}}))}},
                           {"answers"});
  json::object nullable_date{{"type", json::array{"string", "null"}}, {"format", "date"}};
  json::object cycle_input = Obj({{"title", T("string")}, {"plan", T("string")}, {"do_notes", T("string")},
                                  {"study", T("string")}, {"act", T("string")},
                                  {"start_date", Fmt("string", "date")}, {"end_date", nullable_date}},
                                 {"title", "start_date"});
  s["CycleInput"] = cycle_input;
  json::object cycle = cycle_input;
  cycle["properties"].as_object()["id"] = T("integer");
  s["ProjectInput"] = Obj({{"title", T("string")}, {"aim", T("string")}, {"metric_key", T("string")},
                           {"location_id", json::object{{"type", json::array{"integer", "null"}}}},
                           {"owner", T("string")}, {"start_date", Fmt("string", "date")}, {"end_date", nullable_date},
                           {"target", json::object{{"type", json::array{"number", "null"}}}},
                           {"status", Enum({"active", "completed", "abandoned"})}},
                          {"title", "aim", "metric_key", "start_date"});
  json::object project = s["ProjectInput"].as_object();
  auto& props = project["properties"].as_object();
  props["id"] = T("integer");
  props["metric_name"] = T("string");
  props["location_name"] = json::object{{"type", json::array{"string", "null"}}};
  props["created_at"] = T("string");
  props["created_by"] = T("string");
  props["updated_at"] = T("string");
  props["cycles"] = ArrayOf(cycle);
  s["Project"] = project;
  s["ProjectList"] = Obj({{"items", ArrayOf(Ref("Project"))}});
  json::object nullable_string{{"type", json::array{"string", "null"}}};
  s["MetricAlert"] = Obj({{"id", T("integer")},
                          {"metric_key", T("string")},
                          {"metric_name", T("string")},
                          {"unit", T("string")},
                          {"improvement", Enum({"increase", "decrease", "neutral"})},
                          {"location_id", T("integer")},
                          {"location_name", T("string")},
                          {"interval", Enum({"week", "month"})},
                          {"first_period_start", Fmt("string", "date")},
                          {"last_period_start", Fmt("string", "date")},
                          {"periods", T("integer")},
                          {"special_cause", T("string")},
                          {"point_type", Enum({"special_cause_improvement", "special_cause_concern",
                                               "special_cause_neutral_high", "special_cause_neutral_low"})},
                          {"value", nullable_number},
                          {"centre", nullable_number},
                          {"lower_limit", nullable_number},
                          {"upper_limit", nullable_number},
                          {"detected_at", T("string")},
                          {"updated_at", T("string")},
                          {"acknowledged_at", nullable_string},
                          {"acknowledged_by", nullable_string},
                          {"note", T("string")}});
  s["MetricAlertList"] = Obj({{"items", ArrayOf(Ref("MetricAlert"))}, {"total", T("integer")}});
  s["AlertAcknowledgement"] = Obj({{"note", T("string")}});
  s["AccessReading"] = Obj({{"provider_id", T("integer")},
                            {"provider_name", T("string")},
                            {"specialty", T("string")},
                            {"appointment_type_id", T("integer")},
                            {"appointment_type_name", T("string")},
                            {"days", T("integer")},
                            {"third_at", nullable_string},
                            {"open_slots", T("integer")},
                            {"censored", T("boolean")}});
  s["AccessReadings"] = Obj({{"location_id", T("integer")},
                             {"time_zone", T("string")},
                             {"snapshot_date", nullable_string},
                             {"taken_at", nullable_string},
                             {"horizon_days", T("integer")},
                             {"mean_days", nullable_number},
                             {"items", ArrayOf(Ref("AccessReading"))}});
  s["AccessReadingInput"] = Obj({{"location_id", json::object{{"type", json::array{"integer", "null"}}}}});
  s["AccessReadingReport"] = Obj({{"locations", T("integer")}, {"days", T("integer")}, {"readings", T("integer")}});
  s["AlertScanReport"] = Obj({{"locations", T("integer")}, {"charts", T("integer")}, {"new_alerts", T("integer")},
                              {"continued", T("integer")}, {"emails_queued", T("integer")}, {"emailed", T("integer")},
                              {"failed", T("integer")}});
  s["AlertSubscriptionInput"] =
      Obj({{"location_id", json::object{{"type", json::array{"integer", "null"}}}}, {"metric_key", T("string")},
           {"email", Fmt("string", "email")}},
          {"email"});
  s["AlertSubscription"] = Obj({{"id", T("integer")},
                                {"location_id", json::object{{"type", json::array{"integer", "null"}}}},
                                {"location_name", nullable_string},
                                {"metric_key", T("string")},
                                {"metric_name", T("string")},
                                {"email", T("string")},
                                {"created_at", T("string")}});
  s["AlertSubscriptionList"] = Obj({{"items", ArrayOf(Ref("AlertSubscription"))}});
  s["RelationsReport"] = Obj({{"visits", T("integer")},
                              {"cases", T("integer")},
                              {"per_1000_visits", T("number")},
                              {"by_category", ArrayOf(keyed)},
                              {"by_department", ArrayOf(keyed)},
                              {"by_month", ArrayOf(Obj({{"month", T("string")}, {"count", T("integer")},
                                                        {"visits", T("integer")}, {"per_1000", T("number")}}))},
                              {"acknowledge_hours", Obj({{"median", T("number")}, {"p90", T("number")}})},
                              {"resolve_days", Obj({{"median", T("number")}, {"p90", T("number")}})},
                              {"within_deadline_share", T("number")},
                              {"open_now", T("integer")},
                              {"overdue_now", T("integer")}});
  s["ComplaintForm"] = Obj({{"organization_name", T("string")},
                            {"locations", ArrayOf(Obj({{"id", T("integer")}, {"name", T("string")}}))},
                            {"categories", ArrayOf(T("string"))}});
  s["PublicComplaint"] = Obj({{"name", T("string")}, {"email", T("string")}, {"phone", T("string")},
                              {"contact_preference", Enum({"phone", "email", "letter", "none"})},
                              {"location_id", T("integer")}, {"category", T("string")},
                              {"visit_date", Fmt("string", "date")}, {"description", T("string")},
                              {"desired_outcome", T("string")}, {"website", T("string")},
                              {"elapsed_ms", T("integer")}},
                             {"name", "description"});
  json::object group = Obj({{"period", T("string")}, {"key", T("string")}, {"count", T("integer")}});
  s["CommentList"] = Obj({{"items", ArrayOf(Obj({{"id", T("integer")}, {"source", Enum({"case", "survey"})},
                                                {"source_id", T("integer")}, {"location_id", T("integer")},
                                                {"location_name", T("string")}, {"department", T("string")},
                                                {"date", Fmt("string", "date")}, {"text", T("string")},
                                                {"themes", ArrayOf(T("string"))},
                                                {"sentiment", Enum({"positive", "neutral", "negative"})}}))},
                          {"total", T("integer")}});
  s["FeedbackModel"] = Obj({{"loaded", T("boolean")}, {"path", T("string")}, {"id", T("string")},
                            {"themes", ArrayOf(T("string"))}, {"error", T("string")}});
  s["CommentTrends"] = Obj({{"interval", Enum({"day", "month"})}, {"periods", ArrayOf(T("string"))},
                            {"themes", ArrayOf(group)}, {"sentiment", ArrayOf(group)},
                            {"units", ArrayOf(Obj({{"unit", T("string")}, {"key", T("string")}, {"count", T("integer")}}))},
                            {"model", Ref("FeedbackModel")}});
  json::object metric = Obj({{"key", T("string")}, {"name", T("string")}, {"unit", T("string")},
                             {"group", T("string")}, {"definition", T("string")}, {"improvement", T("string")},
                             {"series", ArrayOf(Obj({{"start", Fmt("string", "date")}, {"numerator", T("number")},
                                                     {"denominator", T("number")}, {"value", T("number")}}))},
                             {"chart", Ref("SpcChart")}, {"latest", T("number")}, {"variation", T("string")},
                             {"assurance", T("string")}});
  s["MetricList"] = Obj({{"items", ArrayOf(Obj({{"key", T("string")}, {"name", T("string")}, {"unit", T("string")},
                                                {"group", T("string")}, {"definition", T("string")},
                                                {"chart", T("string")}, {"improvement", T("string")}}))}});
  s["MetricDashboard"] = Obj({{"interval", Enum({"day", "week", "month"})}, {"from", Fmt("string", "date")},
                              {"to", Fmt("string", "date")}, {"location_id", T("integer")},
                              {"metrics", ArrayOf(metric)}});
  s["MetricOne"] = Obj({{"interval", Enum({"day", "week", "month"})}, {"from", Fmt("string", "date")},
                        {"to", Fmt("string", "date")}, {"metric", metric}});
  s["ClassifyInput"] =
      Obj({{"text", T("string")}, {"question", Enum({"what_good", "could_improve", "nonspecific"})}}, {"text"});
  s["Classification"] = Obj({{"themes", ArrayOf(T("string"))}, {"sentiment", Enum({"positive", "neutral", "negative"})}});
  s["PublicReceipt"] = Obj({{"reference_number", T("string")}, {"message", T("string")}});
  s["User"] = Obj({{"id", T("integer")},
                   {"username", T("string")},
                   {"display_name", T("string")},
                   {"role", Enum({"admin", "manager", "coordinator", "clinician", "billing", "auditor"})},
                   {"active", T("boolean")},
                   {"location_id", json::object{{"type", json::array{"integer", "null"}}}},
                   {"department", T("string")}});
  s["UserList"] = ListOf("User");
  s["NewUser"] = Obj({{"username", T("string")}, {"display_name", T("string")}, {"role", T("string")},
                      {"password", T("string")}, {"location_id", json::object{{"type", json::array{"integer", "null"}}}},
                      {"department", T("string")}},
                     {"username", "role", "password"});
  s["UserChange"] = Obj({{"display_name", T("string")}, {"role", T("string")}, {"active", T("boolean")},
                         {"password", T("string")},
                         {"location_id", json::object{{"type", json::array{"integer", "null"}}}},
                         {"department", T("string")}});
  s["Session"] = Obj({{"token", T("string")}, {"expires_at", Fmt("string", "date-time")}, {"user", Ref("User")}});
  s["NewSystemToken"] = Obj({{"username", T("string")}, {"scope", T("string")}, {"days", T("integer")}},
                            {"username", "scope"});
  s["SystemTokenList"] = ListOf("SystemTokenInfo");
  s["SystemTokenInfo"] = Obj({{"id", T("integer")}, {"scope", T("string")}, {"user", Ref("User")},
                              {"issued_at", Fmt("string", "date-time")}, {"expires_at", Fmt("string", "date-time")},
                              {"last_used_at", Fmt("string", "date-time")}});
  s["SystemToken"] = Obj({{"id", T("integer")}, {"token", T("string")}, {"expires_at", Fmt("string", "date-time")}, {"scope", T("string")},
                          {"user", Ref("User")}});
  s["Me"] = Obj({{"user", Ref("User")}, {"permissions", ArrayOf(T("string"))}});
  s["AuditEvent"] = Obj({{"id", T("integer")},
                         {"at", Fmt("string", "date-time")},
                         {"user", T("string")},
                         {"role", T("string")},
                         {"action", T("string")},
                         {"patient_id", T("integer")},
                         {"category", T("string")},
                         {"client_address", T("string")},
                         {"outcome", Enum({"success", "denied", "failure"})},
                         {"detail", T("string")}});
  s["AuditEventList"] = ListOf("AuditEvent");
  json::object address = Obj({{"line1", T("string")}, {"line2", T("string")}, {"city", T("string")},
                              {"state", T("string")}, {"postal_code", T("string")}, {"country", T("string")}});
  json::object coverage = Obj({{"id", T("integer")},
                               {"payer", T("string")},
                               {"member_id", T("string")},
                               {"group_number", T("string")},
                               {"relationship", Enum({"self", "spouse", "child", "other"})},
                               {"start_date", Fmt("string", "date")},
                               {"end_date", Fmt("string", "date")}},
                              {"payer", "member_id"});
  json::object consent =
      Obj({{"kind", Enum({"treatment", "privacy_notice", "sms", "email", "research"})},
           {"granted", T("boolean")},
           {"date", Fmt("string", "date")}},
          {"kind", "date"});
  json::object patient_props{{"given_name", T("string")},
                             {"middle_name", T("string")},
                             {"family_name", T("string")},
                             {"birth_date", Fmt("string", "date")},
                             {"sex", Enum({"female", "male", "other", "unknown"})},
                             {"phone", T("string")},
                             {"email", T("string")},
                             {"address", address},
                             {"preferred_language", T("string")},
                             {"preferred_contact_method", Enum({"phone", "sms", "email", "mail", "portal"})},
                             {"emergency_contact",
                              Obj({{"name", T("string")}, {"relationship", T("string")}, {"phone", T("string")}})},
                             {"coverages", ArrayOf(coverage)},
                             {"consents", ArrayOf(consent)}};
  json::object input_props = patient_props;
  input_props["confirm_new"] = T("boolean");
  input_props["version"] = T("integer");
  s["PatientInput"] = json::object{{"type", "object"},
                                   {"properties", input_props},
                                   {"required", json::array{"given_name", "family_name", "birth_date"}}};
  json::object full = patient_props;
  full["id"] = T("integer");
  full["mrn"] = T("string");
  full["version"] = T("integer");
  full["merged_into"] = json::object{{"type", json::array{"integer", "null"}},
                                     {"description", "the record this one was merged into, if it was"}};
  full["created_at"] = Fmt("string", "date-time");
  full["updated_at"] = Fmt("string", "date-time");
  s["Patient"] = json::object{{"type", "object"}, {"properties", full}};
  s["PatientMergeInput"] = Obj({{"survivor_id", T("integer")}, {"merged_id", T("integer")}, {"reason", T("string")}},
                                {"survivor_id", "merged_id", "reason"});
  s["PatientUnmergeInput"] = Obj({{"reason", T("string")}}, {"reason"});
  json::object merge_party = Obj({{"id", T("integer")}, {"mrn", T("string")}, {"name", T("string")}});
  json::object nullable_text{{"type", json::array{"string", "null"}}};
  s["PatientMerge"] = Obj({{"id", T("integer")},
                           {"survivor", merge_party},
                           {"merged", merge_party},
                           {"at", Fmt("string", "date-time")},
                           {"by", T("string")},
                           {"reason", T("string")},
                           {"undone_at", json::object{{"type", json::array{"string", "null"}}, {"format", "date-time"}}},
                           {"undone_by", nullable_text},
                           {"undo_reason", nullable_text},
                           {"moved", json::object{{"type", "object"},
                                                  {"description", "rows moved, by kind (appointments, encounters, "
                                                                  "coverages, consents, cases, survey_invitations, "
                                                                  "survey_responses, survey_opt_outs, identifiers, "
                                                                  "fhir_resources)"},
                                                  {"additionalProperties", T("integer")}}}});
  s["PatientMergeList"] = ListOf("PatientMerge");
  s["PatientSummaryList"] = Obj({{"items", ArrayOf(Obj({{"id", T("integer")},
                                                         {"mrn", T("string")},
                                                         {"given_name", T("string")},
                                                         {"middle_name", T("string")},
                                                         {"family_name", T("string")},
                                                         {"birth_date", Fmt("string", "date")},
                                                         {"phone", T("string")},
                                                         {"score", T("number")}}))}});
  s["Location"] = Obj({{"id", T("integer")},
                       {"name", T("string")},
                       {"time_zone", T("string")},
                       {"address", T("string")},
                       {"phone", T("string")},
                       {"flow_warn_minutes", T("integer")},
                       {"flow_alert_minutes", T("integer")}},
                      {"name", "time_zone"});
  s["LocationList"] = ListOf("Location");
  s["Room"] = Obj({{"id", T("integer")}, {"location_id", T("integer")}, {"name", T("string")}, {"active", T("boolean")}},
                  {"location_id", "name"});
  s["RoomList"] = ListOf("Room");
  s["Provider"] = Obj({{"id", T("integer")},
                       {"name", T("string")},
                       {"specialty", T("string")},
                       {"location_ids", ArrayOf(T("integer"))},
                       {"max_overbook", T("integer")},
                       {"active", T("boolean")}},
                      {"name"});
  s["ProviderList"] = ListOf("Provider");
  s["AppointmentType"] = Obj({{"id", T("integer")},
                              {"name", T("string")},
                              {"duration_minutes", T("integer")},
                              {"modality", Enum({"in_person", "telehealth"})},
                              {"provider_ids", ArrayOf(T("integer"))},
                              {"color", T("string")},
                              {"active", T("boolean")}},
                             {"name", "duration_minutes"});
  s["AppointmentTypeList"] = ListOf("AppointmentType");
  s["Template"] = Obj({{"id", T("integer")},
                       {"provider_id", T("integer")},
                       {"location_id", T("integer")},
                       {"room_id", T("integer")},
                       {"weekday", T("integer")},
                       {"start", T("string")},
                       {"end", T("string")},
                       {"valid_from", Fmt("string", "date")},
                       {"valid_to", Fmt("string", "date")}},
                      {"provider_id", "location_id", "weekday", "start", "end"});
  s["TemplateList"] = ListOf("Template");
  s["Exception"] = Obj({{"id", T("integer")},
                        {"provider_id", T("integer")},
                        {"location_id", T("integer")},
                        {"kind", Enum({"holiday", "leave", "other"})},
                        {"start_date", Fmt("string", "date")},
                        {"end_date", Fmt("string", "date")},
                        {"start", T("string")},
                        {"end", T("string")},
                        {"reason", T("string")}},
                       {"start_date"});
  s["ExceptionList"] = ListOf("Exception");
  s["SlotList"] = Obj({{"items", ArrayOf(Obj({{"start", Fmt("string", "date-time")},
                                               {"end", Fmt("string", "date-time")},
                                               {"provider_id", T("integer")},
                                               {"location_id", T("integer")},
                                               {"room_id", T("integer")}}))}});
  s["BookingInput"] = Obj({{"patient_id", T("integer")},
                           {"appointment_type_id", T("integer")},
                           {"provider_id", T("integer")},
                           {"location_id", T("integer")},
                           {"start", Fmt("string", "date-time")},
                           {"room_id", T("integer")},
                           {"notes", T("string")},
                           {"overbook", T("boolean")}},
                          {"patient_id", "appointment_type_id", "provider_id", "location_id", "start"});
  s["Appointment"] = Obj({{"id", T("integer")},
                          {"patient_id", T("integer")},
                          {"patient_name", T("string")},
                          {"appointment_type_id", T("integer")},
                          {"appointment_type_name", T("string")},
                          {"provider_id", T("integer")},
                          {"provider_name", T("string")},
                          {"location_id", T("integer")},
                          {"location_name", T("string")},
                          {"room_id", T("integer")},
                          {"start", Fmt("string", "date-time")},
                          {"end", Fmt("string", "date-time")},
                          {"status", Enum({"booked", "cancelled", "no_show", "checked_in", "completed"})},
                          {"modality", T("string")},
                          {"join_url", T("string")},
                          {"cancel_reason", T("string")},
                          {"notes", T("string")},
                          {"overbooked", T("boolean")},
                          {"encounter_id", T("integer")},
                          {"history", ArrayOf(Obj({{"status", T("string")},
                                                   {"at", Fmt("string", "date-time")},
                                                   {"by", T("string")},
                                                   {"note", T("string")}}))}});
  s["AppointmentList"] = ListOf("Appointment");
  s["CancelInput"] = Obj({{"reason", T("string")}}, {"reason"});
  s["RescheduleInput"] = Obj({{"start", Fmt("string", "date-time")}, {"provider_id", T("integer")}}, {"start"});
  s["CheckInInput"] = Obj({{"override", T("boolean")}});
  s["WalkInInput"] = Obj({{"patient_id", T("integer")}, {"location_id", T("integer")}, {"provider_id", T("integer")}},
                         {"patient_id", "location_id"});
  json::object states =
      Enum({"arrived", "roomed", "with_provider", "checkout", "completed", "left_without_being_seen"});
  s["TransitionInput"] = Obj({{"to", states}, {"room_id", T("integer")}}, {"to"});
  s["Encounter"] = Obj({{"id", T("integer")},
                        {"patient_id", T("integer")},
                        {"patient_name", T("string")},
                        {"appointment_id", T("integer")},
                        {"location_id", T("integer")},
                        {"provider_id", T("integer")},
                        {"provider_name", T("string")},
                        {"room_id", T("integer")},
                        {"state", states},
                        {"state_since", Fmt("string", "date-time")},
                        {"arrived_at", Fmt("string", "date-time")},
                        {"ended_at", Fmt("string", "date-time")},
                        {"walk_in", T("boolean")},
                        {"transitions", ArrayOf(Obj({{"from", T("string")},
                                                     {"to", T("string")},
                                                     {"at", Fmt("string", "date-time")},
                                                     {"by", T("string")},
                                                     {"undone", T("boolean")}}))}});
  s["EncounterList"] = Obj({{"items", ArrayOf(Ref("Encounter"))}, {"more", T("boolean")}}, {"items", "more"});
  s["FlowBoard"] = Obj({{"location_id", T("integer")},
                        {"location_name", T("string")},
                        {"now", Fmt("string", "date-time")},
                        {"thresholds", Obj({{"warn_minutes", T("integer")}, {"alert_minutes", T("integer")}})},
                        {"items", ArrayOf(Obj({{"encounter_id", T("integer")},
                                               {"patient_id", T("integer")},
                                               {"patient_name", T("string")},
                                               {"provider_name", T("string")},
                                               {"room_name", T("string")},
                                               {"state", states},
                                               {"state_since", Fmt("string", "date-time")},
                                               {"arrived_at", Fmt("string", "date-time")},
                                               {"state_minutes", T("integer")},
                                               {"waiting_minutes", T("integer")},
                                               {"level", Enum({"ok", "warn", "alert"})}}))}});
  json::object nullable_int{{"type", json::array{"integer", "null"}}};
  json::object nullable_time{{"type", json::array{"string", "null"}}, {"format", "date-time"}};
  s["Hl7Message"] = Obj({{"id", T("integer")},
                         {"received_at", Fmt("string", "date-time")},
                         {"peer", T("string")},
                         {"control_id", T("string")},
                         {"sending_application", T("string")},
                         {"sending_facility", T("string")},
                         {"message_type", T("string")},
                         {"trigger_event", T("string")},
                         {"version", T("string")},
                         {"status", Enum({"received", "applied", "ignored", "duplicate", "failed", "rejected"})},
                         {"ack_code", Enum({"", "AA", "AE", "AR"})},
                         {"error_code", T("string")},
                         {"error_text", T("string")},
                         {"error_location", T("string")},
                         {"note", T("string")},
                         {"patient_id", nullable_int},
                         {"attempts", T("integer")},
                         {"processed_at", nullable_time},
                         {"raw", T("string")}},
                        {"id", "received_at", "status", "attempts"});
  s["Hl7MessageList"] = Obj({{"items", ArrayOf(Ref("Hl7Message"))},
                             {"total", T("integer")},
                             {"needing_attention", Obj({{"failed", T("integer")},
                                                        {"rejected", T("integer")},
                                                        {"received", T("integer")}},
                                                       {"failed", "rejected", "received"})}},
                            {"items", "total", "needing_attention"});
  s["Hl7Submission"] =
      Obj({{"id", T("integer")}, {"ack", T("string")}, {"message", Ref("Hl7Message")}}, {"id", "ack", "message"});
  json::object feeds{{"type", "array"}, {"items", Enum({"SIU", "ADT"})}};
  s["Hl7PeerInput"] = Obj({{"name", T("string")},
                           {"host", T("string")},
                           {"port", T("integer")},
                           {"enabled", T("boolean")},
                           {"feeds", feeds}},
                          {"name", "host", "port"});
  s["Hl7Peer"] = Obj({{"id", T("integer")},
                      {"name", T("string")},
                      {"host", T("string")},
                      {"port", T("integer")},
                      {"enabled", T("boolean")},
                      {"feeds", feeds},
                      {"updated_at", Fmt("string", "date-time")}},
                     {"id", "name", "host", "port", "enabled", "feeds"});
  s["Hl7PeerList"] = Obj({{"items", ArrayOf(Ref("Hl7Peer"))}}, {"items"});
  s["FhirJob"] = Obj({{"id", T("string")},
                      {"kind", Enum({"export", "import"})},
                      {"state", Enum({"running", "done", "failed"})},
                      {"phase", T("string")},
                      {"done", T("integer")},
                      {"total", T("integer")},
                      {"started_at", Fmt("string", "date-time")},
                      {"request", T("string")},
                      {"error", T("string")},
                      {"expires_at", Fmt("string", "date-time")},
                      {"status_url", T("string")}},
                     {"id", "kind", "state", "done", "started_at", "status_url"});
  s["FhirJobList"] = Obj({{"items", ArrayOf(Ref("FhirJob"))}}, {"items"});
  s["Hl7Outbound"] = Obj({{"id", T("integer")},
                          {"peer_id", T("integer")},
                          {"peer_name", T("string")},
                          {"patient_id", T("integer")},
                          {"event", T("string")},
                          {"control_id", T("string")},
                          {"created_at", Fmt("string", "date-time")},
                          {"status", Enum({"pending", "sent", "dead", "discarded"})},
                          {"attempts", T("integer")},
                          {"next_attempt_at", Fmt("string", "date-time")},
                          {"last_error", T("string")},
                          {"ack_code", T("string")},
                          {"sent_at", nullable_time},
                          {"message", T("string")}},
                         {"id", "peer_id", "event", "status", "attempts"});
  s["Hl7OutboundList"] = Obj({{"items", ArrayOf(Ref("Hl7Outbound"))},
                              {"total", T("integer")},
                              {"counts", Obj({{"pending", T("integer")}, {"dead", T("integer")}}, {"pending", "dead"})}},
                             {"items", "total", "counts"});
  return s;
}

json::object Operation(const RouteDoc& d) {
  json::object op{{"summary", d.summary}, {"tags", json::array{d.tag}}};
  if (d.permission == "public") {
    op["security"] = json::array{};
  } else {
    op["description"] = "Requires the permission `" + std::string(d.permission) + "`.";
  }
  json::array params;
  std::string_view pattern = d.pattern;
  // Every {name} of the path: ids and version numbers are integers, the rest strings.
  for (size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
    size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    std::string name(pattern.substr(open + 1, close - open - 1));
    bool integer = name == "id" || name == "v" || name.ends_with("_id") || name == "aid" || name == "cid";
    params.push_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", T(integer ? "integer" : "string")}});
  }
  if (!params.empty()) op["parameters"] = params;
  if (d.request == "Hl7Text") {
    json::object text{{"schema", T("string")}};
    op["requestBody"] = json::object{
        {"required", true},
        {"content", json::object{{"text/plain", text}, {"x-application/hl7-v2+er7", text}}}};
  } else if (!d.request.empty()) {
    op["requestBody"] = json::object{
        {"required", true},
        {"content", json::object{{"application/json", json::object{{"schema", Ref(d.request)}}}}}};
  }
  json::object responses;
  json::object ok{{"description", "Success"}};
  if (!d.response.empty()) {
    ok["content"] = json::object{{"application/json", json::object{{"schema", Ref(d.response)}}}};
  }
  responses[std::to_string(d.status)] = ok;
  json::object err{{"description", "Error"},
                   {"content", json::object{{"application/json", json::object{{"schema", Ref("Error")}}}}}};
  for (const char* code : {"400", "401", "403", "404", "409", "413", "422"}) responses[code] = err;
  op["responses"] = responses;
  return op;
}

}  // namespace

// The FHIR API is not CareDesk's own: it describes itself in its CapabilityStatement (/fhir/R4/metadata).
bool IsFhirRoute(std::string_view pattern) { return pattern.starts_with("/fhir/"); }

std::vector<std::string> UndocumentedRoutes(const http::Router& router) {
  std::vector<std::string> out;
  for (const auto& r : router.Routes()) {
    if (!IsFhirRoute(r.pattern) && !FindDoc(r.method, r.pattern)) out.push_back(r.method + " " + r.pattern);
  }
  return out;
}

std::string OpenApiDocument(const http::Router& router) {
  json::object paths;
  for (const auto& r : router.Routes()) {
    const RouteDoc* d = FindDoc(r.method, r.pattern);
    if (d == nullptr) continue;
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json::value& path = paths[r.pattern];
    if (!path.is_object()) path = json::object();
    path.as_object()[method] = Operation(*d);
  }
  json::object doc{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", "CareDesk API"},
                            {"version", "1"},
                            {"description", "Patient services: registration, scheduling, patient flow, audit."}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"security", json::array{json::object{{"bearer", json::array{}}}}},
      {"paths", paths},
      {"components", json::object{{"schemas", Schemas()},
                                  {"securitySchemes",
                                   json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}}};
  return json::serialize(doc);
}

}  // namespace caredesk::api
