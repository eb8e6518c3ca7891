// Implements shared_object_linker.h: the objects go to a private temporary directory, the linker runs as
// a child process (posix_spawnp, no shell) with its output captured, and the directory is removed after.
#include "aot/shared_object_linker.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

extern char** environ;

namespace sigrun::aot {
namespace fs = std::filesystem;
namespace {

Error native(std::string message) {
  return Error{Error::Code::Native, std::move(message)};
}

// A directory of our own under $TMPDIR (or /tmp), removed with its contents on destruction.
class TemporaryDirectory {
 public:
  static Result<TemporaryDirectory> create() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/sigrun-link-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (mkdtemp(name.data()) == nullptr)
      return Error{Error::Code::Io,
                   "cannot create a directory like " + pattern + ": " + std::strerror(errno)};
    return TemporaryDirectory(name.data());
  }
  TemporaryDirectory(TemporaryDirectory&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
  }
  TemporaryDirectory& operator=(TemporaryDirectory&&) = delete;
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    if (path_.empty())
      return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  const fs::path& path() const { return path_; }

 private:
  explicit TemporaryDirectory(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

Status write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    return Error{Error::Code::Io, "cannot write " + path.string()};
  return Ok{};
}

// Runs `argv` with stdin from /dev/null and stdout and stderr into `output`; returns its wait status.
Result<int> run(const std::vector<std::string>& argv, std::string& output) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0)
    return native(std::string("cannot create a pipe for the linker: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return native("cannot run the linker '" + argv[0] + "': " + std::strerror(spawned) +
                  " (building a pack needs a C compiler driver such as gcc or clang on PATH)");
  }
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    output.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return native(std::string("waiting for the linker failed: ") + std::strerror(errno));
  }
  return status;
}

}  // namespace

Result<std::string> link_shared_object(const std::vector<std::string>& objects, const std::string& linker) {
  Result<TemporaryDirectory> directory = TemporaryDirectory::create();
  if (!directory)
    return directory.error();
  const fs::path& dir = directory.value().path();

  // -nostdlib: no start files and no C library; -z defs: fail on any symbol the objects leave undefined;
  // no executable stack; a build id that is a hash of the contents, so identical inputs stay identical.
  std::vector<std::string> argv = {linker,
                                   "-shared",
                                   "-nostdlib",
                                   "-o",
                                   (dir / "pack.so").string(),
                                   "-Wl,-z,defs",
                                   "-Wl,-z,noexecstack",
                                   "-Wl,--build-id=sha1"};
  for (size_t i = 0; i < objects.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "part%05zu.o", i);
    const fs::path path = dir / name;
    if (Status written = write_file(path, objects[i]); !written)
      return written.error();
    argv.push_back(path.string());
  }

  std::string output;
  Result<int> status = run(argv, output);
  if (!status)
    return status.error();
  if (!WIFEXITED(status.value()) || WEXITSTATUS(status.value()) != 0) {
    const std::string how = WIFEXITED(status.value())
                                ? "exit status " + std::to_string(WEXITSTATUS(status.value()))
                                : "signal " + std::to_string(WTERMSIG(status.value()));
    return native("linking the native code with '" + linker + "' failed (" + how + "): " + output);
  }
  std::ifstream in(dir / "pack.so", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return Error{Error::Code::Io, "cannot read the linked shared object"};
  if (bytes.empty())
    return native("the linker '" + linker + "' wrote an empty shared object");
  return bytes;
}

}  // namespace sigrun::aot
