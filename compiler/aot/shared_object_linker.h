// Internal to compiler/aot. Linking relocatable objects into one shared object with the system's C
// compiler driver (`cc -shared -nostdlib`), at pack build time; the runtime needs no linker.
#pragma once

#include <string>
#include <vector>

#include "sigrun/result.h"

namespace sigrun::aot {

// The shared object linked from `objects` (ELF relocatable objects' bytes) by `linker`, a C compiler
// driver found on PATH. The objects must define every symbol they use (the link runs with -z defs and
// without the C library). Deterministic: the same objects give the same bytes. Errors: Native (the
// linker cannot be run, or fails: its exit status and output), Io (temporary files).
Result<std::string> link_shared_object(const std::vector<std::string>& objects, const std::string& linker);

}  // namespace sigrun::aot
