// Implements DocumentReader (extract/document_reader.h): lines from a LineReader, and for a line that
// opens an unfinished value, the JsonFramer to find the line that finishes it. Only such lines are
// scanned byte by byte and copied; a stream of one document per line costs what LineReader costs.
#include "extract/document_reader.h"

namespace sigrun::extract {
namespace {

// As LineReader: simdjson reads up to 64 bytes past a document.
constexpr size_t kPadding = 64;

size_t first_non_blank(std::string_view line) {
  size_t pos = 0;
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

}  // namespace

DocumentReader::DocumentReader(std::FILE* input) : lines_(input) {}

bool DocumentReader::next_line(std::string_view& line, uint64_t& line_number) {
  if (has_pending_) {
    has_pending_ = false;
    line = std::string_view(pending_.data(), pending_.size() - kPadding);
    line_number = pending_line_;
    return true;
  }
  return lines_.next(line, line_number);
}

DocumentReader::Join DocumentReader::join(std::string_view first_line, std::string_view& text,
                                          std::string& reason) {
  framer_.reset();
  size_t end = 0;
  if (framer_.feed(first_line, end) != JsonFramer::Status::Incomplete ||
      framer_.line_break() != JsonFramer::Status::Incomplete) {
    return Join::NotContinued;
  }
  // Copied before the next line is read: that may move the line reader's buffer (or reuse pending_).
  document_.assign(first_line);
  std::string_view line;
  uint64_t line_number = 0;
  for (;;) {
    if (!next_line(line, line_number)) {
      reason.assign("malformed JSON: the document is not closed at the end of the input");
      return Join::Malformed;
    }
    JsonFramer::Status status = framer_.feed(line, end);
    if (status == JsonFramer::Status::Malformed) {
      reason.assign("malformed JSON: the document is not closed before line ");
      reason.append(std::to_string(line_number));
      if (end == first_non_blank(line)) {
        pending_.assign(line);
        pending_.append(kPadding, '\0');
        pending_line_ = line_number;
        has_pending_ = true;
      }
      return Join::Malformed;
    }
    document_.push_back('\n');
    document_.append(line);
    if (status == JsonFramer::Status::Incomplete) {
      status = framer_.line_break();
    }
    if (status == JsonFramer::Status::Malformed) {
      reason.assign("malformed JSON: a string is not closed on line ");
      reason.append(std::to_string(line_number));
      return Join::Malformed;
    }
    if (status == JsonFramer::Status::Complete) {
      const size_t size = document_.size();
      document_.append(kPadding, '\0');
      text = std::string_view(document_.data(), size);
      return Join::Joined;
    }
  }
}

}  // namespace sigrun::extract
