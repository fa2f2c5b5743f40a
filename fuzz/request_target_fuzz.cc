// The request target (path and query string) is the first thing read from a
// client: decoding must accept or refuse, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/request_decoding.h"
#include "http/router.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  caredesk::http::Request request;
  if (caredesk::http::DecodeTarget(target, request).ok()) {
    (void)request.Query("q");
    (void)caredesk::http::SplitPath(request.path);
  }
  (void)caredesk::http::IsSaneRequestId(target);
  return 0;
}
