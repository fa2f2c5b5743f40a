// The Beast-free half of turning bytes on the wire into a Request: decoding
// the request target and choosing the request id. Free functions without
// shared state; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/request.h"

namespace caredesk::http {

// Decodes an origin-form request target ("/api/x%20y?q=Jane+Doe") into
// request.path (percent-decoded, '+' kept) and request.query (keys and values
// percent-decoded, '+' read as a space, in order; a key without '=' has an
// empty value). Fails with kInvalidArgument for any other target form, a
// malformed escape, or a decoded path holding control characters. On failure
// `request` may be partly written.
Status DecodeTarget(std::string_view target, Request& request);

// Whether a client-sent X-Request-Id may be echoed and logged as is: 1 to 64
// characters from [A-Za-z0-9._:-].
bool IsSaneRequestId(std::string_view id);

// A fresh random request id: 32 lowercase hex digits.
std::string NewRequestId();

}  // namespace caredesk::http
