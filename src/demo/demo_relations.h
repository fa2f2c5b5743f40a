// The patient-relations part of the demo clinic: complaints, grievances and
// inquiries over the history window, filed after completed visits (some
// through the public form), triaged, acknowledged, investigated, answered
// with interim notices and decision letters, and resolved — a few late and a
// few still overdue today. Descriptions are drawn from the pxtextmining
// feedback data set (negative comments) when it is there, so the comment
// themes the server shows are real. One planted shift: complaints about
// waiting at the first location rise over the last five weeks.
//
// Built through the real services (RelationsService and its audit trail)
// on a clock that walks through the history, so every case is exactly what
// the product would have recorded. Deterministic for a seed, a `now` and the
// same visits. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "storage/pool.h"

namespace caredesk {

struct RelationsDemoOptions {
  uint64_t seed = 42;
  TimePoint now;
  int history_days = 90;
  std::string feedback_csv;  // the pxtextmining CSV; unreadable = a small built-in set of texts
  std::string model_path;    // the comment model; unreadable = comments stored unjudged
  std::function<void(std::string_view phase, int64_t done, int64_t total)> progress;
};

struct RelationsDemoReport {
  int64_t cases = 0;
  int64_t grievances = 0;
  int64_t inquiries = 0;
  int64_t open = 0;
  bool texts_from_data_set = false;
  bool comments_judged = false;
};

// Needs the demo's locations, completed encounters and users (a coordinator
// and a manager); fails with kFailedPrecondition-like Unprocessable when
// there are none.
Result<RelationsDemoReport> GenerateRelationsDemo(db::Pool& pool, const RelationsDemoOptions& options);

}  // namespace caredesk
