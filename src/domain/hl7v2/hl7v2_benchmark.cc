// Parsing HL7 v2 messages from the shared data set, and writing their ACKs.
//
//   ninja -C build hl7v2_benchmark
//   CAREDESK_DATA_DIR=/work/shared/data build/bench/hl7v2_benchmark
//
// BM_ParseMessage/0 is ADT-A01-01.hl7 (v2.8, 24 segments, 8.5 kB: every optional field filled),
// /1 ADT01-23.hl7 (v2.3, 12 segments, 1.5 kB: a typical admission). BM_ParseAndRead also reads the
// values an admission handler would (MSH-9, MSH-10, PID-3, PID-5, PID-7, PV1-3), decoded.
// BM_WriteAck writes the ACK of the parsed message. A missing data set fails each benchmark.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/hl7v2/hl7v2_ack.h"
#include "domain/hl7v2/hl7v2_message.h"

namespace caredesk::hl7v2 {
namespace {

constexpr const char* kFiles[] = {"ADT-A01-01.hl7", "ADT01-23.hl7"};

std::filesystem::path MessagesDir() {
  const char* dir = std::getenv("CAREDESK_DATA_DIR");
  const std::filesystem::path data = dir != nullptr && *dir != '\0'
                                         ? std::filesystem::path(dir)
                                         : std::filesystem::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
  return data / "hl7v2" / "messages";
}

// The text of kFiles[state.range(0)], or empty after marking the benchmark failed.
std::string Load(benchmark::State& state) {
  const std::filesystem::path path = MessagesDir() / kFiles[state.range(0)];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    state.SkipWithError(
        ("cannot read " + path.string() + " (set CAREDESK_DATA_DIR to the shared data folder)").c_str());
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  state.SetLabel(kFiles[state.range(0)]);
  return text.str();
}

void BM_ParseMessage(benchmark::State& state) {
  const std::string text = Load(state);
  if (text.empty()) return;
  for (auto _ : state) {
    Result<Message> m = ParseMessage(text);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseMessage)->DenseRange(0, 1);

void BM_ParseAndRead(benchmark::State& state) {
  const std::string text = Load(state);
  if (text.empty()) return;
  for (auto _ : state) {
    const Result<Message> m = ParseMessage(text);
    benchmark::DoNotOptimize(m->header().type.trigger);
    benchmark::DoNotOptimize(m->header().control_id);
    benchmark::DoNotOptimize(m->Get("PID", 3));
    benchmark::DoNotOptimize(m->Get("PID", 5, 0, 1));
    benchmark::DoNotOptimize(m->Get("PID", 5, 0, 2));
    benchmark::DoNotOptimize(m->Get("PID", 7));
    benchmark::DoNotOptimize(m->Get("PV1", 3));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndRead)->DenseRange(0, 1);

void BM_WriteAck(benchmark::State& state) {
  const std::string text = Load(state);
  if (text.empty()) return;
  const Result<Message> m = ParseMessage(text);
  AckRequest request;
  request.inbound = m->header();
  request.application = {"CAREDESK", "", ""};
  request.control_id = "ACK0001";
  request.created_at = TimePoint(std::chrono::milliseconds(1741626000000));
  for (auto _ : state) benchmark::DoNotOptimize(WriteAck(request));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WriteAck)->DenseRange(0, 1);

}  // namespace
}  // namespace caredesk::hl7v2
