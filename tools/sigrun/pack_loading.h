// `scan --pack`: loading a compiled pack instead of compiling rules, and refusing options that only apply
// when compiling (they were settled by `sigrun compile`).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "sigrun/engine.h"

namespace sigrun::cli {

// The engine of the pack at `path`, run as `engine` asks ("aot" or the default: its native code;
// "interp": the interpreter). On failure, nullptr after printing why, with the exit code in `*exit_code`:
// kExitUsage for an option of `command` that does not apply to packs (rule paths, mappings, filters,
// --engine jit), kExitIoError for a pack that cannot be read, is damaged or cannot run here.
std::shared_ptr<const Engine> load_pack_engine(const CLI::App& command, const std::string& path,
                                               const std::string& engine, int* exit_code);

}  // namespace sigrun::cli
