// Test support: the HCAHPS reference tables under <CAREDESK_DATA_DIR>/hcahps (see its
// SOURCE.txt). Test-only; the library itself never reads files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "core/status.h"

#ifndef CAREDESK_SOURCE_DIR
#define CAREDESK_SOURCE_DIR "."
#endif

namespace caredesk::surveys::testing {

// <CAREDESK_DATA_DIR>/hcahps, or <source>/../shared/data/hcahps when the variable is not set.
inline std::filesystem::path HcahpsDataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return std::filesystem::path(dir) / "hcahps";
  }
  return std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data" / "hcahps";
}

// The whole text of <HcahpsDataDir()>/<name>; NotFound naming the directory when unreadable.
inline Result<std::string> ReadHcahpsFile(std::string_view name) {
  const std::filesystem::path path = HcahpsDataDir() / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::NotFound("HCAHPS reference data missing: cannot read " + path.string() +
                           " (set CAREDESK_DATA_DIR to the directory holding hcahps/; now looking in " +
                           HcahpsDataDir().string() + ")");
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace caredesk::surveys::testing
