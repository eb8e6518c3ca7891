// The C API (sigrun/sigrun.h): loading packs from files and memory, every error as a status and a message,
// matches delivered as views into the caller's buffer, NDJSON buffers, and reloading while scanners run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sigrun/compiler/compiler.h"
#include "sigrun/compiler/pack.h"
#include "sigrun/sigrun.h"

namespace {

namespace fs = std::filesystem;

std::string pack_of(const std::string& rules) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  sigrun::compiler::Compilation c = sigrun::compiler::compile_rule_text("rules.yml", rules, sources, diags);
  EXPECT_EQ(diags.error_count(), 0u);
  sigrun::Result<std::string> pack = sigrun::compiler::build_pack(c.program);
  EXPECT_TRUE(pack) << pack.error().message;
  return pack ? pack.value() : std::string();
}

const char* const kRule = R"(title: Invitation
id: 4a62e8cb-0cdc-4429-8b69-ab3a5616670d
status: experimental
level: medium
author: C API Tests
tags: [attack.t1535, attack.stealth]
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    eventName: InviteAccountToOrganization
  condition: selection
message: 'invite to {{requestParameters.target.id|nobody}}'
)";

const std::string& invite_pack() {
  static const std::string pack = pack_of(kRule);
  return pack;
}

// A pack whose one rule `id` matches events with a `seq` field.
std::string seq_pack(const std::string& id) {
  return pack_of("title: " + id + "\nid: " + id +
                 "\nlogsource: {product: test}\ndetection:\n  s:\n    seq|exists: true\n  condition: s\n");
}

struct Collected {
  std::vector<std::string> lines;  // "line|id|title|level|status|author|tags|message|event"
  std::vector<const char*> events;
  std::vector<std::string> errors;
};

void collect_match(const sigrun_match* m, void* user) {
  auto* c = static_cast<Collected*>(user);
  std::string tags;
  for (size_t i = 0; i < m->rule_tag_count; ++i)
    tags += std::string(i ? "," : "") + m->rule_tags[i];
  c->lines.push_back(std::to_string(m->line) + "|" + m->rule_id + "|" + m->rule_title + "|" + m->rule_level +
                     "|" + m->rule_status + "|" + m->rule_author + "|" + tags + "|" +
                     std::string(m->message, m->message_len) + "|" + std::string(m->event, m->event_len) +
                     "|" + std::to_string(m->rule_index));
  c->events.push_back(m->event);
  EXPECT_EQ(m->message[m->message_len], '\0');
}

void collect_error(uint64_t line, const char* reason, void* user) {
  static_cast<Collected*>(user)->errors.push_back(std::to_string(line) + ": " + reason);
}

struct Handles {
  sigrun_engine* engine = nullptr;
  sigrun_scanner* scanner = nullptr;
  ~Handles() {
    sigrun_scanner_free(scanner);
    sigrun_engine_free(engine);
  }
};

void load(Handles& e, const std::string& pack, uint32_t flags = 0) {
  sigrun_error* error = nullptr;
  ASSERT_EQ(sigrun_engine_load_bytes(pack.data(), pack.size(), flags, &e.engine, &error), SIGRUN_OK)
      << sigrun_error_message(error);
  EXPECT_EQ(error, nullptr);
  ASSERT_EQ(sigrun_scanner_new(e.engine, &e.scanner, &error), SIGRUN_OK) << sigrun_error_message(error);
}

TEST(CApi, VersionAndStatusNames) {
  EXPECT_STREQ(sigrun_version(), "0.1.0");
  EXPECT_STREQ(sigrun_status_string(SIGRUN_OK), "ok");
  EXPECT_STREQ(sigrun_status_string(SIGRUN_INVALID_PACK), "invalid pack");
  EXPECT_STREQ(sigrun_status_string(SIGRUN_UNSUPPORTED_PACK), "unsupported pack");
  EXPECT_STREQ(sigrun_status_string(99), "unknown status");
  EXPECT_EQ(sigrun_error_status(nullptr), SIGRUN_OK);
  EXPECT_STREQ(sigrun_error_message(nullptr), "");
  sigrun_error_free(nullptr);
  sigrun_engine_free(nullptr);
  sigrun_scanner_free(nullptr);
  EXPECT_EQ(sigrun_engine_rule_count(nullptr), 0u);
  EXPECT_EQ(sigrun_engine_generation(nullptr), 0u);
  EXPECT_EQ(sigrun_engine_is_native(nullptr), 0);
}

TEST(CApi, ScansOneEventWithoutCopyingIt) {
  Handles e;
  load(e, invite_pack());
  EXPECT_EQ(sigrun_engine_rule_count(e.engine), 1u);
  EXPECT_EQ(sigrun_engine_is_native(e.engine), 1);
  EXPECT_EQ(sigrun_engine_generation(e.engine), 1u);

  // Not NUL-terminated: the API takes the size.
  const std::string buffer =
      R"({"eventName":"InviteAccountToOrganization","requestParameters":{"target":{"id":"444455556666"}}}XXXX)";
  const size_t size = buffer.size() - 4;
  Collected c;
  sigrun_error* error = nullptr;
  ASSERT_EQ(
      sigrun_scan_event(e.scanner, buffer.data(), size, 42, SIGRUN_FORMAT_JSON, collect_match, &c, &error),
      SIGRUN_OK);
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0],
            "42|4a62e8cb-0cdc-4429-8b69-ab3a5616670d|Invitation|medium|experimental|C API Tests|"
            "attack.t1535,attack.stealth|invite to 444455556666|" +
                buffer.substr(0, size) + "|0");
  EXPECT_EQ(c.events[0], buffer.data());  // the caller's own bytes

  // No callback is fine; a miss calls nothing.
  EXPECT_EQ(
      sigrun_scan_event(e.scanner, buffer.data(), size, 1, SIGRUN_FORMAT_AUTO, nullptr, nullptr, nullptr),
      SIGRUN_OK);
  const char* miss = R"({"eventName":"ListAccounts"})";
  EXPECT_EQ(sigrun_scan_event(e.scanner, miss, std::strlen(miss), 1, SIGRUN_FORMAT_JSON, collect_match, &c,
                              nullptr),
            SIGRUN_OK);
  EXPECT_EQ(c.lines.size(), 1u);
}

TEST(CApi, AMalformedEventIsAnErrorWithItsReason) {
  Handles e;
  load(e, invite_pack());
  Collected c;
  sigrun_error* error = nullptr;
  const char* broken = R"({"eventName": )";
  EXPECT_EQ(sigrun_scan_event(e.scanner, broken, std::strlen(broken), 1, SIGRUN_FORMAT_JSON, collect_match,
                              &c, &error),
            SIGRUN_INVALID_EVENT);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(sigrun_error_status(error), SIGRUN_INVALID_EVENT);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("malformed JSON"), std::string::npos)
      << sigrun_error_message(error);
  sigrun_error_free(error);
  EXPECT_TRUE(c.lines.empty());
  // Without an error out-parameter the status alone says it.
  EXPECT_EQ(sigrun_scan_event(e.scanner, "[1]", 3, 1, SIGRUN_FORMAT_JSON, collect_match, &c, nullptr),
            SIGRUN_INVALID_EVENT);
}

TEST(CApi, ScansAnNdjsonBuffer) {
  Handles e;
  load(e, invite_pack());
  const std::string events =
      "{\"eventName\":\"InviteAccountToOrganization\"}\r\n"
      "\n"
      "not json\n"
      "{\"eventName\":\"ListAccounts\"}\n"
      "{\"eventName\":\"InviteAccountToOrganization\"}";
  Collected c;
  sigrun_scan_stats stats{};
  sigrun_error* error = nullptr;
  ASSERT_EQ(sigrun_scan_ndjson(e.scanner, events.data(), events.size(), SIGRUN_FORMAT_AUTO, collect_match,
                               collect_error, &c, &stats, &error),
            SIGRUN_OK);
  EXPECT_EQ(stats.events_read, 4u);
  EXPECT_EQ(stats.events_evaluated, 3u);
  EXPECT_EQ(stats.events_rejected, 1u);
  EXPECT_EQ(stats.matches, 2u);
  EXPECT_EQ(stats.bytes_read, events.size());
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].substr(0, 2), "1|");
  EXPECT_EQ(c.lines[1].substr(0, 2), "5|");
  EXPECT_EQ(c.events[0], events.data());
  EXPECT_EQ(c.events[1], events.data() + events.rfind('{'));
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].substr(0, 3), "3: ");
  // Empty buffers, with and without data.
  EXPECT_EQ(sigrun_scan_ndjson(e.scanner, nullptr, 0, SIGRUN_FORMAT_JSON, nullptr, nullptr, nullptr, &stats,
                               nullptr),
            SIGRUN_OK);
  EXPECT_EQ(stats.events_read, 0u);
}

TEST(CApi, BadArgumentsAreErrorsNotCrashes) {
  Handles e;
  load(e, invite_pack());
  sigrun_error* error = nullptr;
  sigrun_engine* engine = nullptr;
  EXPECT_EQ(sigrun_engine_load(nullptr, 0, &engine, &error), SIGRUN_INVALID_ARGUMENT);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("must not be null"), std::string::npos);
  sigrun_error_free(error);
  EXPECT_EQ(sigrun_engine_load("x.pack", 0, nullptr, nullptr), SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_engine_load_bytes(nullptr, 10, 0, &engine, nullptr), SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_engine_load_bytes(invite_pack().data(), invite_pack().size(), 0x80, &engine, &error),
            SIGRUN_INVALID_ARGUMENT);
  EXPECT_STREQ(sigrun_error_message(error), "unknown load flags 128");
  sigrun_error_free(error);
  EXPECT_EQ(engine, nullptr);
  EXPECT_EQ(sigrun_scanner_new(nullptr, nullptr, nullptr), SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_scan_event(nullptr, "{}", 2, 0, SIGRUN_FORMAT_JSON, nullptr, nullptr, nullptr),
            SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_scan_event(e.scanner, nullptr, 2, 0, SIGRUN_FORMAT_JSON, nullptr, nullptr, nullptr),
            SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_scan_event(e.scanner, "{}", 2, 0, 42, nullptr, nullptr, nullptr), SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_scan_ndjson(e.scanner, "{}", 2, -1, nullptr, nullptr, nullptr, nullptr, nullptr),
            SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_engine_reload(nullptr, "x", 0, nullptr), SIGRUN_INVALID_ARGUMENT);
  EXPECT_EQ(sigrun_engine_reload(e.engine, nullptr, 0, nullptr), SIGRUN_INVALID_ARGUMENT);
}

TEST(CApi, BadPacksAreRefusedWithTheirReason) {
  sigrun_engine* engine = nullptr;
  sigrun_error* error = nullptr;
  const std::string missing = (fs::temp_directory_path() / "sigrun-capi-no-such.pack").string();
  EXPECT_EQ(sigrun_engine_load(missing.c_str(), 0, &engine, &error), SIGRUN_IO);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("No such file or directory"), std::string::npos);
  sigrun_error_free(error);

  const std::string truncated = invite_pack().substr(0, invite_pack().size() - 100);
  EXPECT_EQ(sigrun_engine_load_bytes(truncated.data(), truncated.size(), 0, &engine, &error),
            SIGRUN_INVALID_PACK);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("truncated"), std::string::npos);
  sigrun_error_free(error);

  std::string corrupted = invite_pack();
  corrupted[corrupted.size() / 2] ^= 1;
  EXPECT_EQ(sigrun_engine_load_bytes(corrupted.data(), corrupted.size(), 0, &engine, &error),
            SIGRUN_INVALID_PACK);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("checksum mismatch"), std::string::npos);
  sigrun_error_free(error);

  std::string future = invite_pack();
  future[8] = 7;  // format version 7
  EXPECT_EQ(sigrun_engine_load_bytes(future.data(), future.size(), 0, &engine, &error),
            SIGRUN_UNSUPPORTED_PACK);
  EXPECT_NE(std::string(sigrun_error_message(error)).find("pack format version 7"), std::string::npos);
  sigrun_error_free(error);
  EXPECT_EQ(engine, nullptr);
}

TEST(CApi, LoadsFromAFileAndInTheInterpreter) {
  const fs::path path = fs::temp_directory_path() / ("sigrun-capi-" + std::to_string(::getpid()) + ".pack");
  ASSERT_TRUE(sigrun::compiler::write_pack_file(path.string(), invite_pack()));
  Handles native;
  sigrun_error* error = nullptr;
  ASSERT_EQ(sigrun_engine_load(path.c_str(), 0, &native.engine, &error), SIGRUN_OK)
      << sigrun_error_message(error);
  EXPECT_EQ(sigrun_engine_is_native(native.engine), 1);
  Handles interpreted;
  ASSERT_EQ(sigrun_engine_load(path.c_str(), SIGRUN_LOAD_INTERPRETER, &interpreted.engine, &error),
            SIGRUN_OK);
  EXPECT_EQ(sigrun_engine_is_native(interpreted.engine), 0);
  fs::remove(path);
  ASSERT_EQ(sigrun_scanner_new(interpreted.engine, &interpreted.scanner, nullptr), SIGRUN_OK);
  Collected c;
  const char* event = R"({"eventName":"InviteAccountToOrganization"})";
  EXPECT_EQ(sigrun_scan_event(interpreted.scanner, event, std::strlen(event), 3, SIGRUN_FORMAT_JSON,
                              collect_match, &c, nullptr),
            SIGRUN_OK);
  EXPECT_EQ(c.lines.size(), 1u);
}

TEST(CApi, ReloadSwapsRulesForTheNextEvent) {
  const std::string first = seq_pack("aaaaaaaa-0000-0000-0000-000000000001");
  const std::string second = seq_pack("bbbbbbbb-0000-0000-0000-000000000002");
  Handles e;
  load(e, first);
  Collected c;
  const char* event = R"({"seq":1})";
  ASSERT_EQ(sigrun_scan_event(e.scanner, event, std::strlen(event), 1, SIGRUN_FORMAT_JSON, collect_match, &c,
                              nullptr),
            SIGRUN_OK);
  sigrun_error* error = nullptr;
  ASSERT_EQ(sigrun_engine_reload_bytes(e.engine, second.data(), second.size(), 0, &error), SIGRUN_OK)
      << sigrun_error_message(error);
  EXPECT_EQ(sigrun_engine_generation(e.engine), 2u);
  ASSERT_EQ(sigrun_scan_event(e.scanner, event, std::strlen(event), 2, SIGRUN_FORMAT_JSON, collect_match, &c,
                              nullptr),
            SIGRUN_OK);
  // A failed reload keeps the current rules.
  EXPECT_EQ(sigrun_engine_reload_bytes(e.engine, first.data(), 100, 0, &error), SIGRUN_INVALID_PACK);
  sigrun_error_free(error);
  EXPECT_EQ(sigrun_engine_generation(e.engine), 2u);
  ASSERT_EQ(sigrun_scan_event(e.scanner, event, std::strlen(event), 3, SIGRUN_FORMAT_JSON, collect_match, &c,
                              nullptr),
            SIGRUN_OK);
  ASSERT_EQ(c.lines.size(), 3u);
  EXPECT_EQ(c.lines[0].substr(0, 4), "1|aa");
  EXPECT_EQ(c.lines[1].substr(0, 4), "2|bb");
  EXPECT_EQ(c.lines[2].substr(0, 4), "3|bb");
}

TEST(CApi, ReloadWhileScannersRun) {
  const std::string packs[2] = {seq_pack("aaaaaaaa-0000-0000-0000-000000000001"),
                                seq_pack("bbbbbbbb-0000-0000-0000-000000000002")};
  sigrun_engine* engine = nullptr;
  ASSERT_EQ(sigrun_engine_load_bytes(packs[0].data(), packs[0].size(), 0, &engine, nullptr), SIGRUN_OK);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<uint64_t> scanned{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      sigrun_scanner* scanner = nullptr;
      if (sigrun_scanner_new(engine, &scanner, nullptr) != SIGRUN_OK) {
        ++bad;
        return;
      }
      const char* event = R"({"seq":1})";
      while (!stop.load()) {
        Collected c;
        if (sigrun_scan_event(scanner, event, std::strlen(event), 1, SIGRUN_FORMAT_JSON, collect_match, &c,
                              nullptr) != SIGRUN_OK ||
            c.lines.size() != 1)
          ++bad;  // each event: exactly one pack's one match
        ++scanned;
      }
      sigrun_scanner_free(scanner);
    });
  }
  for (int i = 1; i <= 20; ++i) {
    const std::string& pack = packs[i % 2];
    ASSERT_EQ(sigrun_engine_reload_bytes(engine, pack.data(), pack.size(), 0, nullptr), SIGRUN_OK);
  }
  while (scanned.load() < 2000)
    std::this_thread::yield();
  stop = true;
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(sigrun_engine_generation(engine), 21u);
  sigrun_engine_free(engine);
}

}  // namespace
