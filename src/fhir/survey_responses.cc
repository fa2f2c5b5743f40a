#include "fhir/survey_responses.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/civil_time.h"
#include "core/text.h"
#include "fhir/json_access.h"
#include "fhir/patient_resource.h"
#include "fhir/search_params.h"

namespace caredesk::fhir {

namespace json = boost::json;

namespace {

constexpr char kType[] = "QuestionnaireResponse";

Error Bad(std::string element, std::string message) {
  return Error::Unprocessable("QuestionnaireResponse." + element, std::move(message));
}

std::optional<int64_t> WholeNumber(std::string_view text) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// A reference's CareDesk id of `type` (Patient, Encounter), or a 422 naming `element`.
Result<std::optional<int64_t>> ReferenceAt(const json::object& r, const char* element, const char* type) {
  const json::value* v = r.if_contains(element);
  if (v == nullptr) return std::optional<int64_t>();
  const std::string reference = v->is_object() ? StringAt(v->get_object(), "reference") : std::string();
  const int64_t id = ReferenceId(reference, type);
  if (id <= 0) {
    return Bad(element, std::string("QuestionnaireResponse.") + element + " must reference a CareDesk " +
                            AsciiLower(type) + " (" + type + "/id)");
  }
  return std::optional<int64_t>(id);
}

// One item's answer, or nullopt when it has none.
Result<std::optional<surveys::Answer>> ReadItem(const json::value& v, size_t i) {
  const std::string at = "item[" + std::to_string(i) + "]";
  if (!v.is_object()) return Bad(at, "each item must be an object");
  const json::object& item = v.get_object();
  surveys::Answer a;
  a.item_id = StringAt(item, "linkId");
  if (a.item_id.empty()) return Bad(at + ".linkId", "each item needs the linkId of the survey item it answers");
  if (item.contains("item")) {
    return Bad(at + ".item", "CareDesk surveys have no groups: answer each item at the top level");
  }
  const json::array* answers = ArrayAt(item, "answer");
  if (answers == nullptr || answers->empty()) return std::optional<surveys::Answer>();
  if (answers->size() > 1) return Bad(at + ".answer", "each survey item takes one answer");
  const std::string path = at + ".answer[0]";
  if (!answers->front().is_object()) return Bad(path, "an answer must be an object");
  const json::object& answer = answers->front().get_object();
  if (const json::value* n = answer.if_contains("valueInteger"); n && n->is_int64()) {
    a.value = static_cast<int>(std::clamp<int64_t>(n->get_int64(), -1000, 1000));
  } else if (const json::object* coding = ObjectAt(answer, "valueCoding")) {
    const auto code = WholeNumber(StringAt(*coding, "code"));
    if (!code) return Bad(path + ".valueCoding.code", "the code must be the answer's value on the item's scale");
    a.value = static_cast<int>(std::clamp<int64_t>(*code, -1000, 1000));
  } else if (const json::value* b = answer.if_contains("valueBoolean"); b && b->is_bool()) {
    a.value = b->get_bool() ? 1 : 0;
  } else if (const json::value* s = answer.if_contains("valueString"); s && s->is_string()) {
    a.text = std::string(s->get_string());
  } else {
    return Bad(path, "an answer must be valueInteger, valueCoding, valueBoolean or valueString");
  }
  return std::optional<surveys::Answer>(std::move(a));
}

}  // namespace

std::string SurveyResponseId(int64_t response_id) { return kSurveyResponseIdPrefix + std::to_string(response_id); }

std::optional<int64_t> SurveyResponseIdOf(std::string_view id) {
  if (!id.starts_with(kSurveyResponseIdPrefix)) return std::nullopt;
  return ReadResourceId(id.substr(std::string_view(kSurveyResponseIdPrefix).size()));
}

std::string SurveyCanonical(const std::string& survey_id, int version) {
  return kSurveyCanonical + survey_id + "|" + std::to_string(version);
}

json::object QuestionnaireResponseOf(const db::ResponseRow& row, const surveys::SurveyDefinition& definition) {
  json::object r;
  r["resourceType"] = kType;
  r["questionnaire"] = SurveyCanonical(row.survey_id, row.survey_version);
  r["status"] = "completed";
  if (row.patient_id) r["subject"] = json::object{{"reference", "Patient/" + std::to_string(*row.patient_id)}};
  if (row.encounter_id) r["encounter"] = json::object{{"reference", "Encounter/" + std::to_string(*row.encounter_id)}};
  r["authored"] = FormatInstantUtc(FromMillis(row.received_at));
  std::vector<const surveys::Answer*> answers;
  for (const auto& a : row.answers) answers.push_back(&a);
  std::stable_sort(answers.begin(), answers.end(), [&](const auto* x, const auto* y) {
    return definition.ItemIndex(x->item_id) < definition.ItemIndex(y->item_id);
  });
  json::array items;
  for (const surveys::Answer* a : answers) {
    json::object item{{"linkId", a->item_id}};
    const surveys::SurveyItem* def = definition.FindItem(a->item_id);
    if (def != nullptr && !def->text.empty()) item["text"] = def->text;
    json::object answer;
    if (a->value && def != nullptr) {
      json::object coding{{"system", kSurveyScaleSystem + std::string(surveys::ItemKindName(def->kind))},
                          {"code", std::to_string(*a->value)}};
      if (std::string_view label = surveys::AnswerLabel(def->kind, *a->value); !label.empty()) {
        coding["display"] = label;
      }
      answer["valueCoding"] = std::move(coding);
    } else if (a->value) {
      answer["valueInteger"] = *a->value;
    } else if (a->text) {
      answer["valueString"] = *a->text;
    }
    item["answer"] = json::array{std::move(answer)};
    items.push_back(std::move(item));
  }
  if (!items.empty()) r["item"] = std::move(items);
  return r;
}

bool AnswersCareDeskSurvey(const json::object& resource) {
  return StringAt(resource, "questionnaire").starts_with(kSurveyCanonical);
}

Result<std::optional<GivenResponse>> ReadGivenResponse(const json::object& r) {
  if (!AnswersCareDeskSurvey(r)) return std::optional<GivenResponse>();
  const std::string questionnaire = StringAt(r, "questionnaire");
  GivenResponse g;
  std::string_view rest = std::string_view(questionnaire).substr(std::string_view(kSurveyCanonical).size());
  if (const size_t bar = rest.find('|'); bar != std::string_view::npos) {
    const auto version = WholeNumber(rest.substr(bar + 1));
    if (!version || *version <= 0 || *version > 1000000) {
      return Bad("questionnaire", "the survey's version after '|' must be a whole number, such as " +
                                      std::string(kSurveyCanonical) + "hcahps|1");
    }
    g.version = static_cast<int>(*version);
    rest = rest.substr(0, bar);
  }
  if (rest.empty()) return Bad("questionnaire", "QuestionnaireResponse.questionnaire names no survey");
  g.survey_id = std::string(rest);
  const std::string status = StringAt(r, "status");
  if (status != "completed" && status != "amended") {
    return Bad("status", "CareDesk records finished survey responses: status must be completed (was '" + status +
                             "')");
  }
  CD_ASSIGN_OR_RETURN(g.patient_id, ReferenceAt(r, "subject", "Patient"));
  CD_ASSIGN_OR_RETURN(g.encounter_id, ReferenceAt(r, "encounter", "Encounter"));
  if (r.contains("authored")) {
    const std::string authored = StringAt(r, "authored");
    auto day = authored.size() >= 10 ? ParseCivilDate(std::string_view(authored).substr(0, 10), "authored")
                                     : Result<CivilDate>(Error::Invalid("authored", ""));
    if (!day.ok()) return Bad("authored", "QuestionnaireResponse.authored must be a date-time");
    g.visit_date = day->ToString();
  }
  const json::value* items = r.if_contains("item");
  if (items != nullptr && !items->is_array()) return Bad("item", "QuestionnaireResponse.item must be an array");
  for (size_t i = 0; items != nullptr && i < items->get_array().size(); ++i) {
    CD_ASSIGN_OR_RETURN(auto answer, ReadItem(items->get_array()[i], i));
    if (answer) g.answers.push_back(std::move(*answer));
  }
  return std::optional<GivenResponse>(std::move(g));
}

std::string ElementOf(std::string_view field) {
  const std::string base = "QuestionnaireResponse.";
  if (field == "survey_id" || field == "version") return base + "questionnaire";
  if (field == "patient_id") return base + "subject";
  if (field == "encounter_id") return base + "encounter";
  if (field.starts_with("answers[")) {
    const size_t close = field.find(']');
    return base + "item" + std::string(field.substr(7, close == std::string_view::npos ? 0 : close - 6)) + ".linkId";
  }
  if (field.starts_with("answers.")) {
    std::string_view item = field.substr(8);
    for (std::string_view tail : {".value", ".text"}) {
      if (item.ends_with(tail)) item.remove_suffix(tail.size());
    }
    return base + "item.where(linkId='" + std::string(item) + "').answer";
  }
  return base + "item";
}

Status SurveyResponseStore::Recorded(db::Connection& c, const db::ResponseRow& row,
                                     const surveys::SurveyDefinition& definition, int64_t now_ms) {
  return StatusOf(resources_.PutInTx(c, Actor{}, kType, SurveyResponseId(row.id),
                                     QuestionnaireResponseOf(row, definition), std::nullopt, now_ms, nullptr));
}

Result<std::optional<StoredResource>> SurveyResponseStore::Create(const Actor& by, const json::value& body) {
  CD_RETURN_IF_ERROR(CheckResource(body, kType, std::nullopt));
  CD_ASSIGN_OR_RETURN(auto given, ReadGivenResponse(body.get_object()));
  if (!given) return std::optional<StoredResource>();
  auto conn = pool_.Acquire();
  const int64_t now = ToMillis(clock_.Now());
  return db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<std::optional<StoredResource>> {
    CD_ASSIGN_OR_RETURN(auto written, RecordInTx(c, by, body.get_object(), std::move(*given), now));
    return std::optional<StoredResource>(std::move(written));
  });
}

Result<std::optional<StoredResource>> SurveyResponseStore::CreateInTx(db::Connection& c, const Actor& by,
                                                                     const json::object& resource, int64_t now_ms) {
  CD_RETURN_IF_ERROR(CheckResource(resource, kType, std::nullopt));
  CD_ASSIGN_OR_RETURN(auto given, ReadGivenResponse(resource));
  if (!given) return std::optional<StoredResource>();
  CD_ASSIGN_OR_RETURN(auto written, RecordInTx(c, by, resource, std::move(*given), now_ms));
  return std::optional<StoredResource>(std::move(written));
}

Result<StoredResource> SurveyResponseStore::RecordInTx(db::Connection& c, const Actor& by, const json::object& sent,
                                                       GivenResponse given, int64_t now_ms) {
  auto row = surveys_.RecordInTx(c, by, std::move(given), FromMillis(now_ms));
  if (!row.ok()) {
    Error e = std::move(row).error();
    // What the response says is named as its element; the database's failures stay what they are.
    const bool input = e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kNotFound ||
                       e.code == ErrorCode::kUnprocessable;
    if (input) return Error::Unprocessable(ElementOf(e.field), e.message);
    if (e.code == ErrorCode::kConflict) e.field = ElementOf(e.field);
    return e;
  }
  json::object resource = sent;
  resource.erase("id");
  // The patient an encounter names is the response's subject, so a search by patient finds it.
  if (!resource.contains("subject") && row->patient_id) {
    resource["subject"] = json::object{{"reference", "Patient/" + std::to_string(*row->patient_id)}};
  }
  CD_ASSIGN_OR_RETURN(auto written, resources_.PutInTx(c, by, kType, SurveyResponseId(row->id), resource, std::nullopt,
                                                       now_ms, nullptr));
  return std::move(written.resource);
}

std::optional<Error> SurveyResponseStore::RefusedChange(std::string_view id, const json::value* body) {
  if (SurveyResponseIdOf(id)) {
    return Error::Conflict("survey_response_final",
                           "QuestionnaireResponse/" + std::string(id) +
                               " is a survey response CareDesk recorded; survey responses do not change");
  }
  if (body != nullptr && body->is_object() &&
      AnswersCareDeskSurvey(body->get_object())) {
    return Error::Unprocessable("QuestionnaireResponse.questionnaire",
                                "a response to a CareDesk survey is given with POST /fhir/R4/QuestionnaireResponse, "
                                "and does not change after");
  }
  return std::nullopt;
}

Result<int64_t> SurveyResponseStore::Backfill() {
  constexpr int kBatch = 500;
  int64_t written = 0;
  auto conn = pool_.Acquire();
  std::map<surveys::SurveyKey, surveys::SurveyDefinition> versions;  // each read once
  for (;;) {
    auto batch = db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<int64_t> {
      CD_ASSIGN_OR_RETURN(auto ids, db::SurveyRepository::ResponsesWithoutResource(c, kType, kSurveyResponseIdPrefix,
                                                                                  kBatch));
      for (int64_t id : ids) {
        CD_ASSIGN_OR_RETURN(auto row, db::SurveyRepository::FindResponse(c, id));
        if (!row) continue;
        const surveys::SurveyKey key{row->survey_id, row->survey_version};
        auto version = versions.find(key);
        if (version == versions.end()) {
          CD_ASSIGN_OR_RETURN(auto stored, db::SurveyRepository::LoadVersion(c, key.survey_id, key.version));
          if (!stored) {
            return Error::Internal("survey response " + std::to_string(id) + " answers a version that is missing");
          }
          version = versions.emplace(key, std::move(stored->definition)).first;
        }
        CD_RETURN_IF_ERROR(Recorded(c, *row, version->second, row->received_at));
      }
      return static_cast<int64_t>(ids.size());
    });
    // Another process wrote one of these first: ask again.
    if (!batch.ok() && db::IsUniqueViolation(batch.error())) continue;
    CD_ASSIGN_OR_RETURN(int64_t n, std::move(batch));
    written += n;
    if (n < kBatch) return written;
  }
}

}  // namespace caredesk::fhir
