// glibc's malloc reads its tuning (GLIBC_TUNABLES) when a process starts, and only then. The bulk commands
// (`import fhir`, `demo`) start themselves again with transparent huge pages behind malloc's heap and a heap
// that is not handed back to the kernel after each large free: on this kind of virtual machine every page
// fault is a trip through the hypervisor, and they were a third of an import's time (docs/PERFORMANCE.md,
// twenty-fifth round: the Synthea import 0.85 s → 0.50–0.58 s; the demo about 7% faster, 2% more memory).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caredesk {

// The tunables the bulk commands run with.
inline constexpr char kBulkMallocTunables[] =
    "glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864";

// GLIBC_TUNABLES for a bulk command given what the environment has (nullopt: unset): `existing` with
// kBulkMallocTunables added, or nullopt when it sets malloc's huge pages itself (its choice stands).
std::optional<std::string> BulkMallocTunables(std::optional<std::string_view> existing);

// For `command` (argv[1]) `import` or `demo`: executes this program again, same arguments, with
// BulkMallocTunables; returns when there is nothing to do, it was done already, or exec failed (the command
// then runs as it is). Call first thing in main, before any thread starts.
void RestartBulkCommandWithMallocTunables(int argc, char** argv);

}  // namespace caredesk
