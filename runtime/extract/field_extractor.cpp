// Implements FieldExtractor (extract/field_extractor.h). Each event is parsed with simdjson's DOM
// parser, which validates the whole text: a malformed value anywhere rejects the event, even in a field
// no rule reads. One walk then visits only the objects the field plan reaches, guided by a trie of path
// segments, and records the wanted values in document order; a final pass groups them into one
// contiguous run per slot.
//
// There is one trie per event layout, both built once from the same field plan and filling the same
// slots: the flat trie holds the fields' JSON paths, the evtx trie the places where evtx_dump puts a
// field of that Sigma name. So an evtx event costs one walk like a flat one; nothing is rebuilt per event.
// The evtx trie maps the slot `P` to (first occurrence of a key wins, values of several places collect):
// - `Event.System.P`: a System child by name (`EventID`, `Channel`, `Computer`);
// - `Event.System.E.#attributes.A` for every split of `P` at an underscore into `E_A` (`Provider_Name`,
//   `Execution_ProcessID`, `TimeCreated_SystemTime`, `EventID_Qualifiers`);
// - `Event.EventData.P` and `Event.ProcessingErrorData.P`, the event's keys compared without their
//   spaces (`Source Name` is SourceName); unnamed data (`Data: [...]`) is the field `Data`;
// - `Event.UserData.*.P`: the children of UserData's child element, whatever its name, their keys
//   compared without a leading `{namespace}` (as python-evtx writes them).
// Each of these is an XML element: when its value is an object (`{"#text": 4688, "#attributes": …}`),
// the element's text is its `#text` member and an element without one has no value (an element that
// carries only attributes, such as `Provider`). The event's own attributes and those of EventData and
// UserData have no Sigma name; keyword search sees them.
//
// The slot with the empty path (keyword search) takes every scalar value of the event, in document
// order, in a second walk over the whole event that runs only when the plan has that slot.
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
// - Keyword search: strings, numbers (as above) and booleans count; null does not, nor do keys; values
//   inside arrays and objects at any depth count.
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

// How a trie node looks up the keys of the object it walks.
enum class KeyMode : uint8_t {
  Exact,           // the key as written
  StripSpaces,     // the key without its spaces (EventData names: `Source Name` is SourceName)
  StripNamespace,  // the key without a leading `{namespace}` (UserData element names)
  AnyKey,          // every key leads to the node's one child (UserData's child element)
};

// A slot ends at this trie node: through its literal key (a child of the root) or its nested path.
// An element terminal takes no value from an object (an XML element with children or attributes): its
// `#text` child, another terminal of the same slot, carries the element's value.
struct Terminal {
  uint32_t slot;
  bool nested;
  bool element;
};

// Children live in an open-addressing table entries[table_begin .. table_begin + table_mask].
struct Node {
  uint32_t table_begin = 0;
  uint32_t table_mask = 0;
  uint32_t child_count = 0;  // entries used, or 1 for AnyKey
  uint32_t terminals_begin = 0;
  uint32_t terminals_end = 0;
  uint32_t any_child = kNone;  // AnyKey: the child every key leads to
  uint64_t length_mask = 0;
  KeyMode key_mode = KeyMode::Exact;
};

struct Entry {
  uint32_t key_offset = 0;  // into Trie::key_bytes
  uint32_t key_length = 0;
  uint32_t hash_tag = 0;   // high half of the key's hash, compared before the bytes
  uint32_t child = kNone;  // kNone: empty entry
};

// Immutable after construction. Node 0 is the root.
struct Trie {
  std::vector<Node> nodes;
  std::vector<Entry> entries;
  std::vector<Terminal> terminals;
  std::string key_bytes;

  uint32_t find_child(const Node& node, std::string_view key) const {
    if ((node.length_mask & length_bit(key.size())) == 0) {
      return kNone;
    }
    const uint64_t hash = hash_key(key);
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (uint32_t i = static_cast<uint32_t>(hash) & node.table_mask;; i = (i + 1) & node.table_mask) {
      const Entry& entry = entries[node.table_begin + i];
      if (entry.child == kNone) {
        return kNone;
      }
      if (entry.hash_tag == tag && entry.key_length == key.size() &&
          std::memcmp(key_bytes.data() + entry.key_offset, key.data(), key.size()) == 0) {
        return entry.child;
      }
    }
  }
};

class TrieBuilder {
 public:
  TrieBuilder() : nodes_(1) {}

  uint32_t child(uint32_t parent, std::string_view key) {
    assert(nodes_[parent].key_mode != KeyMode::AnyKey && "an AnyKey node has one child");
    if (const auto it = nodes_[parent].children.find(key); it != nodes_[parent].children.end()) {
      return it->second;
    }
    const uint32_t id = new_node();
    nodes_[parent].children.emplace(std::string(key), id);
    return id;
  }

  uint32_t any_child(uint32_t parent) {
    assert(nodes_[parent].key_mode == KeyMode::AnyKey && "any_child() needs an AnyKey node");
    if (nodes_[parent].any_child == kNone) {
      const uint32_t id = new_node();
      nodes_[parent].any_child = id;
    }
    return nodes_[parent].any_child;
  }

  void set_key_mode(uint32_t node, KeyMode mode) { nodes_[node].key_mode = mode; }
  void add_terminal(uint32_t node, Terminal terminal) { nodes_[node].terminals.push_back(terminal); }

  Trie build() const {
    Trie trie;
    trie.nodes.resize(nodes_.size());
    for (size_t id = 0; id < nodes_.size(); ++id) {
      const BuildNode& from = nodes_[id];
      Node& node = trie.nodes[id];
      node.key_mode = from.key_mode;
      node.terminals_begin = static_cast<uint32_t>(trie.terminals.size());
      trie.terminals.insert(trie.terminals.end(), from.terminals.begin(), from.terminals.end());
      node.terminals_end = static_cast<uint32_t>(trie.terminals.size());
      if (from.key_mode == KeyMode::AnyKey) {
        node.any_child = from.any_child;
        node.child_count = from.any_child == kNone ? 0 : 1;
        continue;
      }
      node.child_count = static_cast<uint32_t>(from.children.size());
      if (node.child_count == 0) {
        continue;
      }
      // At most half full, so probes stay short.
      uint32_t table_size = 2;
      while (table_size < 2 * node.child_count) {
        table_size *= 2;
      }
      node.table_begin = static_cast<uint32_t>(trie.entries.size());
      node.table_mask = table_size - 1;
      trie.entries.resize(trie.entries.size() + table_size);
      for (const auto& [key, child] : from.children) {
        const uint64_t hash = hash_key(key);
        uint32_t index = static_cast<uint32_t>(hash) & node.table_mask;
        while (trie.entries[node.table_begin + index].child != kNone) {
          index = (index + 1) & node.table_mask;
        }
        Entry& entry = trie.entries[node.table_begin + index];
        entry.key_offset = static_cast<uint32_t>(trie.key_bytes.size());
        entry.key_length = static_cast<uint32_t>(key.size());
        entry.hash_tag = static_cast<uint32_t>(hash >> 32);
        entry.child = child;
        trie.key_bytes.append(key);
        node.length_mask |= length_bit(key.size());
      }
    }
    return trie;
  }

 private:
  struct BuildNode {
    std::map<std::string, uint32_t, std::less<>> children;
    uint32_t any_child = kNone;
    KeyMode key_mode = KeyMode::Exact;
    std::vector<Terminal> terminals;
  };

  uint32_t new_node() {
    nodes_.emplace_back();
    return static_cast<uint32_t>(nodes_.size() - 1);
  }

  std::vector<BuildNode> nodes_;
};

// The flat layout: each field's literal key, and its dotted path when it has dots.
Trie build_flat_trie(const std::vector<program::FieldSlot>& fields) {
  TrieBuilder builder;
  for (uint32_t slot = 0; slot < fields.size(); ++slot) {
    const std::string& path = fields[slot].path;
    if (path.empty()) {
      continue;
    }
    builder.add_terminal(builder.child(0, path), {slot, false, false});
    if (path.find('.') == std::string::npos) {
      continue;
    }
    uint32_t node = 0;
    size_t start = 0;
    for (;;) {
      const size_t dot = path.find('.', start);
      const size_t end = dot == std::string::npos ? path.size() : dot;
      node = builder.child(node, std::string_view(path).substr(start, end - start));
      if (dot == std::string::npos) {
        break;
      }
      start = dot + 1;
    }
    builder.add_terminal(node, {slot, true, false});
  }
  return builder.build();
}

// An XML element's value: the node itself when it holds a scalar, else its `#text`.
void add_element(TrieBuilder& builder, uint32_t node, uint32_t slot) {
  builder.add_terminal(node, {slot, false, true});
  builder.add_terminal(builder.child(node, "#text"), {slot, false, false});
}

// The evtx_dump layout (see the file comment).
Trie build_evtx_trie(const std::vector<program::FieldSlot>& fields) {
  TrieBuilder builder;
  const uint32_t event = builder.child(0, "Event");
  const uint32_t system = builder.child(event, "System");
  const uint32_t user_data = builder.child(event, "UserData");
  builder.set_key_mode(user_data, KeyMode::AnyKey);
  const uint32_t user_element = builder.any_child(user_data);
  builder.set_key_mode(user_element, KeyMode::StripNamespace);
  std::vector<uint32_t> data_sections;
  for (const char* section : {"EventData", "ProcessingErrorData"}) {
    data_sections.push_back(builder.child(event, section));
    builder.set_key_mode(data_sections.back(), KeyMode::StripSpaces);
  }
  std::string stripped;
  for (uint32_t slot = 0; slot < fields.size(); ++slot) {
    const std::string_view path = fields[slot].path;
    if (path.empty()) {
      continue;
    }
    add_element(builder, builder.child(system, path), slot);
    for (size_t underscore = path.find('_', 1);
         underscore != std::string_view::npos && underscore + 1 < path.size();
         underscore = path.find('_', underscore + 1)) {
      const uint32_t element = builder.child(system, path.substr(0, underscore));
      builder.add_terminal(builder.child(builder.child(element, "#attributes"), path.substr(underscore + 1)),
                           {slot, false, false});
    }
    stripped.clear();
    for (const char c : path) {
      if (c != ' ') {
        stripped.push_back(c);
      }
    }
    for (const uint32_t section : data_sections) {
      add_element(builder, builder.child(section, stripped), slot);
    }
    add_element(builder, builder.child(user_element, path), slot);
  }
  return builder.build();
}

}  // namespace

struct FieldExtractor::Impl {
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

  bool parse(std::string_view json, std::string& reason);
  bool extract_object(dom::element value, const Trie& trie, ExtractedEvent& out, std::string& reason,
                      const char* not_an_object);

  uint32_t find_child(const Node& node, std::string_view key);
  uint32_t next_visit();
  void walk_object(dom::object object, uint32_t node);
  void visit_node(uint32_t node, dom::element value);
  void descend(uint32_t node, dom::element value);
  void collect(uint32_t slot, bool nested, bool element, dom::element value);
  void collect_all(dom::element value);
  bool accepted(const Hit& hit) const { return hit.nested == ((seen_[hit.slot] & kLiteralSeen) == 0); }
  bool assemble(ExtractedEvent& out, std::string& reason);
  bool materialize(const Hit& hit, size_t index, ExtractedEvent& out, std::string& reason);

  // Immutable after construction.
  Trie flat_;
  Trie evtx_;
  std::vector<uint32_t> keyword_slots_;  // slots with the empty path
  std::vector<uint8_t> needs_folding_;   // per slot

  // Per-event state, reused so that steady-state extraction allocates nothing.
  dom::parser parser_;
  dom::element root_;
  bool parsed_ = false;
  std::vector<dom::element> records_;  // after load_records()
  const Trie* trie_ = nullptr;         // the trie of the walk under way
  std::vector<uint32_t> stamps_;       // per node: the object visit in which its key last matched
  uint32_t visit_ = 0;
  std::vector<Hit> hits_;
  std::vector<uint8_t> seen_;     // per slot: kLiteralSeen | kNestedSeen
  std::vector<uint32_t> counts_;  // per slot: its value count, then the next free index of its run
  std::vector<StoredAt> stored_;  // per value
  std::string scratch_;           // compact text of the object being materialised
  std::string key_scratch_;       // a key with its spaces stripped
};

FieldExtractor::Impl::Impl(const std::vector<program::FieldSlot>& fields)
    : flat_(build_flat_trie(fields)), evtx_(build_evtx_trie(fields)) {
  needs_folding_.reserve(fields.size());
  for (uint32_t slot = 0; slot < fields.size(); ++slot) {
    needs_folding_.push_back(fields[slot].needs_folding ? 1 : 0);
    if (fields[slot].path.empty()) {
      keyword_slots_.push_back(slot);
    }
  }
  // Visit numbers are unique across both tries, so one stamp array serves both.
  stamps_.assign(std::max(flat_.nodes.size(), evtx_.nodes.size()), 0);
  seen_.assign(fields.size(), 0);
  counts_.assign(fields.size(), 0);
}

bool FieldExtractor::Impl::parse(std::string_view json, std::string& reason) {
  records_.clear();
  parsed_ = false;
  if (const simdjson::error_code error = parser_.parse(json.data(), json.size(), false).get(root_)) {
    reason.assign("malformed JSON: ");
    reason.append(simdjson::error_message(error));
    return false;
  }
  parsed_ = true;
  return true;
}

bool FieldExtractor::Impl::extract_object(dom::element value, const Trie& trie, ExtractedEvent& out,
                                          std::string& reason, const char* not_an_object) {
  dom::object object;
  if (value.get(object) != simdjson::SUCCESS) {
    reason.assign(not_an_object);
    return false;
  }
  hits_.clear();
  std::fill(seen_.begin(), seen_.end(), 0);
  trie_ = &trie;
  walk_object(object, 0);
  if (!keyword_slots_.empty()) {
    for (const uint32_t slot : keyword_slots_) {
      seen_[slot] |= kLiteralSeen;
    }
    collect_all(value);
  }
  return assemble(out, reason);
}

// Keys of a node that is not KeyMode::Exact, normalised as its mode says.
uint32_t FieldExtractor::Impl::find_child(const Node& node, std::string_view key) {
  switch (node.key_mode) {
    case KeyMode::Exact:
      break;
    case KeyMode::AnyKey:
      return node.any_child;
    case KeyMode::StripSpaces:
      if (std::memchr(key.data(), ' ', key.size()) != nullptr) {
        key_scratch_.clear();
        for (const char c : key) {
          if (c != ' ') {
            key_scratch_.push_back(c);
          }
        }
        key = key_scratch_;
      }
      break;
    case KeyMode::StripNamespace:
      if (!key.empty() && key.front() == '{') {
        if (const size_t close = key.find('}'); close != std::string_view::npos) {
          key.remove_prefix(close + 1);
        }
      }
      break;
  }
  return trie_->find_child(node, key);
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
  const Node& node = trie_->nodes[node_id];
  if (node.child_count == 0) {
    return;
  }
  // A trie node is the child of one parent only, so stamping children with this visit's number marks
  // the keys already met in this object: a repeated key is skipped (first occurrence wins).
  const uint32_t visit = next_visit();
  for (const dom::key_value_pair field : object) {
    const uint32_t child =
        node.key_mode == KeyMode::Exact ? trie_->find_child(node, field.key) : find_child(node, field.key);
    if (child == kNone || stamps_[child] == visit) {
      continue;
    }
    stamps_[child] = visit;
    visit_node(child, field.value);
  }
}

void FieldExtractor::Impl::visit_node(uint32_t node_id, dom::element value) {
  const Node& node = trie_->nodes[node_id];
  for (uint32_t t = node.terminals_begin; t < node.terminals_end; ++t) {
    const Terminal& terminal = trie_->terminals[t];
    if (terminal.element && value.is_object()) {
      continue;
    }
    seen_[terminal.slot] |= terminal.nested ? kNestedSeen : kLiteralSeen;
    collect(terminal.slot, terminal.nested, terminal.element, value);
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

// A value at the end of a path; arrays contribute their elements, nested arrays flattened. Objects in an
// element's array are elements whose `#text` the trie collects.
void FieldExtractor::Impl::collect(uint32_t slot, bool nested, bool element, dom::element value) {
  dom::array array;
  if (value.get(array) == simdjson::SUCCESS) {
    for (const dom::element item : array) {
      collect(slot, nested, element, item);
    }
    return;
  }
  if (element && value.is_object()) {
    return;
  }
  hits_.push_back({value, slot, nested});
}

// Every scalar value under `value`, for the keyword slots. Recursion as deep as the JSON nesting, which
// the parser caps (see walk_object).
void FieldExtractor::Impl::collect_all(dom::element value) {
  switch (value.type()) {
    case dom::element_type::ARRAY: {
      const dom::array array = value.get_array().value_unsafe();
      for (const dom::element item : array) {
        collect_all(item);
      }
      return;
    }
    case dom::element_type::OBJECT: {
      const dom::object object = value.get_object().value_unsafe();
      for (const dom::key_value_pair field : object) {
        collect_all(field.value);
      }
      return;
    }
    case dom::element_type::NULL_VALUE:
      return;
    case dom::element_type::STRING:
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
    case dom::element_type::BOOL:
      for (const uint32_t slot : keyword_slots_) {
        hits_.push_back({value, slot, false});
      }
      return;
  }
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

bool FieldExtractor::extract(std::string_view json, ExtractedEvent& out, std::string& reason,
                             EventLayout layout) {
  return parse(json, reason) && extract_root(out, reason, layout);
}

bool FieldExtractor::parse(std::string_view json, std::string& reason) {
  return impl_->parse(json, reason);
}

bool FieldExtractor::root_is_object() const {
  return impl_->parsed_ && impl_->root_.is_object();
}

bool FieldExtractor::root_is_evtx_event() const {
  if (!root_is_object()) {
    return false;
  }
  dom::object event;
  dom::object system;
  return impl_->root_["Event"].get(event) == simdjson::SUCCESS &&
         event["System"].get(system) == simdjson::SUCCESS;
}

bool FieldExtractor::load_records() {
  Impl& impl = *impl_;
  impl.records_.clear();
  dom::object object;
  if (!impl.parsed_ || impl.root_.get(object) != simdjson::SUCCESS) {
    return false;
  }
  for (const dom::key_value_pair field : object) {
    if (field.key != "Records") {
      continue;
    }
    dom::array array;
    if (field.value.get(array) != simdjson::SUCCESS) {
      return false;
    }
    for (const dom::element record : array) {
      impl.records_.push_back(record);
    }
    return true;
  }
  return false;
}

size_t FieldExtractor::record_count() const {
  return impl_->records_.size();
}

bool FieldExtractor::extract_root(ExtractedEvent& out, std::string& reason, EventLayout layout) {
  assert(impl_->parsed_ && "extract_root() needs a parsed document");
  const Trie& trie = layout == EventLayout::Evtx ? impl_->evtx_ : impl_->flat_;
  return impl_->extract_object(impl_->root_, trie, out, reason, "event is not a JSON object");
}

bool FieldExtractor::extract_record(size_t index, ExtractedEvent& out, std::string& reason) {
  assert(index < impl_->records_.size() && "record index out of range");
  return impl_->extract_object(impl_->records_[index], impl_->flat_, out, reason,
                               "CloudTrail record is not a JSON object");
}

void FieldExtractor::append_record_json(size_t index, std::string& out) const {
  assert(index < impl_->records_.size() && "record index out of range");
  serialize(impl_->records_[index], out);
}

}  // namespace sigrun::extract
