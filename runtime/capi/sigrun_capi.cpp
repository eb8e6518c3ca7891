// Implements the C API (sigrun/sigrun.h) on the C++ API: an engine is a LiveEngine (so it can be reloaded)
// and a scanner a LiveScanner. Every entry point catches everything: no exception crosses the boundary.
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sigrun/live_engine.h"
#include "sigrun/pack.h"
#include "sigrun/sigrun.h"

struct sigrun_error {
  sigrun_status status;
  std::string message;
};

struct sigrun_engine {
  explicit sigrun_engine(std::shared_ptr<const sigrun::Engine> engine) : live(std::move(engine)) {}
  sigrun::LiveEngine live;
};

struct sigrun_scanner {
  explicit sigrun_scanner(const sigrun::LiveEngine& live) : scanner(live) {}
  sigrun::LiveScanner scanner;
  // Scratch for what a callback receives, reused from match to match.
  std::vector<const char*> tags;
  std::string message;
  std::string reason;
};

namespace {

using sigrun::Error;

sigrun_status status_of(Error::Code code) {
  switch (code) {
    case Error::Code::InvalidArgument:
      return SIGRUN_INVALID_ARGUMENT;
    case Error::Code::InvalidProgram:
      return SIGRUN_INVALID_PROGRAM;
    case Error::Code::InvalidRegex:
      return SIGRUN_INVALID_REGEX;
    case Error::Code::Io:
      return SIGRUN_IO;
    case Error::Code::Native:
      return SIGRUN_NATIVE;
    case Error::Code::InvalidPack:
      return SIGRUN_INVALID_PACK;
    case Error::Code::UnsupportedPack:
      return SIGRUN_UNSUPPORTED_PACK;
  }
  return SIGRUN_INTERNAL;
}

// Reports a failure through `error` (when the caller wants it) and returns its status. Allocating the
// error may itself fail: the status still says what happened.
sigrun_status fail(sigrun_error** error, sigrun_status status, std::string message) noexcept {
  if (error == nullptr)
    return status;
  try {
    *error = new sigrun_error{status, std::move(message)};
  } catch (...) {
    *error = nullptr;
  }
  return status;
}

sigrun_status succeed(sigrun_error** error) noexcept {
  if (error != nullptr)
    *error = nullptr;
  return SIGRUN_OK;
}

// Runs `body` (returning a sigrun_status), turning any exception into a status.
template <typename Body>
sigrun_status guarded(sigrun_error** error, const Body& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(error, SIGRUN_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, SIGRUN_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(error, SIGRUN_INTERNAL, "internal error: unknown exception");
  }
}

bool parse_flags(uint32_t flags, sigrun::PackLoadOptions& options) {
  if ((flags & ~SIGRUN_LOAD_INTERPRETER) != 0)
    return false;
  options.native = (flags & SIGRUN_LOAD_INTERPRETER) == 0;
  return true;
}

bool parse_format(int format, sigrun::InputFormat& out) {
  switch (format) {
    case SIGRUN_FORMAT_AUTO:
      out = sigrun::InputFormat::Auto;
      return true;
    case SIGRUN_FORMAT_JSON:
      out = sigrun::InputFormat::Json;
      return true;
    case SIGRUN_FORMAT_EVTX_JSON:
      out = sigrun::InputFormat::EvtxJson;
      return true;
    case SIGRUN_FORMAT_CLOUDTRAIL:
      out = sigrun::InputFormat::CloudTrail;
      return true;
  }
  return false;
}

// Loads a pack from a path (`path` set) or from memory.
sigrun_status load_pack(const char* path, const void* data, size_t size, uint32_t flags,
                        std::shared_ptr<const sigrun::Engine>& engine, sigrun_error** error) {
  sigrun::PackLoadOptions options;
  if (!parse_flags(flags, options))
    return fail(error, SIGRUN_INVALID_ARGUMENT, "unknown load flags " + std::to_string(flags));
  sigrun::Result<sigrun::Pack> pack =
      path != nullptr
          ? sigrun::Pack::load(path, options)
          : sigrun::Pack::from_bytes(std::string_view(static_cast<const char*>(data), size), options);
  if (!pack)
    return fail(error, status_of(pack.error().code), pack.error().message);
  engine = pack.value().engine();
  return SIGRUN_OK;
}

sigrun_status new_engine(const char* path, const void* data, size_t size, uint32_t flags, sigrun_engine** out,
                         sigrun_error** error) {
  std::shared_ptr<const sigrun::Engine> engine;
  if (sigrun_status status = load_pack(path, data, size, flags, engine, error); status != SIGRUN_OK)
    return status;
  *out = new sigrun_engine(std::move(engine));
  return succeed(error);
}

sigrun_status reload_engine(sigrun_engine* target, const char* path, const void* data, size_t size,
                            uint32_t flags, sigrun_error** error) {
  std::shared_ptr<const sigrun::Engine> engine;
  if (sigrun_status status = load_pack(path, data, size, flags, engine, error); status != SIGRUN_OK)
    return status;
  target->live.replace(std::move(engine));
  return succeed(error);
}

// The C view of a match, pointing into the rule, the caller's event and the scanner's scratch.
sigrun_match c_match(sigrun_scanner& scanner, const sigrun::Match& match) {
  const sigrun::program::RuleInfo& rule = *match.rule;
  scanner.tags.clear();
  for (const std::string& tag : rule.tags)
    scanner.tags.push_back(tag.c_str());
  scanner.message.assign(match.message);
  sigrun_match out{};
  out.rule_index = static_cast<size_t>(match.rule - scanner.scanner.engine().program().rules.data());
  out.rule_id = rule.id.c_str();
  out.rule_title = rule.title.c_str();
  out.rule_level = rule.level.c_str();
  out.rule_status = rule.status.c_str();
  out.rule_author = rule.author.c_str();
  out.rule_tags = scanner.tags.data();
  out.rule_tag_count = scanner.tags.size();
  out.message = scanner.message.c_str();
  out.message_len = scanner.message.size();
  out.event = match.event.data();
  out.event_len = match.event.size();
  out.line = match.line;
  return out;
}

sigrun::MatchSink match_sink(sigrun_scanner& scanner, sigrun_match_fn on_match, void* user_data) {
  if (on_match == nullptr)
    return nullptr;
  return [&scanner, on_match, user_data](const sigrun::Match& match) {
    const sigrun_match view = c_match(scanner, match);
    on_match(&view, user_data);
  };
}

}  // namespace

extern "C" {

const char* sigrun_version(void) {
  return SIGRUN_VERSION_STRING;
}

const char* sigrun_status_string(int status) {
  switch (status) {
    case SIGRUN_OK:
      return "ok";
    case SIGRUN_INVALID_ARGUMENT:
      return "invalid argument";
    case SIGRUN_INVALID_PROGRAM:
      return "invalid program";
    case SIGRUN_INVALID_REGEX:
      return "invalid regex";
    case SIGRUN_IO:
      return "i/o error";
    case SIGRUN_NATIVE:
      return "native code error";
    case SIGRUN_INVALID_PACK:
      return "invalid pack";
    case SIGRUN_UNSUPPORTED_PACK:
      return "unsupported pack";
    case SIGRUN_INVALID_EVENT:
      return "invalid event";
    case SIGRUN_OUT_OF_MEMORY:
      return "out of memory";
    case SIGRUN_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

sigrun_status sigrun_error_status(const sigrun_error* error) {
  return error != nullptr ? error->status : SIGRUN_OK;
}

const char* sigrun_error_message(const sigrun_error* error) {
  return error != nullptr ? error->message.c_str() : "";
}

void sigrun_error_free(sigrun_error* error) {
  delete error;
}

sigrun_status sigrun_engine_load(const char* path, uint32_t flags, sigrun_engine** engine,
                                 sigrun_error** error) {
  return guarded(error, [&] {
    if (path == nullptr || engine == nullptr)
      return fail(error, SIGRUN_INVALID_ARGUMENT, "sigrun_engine_load: path and engine must not be null");
    *engine = nullptr;
    return new_engine(path, nullptr, 0, flags, engine, error);
  });
}

sigrun_status sigrun_engine_load_bytes(const void* data, size_t size, uint32_t flags, sigrun_engine** engine,
                                       sigrun_error** error) {
  return guarded(error, [&] {
    if ((data == nullptr && size != 0) || engine == nullptr)
      return fail(error, SIGRUN_INVALID_ARGUMENT,
                  "sigrun_engine_load_bytes: data and engine must not be null");
    *engine = nullptr;
    return new_engine(nullptr, data != nullptr ? data : "", size, flags, engine, error);
  });
}

sigrun_status sigrun_engine_reload(sigrun_engine* engine, const char* path, uint32_t flags,
                                   sigrun_error** error) {
  return guarded(error, [&] {
    if (engine == nullptr || path == nullptr)
      return fail(error, SIGRUN_INVALID_ARGUMENT, "sigrun_engine_reload: engine and path must not be null");
    return reload_engine(engine, path, nullptr, 0, flags, error);
  });
}

sigrun_status sigrun_engine_reload_bytes(sigrun_engine* engine, const void* data, size_t size, uint32_t flags,
                                         sigrun_error** error) {
  return guarded(error, [&] {
    if (engine == nullptr || (data == nullptr && size != 0))
      return fail(error, SIGRUN_INVALID_ARGUMENT,
                  "sigrun_engine_reload_bytes: engine and data must not be null");
    return reload_engine(engine, nullptr, data != nullptr ? data : "", size, flags, error);
  });
}

size_t sigrun_engine_rule_count(const sigrun_engine* engine) {
  return engine != nullptr ? engine->live.current()->program().rules.size() : 0;
}

uint64_t sigrun_engine_generation(const sigrun_engine* engine) {
  return engine != nullptr ? engine->live.generation() : 0;
}

int sigrun_engine_is_native(const sigrun_engine* engine) {
  return engine != nullptr && engine->live.current()->native() != nullptr ? 1 : 0;
}

void sigrun_engine_free(sigrun_engine* engine) {
  delete engine;
}

sigrun_status sigrun_scanner_new(sigrun_engine* engine, sigrun_scanner** scanner, sigrun_error** error) {
  return guarded(error, [&] {
    if (engine == nullptr || scanner == nullptr)
      return fail(error, SIGRUN_INVALID_ARGUMENT, "sigrun_scanner_new: engine and scanner must not be null");
    *scanner = new sigrun_scanner(engine->live);
    return succeed(error);
  });
}

void sigrun_scanner_free(sigrun_scanner* scanner) {
  delete scanner;
}

sigrun_status sigrun_scan_event(sigrun_scanner* scanner, const char* json, size_t size, uint64_t line,
                                int format, sigrun_match_fn on_match, void* user_data, sigrun_error** error) {
  return guarded(error, [&] {
    sigrun::InputFormat input_format = sigrun::InputFormat::Auto;
    if (scanner == nullptr || (json == nullptr && size != 0) || !parse_format(format, input_format)) {
      return fail(
          error, SIGRUN_INVALID_ARGUMENT,
          "sigrun_scan_event: scanner and json must not be null, format must be a sigrun_input_format");
    }
    const std::string_view event(json != nullptr ? json : "", size);
    if (!scanner->scanner.scan(event, line, match_sink(*scanner, on_match, user_data), &scanner->reason,
                               input_format)) {
      return fail(error, SIGRUN_INVALID_EVENT, scanner->reason);
    }
    return succeed(error);
  });
}

sigrun_status sigrun_scan_ndjson(sigrun_scanner* scanner, const char* data, size_t size, int format,
                                 sigrun_match_fn on_match, sigrun_event_error_fn on_error, void* user_data,
                                 sigrun_scan_stats* stats, sigrun_error** error) {
  return guarded(error, [&] {
    sigrun::InputFormat input_format = sigrun::InputFormat::Auto;
    if (scanner == nullptr || (data == nullptr && size != 0) || !parse_format(format, input_format)) {
      return fail(
          error, SIGRUN_INVALID_ARGUMENT,
          "sigrun_scan_ndjson: scanner and data must not be null, format must be a sigrun_input_format");
    }
    sigrun::ErrorSink error_sink;
    if (on_error != nullptr) {
      error_sink = [scanner, on_error, user_data](const sigrun::EventError& event_error) {
        scanner->reason.assign(event_error.reason);
        on_error(event_error.line, scanner->reason.c_str(), user_data);
      };
    }
    const sigrun::ScanStats counted =
        scanner->scanner.scan_buffer(std::string_view(data != nullptr ? data : "", size),
                                     match_sink(*scanner, on_match, user_data), error_sink, input_format);
    if (stats != nullptr) {
      stats->events_read = counted.events_read;
      stats->events_evaluated = counted.events_evaluated;
      stats->events_rejected = counted.events_rejected;
      stats->matches = counted.matches;
      stats->bytes_read = counted.bytes_read;
    }
    return succeed(error);
  });
}

}  // extern "C"
