// Internal to the driver. Placeholder values for the `expand` modifier, read from a YAML file:
//
//   Administrators: [Administrator, Domain Admins]   # a list of values, each an alternative
//   dc_ip_addresses: 10.0.0.1                        # or one value
//
// Names may also be written as in rules (`%Administrators%`). Values are scalars (strings or numbers, as
// written); Sigma wildcards and escapes in them keep their meaning when they are substituted into a string.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sigrun/compiler/diagnostics.h"

namespace sigrun::compiler::detail {

using PlaceholderMap = std::map<std::string, std::vector<std::string>>;

// Reads the placeholders file at `path` into `out` (a name already there is replaced). A file that cannot
// be read is "file-unreadable"; one that is not a map of names to a value or a list of values is
// "placeholders-file", at the offending node. Returns false when anything was reported as an error.
bool read_placeholders_file(const std::string& path, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, PlaceholderMap& out);

// The same for text held in memory; `path` names it in diagnostics.
bool read_placeholders_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                            diag::DiagnosticEngine& diags, PlaceholderMap& out);

}  // namespace sigrun::compiler::detail
