// Bundles CareDesk answers with.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fhir/search_params.h"

namespace caredesk::fhir {

// `base` + "?" + the parameters, each percent-encoded.
std::string SearchUrl(const std::string& base, const QueryParams& params);

struct SearchPage {
  std::string type_url;  // e.g. "http://host/fhir/R4/Patient"
  QueryParams used;      // the parameters applied (self link)
  std::optional<std::string> next_cursor;
  std::optional<int64_t> total;
  std::vector<boost::json::object> resources;  // each with resourceType and id
  std::vector<boost::json::object> included;   // _include'd and _revinclude'd (search.mode "include")
  std::optional<boost::json::object> outcome;  // an OperationOutcome entry (search.mode "outcome")
};

// A searchset Bundle: type, total, links self and next (the next one with
// _cursor), and entries with fullUrl and search.mode "match", then "include".
boost::json::object SearchSet(const SearchPage& page);

// A history Bundle of one resource's versions, newest first: `self` is the _history URL, `base` the
// server's base URL; each version (with meta.versionId and meta.lastUpdated) is an entry whose request and
// response say how it came about (version 1: POST, 201; later ones: PUT, 200).
boost::json::object HistoryBundle(const std::string& base, const std::string& self,
                                  const std::vector<boost::json::object>& versions);

// One version in a history Bundle; one without a resource was a delete (request DELETE, response 204).
struct HistoryVersion {
  std::string type;
  std::string id;
  int64_t version = 0;
  int64_t updated_at_ms = 0;
  std::optional<boost::json::object> resource;
};
boost::json::object HistoryBundle(const std::string& base, const std::string& self,
                                  const std::vector<HistoryVersion>& versions);

// One entry of a batch Bundle, as the server is to run it: `url` is relative to the base ("Patient/7",
// "Patient?name=x"), `body` the serialized resource (empty when there is none).
struct BatchEntry {
  std::string method;  // GET, HEAD, POST, PUT, DELETE, PATCH
  std::string url;
  std::string body;
  std::string if_match;
  std::string if_none_exist;
  std::string full_url;  // the entry's fullUrl, echoed in errors
};

inline constexpr size_t kMaxBatchEntries = 1000;

// Reads a batch Bundle, or with `transaction` also a transaction Bundle (then *transaction says which it
// was). Errors are 400s naming the element (`Bundle.type`, `Bundle.entry[2].request.url`, ...); without
// `transaction`, a transaction Bundle is a 422 naming Bundle.type.
Result<std::vector<BatchEntry>> ReadBatch(const boost::json::value& body, bool* transaction = nullptr);

// What one entry's interaction answered.
struct BatchOutcome {
  int status = 200;
  std::optional<boost::json::object> resource;  // the answer's body when it was a resource or a Bundle
  std::optional<boost::json::object> outcome;   // when it was an OperationOutcome
  std::string location;
  std::string etag;
  std::string last_modified;
};

// The batch-response Bundle: one entry per request entry, in order, each with response.status ("201 Created"),
// location, etag, lastModified and the resource, or response.outcome for an error.
boost::json::object BatchResponse(const std::vector<BatchOutcome>& outcomes,
                                  std::string_view type = "batch-response");

}  // namespace caredesk::fhir
