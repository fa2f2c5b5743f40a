// Serves a built single-page app (index.html plus hashed /assets/*) from a
// directory. Beast-free: it maps a request path to file contents and headers;
// the server writes them.
//
// Resolution of a decoded request path:
//   - "/" is "/index.html";
//   - a path with a ".." segment, a backslash or a NUL is refused (kNotFound);
//   - an existing regular file under the root is served; the path is resolved
//     with weakly_canonical, so symlinks leading outside the root are refused;
//   - anything else under /assets/ is kNotFound (a missing bundle must not turn
//     into HTML); any other path gets index.html, for client-side routes.
// Headers: Content-Type by extension; Cache-Control "public, max-age=31536000,
// immutable" under /assets/ (file names carry content hashes), "no-cache"
// elsewhere, index.html included.
//
// Files up to kMaxCachedFileBytes are kept in memory after the first read and
// are assumed not to change while the process runs (deploys restart it).
//
// Thread-safety: all members are thread-safe. FindCached takes a shared lock
// and touches no disk, so an event-loop thread may call it; Load may read the
// disk and belongs on a worker thread.
#pragma once

#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace caredesk::http {

inline constexpr size_t kMaxCachedFileBytes = 2 << 20;

class StaticFiles {
 public:
  struct File {
    std::shared_ptr<const std::string> body;
    std::string_view content_type;   // static storage
    std::string_view cache_control;  // static storage
  };

  // `root` must name an existing directory, else kInvalidArgument.
  static Result<std::unique_ptr<StaticFiles>> Open(const std::filesystem::path& root);

  // Whether a request belongs to the static files rather than the router:
  // GET or HEAD of a path outside /api/ that is not /healthz or /metrics.
  static bool Handles(std::string_view method, std::string_view path);

  // The file for `path` if it is already in memory; never touches the disk.
  const File* FindCached(std::string_view path) const;

  // Resolves `path` as described above, reading the disk if needed.
  Result<File> Load(std::string_view path) const;

  static std::string_view ContentTypeFor(std::string_view file_name);

 private:
  struct Key {
    explicit Key() = default;
  };

 public:
  // For Open only (the key is private): `root` is already canonical.
  StaticFiles(Key, std::filesystem::path root);

 private:

  Result<File> ReadFile(const std::filesystem::path& file, std::string_view cache_control) const;
  const File* Remember(std::string key, File file) const;

  std::filesystem::path root_;  // canonical
  mutable std::shared_mutex mu_;
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Keyed by normalised request path ("/assets/app-1f3a.js"): one entry per
  // file, so the map cannot grow with what clients send. Entries are never
  // removed, so pointers to them stay valid.
  mutable std::unordered_map<std::string, File, TransparentHash, std::equal_to<>> cache_;
};

}  // namespace caredesk::http
