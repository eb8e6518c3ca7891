// sigrun::jit::compile (jit.h): checks the program, emits its rules in modules of kRulesPerModule, compiles
// them in one JitEngine and hands out the functions with the engine as their keep-alive.
#include "jit/jit.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "abi/program.h"
#include "jit/jit_engine.h"
#include "jit/llvm_compat.h"
#include "jit/rule_emitter.h"

namespace sigrun::jit {

// Threads compiling modules when there is more than one. The machine class has 2 cores.
static constexpr unsigned kCompileThreads = 2;

Result<std::shared_ptr<const NativeCode>> compile(const program::Program& program,
                                                  const JitOptions& options) {
  // The emitter indexes without checks: verify covers every index, the node order and the opcodes.
  if (std::string problem = program::verify(program); !problem.empty()) {
    return Error{Error::Code::InvalidProgram, "cannot compile an invalid program: " + problem};
  }

  const size_t rule_count = program.rules.size();
  const size_t module_count = (rule_count + kRulesPerModule - 1) / kRulesPerModule;
  JitEngine::Config config;
  config.optimize = options.optimize;
  config.compile_threads = module_count > 1 ? kCompileThreads : 0;
  Result<std::unique_ptr<JitEngine>> engine = JitEngine::create(config);
  if (!engine)
    return engine.error();

  const EmitPlan plan(program);
  for (size_t begin = 0; begin < rule_count; begin += kRulesPerModule) {
    const size_t end = std::min(rule_count, begin + kRulesPerModule);
    Result<llvm::orc::ThreadSafeModule> module =
        emit_rules(program, plan, begin, end, engine.value()->data_layout(), engine.value()->target_triple());
    if (!module)
      return module.error();
    if (Status added = engine.value()->add_module(std::move(module).value()); !added)
      return added.error();
  }

  std::vector<std::string> names;
  names.reserve(rule_count);
  for (size_t rule = 0; rule < rule_count; ++rule)
    names.push_back(rule_symbol(rule));
  Result<std::vector<uint64_t>> addresses = engine.value()->lookup(names);
  if (!addresses)
    return addresses.error();

  auto code = std::make_shared<NativeCode>();
  code->rules.reserve(rule_count);
  for (uint64_t address : addresses.value()) {
    code->rules.push_back(compat::address_to_function<abi::RuleFunction>(address));
  }
  code->keep_alive = std::shared_ptr<JitEngine>(std::move(engine).value());
  code->backend = "jit";
  return std::shared_ptr<const NativeCode>(std::move(code));
}

}  // namespace sigrun::jit
