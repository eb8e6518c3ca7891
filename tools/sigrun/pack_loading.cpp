// Implements pack_loading.h.
#include "pack_loading.h"

#include <iostream>
#include <set>

#include "commands.h"
#include "sigrun/pack.h"

namespace sigrun::cli {

std::shared_ptr<const Engine> load_pack_engine(const CLI::App& command, const std::string& path,
                                               const std::string& engine, int* exit_code) {
  // What still applies to a compiled pack: reading events, printing, the backend, threads.
  static const std::set<std::string> kPackOptions = {"--pack",   "events",        "--input-format",
                                                     "--engine", "--stats",       "--threads",
                                                     "--help",   "--no-progress", "--testing-chunk-bytes"};
  for (const CLI::Option* option : command.get_options()) {
    // get_name() is empty for hidden options: name options by their first long name, else positional.
    const std::string name =
        option->get_lnames().empty() ? option->get_name(true) : "--" + option->get_lnames()[0];
    if (option->count() == 0 || kPackOptions.count(name) != 0)
      continue;
    std::cerr << "sigrun: error: " << name
              << " does not apply to --pack: the pack's rules, mappings and filters were fixed by `sigrun "
                 "compile`\n";
    *exit_code = kExitUsage;
    return nullptr;
  }
  PackLoadOptions options;
  if (engine == "interp") {
    options.native = false;
  } else if (engine == "jit" && command.count("--engine") != 0) {
    std::cerr << "sigrun: error: --engine jit compiles rules; a pack runs its own native code (aot, the "
                 "default) or the interpreter (interp)\n";
    *exit_code = kExitUsage;
    return nullptr;
  }
  Result<Pack> pack = Pack::load(path, options);
  if (!pack) {
    std::cerr << "sigrun: error: " << path << ": " << pack.error().message << "\n";
    *exit_code = kExitIoError;
    return nullptr;
  }
  return pack.value().engine();
}

}  // namespace sigrun::cli
