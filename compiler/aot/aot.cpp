// Implements aot::compile_library (aot.h): resolve the CPU, emit the objects, link them.
#include "aot/aot.h"

#include <string>
#include <utility>
#include <vector>

#include "aot/cpu_target.h"
#include "aot/object_emitter.h"
#include "aot/shared_object_linker.h"

namespace sigrun::aot {

Result<NativeLibrary> compile_library(const program::Program& program, const AotOptions& options) {
  // The emitter indexes without checks: verify covers every index, the node order and the opcodes.
  if (std::string problem = program::verify(program); !problem.empty())
    return Error{Error::Code::InvalidProgram, "cannot compile an invalid program: " + problem};
  Result<CpuTarget> target = resolve_cpu(options.cpu);
  if (!target)
    return target.error();
  Result<std::vector<std::string>> objects = emit_objects(program, target.value(), options.threads);
  if (!objects)
    return objects.error();
  Result<std::string> library = link_shared_object(objects.value(), options.linker);
  if (!library)
    return library.error();
  NativeLibrary out;
  out.bytes = std::move(library).value();
  out.triple = target.value().triple;
  out.cpu = target.value().cpu;
  out.cpu_features = target.value().required;
  return out;
}

}  // namespace sigrun::aot
