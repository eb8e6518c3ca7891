// Internal to runtime/engine. Splitting an in-memory NDJSON buffer into events the way
// extract::LineReader splits a stream: lines end at "\n" (a "\r" before it is dropped), a last line
// without a newline counts, lines of only JSON whitespace are skipped but numbered.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "sigrun/input_format.h"
#include "sigrun/match.h"

namespace sigrun::engine_detail {

inline bool is_blank_line(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return false;
  }
  return true;
}

// Calls `each(line, line_number)` for every non-blank line of `buffer`, in order; `line` is a view into
// `buffer`.
template <typename Each>
void for_each_line(std::string_view buffer, const Each& each) {
  uint64_t line_number = 0;
  size_t begin = 0;
  while (begin < buffer.size()) {
    const void* newline = std::memchr(buffer.data() + begin, '\n', buffer.size() - begin);
    const size_t end =
        newline ? static_cast<size_t>(static_cast<const char*>(newline) - buffer.data()) : buffer.size();
    ++line_number;
    std::string_view line = buffer.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (!is_blank_line(line))
      each(line, line_number);
    begin = end + 1;
  }
}

// The framing of one line under `format`: Json and EvtxJson as given; Auto and CloudTrail decide per
// event (Scanner::scan's Auto), since a buffer line is one event.
inline InputFormat line_format(InputFormat format) {
  return format == InputFormat::Json || format == InputFormat::EvtxJson ? format : InputFormat::Auto;
}

// Scan of a buffer: `scan_one(line, line_number, on_match, reason, format)` evaluates one line as
// Scanner::scan does; this counts events and matches and reports rejected lines to `on_error`.
template <typename ScanOne>
ScanStats scan_lines(std::string_view buffer, InputFormat format, const MatchSink& on_match,
                     const ErrorSink& on_error, const ScanOne& scan_one) {
  ScanStats stats;
  stats.format = format;
  stats.bytes_read = buffer.size();
  std::string reason;
  const InputFormat per_line = line_format(format);
  const MatchSink counted = [&](const Match& match) {
    ++stats.matches;
    if (on_match)
      on_match(match);
  };
  for_each_line(buffer, [&](std::string_view line, uint64_t line_number) {
    ++stats.events_read;
    if (scan_one(line, line_number, counted, &reason, per_line)) {
      ++stats.events_evaluated;
      return;
    }
    ++stats.events_rejected;
    if (on_error)
      on_error(EventError{line_number, reason});
  });
  return stats;
}

}  // namespace sigrun::engine_detail
