// Implements native_library.h: load_library(). The object is opened through /proc/self/fd/N of a memfd;
// when /proc is not mounted or memfd_create is unavailable, through a temporary file instead.
#include "native/native_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "abi/helpers.h"
#include "abi/pack_format.h"

namespace sigrun::native {
namespace pf = pack_format;
namespace {

using ImportFunction = void (*)();

Error native_error(std::string message) {
  return Error{Error::Code::Native, "cannot load the pack's native code: " + std::move(message)};
}

// A step of opening the object failed; load_library() says what it was loading.
Error open_error(std::string message) {
  return Error{Error::Code::Native, std::move(message)};
}

// An opened object and what names it. The dynamic loader identifies loaded objects by the path they were
// opened with, so that path must stay unique while the object is loaded: the memfd stays open (a closed
// descriptor's number is reused, and dlopen of the same /proc path would return this object again), and a
// temporary file is removed only after dlclose.
struct OpenedLibrary {
  OpenedLibrary() = default;
  OpenedLibrary(const OpenedLibrary&) = delete;
  OpenedLibrary& operator=(const OpenedLibrary&) = delete;
  ~OpenedLibrary() {
    if (handle != nullptr)
      dlclose(handle);
    if (fd >= 0)
      close(fd);
    if (!temp_path.empty())
      unlink(temp_path.c_str());
  }

  void* handle = nullptr;
  int fd = -1;
  std::string temp_path;
};

Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return open_error(std::string("writing it to a file failed: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Ok{};
}

Status open_path(OpenedLibrary& library, const std::string& path) {
  dlerror();
  library.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library.handle == nullptr) {
    const char* reason = dlerror();
    return open_error(reason != nullptr ? reason : "dlopen failed");
  }
  return Ok{};
}

Status open_in_memory(OpenedLibrary& library, std::string_view bytes) {
  library.fd = memfd_create("sigrun-pack", MFD_CLOEXEC);
  if (library.fd < 0)
    return open_error(std::string("memfd_create failed: ") + std::strerror(errno));
  if (Status written = write_all(library.fd, bytes); !written)
    return written;
  const std::string path = "/proc/self/fd/" + std::to_string(library.fd);
  if (access(path.c_str(), F_OK) != 0)
    return open_error(path + " is not accessible (is /proc mounted?)");
  return open_path(library, path);
}

Status open_temporary_file(OpenedLibrary& library, std::string_view bytes) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/sigrun-pack-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    return open_error("cannot create a temporary file in " + pattern + ": " + std::strerror(errno));
  library.temp_path = name.data();
  Status written = write_all(fd, bytes);
  close(fd);
  if (!written)
    return written;
  return open_path(library, library.temp_path);
}

void* find(void* handle, const char* name) {
  dlerror();
  return dlsym(handle, name);
}

// Points every import at this runtime's function of the same role.
void fill_imports(ImportFunction* table) {
  for (int op = 0; op < abi::kOpcodeCount; ++op) {
    ImportFunction function = nullptr;
    switch (abi::opcode_scope(static_cast<abi::Opcode>(op))) {
      case abi::OpcodeScope::Slot:
        break;
      case abi::OpcodeScope::Value:
        function = reinterpret_cast<ImportFunction>(abi::kValueHelpers[op]);
        break;
      case abi::OpcodeScope::Pair:
        function = reinterpret_cast<ImportFunction>(abi::kPairHelpers[op]);
        break;
    }
    table[op] = function;
  }
  size_t next = static_cast<size_t>(abi::kOpcodeCount);
#define SIGRUN_FILL_LIBC_IMPORT(name) table[next++] = reinterpret_cast<ImportFunction>(&::name);
  SIGRUN_PACK_LIBC_IMPORTS(SIGRUN_FILL_LIBC_IMPORT)
#undef SIGRUN_FILL_LIBC_IMPORT
}

}  // namespace

Result<std::shared_ptr<const NativeCode>> load_library(std::string_view library, size_t rule_count) {
  // A memfd first; a temporary file where memfds cannot be opened (no /proc, a noexec memfd policy).
  auto opened = std::make_shared<OpenedLibrary>();
  if (Status in_memory = open_in_memory(*opened, library); !in_memory) {
    opened = std::make_shared<OpenedLibrary>();
    if (Status on_disk = open_temporary_file(*opened, library); !on_disk)
      return native_error("from a memfd: " + in_memory.error().message +
                          "; from a temporary file: " + on_disk.error().message);
  }

  const auto* abi = static_cast<const uint64_t*>(find(opened->handle, pf::kAbiSymbol));
  if (abi == nullptr)
    return native_error(std::string("it does not define ") + pf::kAbiSymbol);
  if (*abi != pf::abi_fingerprint())
    return native_error("it was built for another opcode table");
  const auto* import_count = static_cast<const uint32_t*>(find(opened->handle, pf::kImportCountSymbol));
  if (import_count == nullptr || *import_count != pf::kImportCount) {
    return native_error(std::string("its import table ") + pf::kImportCountSymbol + " does not have " +
                        std::to_string(pf::kImportCount) + " entries");
  }
  auto* imports = static_cast<ImportFunction*>(find(opened->handle, pf::kImportTableSymbol));
  if (imports == nullptr)
    return native_error(std::string("it does not define ") + pf::kImportTableSymbol);
  fill_imports(imports);

  auto code = std::make_shared<NativeCode>();
  code->rules.reserve(rule_count);
  std::string name;
  for (size_t rule = 0; rule < rule_count; ++rule) {
    name = pf::kRuleSymbolPrefix + std::to_string(rule);
    void* symbol = find(opened->handle, name.c_str());
    if (symbol == nullptr)
      return native_error("it does not define " + name + " (the pack has " + std::to_string(rule_count) +
                          " rules)");
    code->rules.push_back(reinterpret_cast<abi::RuleFunction>(symbol));
  }
  code->keep_alive = std::move(opened);
  code->backend = "aot";
  return std::shared_ptr<const NativeCode>(std::move(code));
}

}  // namespace sigrun::native
