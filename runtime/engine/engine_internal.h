// Internal to the runtime: the parts of an Engine that scanners use but the public API does not show.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sigrun/engine.h"

namespace sigrun {

struct Engine::Compiled {
  std::vector<std::unique_ptr<re2::RE2>> regexes;          // operands' `native` point here
  std::unordered_map<std::string, uint32_t> slot_by_path;  // field path -> slot id
};

const Engine::Compiled& engine_internals(const Engine& engine);

}  // namespace sigrun
