// Log-source mappings: which events belong to a Sigma log source (product/category/service) and what their
// fields are called. Mapping files (YAML, docs/logsources.md) are read here into a MappingSet; `route`
// decides, for one rule, whether it runs on every event (a declared stream), on the events its mapping
// entries select, or not at all. The driver turns a route into ir::RuleContexts for lowering.
//
//   logsource::MappingSet set;
//   logsource::load_mapping_file("mappings/windows.yml", sources, diags, set);
//   logsource::Route r = logsource::route(rule.logsource, set, /*declared=*/{});
//   // r.kind == Mapped: lower the rule once per group of r.entries with equal renames, AND each group's
//   // conditions, OR the results.
//
// Not thread-safe to load; a loaded MappingSet is read-only and may be shared.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast/rule.h"
#include "sigrun/compiler/diagnostics.h"

namespace sigrun::logsource {

// A log source as a key: an empty string is an attribute that is not set.
struct LogSourceKey {
  std::string product;
  std::string category;
  std::string service;

  bool empty() const { return product.empty() && category.empty() && service.empty(); }
  bool operator==(const LogSourceKey& other) const {
    return product == other.product && category == other.category && service == other.service;
  }
};

LogSourceKey key_of(const ast::LogSource& logsource);

// `product=windows category=process_creation` style text of a key, attributes in that order; "(none)"
// for an empty key. For listings and tests.
std::string to_string(const LogSourceKey& key);

// One entry of a mapping file's `logsources` map.
struct Entry {
  std::string name;       // the entry's key in `logsources`
  LogSourceKey selector;  // the attributes it sets (at least one)
  // The events of the log source: an OR of selections, each an AND of field items (Sigma detection
  // syntax, lowered like a rule's). Written in the rule's field names: renames apply to them too.
  std::vector<ast::Selection> conditions;
  // Sigma field name -> event field name, for rules of this entry.
  std::map<std::string, std::string> renames;
  diag::SourceLocation location;  // of the entry's name
};

struct MappingSet {
  std::vector<Entry> entries;  // in load order
};

// Reads one mapping file (one or more YAML documents) and appends its entries to `set`. Every problem is
// reported with its position ("mapping-*" codes; "yaml-*" for YAML syntax; "detection-*" inside
// conditions); entries with errors are left out. Returns false when anything was reported as an error.
bool load_mapping_file(const std::string& path, diag::SourceManager& sources, diag::DiagnosticEngine& diags,
                       MappingSet& set);

// The same for mapping text held in memory; `path` names it in diagnostics.
bool load_mapping_text(const std::string& path, const std::string& text, diag::SourceManager& sources,
                       diag::DiagnosticEngine& diags, MappingSet& set);

// The entries of `set` that map `rule` (docs/logsources.md, "Which entries apply"): an entry matches when
// its category and its service are exactly the rule's (an unset attribute matches only an unset one) and
// its product is the rule's or unset. When some matching entries set the product, those that do not are
// dropped (the more specific entries win). The result is in load order; their conditions are ORed.
std::vector<const Entry*> matching_entries(const LogSourceKey& rule, const MappingSet& set);

enum class RouteKind {
  EveryEvent,   // the rule's log source contains a declared one: it runs on every event
  Mapped,       // it runs on the events its entries' conditions select
  Unmapped,     // no entry maps it and no declaration covers it
  OtherSource,  // its log source contradicts every declared one: none of the stream's events are its
};

struct Route {
  RouteKind kind = RouteKind::Unmapped;
  // The matching entries: their conditions select the events (Mapped) and their renames apply (Mapped and
  // EveryEvent).
  std::vector<const Entry*> entries;
};

// Where `rule` runs, given the declared log sources of the stream (`--logsource`; empty: none declared):
//   - it sets no attribute that differs from or is missing in some declared source -> EveryEvent;
//   - declarations were given and each sets an attribute the rule sets to another value -> OtherSource;
//   - else matching entries exist -> Mapped, none -> Unmapped.
Route route(const ast::LogSource& rule, const MappingSet& set, const std::vector<LogSourceKey>& declared);

// Canonical text of a mapping set: one line per entry with its selector, conditions and renames. For
// golden tests.
std::string dump(const MappingSet& set);

}  // namespace sigrun::logsource
