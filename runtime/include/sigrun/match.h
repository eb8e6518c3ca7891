// What a scanner reports: one Match per rule that an event satisfies, and one EventError per event it
// could not read. Both are views valid only during the callback that receives them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "program/program.h"
#include "sigrun/input_format.h"

namespace sigrun {

struct Match {
  const program::RuleInfo* rule;  // id, title, level, tags, author, ... of the rule that matched
  std::string_view event;         // the event's JSON text as read, not copied (a record's own text)
  uint64_t line;                  // 1-based line where it (a record: its document) starts; 0: no stream
  std::string_view message;       // the rule's triage message rendered with the event's values
};

struct EventError {
  uint64_t line;            // 1-based line where the rejected event or document starts
  std::string_view reason;  // what was wrong, e.g. "malformed JSON: TAPE_ERROR ..."
};

using MatchSink = std::function<void(const Match&)>;
using ErrorSink = std::function<void(const EventError&)>;

// Counters of one scan. Invariant: events_read == events_evaluated + events_rejected.
struct ScanStats {
  uint64_t events_read = 0;
  uint64_t events_evaluated = 0;
  uint64_t events_rejected = 0;
  uint64_t matches = 0;
  uint64_t bytes_read = 0;
  InputFormat format = InputFormat::Json;  // how the stream was read (Auto decided; Json when undecided)
};

}  // namespace sigrun
