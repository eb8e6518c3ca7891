// Implements FieldExtractor (extract/field_extractor.h). Each event is parsed with simdjson's DOM
// parser, which validates the whole text: a malformed value anywhere rejects the event, even in a field
// no rule reads. One walk then visits only the objects the field plan reaches, guided by a trie of path
// segments, and records the wanted values in document order; a final pass groups them into one
// contiguous run per slot.
//
// Choices this file makes (the Sigma spec leaves them open):
// - Numbers: the DOM keeps no token text, so a number's text is canonical rather than as written:
//   integers (int64, or uint64 above INT64_MAX) in plain decimal, other numbers in the shortest text
//   that reads back as the same double (std::to_chars): `1.0` gives "1", `1e2` gives "100", `-0.0`
//   gives "-0", `1.5e300` gives "1.5e+300". simdjson 3.0.1 rejects integers outside
//   [-2^63, 2^64) as malformed, so such an event is rejected too.
// - Duplicate keys in one object: the first occurrence wins, later ones are ignored (RFC 8259 leaves
//   this undefined). This holds at every level, and for the literal dotted key as well.
// - Literal key against nested path: a slot whose literal key is present at the top level takes its
//   values from it alone (even when its value is null or an empty array); only when it is absent does
//   the nested path count. A slot never mixes the two.
// - Objects: their compact JSON re-serialised from the DOM (members in document order, duplicates
//   kept, strings escaped minimally: `"`, `\`, control characters; numbers as above).
#include "extract/field_extractor.h"

#include <simdjson.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstring>
#include <functional>
#include <limits>
#include <map>

#include "interp/case_fold.h"

namespace sigrun::extract {
namespace {

namespace dom = simdjson::dom;

// LineReader and the scanner hand lines over with 64 bytes of readable padding.
static_assert(simdjson::SIMDJSON_PADDING <= 64, "events are parsed in place with 64 bytes of padding");

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr size_t kNotStored = std::numeric_limits<size_t>::max();
constexpr uint8_t kLiteralSeen = 1;
constexpr uint8_t kNestedSeen = 2;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Hashes the length and the first and last 8 bytes (fewer for short keys): two loads and one multiply
// for any key. Keys that differ only in the middle collide, which costs a probe and a comparison, never
// a wrong match.
uint64_t hash_key(std::string_view key) {
  const char* p = key.data();
  const size_t n = key.size();
  uint64_t head = 0;
  uint64_t tail = 0;
  if (n >= 8) {
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t head32;
    uint32_t tail32;
    std::memcpy(&head32, p, 4);
    std::memcpy(&tail32, p + n - 4, 4);
    head = head32;
    tail = tail32;
  } else if (n > 0) {
    head = uint64_t{static_cast<unsigned char>(p[0])} | uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
           uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  const uint64_t h = (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ n) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}

// Bit `min(length, 63)` of a node's length mask is set when some child key has that length: most keys
// of an event are rejected by this test before any hashing.
uint64_t length_bit(size_t length) {
  return uint64_t{1} << std::min<size_t>(length, 63);
}

// True unless the text is ASCII without capitals, i.e. unless folding surely leaves it as it is.
bool may_change_when_folded(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (word & kHighBits) {
      return true;
    }
    // With no high bits set nothing carries across bytes: bit 7 marks bytes >= 'A' and bytes > 'Z'.
    if ((word + 0x3F3F3F3F3F3F3F3Full) & ~(word + 0x2525252525252525ull) & kHighBits) {
      return true;
    }
  }
  for (; n > 0; ++p, --n) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
      return true;
    }
  }
  return false;
}

// The canonical text of a number element (see the file comment), written into `buffer`.
std::string_view number_text(dom::element element, char (&buffer)[32]) {
  std::to_chars_result result{buffer, std::errc()};
  switch (element.type()) {
    case dom::element_type::INT64:
      result = std::to_chars(buffer, buffer + sizeof(buffer), element.get_int64().value_unsafe());
      break;
    case dom::element_type::UINT64:
      result = std::to_chars(buffer, buffer + sizeof(buffer), element.get_uint64().value_unsafe());
      break;
    case dom::element_type::DOUBLE:
      result = std::to_chars(buffer, buffer + sizeof(buffer), element.get_double().value_unsafe());
      break;
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
    case dom::element_type::STRING:
    case dom::element_type::BOOL:
    case dom::element_type::NULL_VALUE:
      assert(false && "number_text takes numbers only");
      break;
  }
  return std::string_view(buffer, static_cast<size_t>(result.ptr - buffer));
}

// True when one of the 8 bytes at p may need escaping in a JSON string: '"', '\\' or a control
// character. (x - 0x01..) & ~x & 0x80.. is nonzero exactly when some byte of x is zero; the variant
// with 0x20 flags bytes below 0x20 (bytes >= 0x80 never count, thanks to the ~x).
bool needs_escape(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  uint64_t word;
  std::memcpy(&word, p, 8);
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  const uint64_t control = (word - kOnes * 0x20) & ~word;
  return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | control) & kHighBits;
}

void append_escaped(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Skip 8 bytes at a time while none of them needs an escape.
    while (i + 8 <= text.size() && !needs_escape(text.data() + i)) {
      i += 8;
    }
    if (i == text.size()) {
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof(escape));
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

// Compact JSON text of an element. The recursion is as deep as the element's nesting, which the parser
// caps at simdjson::DEFAULT_MAX_DEPTH (1024) by rejecting deeper documents.
void serialize(dom::element element, std::string& out) {
  switch (element.type()) {
    case dom::element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      const dom::array array = element.get_array().value_unsafe();
      for (const dom::element item : array) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        serialize(item, out);
      }
      out.push_back(']');
      return;
    }
    case dom::element_type::OBJECT: {
      out.push_back('{');
      bool first = true;
      const dom::object object = element.get_object().value_unsafe();
      for (const dom::key_value_pair field : object) {
        if (!first) {
          out.push_back(',');
        }
        first = false;
        append_escaped(field.key, out);
        out.push_back(':');
        serialize(field.value, out);
      }
      out.push_back('}');
      return;
    }
    case dom::element_type::STRING:
      append_escaped(element.get_string().value_unsafe(), out);
      return;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: {
      char buffer[32];
      out.append(number_text(element, buffer));
      return;
    }
    case dom::element_type::BOOL:
      out.append(element.get_bool().value_unsafe() ? "true" : "false");
      return;
    case dom::element_type::NULL_VALUE:
      out.append("null");
      return;
  }
}

}  // namespace

struct FieldExtractor::Impl {
  // A slot ends at this trie node: through its literal key (a child of the root) or its nested path.
  struct Terminal {
    uint32_t slot;
    bool nested;
  };
  // Children live in an open-addressing table entries_[table_begin .. table_begin + table_mask].
  struct Node {
    uint32_t table_begin = 0;
    uint32_t table_mask = 0;
    uint32_t child_count = 0;
    uint32_t terminals_begin = 0;
    uint32_t terminals_end = 0;
    uint64_t length_mask = 0;
  };
  struct Entry {
    uint32_t key_offset = 0;  // into key_bytes_
    uint32_t key_length = 0;
    uint32_t hash_tag = 0;   // high half of the key's hash, compared before the bytes
    uint32_t child = kNone;  // kNone: empty entry
  };
  // One value found for a slot, in document order; turned into a SigrunValue once the slot's source
  // (literal or nested) is known.
  struct Hit {
    dom::element value;
    uint32_t slot;
    bool nested;
  };
  // Where a value's texts sit in ExtractedEvent::storage (kNotStored: the SigrunValue already points
  // at parser memory or a constant). Pointers are set only at the end because storage may reallocate.
  struct StoredAt {
    size_t text;
    size_t folded;
  };

  explicit Impl(const std::vector<program::FieldSlot>& fields);

  bool extract(std::string_view json, ExtractedEvent& out, std::string& reason);

  uint32_t find_child(const Node& node, std::string_view key) const;
  uint32_t next_visit();
  void walk_object(dom::object object, uint32_t node);
  void visit_node(uint32_t node, dom::element value);
  void descend(uint32_t node, dom::element value);
  void collect(uint32_t slot, bool nested, dom::element value);
  bool accepted(const Hit& hit) const { return hit.nested == ((seen_[hit.slot] & kLiteralSeen) == 0); }
  bool assemble(ExtractedEvent& out, std::string& reason);
  bool materialize(const Hit& hit, size_t index, ExtractedEvent& out, std::string& reason);

  // The trie: immutable after construction. Node 0 is the root.
  std::vector<Node> nodes_;
  std::vector<Entry> entries_;
  std::vector<Terminal> terminals_;
  std::string key_bytes_;
  std::vector<uint8_t> needs_folding_;  // per slot

  // Per-event state, reused so that steady-state extraction allocates nothing.
  dom::parser parser_;
  std::vector<uint32_t> stamps_;  // per node: the object visit in which its key last matched
  uint32_t visit_ = 0;
  std::vector<Hit> hits_;
  std::vector<uint8_t> seen_;     // per slot: kLiteralSeen | kNestedSeen
  std::vector<uint32_t> counts_;  // per slot: its value count, then the next free index of its run
  std::vector<StoredAt> stored_;  // per value
  std::string scratch_;           // compact text of the object being materialised
};

FieldExtractor::Impl::Impl(const std::vector<program::FieldSlot>& fields) {
  struct BuildNode {
    std::map<std::string, uint32_t, std::less<>> children;
    std::vector<Terminal> terminals;
  };
  std::vector<BuildNode> build(1);
  const auto child_of = [&build](uint32_t parent, std::string_view key) {
    if (const auto it = build[parent].children.find(key); it != build[parent].children.end()) {
      return it->second;
    }
    const auto id = static_cast<uint32_t>(build.size());
    build[parent].children.emplace(std::string(key), id);
    build.emplace_back();
    return id;
  };
  for (uint32_t slot = 0; slot < fields.size(); ++slot) {
    const std::string& path = fields[slot].path;
    build[child_of(0, path)].terminals.push_back({slot, false});
    if (path.find('.') == std::string::npos) {
      continue;
    }
    uint32_t node = 0;
    size_t start = 0;
    for (;;) {
      const size_t dot = path.find('.', start);
      const size_t end = dot == std::string::npos ? path.size() : dot;
      node = child_of(node, std::string_view(path).substr(start, end - start));
      if (dot == std::string::npos) {
        break;
      }
      start = dot + 1;
    }
    build[node].terminals.push_back({slot, true});
  }

  nodes_.resize(build.size());
  for (size_t id = 0; id < build.size(); ++id) {
    Node& node = nodes_[id];
    node.terminals_begin = static_cast<uint32_t>(terminals_.size());
    terminals_.insert(terminals_.end(), build[id].terminals.begin(), build[id].terminals.end());
    node.terminals_end = static_cast<uint32_t>(terminals_.size());
    node.child_count = static_cast<uint32_t>(build[id].children.size());
    if (node.child_count == 0) {
      continue;
    }
    // At most half full, so probes stay short.
    uint32_t table_size = 2;
    while (table_size < 2 * node.child_count) {
      table_size *= 2;
    }
    node.table_begin = static_cast<uint32_t>(entries_.size());
    node.table_mask = table_size - 1;
    entries_.resize(entries_.size() + table_size);
    for (const auto& [key, child] : build[id].children) {
      const uint64_t hash = hash_key(key);
      uint32_t slot_index = static_cast<uint32_t>(hash) & node.table_mask;
      while (entries_[node.table_begin + slot_index].child != kNone) {
        slot_index = (slot_index + 1) & node.table_mask;
      }
      Entry& entry = entries_[node.table_begin + slot_index];
      entry.key_offset = static_cast<uint32_t>(key_bytes_.size());
      entry.key_length = static_cast<uint32_t>(key.size());
      entry.hash_tag = static_cast<uint32_t>(hash >> 32);
      entry.child = child;
      key_bytes_.append(key);
      node.length_mask |= length_bit(key.size());
    }
  }

  needs_folding_.reserve(fields.size());
  for (const program::FieldSlot& field : fields) {
    needs_folding_.push_back(field.needs_folding ? 1 : 0);
  }
  stamps_.assign(nodes_.size(), 0);
  seen_.assign(fields.size(), 0);
  counts_.assign(fields.size(), 0);
}

uint32_t FieldExtractor::Impl::find_child(const Node& node, std::string_view key) const {
  if ((node.length_mask & length_bit(key.size())) == 0) {
    return kNone;
  }
  const uint64_t hash = hash_key(key);
  const auto tag = static_cast<uint32_t>(hash >> 32);
  for (uint32_t i = static_cast<uint32_t>(hash) & node.table_mask;; i = (i + 1) & node.table_mask) {
    const Entry& entry = entries_[node.table_begin + i];
    if (entry.child == kNone) {
      return kNone;
    }
    if (entry.hash_tag == tag && entry.key_length == key.size() &&
        std::memcmp(key_bytes_.data() + entry.key_offset, key.data(), key.size()) == 0) {
      return entry.child;
    }
  }
}

uint32_t FieldExtractor::Impl::next_visit() {
  if (++visit_ == 0) {
    std::fill(stamps_.begin(), stamps_.end(), 0);
    visit_ = 1;
  }
  return visit_;
}

// Recursion here follows the JSON nesting (objects along a trie path, arrays in between), which the
// parser caps at simdjson::DEFAULT_MAX_DEPTH (1024) by rejecting deeper documents.
void FieldExtractor::Impl::walk_object(dom::object object, uint32_t node_id) {
  const Node& node = nodes_[node_id];
  if (node.child_count == 0) {
    return;
  }
  // A trie node is the child of one parent only, so stamping children with this visit's number marks
  // the keys already met in this object: a repeated key is skipped (first occurrence wins).
  const uint32_t visit = next_visit();
  for (const dom::key_value_pair field : object) {
    const uint32_t child = find_child(node, field.key);
    if (child == kNone || stamps_[child] == visit) {
      continue;
    }
    stamps_[child] = visit;
    visit_node(child, field.value);
  }
}

void FieldExtractor::Impl::visit_node(uint32_t node_id, dom::element value) {
  const Node& node = nodes_[node_id];
  for (uint32_t t = node.terminals_begin; t < node.terminals_end; ++t) {
    const Terminal& terminal = terminals_[t];
    seen_[terminal.slot] |= terminal.nested ? kNestedSeen : kLiteralSeen;
    collect(terminal.slot, terminal.nested, value);
  }
  if (node.child_count != 0) {
    descend(node_id, value);
  }
}

// The rest of the path applies to an object, or to each element of an array (recursively).
void FieldExtractor::Impl::descend(uint32_t node_id, dom::element value) {
  dom::object object;
  if (value.get(object) == simdjson::SUCCESS) {
    walk_object(object, node_id);
    return;
  }
  dom::array array;
  if (value.get(array) == simdjson::SUCCESS) {
    for (const dom::element item : array) {
      descend(node_id, item);
    }
  }
}

// A value at the end of a path; arrays contribute their elements, nested arrays flattened.
void FieldExtractor::Impl::collect(uint32_t slot, bool nested, dom::element value) {
  dom::array array;
  if (value.get(array) == simdjson::SUCCESS) {
    for (const dom::element item : array) {
      collect(slot, nested, item);
    }
    return;
  }
  hits_.push_back({value, slot, nested});
}

bool FieldExtractor::Impl::extract(std::string_view json, ExtractedEvent& out, std::string& reason) {
  dom::element root;
  if (const simdjson::error_code error = parser_.parse(json.data(), json.size(), false).get(root)) {
    reason.assign("malformed JSON: ");
    reason.append(simdjson::error_message(error));
    return false;
  }
  dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    reason.assign("event is not a JSON object");
    return false;
  }
  hits_.clear();
  std::fill(seen_.begin(), seen_.end(), 0);
  walk_object(object, 0);
  return assemble(out, reason);
}

bool FieldExtractor::Impl::assemble(ExtractedEvent& out, std::string& reason) {
  const size_t slot_count = seen_.size();
  std::fill(counts_.begin(), counts_.end(), 0);
  for (const Hit& hit : hits_) {
    if (accepted(hit)) {
      ++counts_[hit.slot];
    }
  }
  // Values fit in uint32: there are fewer of them than bytes in the document, which simdjson caps at
  // 4 GiB.
  out.slots.resize(slot_count);
  uint32_t total = 0;
  for (size_t slot = 0; slot < slot_count; ++slot) {
    const uint32_t count = counts_[slot];
    out.slots[slot] = seen_[slot] == 0 ? SigrunSlot{kSigrunAbsent, 0} : SigrunSlot{total, count};
    counts_[slot] = total;
    total += count;
  }
  out.values.resize(total);
  stored_.resize(total);
  out.storage.clear();
  for (const Hit& hit : hits_) {
    if (!accepted(hit)) {
      continue;
    }
    if (!materialize(hit, counts_[hit.slot]++, out, reason)) {
      return false;
    }
  }
  for (size_t i = 0; i < total; ++i) {
    SigrunValue& value = out.values[i];
    if (stored_[i].text != kNotStored) {
      value.text = out.storage.data() + stored_[i].text;
    }
    if (stored_[i].folded != kNotStored) {
      value.folded = out.storage.data() + stored_[i].folded;
    }
  }
  return true;
}

bool FieldExtractor::Impl::materialize(const Hit& hit, size_t index, ExtractedEvent& out,
                                       std::string& reason) {
  SigrunValue& value = out.values[index];
  StoredAt& at = stored_[index];
  std::string_view text;
  bool copy = false;  // `text` is in a temporary buffer and must go to storage
  char number[32];
  switch (hit.value.type()) {
    case dom::element_type::STRING:
      value.kind = kSigrunString;
      text = hit.value.get_string().value_unsafe();
      break;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      value.kind = kSigrunNumber;
      text = number_text(hit.value, number);
      copy = true;
      break;
    case dom::element_type::BOOL: {
      const bool truth = hit.value.get_bool().value_unsafe();
      value.kind = truth ? kSigrunTrue : kSigrunFalse;
      text = truth ? "true" : "false";
      break;
    }
    case dom::element_type::NULL_VALUE:
      value.kind = kSigrunNull;
      text = "null";
      break;
    case dom::element_type::OBJECT:
      value.kind = kSigrunObject;
      scratch_.clear();
      serialize(hit.value, scratch_);
      text = scratch_;
      copy = true;
      break;
    case dom::element_type::ARRAY:
      assert(false && "collect() flattens arrays");
      break;
  }
  std::memset(value.reserved, 0, sizeof(value.reserved));
  constexpr size_t kMaxText = std::numeric_limits<uint32_t>::max();
  if (text.size() > kMaxText) {
    reason.assign("field value longer than 4 GiB");
    return false;
  }
  value.text_len = static_cast<uint32_t>(text.size());
  if (copy) {
    at.text = out.storage.size();
    out.storage.append(text);
    value.text = nullptr;
  } else {
    at.text = kNotStored;
    value.text = text.data();
  }
  if (needs_folding_[hit.slot] == 0 || !may_change_when_folded(text)) {
    at.folded = at.text;
    value.folded = value.text;
    value.folded_len = value.text_len;
    return true;
  }
  // `text` never points into storage here, so appending to storage cannot invalidate it.
  at.folded = out.storage.size();
  interp::append_folded(text, out.storage);
  const size_t folded_len = out.storage.size() - at.folded;
  if (folded_len > kMaxText) {
    reason.assign("field value longer than 4 GiB");
    return false;
  }
  value.folded = nullptr;
  value.folded_len = static_cast<uint32_t>(folded_len);
  return true;
}

FieldExtractor::FieldExtractor(const std::vector<program::FieldSlot>& fields)
    : impl_(std::make_unique<Impl>(fields)) {}
FieldExtractor::~FieldExtractor() = default;
FieldExtractor::FieldExtractor(FieldExtractor&&) noexcept = default;
FieldExtractor& FieldExtractor::operator=(FieldExtractor&&) noexcept = default;

bool FieldExtractor::extract(std::string_view json, ExtractedEvent& out, std::string& reason) {
  return impl_->extract(json, out, reason);
}

}  // namespace sigrun::extract
