#include "http/request_decoding.h"

#include <array>
#include <optional>
#include <string>
#include <random>

#include <boost/url/parse.hpp>

namespace caredesk::http {
namespace {

constexpr size_t kMaxRequestIdLength = 64;

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Clients send some characters RFC 3986 does not allow in a query without
// escaping them: FHIR's token separator '|' above all ("identifier=urn:x|42"),
// also JSON-ish brackets and quotes. The query is given with those escaped;
// nullopt when there is nothing to escape.
std::optional<std::string> EscapeLaxQuery(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  static constexpr std::string_view kLax = "|\"<>\\^`{}[]";
  if (target.find_first_of(kLax, q + 1) == std::string_view::npos) return std::nullopt;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(target.substr(0, q + 1));
  for (unsigned char c : target.substr(q + 1)) {
    if (kLax.find(static_cast<char>(c)) != std::string_view::npos) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

Status DecodeTarget(std::string_view target, Request& request) {
  auto url = boost::urls::parse_origin_form(target);
  std::optional<std::string> escaped;
  if (!url && (escaped = EscapeLaxQuery(target))) url = boost::urls::parse_origin_form(*escaped);
  if (!url) return Error::Invalid("", "malformed request target", "bad_request");
  request.path = url->path();
  if (request.path.empty() || HasControlCharacter(request.path)) {
    return Error::Invalid("", "malformed request path", "bad_request");
  }
  request.query.clear();
  if (url->has_query()) {
    // params() decodes escapes and reads '+' as a space.
    for (auto param : url->params()) {
      request.query.emplace_back(std::move(param.key), std::move(param.value));
    }
  }
  return Ok();
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string id(32, '0');
  for (size_t half = 0; half < 2; ++half) {
    uint64_t bits = engine();
    for (size_t i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xf];
  }
  return id;
}

}  // namespace caredesk::http
