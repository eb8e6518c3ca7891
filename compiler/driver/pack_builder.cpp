// Implements sigrun/compiler/pack.h: build_pack() on compiler/aot, and write_pack_file().
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sigrun/compiler/pack.h"
#ifdef SIGRUN_HAVE_AOT
#include "aot/aot.h"
#endif

namespace sigrun::compiler {

bool native_packs_available() {
#ifdef SIGRUN_HAVE_AOT
  return true;
#else
  return false;
#endif
}

Result<std::string> build_pack(const program::Program& program, [[maybe_unused]] const PackOptions& options) {
  if (std::string problem = program::verify(program); !problem.empty())
    return Error{Error::Code::InvalidProgram, "cannot pack an invalid program: " + problem};
#ifdef SIGRUN_HAVE_AOT
  if (options.cpu == "none")
    return aot::write_pack(program, nullptr);
  aot::AotOptions aot_options;
  aot_options.cpu = options.cpu;
  aot_options.linker = options.linker;
  Result<aot::NativeLibrary> library = aot::compile_library(program, aot_options);
  if (!library)
    return library.error();
  return aot::write_pack(program, &library.value());
#else
  return Error{Error::Code::Native,
               "this build of sigrun cannot build packs: it was built without LLVM (SIGRUN_WITH_LLVM=OFF)"};
#endif
}

Status write_pack_file(const std::string& path, std::string_view bytes) {
  std::vector<char> temp(path.begin(), path.end());
  const std::string suffix = ".tmp-XXXXXX";
  temp.insert(temp.end(), suffix.begin(), suffix.end());
  temp.push_back('\0');
  const int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0)
    return Error{Error::Code::Io, path + ": cannot create a file beside it: " + std::strerror(errno)};
  const auto fail = [&](const char* what) -> Status {
    Error error{Error::Code::Io, path + ": " + what + ": " + std::strerror(errno)};
    unlink(temp.data());
    return error;
  };
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      close(fd);
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (fchmod(fd, 0644) != 0 || close(fd) != 0)
    return fail("cannot write");
  if (std::rename(temp.data(), path.c_str()) != 0)
    return fail("cannot replace");
  return Ok{};
}

}  // namespace sigrun::compiler
