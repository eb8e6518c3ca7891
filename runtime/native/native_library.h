// Internal to the runtime. Loading a pack's native code: the ELF shared object of its NativeLibrary
// section, written to an anonymous memory file (memfd_create) and opened with dlopen, with no file on disk.
// Its import table (abi/pack_format.h) is filled with this runtime's helpers and libc functions before any
// rule can run, so the object resolves nothing from the process.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "sigrun/engine.h"
#include "sigrun/result.h"

namespace sigrun::native {

// The rule functions of `library` (a shared object's bytes, read only during the call), which must define
// `sigrun_rule_0` .. `sigrun_rule_<rule_count - 1>`. The NativeCode keeps the object loaded (its backend is
// "aot"); the object is unloaded when the last copy of it is released. Errors: Native, with the dynamic
// loader's message, or which symbol is missing, or that the object was built for another opcode table.
// Thread-safe.
Result<std::shared_ptr<const NativeCode>> load_library(std::string_view library, size_t rule_count);

}  // namespace sigrun::native
