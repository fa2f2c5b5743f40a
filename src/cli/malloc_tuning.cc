#include "cli/malloc_tuning.h"

#include <stdlib.h>
#include <unistd.h>

namespace caredesk {
namespace {
constexpr char kRestarted[] = "CAREDESK_MALLOC_TUNED";  // set on the restart, so it happens once
}  // namespace

std::optional<std::string> BulkMallocTunables(std::optional<std::string_view> existing) {
  if (!existing || existing->empty()) return std::string(kBulkMallocTunables);
  if (existing->find("glibc.malloc.hugetlb") != std::string_view::npos) return std::nullopt;
  return std::string(*existing) + ":" + kBulkMallocTunables;
}

void RestartBulkCommandWithMallocTunables(int argc, char** argv) {
  if (argc < 2) return;
  const std::string_view command = argv[1];
  if (command != "import" && command != "demo") return;
  if (getenv(kRestarted) != nullptr) return;
  const char* existing = getenv("GLIBC_TUNABLES");
  const auto tunables = BulkMallocTunables(existing ? std::optional<std::string_view>(existing) : std::nullopt);
  if (!tunables) return;
  if (setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0 || setenv(kRestarted, "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Not restarted (no /proc, say): run as is, without the variables that would mislead a child.
  unsetenv(kRestarted);
  if (existing) {
    setenv("GLIBC_TUNABLES", existing, 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace caredesk
