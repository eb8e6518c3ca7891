// Implements sigrun::Engine (engine.h): validates a program and prepares its operands once, so scanning
// does no per-event setup.
#include "sigrun/engine.h"

#include <re2/re2.h>

#include <string>
#include <unordered_map>

#include "engine/engine_internal.h"
#include "interp/regex.h"

namespace sigrun {
namespace {

Result<std::unique_ptr<re2::RE2>> compile_regex(const program::OperandData& data, size_t index) {
  std::string reason;
  auto regex = interp::make_regex(data.text, data.regex_options, &reason);
  if (!regex) {
    return Error{Error::Code::InvalidRegex,
                 "operand " + std::to_string(index) + ": invalid regex '" + data.text + "': " + reason};
  }
  return regex;
}

}  // namespace

Engine::Engine(program::Program program, std::shared_ptr<const NativeCode> native)
    : program_(std::move(program)), native_(std::move(native)), compiled_(std::make_unique<Compiled>()) {}

Engine::~Engine() = default;

std::string_view Engine::backend() const {
  return native_ ? std::string_view(native_->backend) : "interp";
}

Result<std::shared_ptr<const Engine>> Engine::create(program::Program program,
                                                     std::shared_ptr<const NativeCode> native) {
  if (std::string problem = program::verify(program); !problem.empty()) {
    return Error{Error::Code::InvalidProgram, "invalid program: " + problem};
  }
  if (native && native->rules.size() != program.rules.size()) {
    return Error{Error::Code::InvalidArgument, "native code has " + std::to_string(native->rules.size()) +
                                                   " rule functions, the program has " +
                                                   std::to_string(program.rules.size()) + " rules"};
  }
  std::shared_ptr<Engine> engine(new Engine(std::move(program), std::move(native)));
  const auto& operand_data = engine->program_.operands;
  std::vector<bool> is_regex(operand_data.size(), false);
  for (const abi::Predicate& p : engine->program_.predicates) {
    if (p.op == abi::Opcode::Regex)
      is_regex[p.operand] = true;
  }
  engine->operands_.resize(operand_data.size());
  for (size_t i = 0; i < operand_data.size(); ++i) {
    const program::OperandData& data = operand_data[i];
    SigrunOperand& operand = engine->operands_[i];
    operand.text = data.text.data();
    operand.len = static_cast<uint32_t>(data.text.size());
    operand.flags = data.flags;
    operand.number = data.number;
    operand.native = nullptr;
    if (is_regex[i]) {
      auto regex = compile_regex(data, i);
      if (!regex)
        return regex.error();
      operand.native = regex.value().get();
      engine->compiled_->regexes.push_back(std::move(regex).value());
    }
  }
  for (uint32_t slot = 0; slot < engine->program_.fields.size(); ++slot) {
    engine->compiled_->slot_by_path.emplace(engine->program_.fields[slot].path, slot);
  }
  return std::shared_ptr<const Engine>(std::move(engine));
}

const Engine::Compiled& engine_internals(const Engine& engine) {
  return *engine.compiled_;
}

}  // namespace sigrun
