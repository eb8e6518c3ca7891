// Implements parallel_scan.h: a reader (the calling thread) cuts chunks, workers scan them, the calling
// thread delivers each chunk's results once all earlier chunks are delivered. At most two chunks per
// worker are in flight.
#include "parallel_scan.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sigrun::cli {
namespace {

// What a chunk reported, held until its turn. The views of a Match are copied: they are valid only
// during the callback that received them.
struct Record {
  const program::RuleInfo* rule = nullptr;  // null: an error
  uint64_t line = 0;
  std::string event;  // a match's event text
  std::string text;   // a match's message, or an error's reason
};

struct Chunk {
  std::string bytes;
  uint64_t line_offset = 0;  // lines of the stream before the chunk
  InputFormat format = InputFormat::Json;
  // Written by the worker that scans it, read after `done`:
  std::vector<Record> records;
  ScanStats stats;
  std::vector<RuleCost> costs;
  bool done = false;
};

// Reads `input` in chunks that end at a line end (or at the end of the input).
class ChunkReader {
 public:
  ChunkReader(std::FILE* input, size_t chunk_bytes) : input_(input), chunk_bytes_(chunk_bytes) {}

  // The next chunk; false at the end of the input (or after a read error, see error()).
  bool next(Chunk& chunk) {
    chunk.bytes = std::move(carry_);
    carry_.clear();
    while (!eof_) {
      const size_t old_size = chunk.bytes.size();
      // Up to the chunk size, then (a line longer than a chunk) on in steps of 64 KB.
      const size_t wanted = old_size < chunk_bytes_ ? chunk_bytes_ - old_size : size_t{64} << 10;
      chunk.bytes.resize(old_size + wanted);
      const size_t got = std::fread(chunk.bytes.data() + old_size, 1, wanted, input_);
      chunk.bytes.resize(old_size + got);
      if (got < wanted) {
        eof_ = true;
        if (std::ferror(input_)) {
          error_ = "read error";
          if (errno != 0)
            error_ += std::string(": ") + std::strerror(errno);
        }
        break;
      }
      // Cut after the last newline; a line longer than a chunk makes the chunk longer.
      const void* newline = memrchr(chunk.bytes.data(), '\n', chunk.bytes.size());
      if (newline == nullptr)
        continue;
      const size_t cut = static_cast<size_t>(static_cast<const char*>(newline) - chunk.bytes.data()) + 1;
      carry_.assign(chunk.bytes, cut, std::string::npos);
      chunk.bytes.resize(cut);
      break;
    }
    if (chunk.bytes.empty())
      return false;
    chunk.line_offset = lines_;
    for (char c : chunk.bytes)
      lines_ += c == '\n';
    return true;
  }

  bool at_end() const { return eof_ && carry_.empty(); }
  // What was read past the last chunk, given up by the reader (for reading the stream another way).
  std::string take_carry() { return std::move(carry_); }
  const std::string& error() const { return error_; }

 private:
  std::FILE* input_;
  size_t chunk_bytes_;
  std::string carry_;  // read past the last chunk's end
  uint64_t lines_ = 0;
  bool eof_ = false;
  std::string error_;
};

// Scans one chunk with `scanner` as scan_stream scans a stream, recording what it reports.
void scan_chunk(Scanner& scanner, Chunk& chunk, bool with_costs) {
  std::FILE* memory = fmemopen(chunk.bytes.data(), chunk.bytes.size(), "rb");
  if (memory == nullptr) {
    chunk.records.push_back(
        Record{nullptr, 0, {}, std::string("cannot scan a chunk: ") + std::strerror(errno)});
    return;
  }
  StreamOptions options;
  options.format = chunk.format;
  options.rule_costs = with_costs ? &chunk.costs : nullptr;
  const uint64_t offset = chunk.line_offset;
  chunk.stats = scanner.scan_stream(
      memory,
      [&](const Match& match) {
        chunk.records.push_back(
            Record{match.rule, match.line + offset, std::string(match.event), std::string(match.message)});
      },
      [&](const EventError& error) {
        chunk.records.push_back(
            Record{nullptr, error.line == 0 ? 0 : error.line + offset, {}, std::string(error.reason)});
      },
      options);
  std::fclose(memory);
}

// Adds `chunk`'s counters to `total`.
void add(ScanStats& total, const ScanStats& chunk) {
  total.events_read += chunk.events_read;
  total.events_evaluated += chunk.events_evaluated;
  total.events_rejected += chunk.events_rejected;
  total.matches += chunk.matches;
  total.bytes_read += chunk.bytes_read;
}

// A FILE that reads `prefix` and then `rest`: the stream as it was before its first chunk was taken off.
struct Rejoined {
  std::string prefix;
  size_t position = 0;
  std::FILE* rest = nullptr;
};

ssize_t read_rejoined(void* cookie, char* buffer, size_t size) {
  auto* stream = static_cast<Rejoined*>(cookie);
  if (stream->position < stream->prefix.size()) {
    const size_t n = std::min(size, stream->prefix.size() - stream->position);
    stream->prefix.copy(buffer, n, stream->position);
    stream->position += n;
    return static_cast<ssize_t>(n);
  }
  const size_t n = std::fread(buffer, 1, size, stream->rest);
  if (n == 0 && std::ferror(stream->rest))
    return -1;
  return static_cast<ssize_t>(n);
}

class ParallelScan {
 public:
  ParallelScan(const std::shared_ptr<const Engine>& engine, const MatchSink& on_match,
               const ErrorSink& on_error, const StreamOptions& stream, unsigned threads)
      : engine_(engine), on_match_(on_match), on_error_(on_error), stream_(stream), threads_(threads) {
    if (stream_.rule_costs)
      stream_.rule_costs->resize(engine_->program().rules.size());
  }

  ~ParallelScan() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_)
      worker.join();
  }

  // `start` (chunks already read: scanned ones are `done`), then the chunks of `reader`, all in `format`.
  ScanStats run(ChunkReader& reader, InputFormat format, std::vector<std::unique_ptr<Chunk>> start) {
    total_.format = format;
    for (unsigned i = 0; i < threads_; ++i)
      workers_.emplace_back([this] { work(); });
    std::deque<std::unique_ptr<Chunk>> in_flight;
    for (std::unique_ptr<Chunk>& chunk : start)
      submit(std::move(chunk), in_flight);
    for (;;) {
      while (in_flight.size() < 2 * size_t{threads_} && !reader.at_end()) {
        auto chunk = std::make_unique<Chunk>();
        if (!reader.next(*chunk))
          break;
        chunk->format = format;
        submit(std::move(chunk), in_flight);
      }
      if (in_flight.empty())
        break;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        chunk_done_.wait(lock, [&] { return in_flight.front()->done; });
      }
      deliver(*in_flight.front());
      in_flight.pop_front();
    }
    return total_;
  }

  // Delivers a scanned chunk's records, counters and costs.
  void deliver(const Chunk& chunk) {
    for (const Record& record : chunk.records) {
      if (record.rule != nullptr) {
        if (on_match_)
          on_match_(Match{record.rule, record.event, record.line, record.text});
      } else if (on_error_) {
        on_error_(EventError{record.line, record.text});
      }
    }
    add(total_, chunk.stats);
    if (stream_.rule_costs) {
      for (size_t r = 0; r < chunk.costs.size() && r < stream_.rule_costs->size(); ++r) {
        (*stream_.rule_costs)[r].evaluations += chunk.costs[r].evaluations;
        (*stream_.rule_costs)[r].nanoseconds += chunk.costs[r].nanoseconds;
      }
    }
    if (stream_.on_progress)
      stream_.on_progress(total_);
  }

  void scan_now(Chunk& chunk) {
    Scanner scanner(engine_);
    scan_chunk(scanner, chunk, stream_.rule_costs != nullptr);
    chunk.done = true;
  }

 private:
  // Queues `chunk` for the workers unless it is scanned already.
  void submit(std::unique_ptr<Chunk> chunk, std::deque<std::unique_ptr<Chunk>>& in_flight) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!chunk->done) {
      queue_.push_back(chunk.get());
      work_ready_.notify_one();
    }
    in_flight.push_back(std::move(chunk));
  }

  void work() {
    Scanner scanner(engine_);
    for (;;) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
          return;
        chunk = queue_.front();
        queue_.pop_front();
      }
      scan_chunk(scanner, *chunk, stream_.rule_costs != nullptr);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        chunk->done = true;
      }
      chunk_done_.notify_all();
    }
  }

  const std::shared_ptr<const Engine>& engine_;
  const MatchSink& on_match_;
  const ErrorSink& on_error_;
  StreamOptions stream_;
  unsigned threads_;
  ScanStats total_;

  std::mutex mutex_;
  std::condition_variable work_ready_;  // queue_ has a chunk, or stopping_
  std::condition_variable chunk_done_;  // a chunk's `done` was set
  std::deque<Chunk*> queue_;            // guarded by mutex_: chunks no worker has taken yet
  bool stopping_ = false;               // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace

ScanStats scan_in_parallel(const std::shared_ptr<const Engine>& engine, std::FILE* input,
                           const MatchSink& on_match, const ErrorSink& on_error, const StreamOptions& stream,
                           const ParallelOptions& parallel) {
  const bool line_framed = stream.format == InputFormat::Json || stream.format == InputFormat::EvtxJson;
  if (parallel.threads <= 1 || stream.format == InputFormat::CloudTrail)
    return Scanner(engine).scan_stream(input, on_match, on_error, stream);

  ChunkReader reader(input, std::max<size_t>(parallel.chunk_bytes, 1));
  ScanStats stats;
  {
    ParallelScan scan(engine, on_match, on_error, stream, parallel.threads);
    if (line_framed) {
      stats = scan.run(reader, stream.format, {});
    } else {
      // Auto: the stream's first document decides. When it is a one-line object of a line-framed format,
      // everything after it is framed by lines: scan that line as scan_stream would, the rest in parallel.
      auto first = std::make_unique<Chunk>();
      if (!reader.next(*first)) {
        stats = scan.run(reader, InputFormat::Json, {});  // empty: undecided reads as json
      } else {
        size_t head_end = 0;  // just past the first line that is not blank
        for (size_t begin = 0; begin < first->bytes.size(); begin = head_end) {
          const size_t newline = first->bytes.find('\n', begin);
          head_end = newline == std::string::npos ? first->bytes.size() : newline + 1;
          if (first->bytes.find_first_not_of(" \t\r\n", begin) < head_end)
            break;
        }
        auto head = std::make_unique<Chunk>();
        head->bytes = first->bytes.substr(0, head_end);
        head->format = InputFormat::Auto;
        scan.scan_now(*head);
        const ScanStats& decided = head->stats;
        if (decided.events_evaluated == 1 && decided.events_rejected == 0 &&
            (decided.format == InputFormat::Json || decided.format == InputFormat::EvtxJson)) {
          const InputFormat format = decided.format;
          first->bytes.erase(0, head_end);
          first->line_offset =
              static_cast<uint64_t>(std::count(head->bytes.begin(), head->bytes.end(), '\n'));
          first->format = format;
          std::vector<std::unique_ptr<Chunk>> start;
          start.push_back(std::move(head));
          if (!first->bytes.empty())
            start.push_back(std::move(first));
          stats = scan.run(reader, format, std::move(start));
        } else {
          // Framed over several lines, or not known yet: one scanner over the whole stream, from its start.
          Rejoined rejoined{std::move(first->bytes) + reader.take_carry(), 0, input};
          const cookie_io_functions_t functions{read_rejoined, nullptr, nullptr, nullptr};
          std::FILE* whole = fopencookie(&rejoined, "rb", functions);
          if (whole == nullptr) {
            if (on_error)
              on_error(EventError{0, std::string("cannot read the stream again: ") + std::strerror(errno)});
            return stats;
          }
          stats = Scanner(engine).scan_stream(whole, on_match, on_error, stream);
          std::fclose(whole);
          return stats;
        }
      }
    }
  }
  if (!reader.error().empty() && on_error)
    on_error(EventError{0, reader.error()});
  return stats;
}

}  // namespace sigrun::cli
