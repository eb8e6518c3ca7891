// Implements sigrun::Pack (sigrun/pack.h): read the file, decode and check it (pack_reader.cpp), check the
// machine can run its native code, load that code (runtime/native), create the engine. Any failure drops
// everything made so far.
#include "sigrun/pack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "abi/pack_format.h"
#include "native/cpu_features.h"
#include "native/native_library.h"
#include "pack/pack_reader.h"

namespace sigrun {
namespace {

Error io_error(const std::string& path, const std::string& what) {
  return Error{Error::Code::Io, path + ": " + what + ": " + std::strerror(errno)};
}

Result<std::string> read_file(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return io_error(path, "cannot open");
  struct stat status {};
  if (fstat(fd, &status) != 0) {
    Error error = io_error(path, "cannot stat");
    close(fd);
    return error;
  }
  if (!S_ISREG(status.st_mode)) {
    close(fd);
    return Error{Error::Code::Io, path + ": not a regular file"};
  }
  std::string bytes;
  bytes.resize(static_cast<size_t>(status.st_size));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      Error error = io_error(path, "cannot read");
      close(fd);
      return error;
    }
    if (n == 0)
      break;  // shrank while being read: decode() reports the truncation
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  close(fd);
  return bytes;
}

// The CPU features of `required` this machine lacks, by name; empty when it has them all.
std::string missing_features(uint64_t required) {
  const uint64_t missing = required & ~native::host_cpu_features();
  std::string names;
  for (int i = 0; i < pack_format::kCpuFeatureCount; ++i) {
    if (((missing >> i) & 1u) == 0)
      continue;
    if (!names.empty())
      names += ", ";
    names += pack_format::kCpuFeatures[i].name;
  }
  return names;
}

}  // namespace

Result<Pack> Pack::load(const std::string& path, const PackLoadOptions& options) {
  Result<std::string> bytes = read_file(path);
  if (!bytes)
    return bytes.error();
  return from_bytes(bytes.value(), options);
}

Result<Pack> Pack::from_bytes(std::string_view bytes, const PackLoadOptions& options) {
  Result<pack::DecodedPack> decoded = pack::decode(bytes);
  if (!decoded)
    return decoded.error();
  pack::DecodedPack& contents = decoded.value();

  std::shared_ptr<const NativeCode> native;
  if (options.native && contents.info.has_native_code) {
    std::string reason;
    if (!native::host_runs_triple(contents.info.target_triple, &reason))
      return Error{Error::Code::UnsupportedPack, "unsupported pack: " + reason};
    if (std::string missing = missing_features(contents.cpu_features); !missing.empty()) {
      return Error{
          Error::Code::UnsupportedPack,
          "unsupported pack: its native code was built for cpu " + contents.info.target_cpu +
              " and needs cpu features this machine lacks: " + missing +
              "; rebuild it with `sigrun compile --cpu` for this machine, or load it without native code"};
    }
    Result<std::shared_ptr<const NativeCode>> loaded =
        native::load_library(contents.native, contents.program.rules.size());
    if (!loaded)
      return loaded.error();
    native = std::move(loaded).value();
  }
  Result<std::shared_ptr<const Engine>> engine =
      Engine::create(std::move(contents.program), std::move(native));
  if (!engine)
    return engine.error();
  return Pack(std::move(contents.info), std::move(engine).value());
}

}  // namespace sigrun
