// Tests extract/line_reader.h: line splitting, numbering, padding and errors.
#include "extract/line_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace sigrun::extract {
namespace {

struct Line {
  uint64_t number;
  std::string text;
  bool operator==(const Line& other) const { return number == other.number && text == other.text; }
};

std::ostream& operator<<(std::ostream& out, const Line& line) {
  return out << line.number << ":\"" << line.text.substr(0, 40) << (line.text.size() > 40 ? "...\"" : "\"");
}

// A temporary file holding `content`, positioned at its start.
class TempInput {
 public:
  explicit TempInput(const std::string& content) : file_(std::tmpfile()) {
    EXPECT_NE(file_, nullptr);
    EXPECT_EQ(std::fwrite(content.data(), 1, content.size(), file_), content.size());
    std::rewind(file_);
  }
  ~TempInput() { std::fclose(file_); }
  TempInput(const TempInput&) = delete;
  TempInput& operator=(const TempInput&) = delete;
  std::FILE* get() const { return file_; }

 private:
  std::FILE* file_;
};

// Every line the reader returns; also reads the 64 bytes after each line, which must be readable (the
// sanitizer build catches a violation).
std::vector<Line> read_all(LineReader& reader) {
  std::vector<Line> lines;
  std::string_view line;
  uint64_t number = 0;
  while (reader.next(line, number)) {
    unsigned sum = 0;
    for (size_t i = 0; i < 64; ++i) {
      sum += static_cast<unsigned char>(line.data()[line.size() + i]);
    }
    (void)sum;
    lines.push_back({number, std::string(line)});
  }
  return lines;
}

std::vector<Line> read_all(const std::string& content) {
  TempInput input(content);
  LineReader reader(input.get());
  std::vector<Line> lines = read_all(reader);
  EXPECT_EQ(reader.error(), "");
  EXPECT_EQ(reader.bytes_read(), content.size());
  return lines;
}

using Lines = std::vector<Line>;

TEST(LineReaderTest, SplitsLines) {
  EXPECT_EQ(read_all("{\"a\":1}\n{\"b\":2}\n"), (Lines{{1, "{\"a\":1}"}, {2, "{\"b\":2}"}}));
}

TEST(LineReaderTest, EmptyInput) {
  EXPECT_EQ(read_all(""), Lines{});
  EXPECT_EQ(read_all("\n\n"), Lines{});
}

TEST(LineReaderTest, LastLineWithoutNewline) {
  EXPECT_EQ(read_all("one\ntwo"), (Lines{{1, "one"}, {2, "two"}}));
  EXPECT_EQ(read_all("only"), (Lines{{1, "only"}}));
  EXPECT_EQ(read_all("one\ntwo\r"), (Lines{{1, "one"}, {2, "two"}}));
  EXPECT_EQ(read_all("one\n  \t"), (Lines{{1, "one"}}));
}

TEST(LineReaderTest, CrLf) {
  EXPECT_EQ(read_all("a\r\nb\r\n\r\nc\r\n"), (Lines{{1, "a"}, {2, "b"}, {4, "c"}}));
  // Only one trailing \r goes; a \r elsewhere is data.
  EXPECT_EQ(read_all("a\r\r\nb\rc\n"), (Lines{{1, "a\r"}, {2, "b\rc"}}));
}

TEST(LineReaderTest, BlankLinesAreSkippedButCounted) {
  EXPECT_EQ(read_all("\n  \n\t\r\nx\n \n\ny\n\n"), (Lines{{4, "x"}, {7, "y"}}));
  // Leading and trailing whitespace of a real line is kept.
  EXPECT_EQ(read_all("  {}  \n"), (Lines{{1, "  {}  "}}));
}

TEST(LineReaderTest, NulBytesAreData) {
  const std::string content("a\0b\n\0\n", 6);
  EXPECT_EQ(read_all(content), (Lines{{1, std::string("a\0b", 3)}, {2, std::string("\0", 1)}}));
}

TEST(LineReaderTest, OneMegabyteLine) {
  const std::string big(1000000, 'x');
  EXPECT_EQ(read_all("a\n" + big + "\nb"), (Lines{{1, "a"}, {2, big}, {3, "b"}}));
}

TEST(LineReaderTest, LinesLongerThanTheBlock) {
  // The reader starts with 1 MiB blocks: these lines need the buffer to grow, twice for the second.
  std::string first(1500000, 'a');
  std::string second(5000000, 'b');
  for (size_t i = 0; i < second.size(); i += 4096) {
    second[i] = static_cast<char>('0' + i % 10);
  }
  EXPECT_EQ(read_all(first + "\n\n" + second + "\r\nend\n"), (Lines{{1, first}, {3, second}, {4, "end"}}));
  EXPECT_EQ(read_all(second), (Lines{{1, second}}));
}

TEST(LineReaderTest, LinesAcrossBlockBoundaries) {
  // About 6 MiB of lines of varying length: block boundaries fall inside lines, at their ends and
  // between \r and \n.
  std::string content;
  Lines want;
  uint64_t number = 0;
  while (content.size() < (size_t{6} << 20)) {
    ++number;
    const size_t length = (number * 7919) % 3001;
    if (number % 97 == 0) {
      content += "   \r\n";
      continue;
    }
    std::string text =
        std::to_string(number) + ":" + std::string(length, static_cast<char>('a' + number % 26));
    content += text + (number % 3 == 0 ? "\r\n" : "\n");
    want.push_back({number, text});
  }
  const Lines got = read_all(content);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << i;
  }
}

TEST(LineReaderTest, EndOfInputIsSticky) {
  TempInput input("x\n");
  LineReader reader(input.get());
  std::string_view line;
  uint64_t number = 0;
  ASSERT_TRUE(reader.next(line, number));
  EXPECT_EQ(line, "x");
  EXPECT_EQ(number, 1u);
  EXPECT_FALSE(reader.next(line, number));
  EXPECT_FALSE(reader.next(line, number));
  EXPECT_EQ(reader.error(), "");
  EXPECT_EQ(reader.bytes_read(), 2u);
}

TEST(LineReaderTest, ReadErrorIsReported) {
  // A stream opened only for writing fails every read.
  std::FILE* output = std::fopen("/dev/null", "w");
  ASSERT_NE(output, nullptr);
  LineReader reader(output);
  std::string_view line;
  uint64_t number = 0;
  EXPECT_FALSE(reader.next(line, number));
  EXPECT_NE(reader.error(), "");
  EXPECT_EQ(reader.error().rfind("read error", 0), 0u) << reader.error();
  EXPECT_FALSE(reader.next(line, number));
  std::fclose(output);
}

}  // namespace
}  // namespace sigrun::extract
