// Internal to the runtime. Single-pass extraction of the fields a program reads from one JSON event into
// the slot layout of abi/slots.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/slots.h"
#include "program/program.h"

namespace sigrun::extract {

// One event's extracted values; reused from event to event so steady-state extraction allocates nothing.
struct ExtractedEvent {
  std::vector<SigrunSlot> slots;    // one per field slot of the program
  std::vector<SigrunValue> values;  // runs referenced by slots
  std::string storage;              // folded texts and compact object texts the values point into

  SigrunEvent view() const { return {slots.data(), values.data()}; }
};

// How an event names its fields (see sigrun::InputFormat).
enum class EventLayout : uint8_t {
  Flat,  // JSON names: the literal key (`a.b` as one key), else the dotted path through nested objects
  Evtx,  // Sigma names of a Windows event in evtx_dump's layout (`Provider_Name`, `EventID`, `Image`)
};

// Built once per engine from the field plan (a trie of path segments per layout); thread-compatible:
// each Scanner owns its own extractor (it holds the JSON parser).
class FieldExtractor {
 public:
  explicit FieldExtractor(const std::vector<program::FieldSlot>& fields);
  ~FieldExtractor();
  FieldExtractor(FieldExtractor&&) noexcept;
  FieldExtractor& operator=(FieldExtractor&&) noexcept;

  // Extracts every field of the plan from `json`, which must be followed by at least 64 readable bytes.
  // Flat field resolution: the literal key (`a.b` as one key) first, else the dotted path through nested
  // objects; an array anywhere along the path or at its end contributes each element; objects at the end
  // become their compact JSON text; string values are unescaped. Evtx resolution: see the comment of
  // field_extractor.cpp. A slot with the empty path gets every scalar value of the event (keyword
  // search). Values of slots with needs_folding get their Unicode simple case folding in `folded`.
  // Returns false and sets `reason` when the text is not valid JSON or not an object; `out` is then
  // unspecified. Equivalent to parse() and extract_root().
  bool extract(std::string_view json, ExtractedEvent& out, std::string& reason,
               EventLayout layout = EventLayout::Flat);

  // Parses one document (padded as for extract()) and keeps it, and views into `json`, until the next
  // parse. Returns false and sets `reason` when it is not valid JSON.
  bool parse(std::string_view json, std::string& reason);
  // Shape of the parsed document: the root is an object; its `Event` member is an object with a
  // `System` object (the evtx_dump layout).
  bool root_is_object() const;
  bool root_is_evtx_event() const;
  // True when the root is an object whose first `Records` member is an array (a CloudTrail log file);
  // record_count() and the record functions then refer to that array's elements.
  bool load_records();
  size_t record_count() const;

  // Extracts from the parsed root; false with `reason` when it is not an object.
  bool extract_root(ExtractedEvent& out, std::string& reason, EventLayout layout);
  // Extracts from record `index` < record_count() (flat layout); false with `reason` when it is not an
  // object.
  bool extract_record(size_t index, ExtractedEvent& out, std::string& reason);
  // The compact JSON text of record `index`, appended to `out`.
  void append_record_json(size_t index, std::string& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sigrun::extract
