// sigrun::Pack: rules compiled ahead of time (`sigrun compile RULES -o rules.pack`), loaded into an Engine
// with no compiler, LLVM or YAML in the process.
//
//   sigrun::Result<sigrun::Pack> pack = sigrun::Pack::load("rules.pack");
//   if (!pack) {
//     std::cerr << "cannot load rules.pack: " << pack.error().message << "\n";
//     return 1;
//   }
//   sigrun::Scanner scanner(pack->engine());          // one per thread; the engine is shared
//   scanner.scan(R"({"eventName":"InviteAccountToOrganization"})", 1,
//                [](const sigrun::Match& m) { std::cout << m.rule->title << ": " << m.message << "\n"; });
//
// Loading checks the whole file before anything runs: magic, format version, size, CRC-32, every section
// and index, the opcode table it was built against, the CPU features its code needs. A pack that fails
// any check is refused with the reason and nothing of it stays loaded. The file's native code is an ELF
// shared object; loading it runs no code of the pack (it has no constructors), but calling its rules does:
// load packs from where you load programs.
//
// Thread safety: load() and from_bytes() may run concurrently. A Pack is immutable; its engine is shared by
// any number of threads (each with its own Scanner). Lifetimes: the engine keeps the pack's native code
// loaded; the Pack may be destroyed while scanners still use the engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sigrun/engine.h"
#include "sigrun/result.h"

namespace sigrun {

// What a pack says about itself.
struct PackInfo {
  uint32_t format_version = 0;
  std::string engine_version;             // sigrun version that wrote it
  std::string target_triple;              // of the native code, e.g. "x86_64-pc-linux-gnu"
  std::string target_cpu;                 // e.g. "x86-64-v2"; a host CPU name for `--cpu native`
  std::vector<std::string> cpu_features;  // required beyond the x86-64 baseline, LLVM's names
  uint64_t file_size = 0;
  uint32_t checksum = 0;  // CRC-32 of the file
  size_t rule_count = 0;
  bool has_native_code = false;
};

struct PackLoadOptions {
  // Run the pack's native code (the default). Off: rules run in the interpreter, and the native code and
  // the CPU features it needs are not looked at (a pack built for another CPU still runs, slower).
  bool native = true;
};

class Pack {
 public:
  // Reads and loads the pack at `path`. Errors:
  // - Io: the file cannot be opened or read (with the system's reason);
  // - InvalidPack: not a pack (bad magic), truncated or with trailing bytes, checksum mismatch, a section
  //   or record out of bounds or malformed (which one, and how);
  // - UnsupportedPack: another format version, built against another opcode table, native code for
  //   another architecture, or for CPU features this CPU lacks (named);
  // - InvalidProgram, InvalidRegex: the program inside is unusable (as Engine::create);
  // - Native: the native code cannot be loaded (the dynamic loader's message) or lacks a rule function.
  // Cost: one read of the file, a CRC pass (about 0.5 ms per MB), decoding, and for native code one write
  // to an anonymous file (memfd) and a dlopen.
  static Result<Pack> load(const std::string& path, const PackLoadOptions& options = {});

  // The same for a pack already in memory. `bytes` is only read during the call.
  static Result<Pack> from_bytes(std::string_view bytes, const PackLoadOptions& options = {});

  const PackInfo& info() const { return info_; }

  // The loaded engine: backend "aot" with native code, else "interp". Never null.
  const std::shared_ptr<const Engine>& engine() const { return engine_; }

 private:
  Pack(PackInfo info, std::shared_ptr<const Engine> engine)
      : info_(std::move(info)), engine_(std::move(engine)) {}

  PackInfo info_;
  std::shared_ptr<const Engine> engine_;
};

}  // namespace sigrun
