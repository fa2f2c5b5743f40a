#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <mutex>
#include <utility>

namespace caredesk::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndexPath = "/index.html";
constexpr std::string_view kAssetsPrefix = "/assets/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";

struct MimeType {
  std::string_view extension;
  std::string_view content_type;
};
constexpr std::array<MimeType, 11> kMimeTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
}};

// True for paths that must never reach the file system.
bool IsSuspicious(std::string_view path) {
  if (path.empty() || path.front() != '/') return true;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return true;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

Error NotFound() { return Error::NotFound("no such file"); }

}  // namespace

Result<std::unique_ptr<StaticFiles>> StaticFiles::Open(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return Error::Invalid("static_dir", "static file directory not found: " + root.string());
  }
  return std::make_unique<StaticFiles>(Key(), std::move(canonical));
}

StaticFiles::StaticFiles(Key, fs::path root) : root_(std::move(root)) {}

bool StaticFiles::Handles(std::string_view method, std::string_view path) {
  if (method != "GET" && method != "HEAD") return false;
  return !path.starts_with("/api/") && path != "/api" && !path.starts_with("/fhir/") && path != "/fhir" &&
         path != "/healthz" && path != "/metrics";
}

std::string_view StaticFiles::ContentTypeFor(std::string_view file_name) {
  for (const MimeType& m : kMimeTypes) {
    if (file_name.ends_with(m.extension)) return m.content_type;
  }
  return "application/octet-stream";
}

const StaticFiles::File* StaticFiles::FindCached(std::string_view path) const {
  if (path == "/") path = kIndexPath;
  std::shared_lock lock(mu_);
  auto it = cache_.find(path);
  return it == cache_.end() ? nullptr : &it->second;
}

Result<StaticFiles::File> StaticFiles::Load(std::string_view path) const {
  if (path == "/") path = kIndexPath;
  if (const File* cached = FindCached(path)) return *cached;
  if (IsSuspicious(path)) return NotFound();

  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(root_ / fs::path(path.substr(1)), ec);
  if (ec || !IsWithin(resolved, root_)) return NotFound();
  const bool is_asset = path.starts_with(kAssetsPrefix);
  if (fs::is_regular_file(resolved, ec)) {
    CD_ASSIGN_OR_RETURN(File file, ReadFile(resolved, is_asset ? kImmutable : kNoCache));
    // Cache under the normalised path only ("/a//b.js" is served, not kept).
    std::string normal = "/" + resolved.lexically_relative(root_).generic_string();
    if (normal == path && file.body->size() <= kMaxCachedFileBytes) return *Remember(std::move(normal), file);
    return file;
  }
  if (is_asset) return NotFound();

  if (const File* index = FindCached(kIndexPath)) return *index;
  CD_ASSIGN_OR_RETURN(File index, ReadFile(root_ / "index.html", kNoCache));
  return *Remember(std::string(kIndexPath), std::move(index));
}

Result<StaticFiles::File> StaticFiles::ReadFile(const fs::path& file, std::string_view cache_control) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound();
  auto body = std::make_shared<std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return Error::Internal("cannot read " + file.string());
  return File{std::move(body), ContentTypeFor(file.filename().native()), cache_control};
}

const StaticFiles::File* StaticFiles::Remember(std::string key, File file) const {
  std::unique_lock lock(mu_);
  auto [it, inserted] = cache_.try_emplace(std::move(key), std::move(file));
  return &it->second;  // a racing reader may have inserted it first: same contents
}

}  // namespace caredesk::http
