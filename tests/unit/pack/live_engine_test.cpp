// Hot reload: scanners on several threads keep evaluating while another thread swaps in a new pack. Every
// event is evaluated whole by exactly one pack, events started after the swap returned use the new pack,
// none is lost or evaluated twice, and the old pack is freed once every scanner has moved on.
#include "sigrun/live_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pack_test_support.h"

namespace sigrun::pack_testing {
namespace {

// A pack whose one rule, `id`, matches every event with a `seq` field.
std::string pack_of(const std::string& id) {
  return build(
      compile_text("title: rule " + id + "\nid: " + id +
                   "\nlogsource: {product: test}\ndetection:\n  s:\n    seq|exists: true\n  condition: s\n"));
}

std::shared_ptr<const Engine> engine_of(const std::string& pack) {
  Result<Pack> loaded = Pack::from_bytes(pack);
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? loaded.value().engine() : nullptr;
}

const char* const kFirst = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
const char* const kSecond = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

TEST(LiveEngine, ScannersMoveToANewPackBetweenEvents) {
  constexpr int kThreads = 3;
  constexpr size_t kEvents = 3000;
  constexpr size_t kBeforeSwap = 500;  // events each thread evaluates before the swap

  std::shared_ptr<const Engine> first = engine_of(pack_of(kFirst));
  std::shared_ptr<const Engine> second = engine_of(pack_of(kSecond));
  ASSERT_TRUE(first && second);
  const std::weak_ptr<const Engine> first_alive = first;
  LiveEngine live(first);
  first.reset();  // the live engine holds it now
  EXPECT_EQ(live.generation(), 1u);

  // seen[t][i]: the rules event i of thread t matched, as "a"/"b" letters; generation[t][i]: the engine's.
  std::vector<std::vector<std::string>> seen(kThreads, std::vector<std::string>(kEvents));
  std::vector<std::vector<uint64_t>> generation(kThreads, std::vector<uint64_t>(kEvents));
  std::vector<std::atomic<size_t>> done(kThreads);
  std::atomic<bool> swapped{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      LiveScanner scanner(live);
      for (size_t i = 0; i < kEvents; ++i) {
        // Slow down before the swap until every thread is past kBeforeSwap, so the swap lands mid-stream.
        while (i >= kBeforeSwap && !swapped.load())
          std::this_thread::yield();
        const std::string event = "{\"seq\":" + std::to_string(i) + "}";
        ASSERT_TRUE(scanner.scan(event, i, [&](const Match& m) { seen[t][i] += m.rule->id.substr(0, 1); }));
        generation[t][i] = scanner.generation();
        done[t].store(i + 1);
      }
    });
  }
  for (int t = 0; t < kThreads; ++t) {
    while (done[t].load() < kBeforeSwap)
      std::this_thread::yield();
  }
  EXPECT_EQ(live.replace(second), 2u);
  // Every event a thread starts from now on must use the new pack.
  std::vector<size_t> started_after(kThreads);
  for (int t = 0; t < kThreads; ++t)
    started_after[t] = done[t].load() + 1;
  swapped.store(true);
  second.reset();
  for (std::thread& thread : threads)
    thread.join();

  for (int t = 0; t < kThreads; ++t) {
    size_t on_first = 0;
    for (size_t i = 0; i < kEvents; ++i) {
      // Exactly one evaluation by exactly one pack.
      ASSERT_TRUE(seen[t][i] == "a" || seen[t][i] == "b")
          << "thread " << t << " event " << i << ": " << seen[t][i];
      EXPECT_EQ(generation[t][i], seen[t][i] == "a" ? 1u : 2u);
      if (i < kBeforeSwap) {
        EXPECT_EQ(seen[t][i], "a") << "thread " << t << " event " << i << " ran before the swap";
      }
      if (i >= started_after[t]) {
        EXPECT_EQ(seen[t][i], "b") << "thread " << t << " event " << i << " started after the swap";
      }
      // Once a scanner has moved to the new pack it never goes back.
      if (i > 0 && seen[t][i - 1] == "b") {
        EXPECT_EQ(seen[t][i], "b") << "thread " << t << " event " << i;
      }
      on_first += seen[t][i] == "a";
    }
    EXPECT_GE(on_first, kBeforeSwap);
  }
  // The scanners are gone and the live engine holds the second pack: the first one is freed.
  EXPECT_TRUE(first_alive.expired());
  EXPECT_EQ(live.current()->program().rules[0].id, kSecond);
}

TEST(LiveEngine, ABufferIsSplitBetweenPacksOnlyAtEventBoundaries) {
  std::shared_ptr<const Engine> first = engine_of(pack_of(kFirst));
  std::shared_ptr<const Engine> second = engine_of(pack_of(kSecond));
  ASSERT_TRUE(first && second);
  LiveEngine live(first);
  LiveScanner scanner(live);
  std::string buffer;
  for (int i = 0; i < 10; ++i)
    buffer += "{\"seq\":" + std::to_string(i) + "}\n";
  std::string order;
  const ScanStats stats = scanner.scan_buffer(
      buffer,
      [&](const Match& m) {
        order += m.rule->id.substr(0, 1);
        if (m.line == 4)  // the swap happens while event 4 is being reported
          live.replace(second);
      },
      nullptr);
  EXPECT_EQ(stats.events_read, 10u);
  EXPECT_EQ(stats.matches, 10u);
  EXPECT_EQ(order, "aaaabbbbbb");
  EXPECT_EQ(scanner.generation(), 2u);
  EXPECT_EQ(&scanner.engine(), second.get());
}

TEST(LiveEngine, AFailedLoadLeavesTheOldPackRunning) {
  std::shared_ptr<const Engine> first = engine_of(pack_of(kFirst));
  ASSERT_TRUE(first);
  LiveEngine live(first);
  LiveScanner scanner(live);
  std::string damaged = pack_of(kSecond);
  damaged.resize(damaged.size() / 2);
  Result<Pack> next = Pack::from_bytes(damaged);
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, Error::Code::InvalidPack);
  std::string ids;
  EXPECT_TRUE(scanner.scan("{\"seq\":1}", 1, [&](const Match& m) { ids += m.rule->id.substr(0, 1); }));
  EXPECT_EQ(ids, "a");
  EXPECT_EQ(live.generation(), 1u);
}

}  // namespace
}  // namespace sigrun::pack_testing
