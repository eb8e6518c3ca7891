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

// Built once per engine from the field plan (a trie of path segments); thread-compatible: each Scanner
// owns its own extractor (it holds the JSON parser).
class FieldExtractor {
 public:
  explicit FieldExtractor(const std::vector<program::FieldSlot>& fields);
  ~FieldExtractor();
  FieldExtractor(FieldExtractor&&) noexcept;
  FieldExtractor& operator=(FieldExtractor&&) noexcept;

  // Extracts every field of the plan from `json`, which must be followed by at least 64 readable bytes.
  // Field resolution: the literal key (`a.b` as one key) first, else the dotted path through nested
  // objects; an array anywhere along the path or at its end contributes each element; objects at the end
  // become their compact JSON text; string values are unescaped. Values of slots with needs_folding get
  // their Unicode simple case folding in `folded`. Returns false and sets `reason` when the text is not
  // valid JSON or not an object; `out` is then unspecified.
  bool extract(std::string_view json, ExtractedEvent& out, std::string& reason);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sigrun::extract
