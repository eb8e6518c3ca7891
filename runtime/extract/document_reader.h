// Internal to the runtime. Reads JSON documents that may span lines (a pretty-printed CloudTrail log
// file) out of a line stream, without scanning the lines that hold a whole document: the caller parses
// each line first and asks for the following lines only when that fails.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "extract/json_framer.h"
#include "extract/line_reader.h"

namespace sigrun::extract {

class DocumentReader {
 public:
  // Reads from `input` (not owned).
  explicit DocumentReader(std::FILE* input);

  // The next non-blank line, as LineReader::next: padded, valid until the next call of either method.
  bool next_line(std::string_view& line, uint64_t& line_number);

  enum class Join {
    NotContinued,  // the line is a whole value, or malformed by itself: its own parse error stands
    Joined,        // `text` is the value, its lines joined by "\n"; padded, valid until the next call
    Malformed,     // the line opens a value that the following lines do not finish; see `reason`
  };

  // Called with the line last returned by next_line() when it did not parse on its own. When the line
  // opens a value that it leaves unfinished, reads the following lines up to the one that finishes it.
  // On Malformed the lines read are dropped, except a line whose first character could not continue the
  // value: next_line() returns that one again, as the start of the next document.
  Join join(std::string_view first_line, std::string_view& text, std::string& reason);

  // Non-empty when reading the stream failed.
  const std::string& error() const { return lines_.error(); }
  uint64_t bytes_read() const { return lines_.bytes_read(); }

 private:
  LineReader lines_;
  JsonFramer framer_;
  std::string document_;  // the joined lines, then padding
  std::string pending_;   // a line to return again, then padding
  uint64_t pending_line_ = 0;
  bool has_pending_ = false;
};

}  // namespace sigrun::extract
