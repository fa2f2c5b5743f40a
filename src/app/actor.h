// Who is acting: the signed-in user behind a request, as the services see
// it. Carried into every audit record.
#pragma once

#include <cstdint>
#include <string>

#include "domain/security/permissions.h"

namespace caredesk {

struct Actor {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kCoordinator;
  std::string client_address;
  int64_t session_id = 0;
};

}  // namespace caredesk
