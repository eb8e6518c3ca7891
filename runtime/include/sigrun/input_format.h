// sigrun::InputFormat: how a stream of events is framed and how an event's fields are named.
//
//   sigrun::StreamOptions options;
//   options.format = sigrun::parse_input_format("evtx-json").value_or(sigrun::InputFormat::Auto);
//   sigrun::ScanStats stats = scanner.scan_stream(stdin, on_match, on_error, options);
//   std::cerr << "read as " << sigrun::input_format_name(stats.format) << "\n";
//
// Plain values and pure functions: thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace sigrun {

enum class InputFormat {
  // Decided from the first event that is a JSON object (docs/semantics.md, "Input shapes"): `Event.System`
  // gives EvtxJson, a top-level `Records` array or an object spread over several lines gives CloudTrail,
  // anything else Json.
  Auto,
  // One JSON object per line; fields by their JSON names (literal dotted key, else nested path).
  Json,
  // One evtx_dump event per line (`{"Event":{"System":…,"EventData":…}}`); fields by their Sigma names
  // (`EventID`, `Provider_Name`, `Image`), translated to the evtx_dump layout at extraction time.
  EvtxJson,
  // JSON documents that may span lines: a CloudTrail log file `{"Records":[…]}` gives one event per
  // record; any other object is one record. Fields as in Json.
  CloudTrail,
};

// "auto", "json", "evtx-json", "cloudtrail": the names the command line takes.
constexpr std::string_view input_format_name(InputFormat format) {
  switch (format) {
    case InputFormat::Auto:
      return "auto";
    case InputFormat::Json:
      return "json";
    case InputFormat::EvtxJson:
      return "evtx-json";
    case InputFormat::CloudTrail:
      return "cloudtrail";
  }
  return "auto";
}

// The format named `name` (as input_format_name() spells it); nullopt for anything else.
constexpr std::optional<InputFormat> parse_input_format(std::string_view name) {
  for (InputFormat format :
       {InputFormat::Auto, InputFormat::Json, InputFormat::EvtxJson, InputFormat::CloudTrail}) {
    if (input_format_name(format) == name)
      return format;
  }
  return std::nullopt;
}

}  // namespace sigrun
