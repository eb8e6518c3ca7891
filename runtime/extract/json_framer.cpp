// Implements JsonFramer and member_array_elements (extract/json_framer.h). The framer is a pushdown
// automaton over JSON's punctuation: a stack of open containers and what may come next. Strings are
// followed byte by byte (escapes skipped, control characters refused); a number or literal is any run of
// bytes that are neither whitespace nor punctuation, so `tru` passes here and simdjson rejects it later.
#include "extract/json_framer.h"

namespace sigrun::extract {
namespace {

// simdjson rejects documents nested deeper than this (simdjson::DEFAULT_MAX_DEPTH); the framer stops
// there too rather than grow its stack without bound.
constexpr size_t kMaxDepth = 1024;

bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Bytes that can continue a number or literal.
bool is_scalar_byte(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '{':
    case '}':
    case '[':
    case ']':
    case ',':
    case ':':
    case '"':
      return false;
    default:
      return true;
  }
}

size_t skip_whitespace(std::string_view text, size_t pos) {
  while (pos < text.size() && is_whitespace(text[pos])) {
    ++pos;
  }
  return pos;
}

// The end of the value that begins at `pos` (after whitespace), or false when none does.
bool value_end(JsonFramer& framer, std::string_view text, size_t pos, size_t& end) {
  framer.reset();
  size_t offset = 0;
  if (framer.feed(text.substr(pos), offset) != JsonFramer::Status::Complete) {
    return false;
  }
  end = pos + offset;
  return true;
}

}  // namespace

void JsonFramer::reset() {
  stack_.clear();
  expect_ = Expect::Value;
  in_string_ = false;
  escape_ = false;
  string_is_key_ = false;
  in_scalar_ = false;
}

// A value has just ended: the document when no container is open, else the container goes on.
bool JsonFramer::value_done() {
  if (stack_.empty()) {
    expect_ = Expect::Done;
    return true;
  }
  expect_ = Expect::CommaOrClose;
  return false;
}

JsonFramer::Status JsonFramer::feed(std::string_view bytes, size_t& end) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (string_is_key_) {
          expect_ = Expect::Colon;
        } else if (value_done()) {
          end = i + 1;
          return Status::Complete;
        }
      } else if (static_cast<unsigned char>(c) < 0x20) {
        end = i;
        return Status::Malformed;
      }
      continue;
    }
    if (in_scalar_) {
      if (is_scalar_byte(c)) {
        continue;
      }
      in_scalar_ = false;
      if (value_done()) {
        end = i;
        return Status::Complete;
      }
    }
    const bool value_allowed = expect_ == Expect::Value || expect_ == Expect::ValueOrClose;
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        continue;
      case '{':
      case '[':
        if (!value_allowed || stack_.size() == kMaxDepth) {
          end = i;
          return Status::Malformed;
        }
        stack_.push_back(c);
        expect_ = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
        continue;
      case '}':
      case ']': {
        const bool object = c == '}';
        const bool may_close = expect_ == Expect::CommaOrClose ||
                               expect_ == (object ? Expect::KeyOrClose : Expect::ValueOrClose);
        if (!may_close || stack_.empty() || stack_.back() != (object ? '{' : '[')) {
          end = i;
          return Status::Malformed;
        }
        stack_.pop_back();
        if (value_done()) {
          end = i + 1;
          return Status::Complete;
        }
        continue;
      }
      case ',':
        if (expect_ != Expect::CommaOrClose) {
          end = i;
          return Status::Malformed;
        }
        expect_ = stack_.back() == '{' ? Expect::Key : Expect::Value;
        continue;
      case ':':
        if (expect_ != Expect::Colon) {
          end = i;
          return Status::Malformed;
        }
        expect_ = Expect::Value;
        continue;
      case '"':
        if (expect_ == Expect::Key || expect_ == Expect::KeyOrClose) {
          string_is_key_ = true;
        } else if (value_allowed) {
          string_is_key_ = false;
        } else {
          end = i;
          return Status::Malformed;
        }
        in_string_ = true;
        continue;
      default:
        if (!value_allowed) {
          end = i;
          return Status::Malformed;
        }
        in_scalar_ = true;
        continue;
    }
  }
  end = bytes.size();
  return Status::Incomplete;
}

JsonFramer::Status JsonFramer::line_break() {
  if (in_string_) {
    return Status::Malformed;
  }
  if (in_scalar_) {
    in_scalar_ = false;
    if (value_done()) {
      return Status::Complete;
    }
  }
  return Status::Incomplete;
}

bool member_array_elements(std::string_view document, std::string_view key, std::vector<Span>& spans) {
  spans.clear();
  JsonFramer framer;
  size_t pos = skip_whitespace(document, 0);
  if (pos == document.size() || document[pos] != '{') {
    return false;
  }
  pos = skip_whitespace(document, pos + 1);
  while (pos < document.size() && document[pos] == '"') {
    size_t end = 0;
    if (!value_end(framer, document, pos, end)) {
      return false;
    }
    const std::string_view member = document.substr(pos + 1, end - pos - 2);
    pos = skip_whitespace(document, end);
    if (pos == document.size() || document[pos] != ':') {
      return false;
    }
    pos = skip_whitespace(document, pos + 1);
    if (member == key && pos < document.size() && document[pos] == '[') {
      pos = skip_whitespace(document, pos + 1);
      if (pos < document.size() && document[pos] == ']') {
        return true;
      }
      for (;;) {
        if (!value_end(framer, document, pos, end)) {
          return false;
        }
        spans.push_back({pos, end});
        pos = skip_whitespace(document, end);
        if (pos == document.size() || document[pos] != ',') {
          return pos < document.size() && document[pos] == ']';
        }
        pos = skip_whitespace(document, pos + 1);
      }
    }
    if (!value_end(framer, document, pos, end)) {
      return false;
    }
    pos = skip_whitespace(document, end);
    if (pos == document.size() || document[pos] != ',') {
      return false;
    }
    pos = skip_whitespace(document, pos + 1);
  }
  return false;
}

}  // namespace sigrun::extract
