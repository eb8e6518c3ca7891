// Implements logsource::route, matching_entries, key_of, to_string and dump (logsource/mapping.h): which
// mapping entries and declarations apply to a rule's log source.
#include <string>
#include <vector>

#include "logsource/mapping.h"

namespace sigrun::logsource {

namespace {

// Every attribute `general` sets is set to the same value in `specific`: the events of `specific` are
// among those of `general`.
bool contains(const LogSourceKey& general, const LogSourceKey& specific) {
  const auto covers = [](const std::string& g, const std::string& s) { return g.empty() || g == s; };
  return covers(general.product, specific.product) && covers(general.category, specific.category) &&
         covers(general.service, specific.service);
}

// Some attribute is set in both to different values: no event belongs to both.
bool contradicts(const LogSourceKey& a, const LogSourceKey& b) {
  const auto differ = [](const std::string& x, const std::string& y) {
    return !x.empty() && !y.empty() && x != y;
  };
  return differ(a.product, b.product) || differ(a.category, b.category) || differ(a.service, b.service);
}

void append_value(const ast::Value& value, std::string& out) {
  if (value.kind == ast::Value::Kind::String) {
    out += "'" + value.text + "'";
  } else {
    out += value.text;
  }
}

}  // namespace

LogSourceKey key_of(const ast::LogSource& logsource) {
  return {logsource.product, logsource.category, logsource.service};
}

std::string to_string(const LogSourceKey& key) {
  std::string out;
  const std::pair<const char*, const std::string*> parts[] = {
      {"product", &key.product}, {"category", &key.category}, {"service", &key.service}};
  for (const auto& [name, value] : parts) {
    if (value->empty()) {
      continue;
    }
    if (!out.empty()) {
      out += ' ';
    }
    out += std::string(name) + "=" + *value;
  }
  return out.empty() ? "(none)" : out;
}

std::vector<const Entry*> matching_entries(const LogSourceKey& rule, const MappingSet& set) {
  std::vector<const Entry*> generic;
  std::vector<const Entry*> specific;
  for (const Entry& entry : set.entries) {
    const LogSourceKey& e = entry.selector;
    if (e.category != rule.category || e.service != rule.service) {
      continue;
    }
    if (e.product.empty()) {
      generic.push_back(&entry);
    } else if (e.product == rule.product) {
      specific.push_back(&entry);
    }
  }
  return specific.empty() ? generic : specific;
}

Route route(const ast::LogSource& rule, const MappingSet& set, const std::vector<LogSourceKey>& declared) {
  const LogSourceKey key = key_of(rule);
  Route out;
  out.entries = matching_entries(key, set);
  bool compatible = declared.empty();
  for (const LogSourceKey& d : declared) {
    if (contains(key, d)) {
      out.kind = RouteKind::EveryEvent;
      return out;
    }
    compatible = compatible || !contradicts(key, d);
  }
  if (!compatible) {
    out.kind = RouteKind::OtherSource;
    out.entries.clear();
    return out;
  }
  out.kind = out.entries.empty() ? RouteKind::Unmapped : RouteKind::Mapped;
  return out;
}

std::string dump(const MappingSet& set) {
  std::string out;
  for (const Entry& entry : set.entries) {
    out += entry.name + " [" + to_string(entry.selector) + "]";
    for (size_t s = 0; s < entry.conditions.size(); ++s) {
      out += s == 0 ? " when " : " or ";
      out += "{";
      const ast::Selection& selection = entry.conditions[s];
      for (size_t i = 0; i < selection.items.size(); ++i) {
        const ast::FieldItem& item = selection.items[i];
        out += i == 0 ? "" : ", ";
        out += item.field;
        for (const ast::Modifier& m : item.modifiers) {
          out += "|" + m.name;
        }
        out += ": ";
        if (item.value_is_list) {
          out += "[";
        }
        for (size_t v = 0; v < item.values.size(); ++v) {
          out += v == 0 ? "" : ", ";
          append_value(item.values[v], out);
        }
        if (item.value_is_list) {
          out += "]";
        }
      }
      out += "}";
    }
    if (!entry.renames.empty()) {
      out += " renames";
      for (const auto& [from, to] : entry.renames) {
        out += " " + from + "->" + to;
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace sigrun::logsource
