// Internal to compiler/jit. JitEngine: one LLJIT session holding the native code of one program.
//
//   auto engine = JitEngine::create({/*optimize=*/true, /*compile_threads=*/2});
//   engine.value()->add_module(std::move(module));            // as many modules as needed
//   auto addresses = engine.value()->lookup({"sigrun_rule_0"});  // compiles everything added
//
// The engine owns the session and every function compiled in it: the code stays valid until the engine is
// destroyed, which removes it and ends the session. Not thread-safe; compilation itself may run on the
// session's compile threads.
#pragma once

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sigrun/result.h"

namespace sigrun::jit {

class JitEngine {
  struct Key {
    explicit Key() = default;
  };

 public:
  struct Config {
    bool optimize = true;          // new-PM O2 in the IR transform layer and default codegen; else neither
    unsigned compile_threads = 0;  // 0: compile on the thread that looks symbols up
  };

  // Creates the session for the host: detects the target, registers the runtime helpers and libc.
  // Errors: Native (the host target is unsupported, LLVM could not build the session).
  static Result<std::unique_ptr<JitEngine>> create(const Config& config);
  ~JitEngine();
  explicit JitEngine(Key) {}  // for create() only: Key is private
  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  // What every added module must be built for.
  const llvm::DataLayout& data_layout() const { return jit_->getDataLayout(); }
  const llvm::Triple& target_triple() const { return jit_->getTargetTriple(); }

  // Adds a module; nothing is compiled until one of its symbols is looked up. Errors: Native (a symbol
  // is defined twice, the data layout differs).
  Status add_module(llvm::orc::ThreadSafeModule module);

  // The addresses of `names` (IR names, unmangled), in order. Compiles every module that defines one of
  // them, in parallel when the engine has compile threads. Errors: Native, with LLVM's messages (a
  // module failed to compile, a symbol is undefined).
  Result<std::vector<uint64_t>> lookup(const std::vector<std::string>& names);

 private:
  // A Native error from `error`, followed by what the session reported meanwhile (materialization
  // failures are reported there, while lookup only says which symbols failed).
  Error native_error(const std::string& context, llvm::Error error);

  std::mutex session_errors_mutex_;
  std::string session_errors_;  // guarded by session_errors_mutex_; written from compile threads
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  llvm::orc::ResourceTrackerSP tracker_;  // everything added, so it can be removed as one
};

}  // namespace sigrun::jit
