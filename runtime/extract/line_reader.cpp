// Implements LineReader (extract/line_reader.h): NDJSON lines out of a FILE*, read in large blocks into
// one buffer that always keeps kPadding bytes past its data area, so every returned line can be parsed
// in place by simdjson.
#include "extract/line_reader.h"

#include <cerrno>
#include <cstring>

namespace sigrun::extract {
namespace {

// simdjson needs SIMDJSON_PADDING (64) readable bytes after a document; the field extractor checks that
// constant against this one.
constexpr size_t kPadding = 64;
// One fread per block. A line longer than the buffer doubles it; the buffer never shrinks, so a stream
// with one huge line keeps that memory until the reader goes away.
constexpr size_t kBlockSize = size_t{1} << 20;

// JSON's whitespace: a line of only these carries no event and is skipped (its number still counts).
bool is_blank(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
      return false;
    }
  }
  return true;
}

}  // namespace

LineReader::LineReader(std::FILE* input) : input_(input), buffer_(kBlockSize + kPadding) {}

bool LineReader::fill() {
  if (eof_) {
    return false;
  }
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  size_t capacity = buffer_.size() - kPadding;
  if (end_ == capacity) {
    capacity *= 2;
    buffer_.resize(capacity + kPadding);
  }
  const size_t wanted = capacity - end_;
  const size_t got = std::fread(buffer_.data() + end_, 1, wanted, input_);
  end_ += got;
  bytes_read_ += got;
  // fread returns less than asked only at end of file or on an error.
  if (got < wanted) {
    eof_ = true;
    if (std::ferror(input_)) {
      const int saved_errno = errno;
      error_ = "read error";
      if (saved_errno != 0) {
        error_ += ": ";
        error_ += std::strerror(saved_errno);
      }
    }
  }
  return got > 0;
}

bool LineReader::next(std::string_view& line, uint64_t& line_number) {
  size_t scan = begin_;  // bytes in [begin_, scan) hold no '\n'
  for (;;) {
    const char* base = buffer_.data();
    if (scan < end_) {
      const auto* newline = static_cast<const char*>(std::memchr(base + scan, '\n', end_ - scan));
      if (newline != nullptr) {
        const char* first = base + begin_;
        const char* last = newline;
        begin_ = static_cast<size_t>(newline - base) + 1;
        scan = begin_;
        ++line_number_;
        if (last > first && last[-1] == '\r') {
          --last;
        }
        if (is_blank(first, last)) {
          continue;
        }
        line = std::string_view(first, static_cast<size_t>(last - first));
        line_number = line_number_;
        return true;
      }
      scan = end_;
    }
    if (!error_.empty()) {
      return false;
    }
    const size_t scanned = scan - begin_;
    if (fill()) {
      scan = begin_ + scanned;
      continue;
    }
    // A read error drops the incomplete line rather than hand out a truncated event.
    if (!error_.empty() || begin_ == end_) {
      return false;
    }
    base = buffer_.data();
    const char* first = base + begin_;
    const char* last = base + end_;
    begin_ = end_;
    ++line_number_;
    if (last > first && last[-1] == '\r') {
      --last;
    }
    if (is_blank(first, last)) {
      return false;
    }
    line = std::string_view(first, static_cast<size_t>(last - first));
    line_number = line_number_;
    return true;
  }
}

}  // namespace sigrun::extract
