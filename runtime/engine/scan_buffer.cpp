// Implements Scanner::scan_buffer (engine.h): an in-memory NDJSON buffer, one scan() per line, so every
// match's event is a view into the caller's buffer.
#include <string>

#include "engine/ndjson_lines.h"
#include "sigrun/engine.h"

namespace sigrun {

ScanStats Scanner::scan_buffer(std::string_view ndjson, const MatchSink& on_match, const ErrorSink& on_error,
                               InputFormat format) {
  return engine_detail::scan_lines(
      ndjson, format, on_match, on_error,
      [this](std::string_view line, uint64_t number, const MatchSink& sink, std::string* reason,
             InputFormat f) { return scan(line, number, sink, reason, f); });
}

}  // namespace sigrun
