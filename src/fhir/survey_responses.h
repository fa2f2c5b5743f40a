// CareDesk's survey responses as FHIR QuestionnaireResponses.
//
// QuestionnaireResponse is kept as sent (ResourceStore), and every survey response CareDesk records is one
// too: QuestionnaireResponse/survey-response-<n>, written in the same transaction as the response (the answer
// page's, a vendor import's, or a POST's), so read, vread, history, search, _revinclude and $export serve
// survey responses as they serve any QuestionnaireResponse. Responses never change, so neither does their
// resource: a PUT or DELETE of one is refused.
//
// - Served (QuestionnaireResponseOf, no I/O): questionnaire "urn:caredesk:survey:<id>|<version>", status
//   completed, subject and encounter when the response names them, authored (when it was received), and an
//   item per answer with the item's text: valueCoding on the item's scale (system
//   "urn:caredesk:survey-scale:<kind>", the value as code, its label as display), or valueString.
// - Given (POST /fhir/R4/QuestionnaireResponse whose questionnaire is a CareDesk survey): ReadGivenResponse
//   reads it; SurveyService::RecordInTx validates and records it with its comments; the resource is kept as
//   sent under the response's id. Errors are 422s naming the element ("QuestionnaireResponse.item[2].answer").
//   A QuestionnaireResponse to any other questionnaire is kept as sent, as before.
// Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "app/survey_service.h"
#include "fhir/resource_store.h"
#include "storage/pool.h"

namespace caredesk::fhir {

inline constexpr char kSurveyCanonical[] = "urn:caredesk:survey:";
inline constexpr char kSurveyScaleSystem[] = "urn:caredesk:survey-scale:";
inline constexpr char kSurveyResponseIdPrefix[] = "survey-response-";
inline constexpr char kQuestionnaireResponse[] = "QuestionnaireResponse";

// "survey-response-<n>"; and back (nullopt for any other id).
std::string SurveyResponseId(int64_t response_id);
std::optional<int64_t> SurveyResponseIdOf(std::string_view id);

// The canonical of a survey version: "urn:caredesk:survey:<id>|<version>".
std::string SurveyCanonical(const std::string& survey_id, int version);

boost::json::object QuestionnaireResponseOf(const db::ResponseRow& row, const surveys::SurveyDefinition& definition);

// Whether a QuestionnaireResponse answers a CareDesk survey: its questionnaire is "urn:caredesk:survey:…".
bool AnswersCareDeskSurvey(const boost::json::object& resource);
// The response a QuestionnaireResponse gives to a CareDesk survey; nullopt when its questionnaire is not one
// ("urn:caredesk:survey:<id>[|<version>]"). 422s name the element: status (completed or amended), subject
// (a CareDesk patient), encounter, authored, item[i].linkId, item[i].answer (one value: valueInteger,
// valueCoding with the value as code, valueBoolean on a yes/no scale, or valueString).
Result<std::optional<GivenResponse>> ReadGivenResponse(const boost::json::object& resource);

// The element a GivenResponse field names (SurveyService::RecordInTx's errors): "answers.q5.value" →
// "QuestionnaireResponse.item.where(linkId='q5').answer".
std::string ElementOf(std::string_view field);

class SurveyResponseStore final : public SurveyResponseObserver {
 public:
  SurveyResponseStore(SurveyService& surveys, ResourceStore& resources, db::Pool& pool, const Clock& clock)
      : surveys_(surveys), resources_(resources), pool_(pool), clock_(clock) {}

  // A response recorded by the answer page or an import: its resource, in the same transaction.
  Status Recorded(db::Connection& c, const db::ResponseRow& row, const surveys::SurveyDefinition& definition,
                  int64_t now_ms) override;

  // POST of a QuestionnaireResponse: to a CareDesk survey, recorded as a survey response and kept as sent
  // as its resource (in one transaction); nullopt for any other questionnaire (the caller keeps it as sent).
  Result<std::optional<StoredResource>> Create(const Actor& by, const boost::json::value& body);
  // The same inside the caller's write transaction (a transaction Bundle's), at `now_ms`.
  Result<std::optional<StoredResource>> CreateInTx(db::Connection& c, const Actor& by,
                                                   const boost::json::object& resource, int64_t now_ms);

  // The refusal of a PUT or DELETE of QuestionnaireResponse/`id` with `body` (none for a DELETE), if any:
  // a survey response's resource never changes, and a response to a CareDesk survey is given by POST.
  static std::optional<Error> RefusedChange(std::string_view id, const boost::json::value* body);

  // Writes the resource of every response that has none (recorded before there were resources, or by the
  // demo), in batches; how many.
  Result<int64_t> Backfill();

 private:
  // `given` (read from `sent`) recorded, and `sent` kept as its resource.
  Result<StoredResource> RecordInTx(db::Connection& c, const Actor& by, const boost::json::object& sent,
                                    GivenResponse given, int64_t now_ms);

  SurveyService& surveys_;
  ResourceStore& resources_;
  db::Pool& pool_;
  const Clock& clock_;
};

}  // namespace caredesk::fhir
