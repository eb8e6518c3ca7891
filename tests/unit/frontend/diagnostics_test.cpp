// Diagnostics: the SourceManager, the DiagnosticEngine's counts and order, and the exact rendering.
#include "sigrun/compiler/diagnostics.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using sigrun::diag::Diagnostic;
using sigrun::diag::DiagnosticEngine;
using sigrun::diag::Severity;
using sigrun::diag::SourceLocation;
using sigrun::diag::SourceManager;

TEST(SourceManager, KeepsFilesAndSplitsLines) {
  SourceManager sources;
  const uint32_t a = sources.add_file("a.yml", "one\ntwo\r\n\nfour");
  const uint32_t b = sources.add_file("b.yml", "x\n");
  EXPECT_NE(a, b);
  EXPECT_NE(a, 0u);  // 0 is "no file"
  EXPECT_EQ(sources.path(a), "a.yml");
  EXPECT_EQ(sources.path(b), "b.yml");
  EXPECT_EQ(sources.text(b), "x\n");
  EXPECT_EQ(sources.line_text(a, 1), "one");
  EXPECT_EQ(sources.line_text(a, 2), "two");  // without the \r of a CRLF line end
  EXPECT_EQ(sources.line_text(a, 3), "");
  EXPECT_EQ(sources.line_text(a, 4), "four");
  EXPECT_EQ(sources.line_text(a, 5), "");
  EXPECT_EQ(sources.line_text(a, 0), "");
  EXPECT_EQ(sources.line_text(b, 2), "");
  EXPECT_EQ(sources.path(0), "<unknown>");
  EXPECT_EQ(sources.path(99), "<unknown>");
  EXPECT_EQ(sources.text(99), "");
  EXPECT_EQ(sources.line_text(99, 1), "");
}

TEST(DiagnosticEngine, CountsAndKeepsOrder) {
  DiagnosticEngine diags;
  diags.warning("w-1", {}, "first");
  diags.error("e-1", {1, 2, 3}, "second");
  diags.error("e-2", {}, "third");
  EXPECT_EQ(diags.error_count(), 2u);
  EXPECT_EQ(diags.warning_count(), 1u);
  ASSERT_EQ(diags.all().size(), 3u);
  EXPECT_EQ(diags.all()[0].severity, Severity::Warning);
  EXPECT_EQ(diags.all()[1].code, "e-1");
  EXPECT_EQ(diags.all()[1].location.column, 3u);
  EXPECT_EQ(diags.all()[2].message, "third");
}

std::string render(const std::string& text, SourceLocation at, Severity severity = Severity::Error) {
  SourceManager sources;
  const uint32_t file = sources.add_file("rules/r.yml", text);
  at.file = file;
  return sigrun::diag::render(Diagnostic{severity, "some-code", at, "expected x, found y"}, sources);
}

TEST(Render, LineColumnSnippetAndCaret) {
  EXPECT_EQ(render("title: a\ndetection: b\n", {0, 2, 12}),
            "rules/r.yml:2:12: error: expected x, found y [some-code]\n"
            "detection: b\n"
            "           ^\n");
  EXPECT_EQ(render("abc", {0, 1, 1}),
            "rules/r.yml:1:1: error: expected x, found y [some-code]\n"
            "abc\n"
            "^\n");
}

TEST(Render, Warnings) {
  EXPECT_EQ(render("abc\n", {0, 1, 2}, Severity::Warning),
            "rules/r.yml:1:2: warning: expected x, found y [some-code]\n"
            "abc\n"
            " ^\n");
}

TEST(Render, LineZeroIsTheWholeFile) {
  EXPECT_EQ(render("abc\n", {0, 0, 0}), "rules/r.yml: error: expected x, found y [some-code]\n");
}

TEST(Render, TabsAreKeptInTheCaretLine) {
  EXPECT_EQ(render("\tkey:\t value\n", {0, 1, 8}),
            "rules/r.yml:1:8: error: expected x, found y [some-code]\n"
            "\tkey:\t value\n"
            "\t    \t ^\n");
}

TEST(Render, MultiByteCharactersTakeOneCaretColumn) {
  // Columns count bytes; the caret line pads one space per character so it lines up on a terminal.
  EXPECT_EQ(render("k: \xC3\xA9t\xC3\xA9 x\n", {0, 1, 10}),
            "rules/r.yml:1:10: error: expected x, found y [some-code]\n"
            "k: \xC3\xA9t\xC3\xA9 x\n"
            "       ^\n");
}

TEST(Render, ColumnPastTheEndOfTheLine) {
  EXPECT_EQ(render("sel and\n", {0, 1, 8}),
            "rules/r.yml:1:8: error: expected x, found y [some-code]\n"
            "sel and\n"
            "       ^\n");
}

TEST(Render, CrLfLinesAreQuotedWithoutTheCarriageReturn) {
  EXPECT_EQ(render("a: 1\r\nb: 2\r\n", {0, 2, 4}),
            "rules/r.yml:2:4: error: expected x, found y [some-code]\n"
            "b: 2\n"
            "   ^\n");
}

TEST(Render, NothingToQuote) {
  // A line past the end of the file, an empty line, and a line without a column.
  EXPECT_EQ(render("a\n", {0, 5, 1}), "rules/r.yml:5:1: error: expected x, found y [some-code]\n");
  EXPECT_EQ(render("a\n\nb\n", {0, 2, 1}), "rules/r.yml:2:1: error: expected x, found y [some-code]\n");
  EXPECT_EQ(render("a\nline\n", {0, 2, 0}),
            "rules/r.yml:2: error: expected x, found y [some-code]\n"
            "line\n");
}

TEST(Render, UnknownFile) {
  SourceManager sources;
  EXPECT_EQ(sigrun::diag::render(Diagnostic{Severity::Error, "c", {7, 1, 2}, "m"}, sources),
            "<unknown>:1:2: error: m [c]\n");
}

}  // namespace
