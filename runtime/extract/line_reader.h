// Internal to the runtime. Splits an NDJSON stream into lines, each followed by padding so it can be
// parsed in place.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace sigrun::extract {

class LineReader {
 public:
  // Reads from `input` (not owned) in large blocks.
  explicit LineReader(std::FILE* input);

  // The next non-blank line, without its "\n" or "\r\n", and its 1-based line number. The view stays
  // valid until the next call and is followed by at least 64 readable bytes. A last line without a
  // trailing newline is returned too. Returns false at end of input or on a read error (see error()).
  bool next(std::string_view& line, uint64_t& line_number);

  // Non-empty when reading the stream failed.
  const std::string& error() const { return error_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool fill();

  std::FILE* input_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // one past the last byte read
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
  std::string error_;
};

}  // namespace sigrun::extract
