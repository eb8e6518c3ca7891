// `scan --threads N`: Scanner::scan_stream spread over N threads, with every match and error delivered on
// the calling thread in input order, so the output is exactly that of one thread.
//
// The input is cut into chunks at line ends; each chunk is scanned by scan_stream on a worker thread (one
// Scanner per worker) with the stream's format, and its matches and errors are held until every earlier
// chunk has been delivered. Line numbers are those of the whole stream. This is exact for one-event-per-line
// formats (json, evtx-json); a stream that is or may be framed over several lines (cloudtrail, or auto
// until the first object decides) cannot be cut at line ends, so: with auto, the first chunk is scanned
// alone, and the rest goes parallel only when that chunk decided json or evtx-json; otherwise the whole
// stream is scanned by one scanner, from its first byte.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>

#include "sigrun/engine.h"

namespace sigrun::cli {

struct ParallelOptions {
  unsigned threads = 1;  // scanners; 1 scans on the calling thread with no copying
  // Bytes per chunk (each ends at a line end, so may be longer): big enough that per-chunk costs vanish,
  // small enough to keep every thread busy and memory bounded (2 chunks in flight per thread).
  size_t chunk_bytes = size_t{4} << 20;
};

// As Scanner(engine).scan_stream(input, on_match, on_error, stream): the same matches, errors, order and
// counters, whatever the number of threads. StreamOptions::rule_costs is summed over the workers, and
// on_progress is called on the calling thread after each chunk. Both callbacks run on the calling thread.
ScanStats scan_in_parallel(const std::shared_ptr<const Engine>& engine, std::FILE* input,
                           const MatchSink& on_match, const ErrorSink& on_error, const StreamOptions& stream,
                           const ParallelOptions& parallel);

}  // namespace sigrun::cli
