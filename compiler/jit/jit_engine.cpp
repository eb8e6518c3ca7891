// JitEngine (jit_engine.h): owns one LLJIT the ORC way (house style principle 11). The runtime helpers
// are absolute symbols of the main JITDylib, libc comes from the process, and O2 runs in the IR transform
// layer, so it runs on the compile threads with the rest of compilation.
#include "jit/jit_engine.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/Mangling.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>

#include <utility>

#include "jit/llvm_compat.h"
#include "jit/optimizer.h"
#include "jit/runtime_symbols.h"

namespace sigrun::jit {

static Error native(std::string message) {
  return Error{Error::Code::Native, std::move(message)};
}

static Error native(const std::string& context, llvm::Error error) {
  return native(context + ": " + llvm::toString(std::move(error)));
}

// LLVM's target registry is process-wide: register the host target once, whoever compiles first.
static Status initialize_native_target() {
  static std::once_flag once;
  static bool failed = false;
  std::call_once(once,
                 [] { failed = llvm::InitializeNativeTarget() || llvm::InitializeNativeTargetAsmPrinter(); });
  if (failed)
    return native("llvm has no native target for this host");
  return Ok{};
}

JitEngine::~JitEngine() {
  if (!jit_)
    return;
  if (tracker_) {
    if (llvm::Error error = tracker_->remove())
      jit_->getExecutionSession().reportError(std::move(error));
    tracker_ = nullptr;  // a tracker unregisters from its session when released: release it first
  }
  // Waits for the compile threads and ends the session; errors go to the reporter, which is still alive.
  jit_.reset();
}

Result<std::unique_ptr<JitEngine>> JitEngine::create(const Config& config) {
  // (1) The host target, its machine builder and the code generator's level.
  if (Status status = initialize_native_target(); !status)
    return status.error();
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> machine =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine)
    return native("cannot target the host", machine.takeError());
  compat::set_codegen_level(*machine, config.optimize);

  // (2) The session.
  llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> jit = llvm::orc::LLJITBuilder()
                                                              .setJITTargetMachineBuilder(*machine)
                                                              .setNumCompileThreads(config.compile_threads)
                                                              .create();
  if (!jit)
    return native("cannot create the jit session", jit.takeError());

  auto engine = std::make_unique<JitEngine>(Key{});
  engine->jit_ = std::move(*jit);
  llvm::orc::LLJIT& session = *engine->jit_;
  JitEngine* self = engine.get();
  session.getExecutionSession().setErrorReporter([self](llvm::Error error) {
    std::string message = llvm::toString(std::move(error));
    std::lock_guard<std::mutex> lock(self->session_errors_mutex_);
    if (!self->session_errors_.empty())
      self->session_errors_ += "; ";
    self->session_errors_ += message;
  });

  // (3) What generated code may call: the runtime helpers by their real addresses, then libc.
  llvm::orc::JITDylib& main = session.getMainJITDylib();
  llvm::orc::MangleAndInterner mangle(session.getExecutionSession(), session.getDataLayout());
  if (llvm::Error error = main.define(llvm::orc::absoluteSymbols(runtime_symbols(mangle)))) {
    return native("cannot register the runtime helpers", std::move(error));
  }
  if (llvm::Error error = compat::link_process_symbols(session)) {
    return native("cannot link the process symbols", std::move(error));
  }

  // (4) Optimization, on whichever thread compiles the module. The transform may run on several threads
  // at once, so each run builds its own target machine from a copy of the builder.
  if (config.optimize) {
    session.getIRTransformLayer().setTransform(
        [machine = *machine](
            llvm::orc::ThreadSafeModule module,
            llvm::orc::MaterializationResponsibility&) -> llvm::Expected<llvm::orc::ThreadSafeModule> {
          llvm::orc::JITTargetMachineBuilder builder = machine;
          llvm::Expected<std::unique_ptr<llvm::TargetMachine>> target = builder.createTargetMachine();
          if (!target)
            return target.takeError();
          module.withModuleDo([&](llvm::Module& m) { optimize_module(m, target->get()); });
          return module;
        });
  }

  engine->tracker_ = main.createResourceTracker();
  return engine;
}

Status JitEngine::add_module(llvm::orc::ThreadSafeModule module) {
  if (llvm::Error error = jit_->addIRModule(tracker_, std::move(module))) {
    return native_error("cannot add a module to the jit", std::move(error));
  }
  return Ok{};
}

Result<std::vector<uint64_t>> JitEngine::lookup(const std::vector<std::string>& names) {
  llvm::orc::ExecutionSession& session = jit_->getExecutionSession();
  std::vector<llvm::orc::SymbolStringPtr> symbols;
  symbols.reserve(names.size());
  llvm::orc::SymbolLookupSet request;
  for (const std::string& name : names) {
    symbols.push_back(jit_->mangleAndIntern(name));
    request.add(symbols.back());
  }

  // One lookup for everything: the session materializes all modules at once, one task per module, which
  // the compile threads share.
  llvm::Expected<llvm::orc::SymbolMap> found =
      session.lookup(llvm::orc::makeJITDylibSearchOrder(&jit_->getMainJITDylib()), request);
  if (!found)
    return native_error("cannot compile the rules", found.takeError());

  std::vector<uint64_t> addresses;
  addresses.reserve(symbols.size());
  for (const llvm::orc::SymbolStringPtr& symbol : symbols) {
    auto entry = found->find(symbol);
    if (entry == found->end())
      return native("the jit did not return symbol " + (*symbol).str());
    addresses.push_back(compat::symbol_address(entry->second));
  }
  return addresses;
}

Error JitEngine::native_error(const std::string& context, llvm::Error error) {
  std::string message = context + ": " + llvm::toString(std::move(error));
  std::lock_guard<std::mutex> lock(session_errors_mutex_);
  if (!session_errors_.empty()) {
    message += " (" + session_errors_ + ")";
    session_errors_.clear();
  }
  return native(std::move(message));
}

}  // namespace sigrun::jit
