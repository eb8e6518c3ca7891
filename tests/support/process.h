// Running commands from tests: the sigrun CLI with captured stdout/stderr, or any shell command's stdout.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sigrun::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A directory of this test process's own under the system temp directory, created on first use.
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `sigrun ARGS` from the source directory with `stdin_text` as standard input, capturing stdout and
// stderr through files in `scratch`.
inline CliRun run_sigrun(const std::string& args, const std::string& stdin_text,
                         const std::filesystem::path& scratch) {
  const std::filesystem::path out = scratch / "out.txt";
  const std::filesystem::path err = scratch / "err.txt";
  const std::filesystem::path in = scratch / "in.txt";
  std::ofstream(in, std::ios::binary) << stdin_text;
  const std::string command = std::string("cd '") + SIGRUN_SOURCE_DIR + "' && '" + SIGRUN_CLI_PATH + "' " +
                              args + " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() +
                              "'";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

// The standard output of a shell command (empty when it cannot be started).
inline std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.append(buffer.data(), n);
  ::pclose(pipe);
  return out;
}

}  // namespace sigrun::testing
