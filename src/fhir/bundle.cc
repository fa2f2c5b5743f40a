#include "fhir/bundle.h"

#include <boost/json/array.hpp>

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
  json::object bundle{{"resourceType", "Bundle"},
                      {"type", "history"},
                      {"total", versions.size()},
                      {"link", json::array{json::object{{"relation", "self"}, {"url", self}}}}};
  json::array entries;
  for (const json::object& r : versions) {
    const std::string type(r.at("resourceType").as_string());
    const std::string id(r.at("id").as_string());
    const json::object& meta = r.at("meta").as_object();
    const std::string version(meta.at("versionId").as_string());
    const bool first = version == "1";
    entries.push_back(json::object{
        {"fullUrl", base + "/" + type + "/" + id},
        {"resource", r},
        {"request", json::object{{"method", first ? "POST" : "PUT"}, {"url", first ? type : type + "/" + id}}},
        {"response", json::object{{"status", first ? "201 Created" : "200 OK"},
                                  {"etag", "W/\"" + version + "\""},
                                  {"lastModified", meta.at("lastUpdated")}}}});
  }
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

}  // namespace caredesk::fhir
