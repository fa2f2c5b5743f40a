// Who is acting: the signed-in user behind a request, as the services see
// it. Carried into every audit record.
#pragma once

#include <cstdint>
#include <string>

#include <optional>

#include "domain/security/permissions.h"
#include "domain/security/smart_scopes.h"

namespace caredesk {

struct Actor {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kCoordinator;
  std::string client_address;
  int64_t session_id = 0;
  // A token issued for a system: what it may do on /fhir/R4 besides what the role allows (and nothing
  // elsewhere). None for a user's own sign-in.
  std::optional<SmartScopes> scopes{};
};

}  // namespace caredesk
