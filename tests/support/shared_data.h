// Where tests find the shared SigmaHQ corpus and datasets: $SIGRUN_SHARED_DIR, else ../shared beside the
// source tree. Tests call GTEST_SKIP() with the path they looked at when it is absent.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sigrun::testing {

inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("SIGRUN_SHARED_DIR"); env && *env)
    return env;
  return SIGRUN_DEFAULT_SHARED_DIR;
}

}  // namespace sigrun::testing
