// The event as compiled matchers see it: one slot per field path of the field plan, each slot a run of
// values in one flat array. This header is the single source of truth for that layout; the interpreter
// reads it directly and the JIT generates LLVM types from the same offsets (static_asserts below).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// Kind of one extracted JSON value. Arrays do not appear: their elements are flattened into the slot
// (a predicate on an array field is true when it is true for any element).
enum SigrunValueKind : uint8_t {
  kSigrunString = 0,  // text: the unescaped string
  kSigrunNumber = 1,  // text: the number's JSON token as written
  kSigrunTrue = 2,    // text: "true"
  kSigrunFalse = 3,   // text: "false"
  kSigrunNull = 4,    // text: "null"
  kSigrunObject = 5,  // text: the object's compact JSON text
};

// One value. `text` is what string predicates compare against; `folded` is the same text after Unicode
// simple case folding (equal to `text` when the slot needs no folding). Both point into the scanner's
// per-event storage and are valid until the next event is extracted.
struct SigrunValue {
  const char* text;
  const char* folded;
  uint32_t text_len;
  uint32_t folded_len;
  uint8_t kind;  // SigrunValueKind
  uint8_t reserved[7];
};

// A field's values: values[first .. first+count). `first == kSigrunAbsent` means the field is not in
// the event; a present field has at least its own entry unless it is an empty array (count 0).
struct SigrunSlot {
  uint32_t first;
  uint32_t count;
};

inline constexpr uint32_t kSigrunAbsent = 0xFFFFFFFFu;

// What a rule function receives. Slots are indexed by the field plan's slot ids.
struct SigrunEvent {
  const SigrunSlot* slots;
  const SigrunValue* values;
};

}  // extern "C"

static_assert(sizeof(SigrunValue) == 32, "generated code assumes a 32-byte SigrunValue");
static_assert(offsetof(SigrunValue, text) == 0);
static_assert(offsetof(SigrunValue, folded) == 8);
static_assert(offsetof(SigrunValue, text_len) == 16);
static_assert(offsetof(SigrunValue, folded_len) == 20);
static_assert(offsetof(SigrunValue, kind) == 24);
static_assert(sizeof(SigrunSlot) == 8);
static_assert(offsetof(SigrunSlot, first) == 0);
static_assert(offsetof(SigrunSlot, count) == 4);
static_assert(sizeof(SigrunEvent) == 16);
static_assert(offsetof(SigrunEvent, slots) == 0);
static_assert(offsetof(SigrunEvent, values) == 8);
