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

}  // namespace caredesk::fhir
