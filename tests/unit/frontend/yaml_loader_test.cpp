// The YAML loader: node positions, how scalars were written, documents, duplicate keys, syntax errors and
// the limits that protect against hostile files.
#include "frontend/yaml_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "frontend/frontend.h"

namespace {

using sigrun::ast::YamlValue;

struct Loaded {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  std::vector<YamlValue> documents;
  std::string rendered;
};

// Loads `text` as file "f.yml" and renders every diagnostic.
Loaded load(const std::string& text) {
  Loaded out;
  const uint32_t file = out.sources.add_file("f.yml", text);
  out.documents = sigrun::frontend::load_yaml(file, out.sources.text(file), out.diags);
  for (const auto& d : out.diags.all()) {
    out.rendered += sigrun::diag::render(d, out.sources);
  }
  return out;
}

std::string position(const sigrun::diag::SourceLocation& at) {
  return std::to_string(at.line) + ":" + std::to_string(at.column);
}

const YamlValue& value_of(const YamlValue& map, const std::string& key) {
  for (const auto& [k, v] : map.entries) {
    if (k.text == key) {
      return v;
    }
  }
  static const YamlValue kMissing;
  ADD_FAILURE() << "no key " << key;
  return kMissing;
}

TEST(YamlLoader, NodesCarryOneBasedPositions) {
  const Loaded r = load(
      "title: t\n"
      "detection:\n"
      "  sel:\n"
      "    - a\n"
      "    - 'b'\n"
      "  flow: [x, {k: v}]\n");
  ASSERT_EQ(r.rendered, "");
  ASSERT_EQ(r.documents.size(), 1u);
  const YamlValue& doc = r.documents[0];
  EXPECT_EQ(doc.kind, YamlValue::Kind::Map);
  EXPECT_EQ(position(doc.location), "1:1");
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(position(doc.entries[0].first.location), "1:1");
  EXPECT_EQ(position(doc.entries[0].second.location), "1:8");
  const YamlValue& detection = value_of(doc, "detection");
  EXPECT_EQ(position(detection.location), "3:3");
  EXPECT_EQ(position(detection.entries[0].first.location), "3:3");
  const YamlValue& sel = value_of(detection, "sel");
  ASSERT_EQ(sel.kind, YamlValue::Kind::Sequence);
  EXPECT_EQ(position(sel.location), "4:5");
  ASSERT_EQ(sel.items.size(), 2u);
  EXPECT_EQ(position(sel.items[0].location), "4:7");
  EXPECT_EQ(position(sel.items[1].location), "5:7");
  const YamlValue& flow = value_of(detection, "flow");
  EXPECT_EQ(position(flow.location), "6:9");
  EXPECT_EQ(position(flow.items[1].location), "6:13");
  EXPECT_EQ(position(flow.items[1].entries[0].second.location), "6:17");
  EXPECT_EQ(doc.location.file, 1u);
}

TEST(YamlLoader, ColumnsCountBytes) {
  const Loaded r = load("k: \xC3\xA9t\xC3\xA9\nl: [\xC3\xA9, b]\n");
  ASSERT_EQ(r.rendered, "");
  const YamlValue& l = value_of(r.documents[0], "l");
  EXPECT_EQ(position(l.items[1].location), "2:9");
}

TEST(YamlLoader, ScalarsRememberWhetherTheyWerePlain) {
  const Loaded r = load(
      "plain: 4688\n"
      "single: '4688'\n"
      "double: \"4688\"\n"
      "block: |\n"
      "  text\n"
      "folded: >\n"
      "  text\n"
      "tagged: !!str 4688\n"
      "leading_zero: 00000429\n");
  ASSERT_EQ(r.rendered, "");
  const YamlValue& doc = r.documents[0];
  EXPECT_TRUE(value_of(doc, "plain").plain);
  EXPECT_EQ(value_of(doc, "plain").text, "4688");
  EXPECT_FALSE(value_of(doc, "single").plain);
  EXPECT_EQ(value_of(doc, "single").text, "4688");
  EXPECT_FALSE(value_of(doc, "double").plain);
  EXPECT_FALSE(value_of(doc, "block").plain);
  EXPECT_EQ(value_of(doc, "block").text, "text\n");
  EXPECT_FALSE(value_of(doc, "folded").plain);
  EXPECT_FALSE(value_of(doc, "tagged").plain);
  EXPECT_EQ(value_of(doc, "tagged").text, "4688");
  // The loader keeps the text as written; YAML 1.1 typing is the rule reader's job.
  EXPECT_TRUE(value_of(doc, "leading_zero").plain);
  EXPECT_EQ(value_of(doc, "leading_zero").text, "00000429");
  EXPECT_TRUE(doc.entries[0].first.plain);
}

TEST(YamlLoader, NullSpellingsStayPlainScalarsAndEmptyValuesAreNull) {
  const Loaded r = load(
      "tilde: ~\n"
      "word: null\n"
      "upper: NULL\n"
      "quoted: 'null'\n"
      "empty:\n"
      "null: key\n"
      "list: [~, , x]\n");
  ASSERT_EQ(r.rendered, "");
  const YamlValue& doc = r.documents[0];
  ASSERT_EQ(doc.entries.size(), 7u);
  EXPECT_EQ(value_of(doc, "tilde").kind, YamlValue::Kind::Scalar);
  EXPECT_TRUE(value_of(doc, "tilde").plain);
  EXPECT_EQ(value_of(doc, "tilde").text, "~");
  EXPECT_EQ(position(value_of(doc, "tilde").location), "1:8");
  EXPECT_EQ(value_of(doc, "word").text, "null");
  EXPECT_EQ(value_of(doc, "upper").text, "NULL");
  EXPECT_FALSE(value_of(doc, "quoted").plain);
  // The empty value is followed by a key spelled `null`: that key is not the value.
  const YamlValue& empty = value_of(doc, "empty");
  EXPECT_EQ(empty.kind, YamlValue::Kind::Null);
  EXPECT_EQ(position(empty.location), "5:1");  // at its key
  EXPECT_EQ(doc.entries[5].first.kind, YamlValue::Kind::Scalar);
  EXPECT_EQ(doc.entries[5].first.text, "null");
  EXPECT_EQ(value_of(doc, "null").text, "key");
  const YamlValue& list = value_of(doc, "list");
  ASSERT_EQ(list.items.size(), 3u);
  EXPECT_EQ(list.items[0].kind, YamlValue::Kind::Scalar);
  EXPECT_EQ(list.items[1].kind, YamlValue::Kind::Null);
}

TEST(YamlLoader, MultiDocumentFilesAndEmptyDocuments) {
  const Loaded r = load(
      "a: 1\n"
      "---\n"
      "b: 2\n"
      "---\n"
      "---\n"
      "c: 3\n"
      "...\n"
      "d: 4\n"
      "---\n");
  ASSERT_EQ(r.rendered, "");
  ASSERT_EQ(r.documents.size(), 4u);
  EXPECT_EQ(r.documents[0].entries[0].first.text, "a");
  EXPECT_EQ(r.documents[1].entries[0].first.text, "b");
  EXPECT_EQ(position(r.documents[1].location), "3:1");
  EXPECT_EQ(r.documents[2].entries[0].first.text, "c");
  EXPECT_EQ(r.documents[3].entries[0].first.text, "d");
  EXPECT_TRUE(load("").documents.empty());
  EXPECT_TRUE(load("# only a comment\n").documents.empty());
}

TEST(YamlLoader, DuplicateKeysAreReportedAtTheSecondKey) {
  const Loaded r = load(
      "title: a\n"
      "detection:\n"
      "  sel: x\n"
      "  sel: y\n"
      "title: b\n");
  EXPECT_EQ(r.rendered,
            "f.yml:4:3: error: duplicate key 'sel', first defined at line 3 [yaml-duplicate-key]\n"
            "  sel: y\n"
            "  ^\n"
            "f.yml:5:1: error: duplicate key 'title', first defined at line 1 [yaml-duplicate-key]\n"
            "title: b\n"
            "^\n");
  ASSERT_EQ(r.documents.size(), 1u);
  // The first definition is kept.
  EXPECT_EQ(value_of(r.documents[0], "title").text, "a");
  EXPECT_EQ(value_of(value_of(r.documents[0], "detection"), "sel").text, "x");
}

TEST(YamlLoader, DuplicateKeysInLargeMapsAreFound) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "k" + std::to_string(i) + ": v\n";
  }
  text += "k7: again\n";
  const Loaded r = load(text);
  EXPECT_EQ(r.rendered,
            "f.yml:41:1: error: duplicate key 'k7', first defined at line 8 [yaml-duplicate-key]\n"
            "k7: again\n"
            "^\n");
  EXPECT_EQ(r.documents[0].entries.size(), 40u);
}

TEST(YamlLoader, DocumentErrorsAreFlaggedPerDocument) {
  sigrun::diag::SourceManager sources;
  sigrun::diag::DiagnosticEngine diags;
  const uint32_t file = sources.add_file("f.yml", "a: 1\n---\nb: 1\nb: 2\n---\nc: 1\n");
  const auto documents = sigrun::frontend::load_yaml_documents(file, sources.text(file), diags);
  ASSERT_EQ(documents.size(), 3u);
  EXPECT_FALSE(documents[0].has_errors);
  EXPECT_TRUE(documents[1].has_errors);
  EXPECT_FALSE(documents[2].has_errors);
}

TEST(YamlLoader, SyntaxErrorsKeepTheDocumentsBefore) {
  const Loaded r = load(
      "a: 1\n"
      "---\n"
      "b: [1, 2\n"
      "c: 3\n");
  EXPECT_EQ(r.rendered,
            "f.yml:4:2: error: end of sequence flow not found [yaml-syntax]\n"
            "c: 3\n"
            " ^\n");
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(r.documents[0].entries[0].first.text, "a");
}

TEST(YamlLoader, ErrorsBeforeAnyDocument) {
  const Loaded r = load("]\n");
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].code, "yaml-syntax");
  EXPECT_TRUE(r.documents.empty());
}

TEST(YamlLoader, IllegalMapValue) {
  const Loaded r = load("title: a: b\n");
  EXPECT_EQ(r.rendered,
            "f.yml:1:9: error: illegal map value [yaml-syntax]\n"
            "title: a: b\n"
            "        ^\n");
  EXPECT_TRUE(r.documents.empty());
}

// yaml-cpp is more lenient than YAML (and PyYAML) in a few places; the loader closes those gaps.
TEST(YamlLoader, YamlCppLeniencyIsRejected) {
  Loaded r = load("- a\nb: 1\n");
  EXPECT_EQ(r.rendered,
            "f.yml:2:1: error: unexpected content after the end of the document (a new document starts with "
            "'---') [yaml-syntax]\n"
            "b: 1\n"
            "^\n");
  EXPECT_TRUE(r.documents.empty());

  r = load("title: x\nstray\n");
  EXPECT_EQ(r.rendered,
            "f.yml:2:1: error: expected ':' after the key 'stray' [yaml-syntax]\n"
            "stray\n"
            "^\n");

  r = load("title: \"unterminated\n");
  EXPECT_EQ(r.rendered,
            "f.yml:1:8: error: missing the closing quote of this scalar [yaml-syntax]\n"
            "title: \"unterminated\n"
            "       ^\n");
  EXPECT_TRUE(r.documents.empty());

  // A tab before a key: yaml-cpp first ends a document holding `a`, then fails. No document survives.
  r = load("\ta: 1\n");
  EXPECT_EQ(r.rendered,
            "f.yml:1:3: error: illegal map value [yaml-syntax]\n"
            "\ta: 1\n"
            "\t ^\n");
  EXPECT_TRUE(r.documents.empty());

  // Explicit keys and flow maps may leave values out.
  r = load("? k\nflow: {x, y: 2}\n");
  EXPECT_EQ(r.rendered, "");
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(value_of(r.documents[0], "k").kind, YamlValue::Kind::Null);
}

TEST(YamlLoader, UnsupportedFeatures) {
  const Loaded r = load(
      "a: !!int \"5\"\n"
      "<<: {x: 1}\n"
      "[k]: 3\n"
      "b: !custom x\n");
  EXPECT_EQ(r.rendered,
            "f.yml:1:4: error: explicit tag '!!int' is not supported; only '!!str' is [yaml-unsupported]\n"
            "a: !!int \"5\"\n"
            "   ^\n"
            "f.yml:2:1: error: merge keys ('<<') are not supported [yaml-unsupported]\n"
            "<<: {x: 1}\n"
            "^\n"
            "f.yml:3:1: error: expected a scalar as map key, found a sequence [yaml-unsupported]\n"
            "[k]: 3\n"
            "^\n"
            "f.yml:4:4: error: explicit tag '!custom' is not supported; only '!!str' is [yaml-unsupported]\n"
            "b: !custom x\n"
            "   ^\n");
}

TEST(YamlLoader, AliasesAreExpanded) {
  const Loaded r = load(
      "base: &b [x, y]\n"
      "copy: *b\n");
  ASSERT_EQ(r.rendered, "");
  const YamlValue& copy = value_of(r.documents[0], "copy");
  ASSERT_EQ(copy.kind, YamlValue::Kind::Sequence);
  ASSERT_EQ(copy.items.size(), 2u);
  EXPECT_EQ(copy.items[1].text, "y");
}

TEST(YamlLoader, AliasBombIsStopped) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    const char previous = static_cast<char>(level - 1);
    text += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) {
      text += std::string(i == 0 ? "" : ", ") + "*" + previous;
    }
    text += "]\n";
  }
  const Loaded r = load(text);
  // The sixth level would hold 10^6 nodes.
  EXPECT_EQ(
      r.rendered,
      "f.yml:6:36: error: the yaml expands to more than 1000000 nodes (aliases are expanded); split the file "
      "or remove the aliases [yaml-too-large]\n"
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
      "                                   ^\n");
  EXPECT_TRUE(r.documents.empty());
}

TEST(YamlLoader, RecursiveAliasIsAnError) {
  const Loaded r = load("a: &x [*x]\n");
  EXPECT_EQ(r.rendered,
            "f.yml:1:8: error: alias refers to a node that contains it [yaml-syntax]\n"
            "a: &x [*x]\n"
            "       ^\n");
}

TEST(YamlLoader, DeepNestingIsStopped) {
  Loaded r = load(std::string(300, '[') + std::string(300, ']'));
  EXPECT_EQ(r.diags.error_count(), 1u);
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].code, "yaml-too-deep");
  EXPECT_EQ(r.diags.all()[0].message, "the yaml nests deeper than 256 levels");
  EXPECT_EQ(position(r.diags.all()[0].location), "1:257");

  std::string block;
  for (int i = 0; i < 400; ++i) {
    block += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  }
  r = load(block);
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].code, "yaml-too-deep");
  EXPECT_TRUE(r.documents.empty());

  r = load(std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].code, "yaml-too-deep");

  // 256 levels are fine.
  r = load(std::string(256, '[') + std::string(256, ']'));
  EXPECT_EQ(r.rendered, "");
  EXPECT_EQ(r.documents.size(), 1u);
}

TEST(YamlLoader, ByteOrderMarkIsSkipped) {
  const Loaded r = load(
      "\xEF\xBB\xBF"
      "a: 'x'\nb: \"y\"\n");
  ASSERT_EQ(r.rendered, "");
  EXPECT_EQ(position(value_of(r.documents[0], "a").location), "1:4");
  EXPECT_EQ(position(value_of(r.documents[0], "a").text_location(0)), "1:5");
  EXPECT_EQ(position(value_of(r.documents[0], "b").text_location(0)), "2:5");
}

// Text positions inside scalars: what condition errors are located with.
TEST(YamlLoader, TextLocationsFollowQuotingEscapesAndLines) {
  const Loaded r = load(
      "plain: sel and x\n"
      "single: 'it''s x'\n"
      "double: \"\\u00e9 x\\ty\"\n"
      "multi: sel\n"
      "   and  x\n"
      "block: |\n"
      "    sel\n"
      "      and x\n"
      "folded: >-\n"
      "  a\n"
      "  b\n"
      "anchored: &a 'q'\n");
  ASSERT_EQ(r.rendered, "");
  const YamlValue& doc = r.documents[0];
  const YamlValue& plain = value_of(doc, "plain");
  EXPECT_TRUE(plain.segments.empty());
  EXPECT_EQ(position(plain.text_location(4)), "1:12");
  EXPECT_EQ(position(plain.text_location(9)), "1:17");  // the end of the text

  const YamlValue& single = value_of(doc, "single");
  EXPECT_EQ(single.text, "it's x");
  EXPECT_EQ(position(single.text_location(0)), "2:10");
  EXPECT_EQ(position(single.text_location(2)), "2:12");  // the escaped quote
  EXPECT_EQ(position(single.text_location(5)), "2:16");  // x, after the '' escape
  EXPECT_EQ(position(single.text_location(6)), "2:17");  // the closing quote

  const YamlValue& dq = value_of(doc, "double");
  EXPECT_EQ(dq.text, "\xC3\xA9 x\ty");
  EXPECT_EQ(position(dq.text_location(0)), "3:10");
  EXPECT_EQ(position(dq.text_location(3)), "3:17");  // x, after the \u escape
  EXPECT_EQ(position(dq.text_location(4)), "3:18");  // the \t escape
  EXPECT_EQ(position(dq.text_location(5)), "3:20");  // y

  const YamlValue& multi = value_of(doc, "multi");
  EXPECT_EQ(multi.text, "sel and  x");
  EXPECT_EQ(position(multi.text_location(0)), "4:8");
  EXPECT_EQ(position(multi.text_location(4)), "5:4");
  EXPECT_EQ(position(multi.text_location(9)), "5:9");

  const YamlValue& block = value_of(doc, "block");
  EXPECT_EQ(block.text, "sel\n  and x\n");
  EXPECT_EQ(position(block.text_location(0)), "7:5");
  EXPECT_EQ(position(block.text_location(6)), "8:7");
  EXPECT_EQ(position(block.text_location(10)), "8:11");

  const YamlValue& folded = value_of(doc, "folded");
  EXPECT_EQ(folded.text, "a b");
  EXPECT_EQ(position(folded.text_location(2)), "11:3");

  EXPECT_EQ(position(value_of(doc, "anchored").text_location(0)), "12:15");
}

}  // namespace
