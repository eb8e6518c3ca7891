// sigrun::Result<T>: the value of a fallible operation, or the Error saying why it failed.
//
//   sigrun::Result<std::shared_ptr<const sigrun::Engine>> engine =
//   sigrun::Engine::create(std::move(program)); if (!engine) { std::cerr << engine.error().message << "\n";
//   return 1; } use(*engine.value());
//
// Shaped like C++23 std::expected so it can be replaced by it. Not thread-safe to mutate; safe to read
// from many threads once built.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sigrun {

// Why an operation failed. `message` is lower-case, names what was wrong and what was expected.
struct Error {
  enum class Code {
    InvalidArgument,  // the caller passed something the operation cannot use
    InvalidProgram,   // a program refers to slots, operands or nodes it does not have
    InvalidRegex,     // a regex operand does not compile
    Io,               // reading or writing a file or stream failed
    Native,           // native code could not be produced or loaded
    InvalidPack,      // a pack is damaged: not a pack, truncated, checksum mismatch, malformed section
    UnsupportedPack,  // a sound pack this runtime cannot run: format version, opcode table, CPU features
  };
  Code code;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value() && "Result::value() on an error");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    assert(!has_value() && "Result::error() on a value");
    return std::get<1>(state_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace sigrun
