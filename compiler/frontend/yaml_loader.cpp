// Implements frontend::load_yaml (frontend/frontend.h) and load_yaml_documents (frontend/yaml_loader.h):
// yaml-cpp parser events in, positioned ast::YamlValue documents out.
//
// The loader listens to yaml-cpp's event stream instead of building YAML::Node trees: the events say how
// each scalar was written (tag "?" = plain, "!" = quoted or block), documents before a syntax error are
// kept, and aliases can be expanded under a node budget.
#include "frontend/yaml_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <exception>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "frontend/frontend.h"

namespace sigrun::frontend {

namespace {

using ast::YamlValue;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Maps with at least this many entries check duplicate keys through a hash index instead of a scan.
constexpr size_t kKeyIndexThreshold = 16;

// Thrown by the event handler to stop yaml-cpp after a limit was exceeded; already reported.
struct LimitExceeded {};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string display_tag(const std::string& tag) {
  if (tag.compare(0, kCoreTagPrefix.size(), kCoreTagPrefix) == 0) {
    return "!!" + tag.substr(kCoreTagPrefix.size());
  }
  return tag;
}

const char* kind_name(YamlValue::Kind kind) {
  switch (kind) {
    case YamlValue::Kind::Null:
      return "null";
    case YamlValue::Kind::Scalar:
      return "a scalar";
    case YamlValue::Kind::Sequence:
      return "a sequence";
    case YamlValue::Kind::Map:
      return "a map";
  }
  return "a value";
}

size_t utf8_length(uint32_t code_point) {
  if (code_point < 0x80) {
    return 1;
  }
  if (code_point < 0x800) {
    return 2;
  }
  if (code_point < 0x10000) {
    return 3;
  }
  return 4;
}

// Walks the source of one scalar beside its text, recording where each run of text bytes is in the file.
// Quoting, escapes, folded line breaks and indentation are skipped on the source side; if the two stop
// agreeing the walk ends and later offsets extrapolate from the last segment.
class SegmentBuilder {
 public:
  SegmentBuilder(std::string_view source, size_t pos, diag::SourceLocation at)
      : source_(source), pos_(pos), at_(at) {}

  // True after build() when a quoted scalar runs to the end of the file: yaml-cpp accepts `"abc` followed
  // by a line break at the end of the input.
  bool unterminated() const { return unterminated_; }

  std::vector<YamlValue::TextSegment> build(std::string_view text, diag::SourceLocation node_location) {
    skip_properties();
    const Style style = read_style();
    size_t i = 0;
    if (text.empty()) {
      map(0);
    }
    while (i < text.size() && pos_ < source_.size()) {
      const char s = source_[pos_];
      if (style == Style::SingleQuoted && s == '\'') {
        if (pos_ + 1 >= source_.size() || source_[pos_ + 1] != '\'' || text[i] != '\'') {
          break;
        }
        map(i++);
        advance(2);
        continue;
      }
      if (style == Style::DoubleQuoted && s == '"') {
        break;
      }
      if (style == Style::DoubleQuoted && s == '\\') {
        if (!escape(text, i)) {
          break;
        }
        continue;
      }
      if (s == text[i]) {
        map(i++);
        advance(1);
        continue;
      }
      if (is_space(s)) {
        advance(1);
        continue;
      }
      // A line break folded into a space, or indentation that the scalar's text does not keep.
      if (is_space(text[i])) {
        ++i;
        continue;
      }
      break;
    }
    if (style == Style::SingleQuoted || style == Style::DoubleQuoted) {
      // Only a text that was walked to its end (a folded line break may remain) says where the quote is.
      while (i < text.size() && is_space(text[i])) {
        ++i;
      }
      while (pos_ < source_.size() && is_space(source_[pos_])) {
        advance(1);
      }
      unterminated_ = i == text.size() && pos_ >= source_.size();
    }
    if (segments_.size() == 1 && segments_[0].offset == 0 &&
        segments_[0].location.line == node_location.line &&
        segments_[0].location.column == node_location.column) {
      segments_.clear();
    }
    return std::move(segments_);
  }

 private:
  enum class Style { Plain, SingleQuoted, DoubleQuoted, Block };

  void advance(size_t count) {
    for (; count > 0 && pos_ < source_.size(); --count, ++pos_) {
      if (source_[pos_] == '\n') {
        ++at_.line;
        at_.column = 1;
      } else {
        ++at_.column;
      }
    }
  }

  // Anchors (&a) and tags (!!str) come before the content; the node's mark is on the first of them.
  void skip_properties() {
    while (pos_ < source_.size() && (source_[pos_] == '&' || source_[pos_] == '!')) {
      while (pos_ < source_.size() && !is_space(source_[pos_])) {
        advance(1);
      }
      while (pos_ < source_.size() && is_space(source_[pos_])) {
        advance(1);
      }
    }
  }

  Style read_style() {
    if (pos_ >= source_.size()) {
      return Style::Plain;
    }
    switch (source_[pos_]) {
      case '\'':
        advance(1);
        return Style::SingleQuoted;
      case '"':
        advance(1);
        return Style::DoubleQuoted;
      case '|':
      case '>':
        // The header line (indicators, maybe a comment) holds no content.
        while (pos_ < source_.size() && source_[pos_] != '\n') {
          advance(1);
        }
        advance(1);
        return Style::Block;
      default:
        return Style::Plain;
    }
  }

  // A double-quoted escape at pos_: maps the bytes it produced in `text` to the backslash.
  bool escape(std::string_view text, size_t& i) {
    if (pos_ + 1 >= source_.size()) {
      return false;
    }
    const char e = source_[pos_ + 1];
    if (e == '\n' || e == '\r') {
      // An escaped line break joins the lines without producing text.
      advance(1);
      while (pos_ < source_.size() && is_space(source_[pos_])) {
        advance(1);
      }
      return true;
    }
    size_t hex_digits = 0;
    if (e == 'x') {
      hex_digits = 2;
    }
    if (e == 'u') {
      hex_digits = 4;
    }
    if (e == 'U') {
      hex_digits = 8;
    }
    size_t produced = 1;
    if (hex_digits != 0) {
      uint32_t code_point = 0;
      for (size_t k = 0; k < hex_digits; ++k) {
        const size_t p = pos_ + 2 + k;
        if (p >= source_.size()) {
          return false;
        }
        const char h = source_[p];
        uint32_t digit = 0;
        if (h >= '0' && h <= '9') {
          digit = static_cast<uint32_t>(h - '0');
        } else if (h >= 'a' && h <= 'f') {
          digit = static_cast<uint32_t>(h - 'a' + 10);
        } else if (h >= 'A' && h <= 'F') {
          digit = static_cast<uint32_t>(h - 'A' + 10);
        } else {
          return false;
        }
        code_point = code_point * 16 + digit;
      }
      produced = utf8_length(code_point);
    } else if (e == 'N' || e == '_') {
      produced = 2;  // U+0085, U+00A0
    } else if (e == 'L' || e == 'P') {
      produced = 3;  // U+2028, U+2029
    }
    for (size_t k = 0; k < produced && i < text.size(); ++k) {
      map(i++);
    }
    advance(2 + hex_digits);
    return true;
  }

  void map(size_t offset) {
    if (!segments_.empty()) {
      const YamlValue::TextSegment& last = segments_.back();
      if (last.location.line == at_.line && last.location.column + (offset - last.offset) == at_.column) {
        return;
      }
    }
    segments_.push_back(YamlValue::TextSegment{static_cast<uint32_t>(offset), at_});
  }

  std::string_view source_;
  size_t pos_;
  diag::SourceLocation at_;
  std::vector<YamlValue::TextSegment> segments_;
  bool unterminated_ = false;
};

class DocumentBuilder : public YAML::EventHandler {
 public:
  DocumentBuilder(uint32_t file, std::string_view text, diag::DiagnosticEngine& diags)
      : file_(file), text_(text), diags_(diags) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      bom_ = kUtf8Bom.size();
    }
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        line_starts_.push_back(i + 1);
      }
    }
  }

  // After yaml-cpp threw at `mark`: yaml-cpp ends a document early on some malformed input (a tab before
  // a key) and only then fails; such a document is part of the broken text, not a document of its own.
  void on_parse_error(const YAML::Mark& mark) {
    if (in_document_ || !last_document_kept() || mark.is_null() || mark.line < 0) {
      return;
    }
    if (!marker_between(last_event_line_ + 1, static_cast<size_t>(mark.line))) {
      documents_.pop_back();
    }
  }

  std::vector<LoadedDocument> take_documents() { return std::move(documents_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    // yaml-cpp starts a new document where a top-level block node ends and more text follows (`- a`
    // then `b: 1`); YAML requires `---` there, and PyYAML rejects it.
    if (documents_started_ > 0 && !mark.is_null() && mark.line >= 0 &&
        !marker_between(last_event_line_ + 1, static_cast<size_t>(mark.line))) {
      diags_.error("yaml-syntax", location(mark),
                   "unexpected content after the end of the document (a new document starts with '---')");
      if (last_document_kept()) {
        documents_.pop_back();
      }
      throw LimitExceeded{};
    }
    ++documents_started_;
    in_document_ = true;
    stack_.clear();
    root_.reset();
    // Anchors are scoped to their document; yaml-cpp numbers them afresh in each one.
    anchors_.clear();
    errors_at_document_start_ = diags_.error_count();
  }

  void OnDocumentEnd() override {
    in_document_ = false;
    last_document_index_ = kNoDocument;
    // An empty document (nothing between two `---`) carries no rule; PyYAML would yield None for it.
    if (!root_ || root_->kind == YamlValue::Kind::Null) {
      return;
    }
    documents_.push_back(
        LoadedDocument{std::move(*root_), diags_.error_count() != errors_at_document_start_});
    last_document_index_ = documents_.size() - 1;
    root_.reset();
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count_nodes(1, mark);
    YamlValue node = make_null(mark);
    // The mark of an empty value is on the token after it, maybe the next document's `---`.
    if (node.kind == YamlValue::Kind::Scalar) {
      note_event(mark);
    }
    add(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note_event(mark);
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // yaml-cpp rejects undefined aliases itself; an anchor still open is an alias inside its own node.
      diags_.error("yaml-syntax", location(mark), "alias refers to a node that contains it");
      throw LimitExceeded{};
    }
    count_nodes(it->second.nodes, mark);
    add(it->second.value, YAML::NullAnchor, it->second.nodes);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    note_event(mark);
    count_nodes(1, mark);
    YamlValue node;
    node.kind = YamlValue::Kind::Scalar;
    node.text = value;
    node.plain = tag == "?";
    node.location = location(mark);
    if (tag != "?" && tag != "!" && tag != std::string(kCoreTagPrefix) + "str") {
      diags_.error("yaml-unsupported", node.location,
                   "explicit tag '" + display_tag(tag) + "' is not supported; only '!!str' is");
    }
    const size_t pos = source_pos(mark);
    if (pos < text_.size()) {
      SegmentBuilder segments(text_, pos, node.location);
      node.segments = segments.build(value, node.location);
      if (segments.unterminated()) {
        diags_.error("yaml-syntax", node.location, "missing the closing quote of this scalar");
        throw LimitExceeded{};
      }
    }
    add(std::move(node), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(YamlValue::Kind::Sequence, mark, tag, "seq", anchor, style);
  }

  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(YamlValue::Kind::Map, mark, tag, "map", anchor, style);
  }

  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlValue value;
    YAML::anchor_t anchor = YAML::NullAnchor;
    bool block = true;
    size_t nodes_at_start = 0;
    // Map: the key waiting for its value; `keep_entry` is false when the key was rejected.
    std::optional<YamlValue> pending_key;
    bool keep_entry = true;
    std::unordered_map<std::string, diag::SourceLocation> key_index;
  };

  struct Anchored {
    YamlValue value;
    size_t nodes = 0;
  };

  diag::SourceLocation location(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) {
      return diag::SourceLocation{file_, 0, 0};
    }
    return diag::SourceLocation{file_, static_cast<uint32_t>(mark.line) + 1,
                                static_cast<uint32_t>(mark.column) + 1};
  }

  // yaml-cpp does not count a byte order mark in its positions.
  size_t source_pos(const YAML::Mark& mark) const {
    if (mark.pos < 0) {
      return text_.size();
    }
    return static_cast<size_t>(mark.pos) + bom_;
  }

  // Whether the document that ended last is the last one in documents_ (it was not empty).
  bool last_document_kept() const {
    return last_document_index_ != kNoDocument && last_document_index_ + 1 == documents_.size();
  }

  void note_event(const YAML::Mark& mark) {
    if (!mark.is_null() && mark.line >= 0) {
      last_event_line_ = static_cast<size_t>(mark.line);
    }
  }

  // Whether a line in [first, last] (0-based) is a document marker, `---` or `...`.
  bool marker_between(size_t first, size_t last) const {
    for (size_t line = first; line <= last && line < line_starts_.size(); ++line) {
      const std::string_view rest = text_.substr(line_starts_[line] + (line == 0 ? bom_ : 0));
      if (rest.size() < 3 || (rest.compare(0, 3, "---") != 0 && rest.compare(0, 3, "...") != 0)) {
        continue;
      }
      if (rest.size() == 3 || is_space(rest[3])) {
        return true;
      }
    }
    return false;
  }

  // The source offset of a one-line location.
  size_t source_pos(const diag::SourceLocation& at) const {
    if (at.line == 0 || at.line > line_starts_.size()) {
      return text_.size();
    }
    return line_starts_[at.line - 1] + (at.line == 1 ? bom_ : 0) + at.column - 1;
  }

  // yaml-cpp reads a line holding only `b` in a block map as the key `b` with an empty value; YAML
  // requires the `:` (PyYAML: "could not find expected ':'").
  void check_colon(const YamlValue& key) {
    if (key.kind != YamlValue::Kind::Scalar || !key.plain || !key.segments.empty()) {
      return;
    }
    size_t pos = source_pos(key.location);
    if (pos >= text_.size() || text_.compare(pos, key.text.size(), key.text) != 0) {
      return;
    }
    // `? key` is an explicit key, which needs no value.
    size_t before = pos;
    while (before > 0 && (text_[before - 1] == ' ' || text_[before - 1] == '\t')) {
      --before;
    }
    if (before > 0 && text_[before - 1] == '?') {
      return;
    }
    pos += key.text.size();
    while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t')) {
      ++pos;
    }
    if (pos < text_.size() && text_[pos] == ':') {
      return;
    }
    diags_.error("yaml-syntax", key.location, "expected ':' after the key '" + key.text + "'");
  }

  void count_nodes(size_t count, const YAML::Mark& mark) {
    if (count > kMaxYamlNodes - nodes_) {
      diags_.error("yaml-too-large", location(mark),
                   "the yaml expands to more than " + std::to_string(kMaxYamlNodes) +
                       " nodes (aliases are expanded); split the file or remove the aliases");
      throw LimitExceeded{};
    }
    nodes_ += count;
  }

  // yaml-cpp reports `~`, `null`, `Null`, `NULL` and an empty value alike as a null event. The first four
  // are plain scalars that the rule reader types as null; an empty value has no text and is kept as Null.
  YamlValue make_null(const YAML::Mark& mark) {
    YamlValue node;
    node.location = location(mark);
    const bool expecting_value = !stack_.empty() && stack_.back().value.kind == YamlValue::Kind::Map &&
                                 stack_.back().pending_key.has_value();
    const size_t pos = source_pos(mark);
    const size_t length = null_spelling_length(pos);
    // For an empty map value yaml-cpp's mark is on the next token, which may be a key spelled `null:`.
    if (length != 0 && !(expecting_value && followed_by_key_indicator(pos + length))) {
      node.kind = YamlValue::Kind::Scalar;
      node.plain = true;
      node.text = std::string(text_.substr(pos, length));
      return node;
    }
    // The mark of an empty value is on whatever follows it; its key is the better place to point at.
    if (expecting_value) {
      node.location = stack_.back().pending_key->location;
      if (stack_.back().block) {
        check_colon(*stack_.back().pending_key);
      }
    }
    return node;
  }

  size_t null_spelling_length(size_t pos) const {
    if (pos >= text_.size()) {
      return 0;
    }
    size_t length = 0;
    for (std::string_view spelling : {"~", "null", "Null", "NULL"}) {
      if (text_.compare(pos, spelling.size(), spelling) == 0) {
        length = spelling.size();
      }
    }
    if (length == 0) {
      return 0;
    }
    const size_t after = pos + length;
    if (after == text_.size()) {
      return length;
    }
    const char c = text_[after];
    if (is_space(c) || c == ',' || c == ']' || c == '}' || c == ':' || c == '#') {
      return length;
    }
    return 0;
  }

  bool followed_by_key_indicator(size_t pos) const {
    while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t')) {
      ++pos;
    }
    if (pos >= text_.size() || text_[pos] != ':') {
      return false;
    }
    ++pos;
    return pos == text_.size() || is_space(text_[pos]) || text_[pos] == ',' || text_[pos] == '}';
  }

  void open(YamlValue::Kind kind, const YAML::Mark& mark, const std::string& tag, std::string_view core_tag,
            YAML::anchor_t anchor, YAML::EmitterStyle::value style) {
    note_event(mark);
    count_nodes(1, mark);
    if (stack_.size() >= kMaxYamlDepth) {
      diags_.error("yaml-too-deep", location(mark),
                   "the yaml nests deeper than " + std::to_string(kMaxYamlDepth) + " levels");
      throw LimitExceeded{};
    }
    Frame frame;
    frame.value.kind = kind;
    frame.value.location = location(mark);
    frame.anchor = anchor;
    frame.block = style != YAML::EmitterStyle::Flow;
    frame.nodes_at_start = nodes_;
    if (tag != "?" && tag != "!" && tag != std::string(kCoreTagPrefix) + std::string(core_tag)) {
      diags_.error("yaml-unsupported", frame.value.location,
                   "explicit tag '" + display_tag(tag) + "' is not supported here");
    }
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    // The node itself was counted when it opened.
    add(std::move(frame.value), frame.anchor, nodes_ - frame.nodes_at_start + 1);
  }

  void add(YamlValue node, YAML::anchor_t anchor, size_t nodes) {
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = Anchored{node, nodes};
    }
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.value.kind == YamlValue::Kind::Sequence) {
      parent.value.items.push_back(std::move(node));
      return;
    }
    if (!parent.pending_key) {
      parent.keep_entry = accept_key(parent, node);
      parent.pending_key = std::move(node);
      return;
    }
    if (parent.keep_entry) {
      parent.value.entries.emplace_back(std::move(*parent.pending_key), std::move(node));
    }
    parent.pending_key.reset();
  }

  // Checks a map key; false when the entry must be dropped (it was reported).
  bool accept_key(Frame& map, const YamlValue& key) {
    if (key.kind == YamlValue::Kind::Sequence || key.kind == YamlValue::Kind::Map) {
      diags_.error("yaml-unsupported", key.location,
                   std::string("expected a scalar as map key, found ") + kind_name(key.kind));
      return false;
    }
    if (key.kind == YamlValue::Kind::Scalar && key.plain && key.text == "<<") {
      diags_.error("yaml-unsupported", key.location, "merge keys ('<<') are not supported");
      return false;
    }
    // A null key never equals a scalar key, whatever the scalar's text.
    const std::string identity = key.kind == YamlValue::Kind::Null ? std::string(1, '\0') : key.text;
    std::optional<diag::SourceLocation> first;
    if (map.value.entries.size() < kKeyIndexThreshold) {
      for (const auto& [existing, value] : map.value.entries) {
        const std::string existing_identity =
            existing.kind == YamlValue::Kind::Null ? std::string(1, '\0') : existing.text;
        if (existing_identity == identity) {
          first = existing.location;
          break;
        }
      }
    } else {
      if (map.key_index.empty()) {
        for (const auto& [existing, value] : map.value.entries) {
          map.key_index.emplace(existing.kind == YamlValue::Kind::Null ? std::string(1, '\0') : existing.text,
                                existing.location);
        }
      }
      auto it = map.key_index.find(identity);
      if (it != map.key_index.end()) {
        first = it->second;
      }
    }
    if (first) {
      const std::string shown = key.kind == YamlValue::Kind::Null ? "null" : "'" + key.text + "'";
      diags_.error("yaml-duplicate-key", key.location,
                   "duplicate key " + shown + ", first defined at line " + std::to_string(first->line));
      return false;
    }
    if (!map.key_index.empty()) {
      map.key_index.emplace(identity, key.location);
    }
    return true;
  }

  uint32_t file_;
  std::string_view text_;
  diag::DiagnosticEngine& diags_;
  size_t bom_ = 0;
  size_t nodes_ = 0;
  size_t errors_at_document_start_ = 0;
  std::vector<size_t> line_starts_;
  size_t documents_started_ = 0;
  bool in_document_ = false;
  size_t last_event_line_ = 0;
  static constexpr size_t kNoDocument = static_cast<size_t>(-1);
  // The index in documents_ of the document that ended last, if it was kept.
  size_t last_document_index_ = kNoDocument;
  std::vector<Frame> stack_;
  std::optional<YamlValue> root_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::vector<LoadedDocument> documents_;
};

}  // namespace

std::vector<LoadedDocument> load_yaml_documents(uint32_t file, const std::string& text,
                                                diag::DiagnosticEngine& diags) {
  DocumentBuilder builder(file, text, diags);
  const auto at = [file](const YAML::Mark& mark) {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) {
      return diag::SourceLocation{file, 0, 0};
    }
    return diag::SourceLocation{file, static_cast<uint32_t>(mark.line) + 1,
                                static_cast<uint32_t>(mark.column) + 1};
  };
  // yaml-cpp throws on malformed input; nothing it throws may leave the frontend.
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const LimitExceeded&) {
    // Reported where the limit was hit.
  } catch (const YAML::DeepRecursion& e) {
    builder.on_parse_error(e.mark);
    diags.error("yaml-too-deep", at(e.mark),
                "the yaml nests deeper than " + std::to_string(kMaxYamlDepth) + " levels");
  } catch (const YAML::Exception& e) {
    builder.on_parse_error(e.mark);
    diags.error("yaml-syntax", at(e.mark), e.msg);
  } catch (const std::exception& e) {
    diags.error("yaml-syntax", diag::SourceLocation{file, 0, 0},
                std::string("cannot parse yaml: ") + e.what());
  }
  return builder.take_documents();
}

std::vector<ast::YamlValue> load_yaml(uint32_t file, const std::string& text, diag::DiagnosticEngine& diags) {
  std::vector<ast::YamlValue> out;
  for (LoadedDocument& document : load_yaml_documents(file, text, diags)) {
    out.push_back(std::move(document.value));
  }
  return out;
}

}  // namespace sigrun::frontend
