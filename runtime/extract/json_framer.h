// Internal to the runtime. A structural scanner for JSON text: it follows strings, brackets and the
// grammar's punctuation, but not the contents of numbers and literals, to tell where a value that spans
// several lines ends and where the elements of an array lie. Validation proper is left to simdjson.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sigrun::extract {

class JsonFramer {
 public:
  enum class Status {
    Incomplete,  // every byte fed so far can begin a value that has not ended yet
    Complete,    // the value ended
    Malformed,   // no JSON value begins with the bytes fed
  };

  // Starts a new value.
  void reset();

  // Consumes the next bytes of the value. Complete: the value ends just before `bytes[end]` (the rest was
  // not looked at). Malformed: `bytes[end]` cannot continue the value. Incomplete: every byte was consumed.
  // Must not be called again after Complete or Malformed without reset().
  Status feed(std::string_view bytes, size_t& end);

  // A line break between two fed chunks: ends a number or literal; a string cannot hold one.
  Status line_break();

 private:
  enum class Expect : uint8_t { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose, Done };

  bool value_done();

  std::vector<char> stack_;  // '{' or '[' per open container
  Expect expect_ = Expect::Value;
  bool in_string_ = false;
  bool escape_ = false;
  bool string_is_key_ = false;
  bool in_scalar_ = false;
};

struct Span {
  size_t begin;
  size_t end;
};

// The byte ranges of the elements of the array that is the value of the first member of `document`'s
// top-level object whose key is written exactly as `key` (no escapes). Returns false when the document is
// not an object or has no such array member; `spans` is then unspecified. `document` must be valid JSON.
bool member_array_elements(std::string_view document, std::string_view key, std::vector<Span>& spans);

}  // namespace sigrun::extract
