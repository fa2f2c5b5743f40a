#include "fhir/bundle.h"

#include "core/civil_time.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace caredesk::fhir {
namespace json = boost::json;
namespace {

void PercentEncode(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

}  // namespace

std::string SearchUrl(const std::string& base, const QueryParams& params) {
  std::string url = base;
  char sep = '?';
  for (const auto& [key, value] : params) {
    url += sep;
    PercentEncode(url, key);
    url += '=';
    PercentEncode(url, value);
    sep = '&';
  }
  return url;
}

json::object SearchSet(const SearchPage& page) {
  json::object bundle{{"resourceType", "Bundle"}, {"type", "searchset"}};
  if (page.total) bundle["total"] = *page.total;
  json::array links{json::object{{"relation", "self"}, {"url", SearchUrl(page.type_url, page.used)}}};
  if (page.next_cursor) {
    QueryParams next = page.used;
    next.emplace_back("_cursor", *page.next_cursor);
    links.push_back(json::object{{"relation", "next"}, {"url", SearchUrl(page.type_url, next)}});
  }
  bundle["link"] = std::move(links);
  json::array entries;
  const std::string base = page.type_url.substr(0, page.type_url.rfind('/') + 1);
  for (const json::object& r : page.resources) {
    entries.push_back(json::object{
        {"fullUrl", base + std::string(r.at("resourceType").as_string()) + "/" + std::string(r.at("id").as_string())},
        {"resource", r},
        {"search", json::object{{"mode", "match"}}}});
  }
  for (const json::object& r : page.included) {
    entries.push_back(json::object{
        {"fullUrl", base + std::string(r.at("resourceType").as_string()) + "/" + std::string(r.at("id").as_string())},
        {"resource", r},
        {"search", json::object{{"mode", "include"}}}});
  }
  if (page.outcome) {
    entries.push_back(json::object{{"resource", *page.outcome}, {"search", json::object{{"mode", "outcome"}}}});
  }
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

json::object HistoryBundle(const std::string& base, const std::string& self, const std::vector<json::object>& versions) {
  std::vector<HistoryVersion> out;
  out.reserve(versions.size());
  for (const json::object& r : versions) {
    const json::object& meta = r.at("meta").as_object();
    auto updated = ReadFhirDateTime(meta.at("lastUpdated").as_string(), "meta.lastUpdated");
    out.push_back(HistoryVersion{std::string(r.at("resourceType").as_string()), std::string(r.at("id").as_string()),
                                 std::stoll(std::string(meta.at("versionId").as_string())),
                                 updated.ok() ? updated->lo_ms : 0, r});
  }
  return HistoryBundle(base, self, out);
}

json::object HistoryBundle(const std::string& base, const std::string& self, const std::vector<HistoryVersion>& versions) {
  json::object bundle{{"resourceType", "Bundle"},
                      {"type", "history"},
                      {"total", versions.size()},
                      {"link", json::array{json::object{{"relation", "self"}, {"url", self}}}}};
  json::array entries;
  for (const HistoryVersion& v : versions) {
    const std::string path = v.type + "/" + v.id;
    const bool first = v.version == 1;
    json::object entry{{"fullUrl", base + "/" + path}};
    const char* status = "204 No Content";
    if (v.resource) {
      entry["resource"] = *v.resource;
      entry["request"] = json::object{{"method", first ? "POST" : "PUT"}, {"url", first ? v.type : path}};
      status = first ? "201 Created" : "200 OK";
    } else {
      entry["request"] = json::object{{"method", "DELETE"}, {"url", path}};
    }
    entry["response"] = json::object{{"status", status},
                                     {"etag", "W/\"" + std::to_string(v.version) + "\""},
                                     {"lastModified", FormatInstantUtc(FromMillis(v.updated_at_ms))}};
    entries.push_back(std::move(entry));
  }
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

namespace {

Error BadEntry(const std::string& field, std::string message) {
  return Error::Invalid(field, std::move(message), "invalid_bundle");
}

std::string StatusLine(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 202: return "202 Accepted";
    case 204: return "204 No Content";
    case 304: return "304 Not Modified";
    case 400: return "400 Bad Request";
    case 401: return "401 Unauthorized";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 406: return "406 Not Acceptable";
    case 409: return "409 Conflict";
    case 410: return "410 Gone";
    case 412: return "412 Precondition Failed";
    case 413: return "413 Payload Too Large";
    case 415: return "415 Unsupported Media Type";
    case 422: return "422 Unprocessable Entity";
    case 429: return "429 Too Many Requests";
    default: return std::to_string(status);
  }
}

}  // namespace

Result<std::vector<BatchEntry>> ReadBatch(const json::value& body, bool* transaction) {
  const json::object* bundle = body.if_object();
  if (bundle == nullptr || !bundle->contains("resourceType") || bundle->at("resourceType") != "Bundle") {
    return Error::Invalid("resourceType", "POST to the base takes a Bundle of type batch", "invalid_bundle");
  }
  const json::value* type = bundle->if_contains("type");
  if (type == nullptr || !type->is_string()) return BadEntry("Bundle.type", "Bundle.type is required: batch");
  if (*type == "transaction") {
    if (transaction == nullptr) {
      return Error::Unprocessable("Bundle.type", "transaction Bundles are not supported here; send a batch",
                                  "not_supported");
    }
    *transaction = true;
  } else if (*type != "batch") {
    return BadEntry("Bundle.type", "Bundle.type must be batch or transaction, not " + std::string(type->as_string()));
  } else if (transaction != nullptr) {
    *transaction = false;
  }
  std::vector<BatchEntry> out;
  const json::value* entries = bundle->if_contains("entry");
  if (entries == nullptr) return out;
  if (!entries->is_array()) return BadEntry("Bundle.entry", "Bundle.entry must be an array");
  if (entries->as_array().size() > kMaxBatchEntries) {
    return BadEntry("Bundle.entry", "a batch holds at most " + std::to_string(kMaxBatchEntries) + " entries");
  }
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
  for (size_t i = 0; i < entries->as_array().size(); ++i) {
    const std::string at = "Bundle.entry[" + std::to_string(i) + "]";
    const json::object* e = entries->as_array()[i].if_object();
    if (e == nullptr) return BadEntry(at, at + " must be an object");
    const json::value* request = e->if_contains("request");
    if (request == nullptr || !request->is_object()) return BadEntry(at + ".request", at + ".request is required");
    const json::object& r = request->as_object();
    BatchEntry entry;
    const auto text = [&](std::string_view key, std::string& into, bool required) -> Status {
      const json::value* v = r.if_contains(key);
      if (v == nullptr) {
        if (required) return BadEntry(at + ".request." + std::string(key), at + ".request." + std::string(key) + " is required");
        return Ok();
      }
      if (!v->is_string()) return BadEntry(at + ".request." + std::string(key), at + ".request." + std::string(key) + " must be a string");
      into = std::string(v->as_string());
      return Ok();
    };
    CD_RETURN_IF_ERROR(text("method", entry.method, true));
    CD_RETURN_IF_ERROR(text("url", entry.url, true));
    CD_RETURN_IF_ERROR(text("ifMatch", entry.if_match, false));
    CD_RETURN_IF_ERROR(text("ifNoneExist", entry.if_none_exist, false));
    if (std::find(std::begin(kMethods), std::end(kMethods), entry.method) == std::end(kMethods)) {
      return BadEntry(at + ".request.method", at + ".request.method must be GET, HEAD, POST, PUT, DELETE or PATCH");
    }
    // Relative to the base; an absolute URL, or one that leaves the base, is not an interaction here.
    std::string_view url = entry.url;
    while (url.starts_with('/')) url.remove_prefix(1);
    if (url.empty() || url.find("://") != std::string_view::npos || url.find("..") != std::string_view::npos ||
        url.starts_with('?')) {
      return BadEntry(at + ".request.url", at + ".request.url must be relative to the base, as Patient/7 or "
                                                "Patient?name=x");
    }
    entry.url = std::string(url);
    if (const json::value* full = e->if_contains("fullUrl"); full != nullptr && full->is_string()) {
      entry.full_url = std::string(full->as_string());
    }
    if (const json::value* resource = e->if_contains("resource")) {
      if (!resource->is_object()) return BadEntry(at + ".resource", at + ".resource must be a resource");
      if (const json::value* rt = resource->as_object().if_contains("resourceType"); rt != nullptr && *rt == "Bundle") {
        return BadEntry(at + ".resource", "a batch does not nest Bundles");
      }
      entry.body = json::serialize(*resource);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

json::object BatchResponse(const std::vector<BatchOutcome>& outcomes, std::string_view type) {
  json::array entries;
  for (const BatchOutcome& o : outcomes) {
    json::object response{{"status", StatusLine(o.status)}};
    if (!o.location.empty()) response["location"] = o.location;
    if (!o.etag.empty()) response["etag"] = o.etag;
    if (!o.last_modified.empty()) response["lastModified"] = o.last_modified;
    if (o.outcome) response["outcome"] = *o.outcome;
    json::object entry;
    if (o.resource) entry["resource"] = *o.resource;
    entry["response"] = std::move(response);
    entries.push_back(std::move(entry));
  }
  return {{"resourceType", "Bundle"}, {"type", type}, {"entry", std::move(entries)}};
}

}  // namespace caredesk::fhir
