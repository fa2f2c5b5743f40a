// SMART on FHIR scopes, as tokens issued for other systems carry them: "system/*.read", "user/Patient.read",
// "system/Appointment.write", and the v2 forms ("system/Patient.rs", "user/*.cruds"). A token with scopes may
// do on /fhir/R4 only what its scopes and its user's role both allow; scopes narrow, never widen. Contexts:
// system/ and user/ (patient/ needs a SMART launch, which CareDesk does not offer). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caredesk {

struct SmartScope {
  std::string context;  // "system" or "user"
  std::string type;     // a resource type, or "*"
  bool read = false;    // read, vread, search, history (v1 .read; v2 r and s)
  bool write = false;   // create, update, delete (v1 .write; v2 c, u and d)
};

struct SmartScopes {
  std::vector<SmartScope> scopes;

  // Whether some scope allows reading (or writing) resources of `type`.
  bool Allows(std::string_view type, bool write) const;
  // As issued: the scopes separated by spaces, in the order given.
  std::string text;
};

// Space-separated scopes; errors are 400s naming `field` and the scope at fault. At least one scope.
Result<SmartScopes> ParseSmartScopes(std::string_view text, const std::string& field = "scope");

}  // namespace caredesk
