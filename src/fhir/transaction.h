// A transaction Bundle's writes, all or nothing: one database transaction for every entry, `urn:uuid:`
// (and other fullUrl) references between the entries resolved to the ids the server gives.
//
// Written in a transaction: Patient, Practitioner and Encounter (POST creates, PUT updates an existing one,
// If-Match honoured; see patient_store.h and visit_store.h), Appointment (POST books, as
// AppointmentService::Book does, slot claim included: appointment_input.h), QuestionnaireResponse POST to a
// CareDesk survey (a survey response: survey_responses.h), Coverage (POST, PUT, DELETE; no If-Match:
// coverage_store.h) and every type kept as sent (POST, PUT creating or updating, DELETE). Processed
// in FHIR's order: DELETE, then POST, then PUT; within each, patients, then practitioners, then bookings, then
// encounters, then survey responses, then the types kept as sent, then coverages, so a resource naming a new patient, practitioner,
// booking or encounter by its fullUrl gets its id (a new patient is booked in the same transaction), and a
// coverage's payor may be an Organization of the same transaction. An encounter at an Organization of the
// transaction is placed at the location made for it (visit_store.h). GET entries are not this class's: the
// caller runs them after the commit.
// Anything else (a change of a booking, a conditional write, PATCH) is refused before anything is written: a
// 422 naming the entry, so the client can send it in a batch instead.
//
// An entry that fails rolls the whole transaction back; its error names the entry ("Bundle.entry[3]").
// Each write is authorised by the caller's `may_write` (the HTTP layer's own check: role and token scopes
// for the type) before anything is written, and audited as it would be alone, inside the same database
// transaction. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/appointment_service.h"
#include "fhir/bundle.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"
#include "fhir/coverage_store.h"
#include "fhir/survey_responses.h"
#include "fhir/visit_store.h"

namespace caredesk::fhir {

class TransactionRunner {
 public:
  TransactionRunner(PatientStore& patients, VisitStore& visits, CoverageStore& coverages, ResourceStore& resources,
                    AppointmentService& appointments, SurveyResponseStore& survey_responses, db::Pool& pool,
                    const Clock& clock)
      : patients_(patients), visits_(visits), coverages_(coverages), resources_(resources),
        appointments_(appointments), survey_responses_(survey_responses), pool_(pool), clock_(clock) {}

  // Whether `by` may write resources of a type: nullopt, or the error (a 403) to answer.
  using MayWrite = std::function<std::optional<Error>(std::string_view type)>;

  // The outcome of each entry, in the entries' order; GET and HEAD entries are left with status 0 for the
  // caller. `base` is the server's base URL (for locations).
  Result<std::vector<BatchOutcome>> Run(const Actor& by, const std::vector<BatchEntry>& entries,
                                        const std::string& base, const MayWrite& may_write);

 private:
  PatientStore& patients_;
  VisitStore& visits_;
  CoverageStore& coverages_;
  ResourceStore& resources_;
  AppointmentService& appointments_;
  SurveyResponseStore& survey_responses_;
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
