// Tests the input shapes: keyword extraction and the evtx layout (extract/field_extractor.h), framing of
// documents over several lines (extract/json_framer.h, extract/document_reader.h), and Scanner::scan_stream
// per InputFormat: detection, CloudTrail records, counters and error lines. Matches over these inputs are
// tested end to end in tests/unit/cli and tests/conformance.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "extract/document_reader.h"
#include "extract/field_extractor.h"
#include "extract/json_framer.h"
#include "sigrun/engine.h"
#include "support/shared_data.h"

namespace sigrun {
namespace {

using extract::DocumentReader;
using extract::EventLayout;
using extract::FieldExtractor;
using extract::JsonFramer;

// A FILE* holding `text`, closed when the holder goes.
struct TempFile {
  explicit TempFile(const std::string& text) : file(std::tmpfile()) {
    std::fwrite(text.data(), 1, text.size(), file);
    std::rewind(file);
  }
  ~TempFile() { std::fclose(file); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::FILE* file;
};

std::vector<program::FieldSlot> plan(std::initializer_list<const char*> paths, bool folding = false) {
  std::vector<program::FieldSlot> fields;
  for (const char* path : paths) {
    fields.push_back({path, folding});
  }
  return fields;
}

// Extraction of one event placed in a padded buffer, with the slot texts read back.
class Extraction {
 public:
  explicit Extraction(const std::vector<program::FieldSlot>& fields) : extractor_(fields) {}

  bool run(const std::string& json, EventLayout layout) {
    buffer_ = json;
    buffer_.append(64, '\0');
    reason_.clear();
    return extractor_.extract(std::string_view(buffer_.data(), json.size()), event_, reason_, layout);
  }

  bool absent(size_t slot) const { return event_.slots.at(slot).first == kSigrunAbsent; }

  // "text" for strings, "#text" for numbers, "?text" for other kinds; folded texts when asked.
  std::vector<std::string> texts(size_t slot, bool folded = false) const {
    std::vector<std::string> out;
    const SigrunSlot& s = event_.slots.at(slot);
    if (s.first == kSigrunAbsent) {
      return {"<absent>"};
    }
    for (uint32_t i = s.first; i < s.first + s.count; ++i) {
      const SigrunValue& v = event_.values.at(i);
      const std::string prefix = v.kind == kSigrunString ? "" : v.kind == kSigrunNumber ? "#" : "?";
      out.push_back(prefix +
                    (folded ? std::string(v.folded, v.folded_len) : std::string(v.text, v.text_len)));
    }
    return out;
  }

  const std::string& reason() const { return reason_; }

 private:
  FieldExtractor extractor_;
  extract::ExtractedEvent event_;
  std::string buffer_;
  std::string reason_;
};

using Texts = std::vector<std::string>;

TEST(KeywordExtraction, EveryScalarValueInDocumentOrderNoKeysNoNull) {
  Extraction x(plan({"", "a"}));
  ASSERT_TRUE(x.run(R"({"a":"x","b":[1,true,null,{"c":"y","k":[2.50,[false]]}],"d":{"e":"z\"q"},"f":null})",
                    EventLayout::Flat))
      << x.reason();
  EXPECT_EQ(x.texts(0), (Texts{"x", "#1", "?true", "y", "#2.5", "?false", "z\"q"}));
  EXPECT_EQ(x.texts(1), (Texts{"x"}));
  ASSERT_TRUE(x.run(R"({"only":null,"keys":{}})", EventLayout::Flat));
  EXPECT_EQ(x.texts(0), Texts{});
}

TEST(KeywordExtraction, FoldedWhenTheSlotNeedsIt) {
  Extraction folded(plan({""}, true));
  ASSERT_TRUE(folded.run(R"({"a":"MiMi","b":["ÄRGER"]})", EventLayout::Flat));
  EXPECT_EQ(folded.texts(0), (Texts{"MiMi", "ÄRGER"}));
  EXPECT_EQ(folded.texts(0, true), (Texts{"mimi", "ärger"}));
  Extraction cased(plan({""}, false));
  ASSERT_TRUE(cased.run(R"({"a":"MiMi"})", EventLayout::Flat));
  EXPECT_EQ(cased.texts(0, true), Texts{"MiMi"});
}

TEST(KeywordExtraction, EvtxEventsGiveAllTheirValuesAttributesIncluded) {
  Extraction x(plan({"", "EventID"}));
  ASSERT_TRUE(x.run(R"({"Event":{"#attributes":{"xmlns":"ns"},"System":{"Provider":{"#attributes":)"
                    R"({"Name":"Sysmon"}},"EventID":{"#attributes":{"Qualifiers":"16384"},"#text":1}},)"
                    R"("EventData":{"Image":"a.exe"}}})",
                    EventLayout::Evtx))
      << x.reason();
  EXPECT_EQ(x.texts(0), (Texts{"ns", "Sysmon", "16384", "#1", "a.exe"}));
  EXPECT_EQ(x.texts(1), Texts{"#1"});
}

// One evtx_dump event with every shape the layout has.
const char* const kEvtxEvent =
    R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},)"
    R"("System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"5770385F"}},)"
    R"("EventID":{"#attributes":{"Qualifiers":"16384"},"#text":4688},"Version":2,"Level":4,)"
    R"("TimeCreated":{"#attributes":{"SystemTime":"2019-04-27T15:57:25.868864Z"}},"Correlation":null,)"
    R"("Execution":{"#attributes":{"ProcessID":1912,"ThreadID":996}},"Channel":"Security",)"
    R"("Computer":"IEWIN7","Security":{"#attributes":{"UserID":"S-1-5-18"}}},)"
    R"("EventData":{"#attributes":{"Name":"EVENT_X"},"Image":"C:\\a.exe","Source Name":"Real-Time",)"
    R"("SourceName":"second","Data":["one","two"],"Nested":{"#text":"inner"}},)"
    R"("UserData":{"{urn:x}LogFileCleared":{"#attributes":{"xmlns":"urn:x"},)"
    R"("{urn:x}SubjectUserName":"admin01","Plain":7}}}})";

TEST(EvtxLayout, SigmaNamesOfEveryPart) {
  const std::vector<program::FieldSlot> fields = plan({"EventID",
                                                       "EventID_Qualifiers",
                                                       "Provider_Name",
                                                       "Provider_Guid",
                                                       "Execution_ProcessID",
                                                       "Execution_ThreadID",
                                                       "TimeCreated_SystemTime",
                                                       "Security_UserID",
                                                       "Channel",
                                                       "Computer",
                                                       "Version",
                                                       "Correlation",
                                                       "Provider",
                                                       "Image",
                                                       "SourceName",
                                                       "Data",
                                                       "Nested",
                                                       "SubjectUserName",
                                                       "Plain",
                                                       "Name",
                                                       "xmlns",
                                                       "Event.System.Channel",
                                                       "Source Name"});
  Extraction x(fields);
  ASSERT_TRUE(x.run(kEvtxEvent, EventLayout::Evtx)) << x.reason();
  const std::map<std::string, Texts> expected = {
      {"EventID", {"#4688"}},
      {"EventID_Qualifiers", {"16384"}},
      {"Provider_Name", {"Microsoft-Windows-Sysmon"}},
      {"Provider_Guid", {"5770385F"}},
      {"Execution_ProcessID", {"#1912"}},
      {"Execution_ThreadID", {"#996"}},
      {"TimeCreated_SystemTime", {"2019-04-27T15:57:25.868864Z"}},
      {"Security_UserID", {"S-1-5-18"}},
      {"Channel", {"Security"}},
      {"Computer", {"IEWIN7"}},
      {"Version", {"#2"}},
      {"Correlation", {"?null"}},
      {"Provider", {"<absent>"}},  // attributes only: no text
      {"Image", {"C:\\a.exe"}},
      {"SourceName", {"Real-Time"}},  // `Source Name` comes first; the later `SourceName` is a repeat
      {"Data", {"one", "two"}},
      {"Nested", {"inner"}},
      {"SubjectUserName", {"admin01"}},
      {"Plain", {"#7"}},
      {"Name", {"<absent>"}},   // EventData's own attribute has no Sigma name
      {"xmlns", {"<absent>"}},  // nor have the event's
      {"Event.System.Channel", {"<absent>"}},
      {"Source Name", {"Real-Time"}},
  };
  for (size_t slot = 0; slot < fields.size(); ++slot) {
    EXPECT_EQ(x.texts(slot), expected.at(fields[slot].path)) << fields[slot].path;
  }
}

TEST(EvtxLayout, ValuesFromSeveralPlacesCollect) {
  Extraction x(plan({"Keywords"}));
  ASSERT_TRUE(
      x.run(R"({"Event":{"System":{"Keywords":"0x80"},"EventData":{"Keywords":"k"}}})", EventLayout::Evtx));
  EXPECT_EQ(x.texts(0), (Texts{"0x80", "k"}));
}

TEST(EvtxLayout, OnlyTheFirstUserDataElementCounts) {
  Extraction x(plan({"A"}));
  ASSERT_TRUE(x.run(R"({"Event":{"UserData":{"X":{"A":"1"},"Y":{"A":"2"}}}})", EventLayout::Evtx));
  EXPECT_EQ(x.texts(0), Texts{"1"});
}

TEST(EvtxLayout, EventsOfOtherShapesHaveNoFieldsButAreNotRejected) {
  Extraction x(plan({"EventID", "Image"}));
  ASSERT_TRUE(x.run(R"({"EventID":4688,"Image":"a"})", EventLayout::Evtx));
  EXPECT_TRUE(x.absent(0));
  EXPECT_TRUE(x.absent(1));
  ASSERT_TRUE(x.run(R"({"Event":{"System":null,"EventData":[{"Image":"a"}]}})", EventLayout::Evtx));
  EXPECT_EQ(x.texts(1), Texts{"a"});
  EXPECT_FALSE(x.run(R"([{"Event":{}}])", EventLayout::Evtx));
  EXPECT_EQ(x.reason(), "event is not a JSON object");
}

TEST(EvtxLayout, FlatLayoutOfTheSamePlanIsUnchanged) {
  Extraction x(plan({"Channel", "Event.System.Channel"}));
  ASSERT_TRUE(x.run(kEvtxEvent, EventLayout::Flat));
  EXPECT_TRUE(x.absent(0));
  EXPECT_EQ(x.texts(1), Texts{"Security"});
}

TEST(CloudTrailRecords, RecordsAreExtractedInTurn) {
  FieldExtractor extractor(plan({"eventName", ""}));
  std::string document = R"({"Records":[{"eventName":"A","n":1},7,{"eventName":"B"}],"x":1})";
  const size_t size = document.size();
  document.append(64, '\0');
  std::string reason;
  ASSERT_TRUE(extractor.parse(std::string_view(document.data(), size), reason)) << reason;
  EXPECT_TRUE(extractor.root_is_object());
  EXPECT_FALSE(extractor.root_is_evtx_event());
  ASSERT_TRUE(extractor.load_records());
  ASSERT_EQ(extractor.record_count(), 3u);
  extract::ExtractedEvent event;
  ASSERT_TRUE(extractor.extract_record(0, event, reason)) << reason;
  ASSERT_EQ(event.slots[0].count, 1u);
  EXPECT_EQ(std::string(event.values[event.slots[0].first].text, 1), "A");
  EXPECT_EQ(event.slots[1].count, 2u);  // keywords: the record's values only
  EXPECT_FALSE(extractor.extract_record(1, event, reason));
  EXPECT_EQ(reason, "CloudTrail record is not a JSON object");
  ASSERT_TRUE(extractor.extract_record(2, event, reason)) << reason;
  EXPECT_EQ(std::string(event.values[event.slots[0].first].text, 1), "B");
  std::string text;
  extractor.append_record_json(0, text);
  EXPECT_EQ(text, R"({"eventName":"A","n":1})");
}

TEST(CloudTrailRecords, OnlyATopLevelRecordsArrayMakesALogFile) {
  FieldExtractor extractor(plan({"a"}));
  std::string reason;
  for (const char* json : {R"({"Records":{"a":1}})", R"({"x":{"Records":[]}})", R"([{"Records":[]}])"}) {
    std::string padded = json;
    padded.append(64, '\0');
    ASSERT_TRUE(extractor.parse(std::string_view(padded.data(), std::strlen(json)), reason)) << json;
    EXPECT_FALSE(extractor.load_records()) << json;
  }
  std::string padded = R"({"Records":[],"Records":[{}]})";
  const size_t size = padded.size();
  padded.append(64, '\0');
  ASSERT_TRUE(extractor.parse(std::string_view(padded.data(), size), reason));
  ASSERT_TRUE(extractor.load_records());
  EXPECT_EQ(extractor.record_count(), 0u);  // the first `Records` member counts
}

// Feeds `lines` one by one, as DocumentReader does; the status after the last one.
JsonFramer::Status frame(const std::vector<std::string>& lines, size_t& end) {
  JsonFramer framer;
  framer.reset();
  JsonFramer::Status status = JsonFramer::Status::Incomplete;
  for (const std::string& line : lines) {
    status = framer.feed(line, end);
    if (status != JsonFramer::Status::Incomplete) {
      return status;
    }
    status = framer.line_break();
    if (status != JsonFramer::Status::Incomplete) {
      return status;
    }
  }
  return status;
}

TEST(JsonFramer, FindsTheEndOfAValueOverLines) {
  using Status = JsonFramer::Status;
  size_t end = 0;
  EXPECT_EQ(frame({R"({"a":[1,"}]",{"b":null}]} trailing)"}, end), Status::Complete);
  EXPECT_EQ(end, 25u);
  EXPECT_EQ(frame({"{", R"(  "Records": [)", R"(    {"a": "x\"]}"},)", "    {}", "  ]", "}"}, end),
            Status::Complete);
  EXPECT_EQ(end, 1u);
  EXPECT_EQ(frame({"{", R"(  "a": 1)"}, end), Status::Incomplete);
  EXPECT_EQ(frame({"[", "1", "]"}, end), Status::Complete);
  EXPECT_EQ(frame({"  123"}, end), Status::Complete);  // by the line break
  EXPECT_EQ(frame({R"("a\\")"}, end), Status::Complete);
  EXPECT_EQ(end, 5u);
}

TEST(JsonFramer, RefusesWhatCannotContinueAValue) {
  using Status = JsonFramer::Status;
  size_t end = 0;
  EXPECT_EQ(frame({R"({"a": 1)", R"({"b": 2})"}, end), Status::Malformed);
  EXPECT_EQ(end, 0u);
  EXPECT_EQ(frame({R"({"a":[1,2})"}, end), Status::Malformed);
  EXPECT_EQ(end, 9u);
  EXPECT_EQ(frame({R"({"a": "open)", R"(string"})"}, end), Status::Malformed);
  for (const char* bad :
       {R"({"a" 1})", R"({"a":1,})", R"([1,])", R"({1:2})", R"([1 2])", R"(})", R"({"a"::1})"}) {
    EXPECT_EQ(frame({bad}, end), Status::Malformed) << bad;
  }
  EXPECT_EQ(frame({std::string(2000, '[')}, end), Status::Malformed);  // deeper than simdjson reads
}

TEST(JsonFramer, LocatesTheElementsOfAMemberArray) {
  const std::string document =
      R"( {"x":{"Records":[9]}, "Records" : [ {"a":[1]} , 2,"s]" ,[3],true ], "y":1})";
  std::vector<extract::Span> spans;
  ASSERT_TRUE(extract::member_array_elements(document, "Records", spans));
  std::vector<std::string> texts;
  for (const extract::Span& span : spans) {
    texts.push_back(document.substr(span.begin, span.end - span.begin));
  }
  EXPECT_EQ(texts, (Texts{R"({"a":[1]})", "2", R"("s]")", "[3]", "true"}));
  EXPECT_TRUE(extract::member_array_elements(R"({"Records":[]})", "Records", spans));
  EXPECT_TRUE(spans.empty());
  EXPECT_FALSE(extract::member_array_elements(R"({"Records":{}})", "Records", spans));
  EXPECT_FALSE(extract::member_array_elements(R"({"records":[1]})", "Records", spans));
  EXPECT_FALSE(extract::member_array_elements(R"([{"Records":[1]}])", "Records", spans));
}

struct ReadDocument {
  std::string kind;  // "line", "joined", "malformed: REASON"
  uint64_t line;
  std::string text;
  bool operator==(const ReadDocument& other) const {
    return kind == other.kind && line == other.line && text == other.text;
  }
};

std::ostream& operator<<(std::ostream& out, const ReadDocument& d) {
  return out << "{" << d.kind << ", " << d.line << ", " << d.text << "}";
}

// Reads `input` as the scanner does in CloudTrail mode; a line "parses" when it starts with '{' and ends
// with '}' or is a bare word (the framer, not a parser, decides about the rest).
std::vector<ReadDocument> read_documents(const std::string& input) {
  TempFile file(input);
  DocumentReader reader(file.file);
  std::vector<ReadDocument> out;
  std::string_view line;
  uint64_t number = 0;
  while (reader.next_line(line, number)) {
    const std::string copy(line);
    const bool whole = (copy.front() == '{' && copy.back() == '}') || copy.front() == 'w';
    if (whole) {
      out.push_back({"line", number, copy});
      continue;
    }
    std::string_view text;
    std::string reason;
    switch (reader.join(line, text, reason)) {
      case DocumentReader::Join::NotContinued:
        out.push_back({"bad line", number, copy});
        break;
      case DocumentReader::Join::Joined:
        EXPECT_EQ(text.data()[text.size()], '\0') << "padding";
        out.push_back({"joined", number, std::string(text)});
        break;
      case DocumentReader::Join::Malformed:
        out.push_back({"malformed: " + reason, number, ""});
        break;
    }
  }
  return out;
}

TEST(DocumentReader, JoinsTheLinesOfOneDocument) {
  const std::vector<ReadDocument> expected = {
      {"line", 1, R"({"a":1})"},
      {"joined", 3, "{\n  \"Records\": [\n    {\"b\": \"{\"}\n  ]\n}"},
      {"line", 9, R"({"c":2})"},
  };
  EXPECT_EQ(read_documents("{\"a\":1}\n\n{\n  \"Records\": [\n    {\"b\": \"{\"}\n\n  ]\n}\n{\"c\":2}"),
            expected);
}

TEST(DocumentReader, AnUnfinishedLineDoesNotSwallowTheNextDocument) {
  const std::vector<ReadDocument> expected = {
      {"malformed: malformed JSON: the document is not closed before line 2", 1, ""},
      {"line", 2, R"({"b":2})"},
      {"bad line", 3, R"({"c":[1}x)"},
      {"malformed: malformed JSON: a string is not closed on line 5", 4, ""},
      {"line", 6, "word"},
      {"malformed: malformed JSON: the document is not closed at the end of the input", 7, ""},
  };
  EXPECT_EQ(read_documents("{\"a\": 1\n{\"b\":2}\n{\"c\":[1}x\n[\n\"open\nword\n{\n\"a\":"), expected);
}

// An engine with no rules: scan_stream() still reads, frames, detects and counts.
std::shared_ptr<const Engine> empty_engine() {
  auto engine = Engine::create(program::Program{});
  EXPECT_TRUE(engine) << engine.error().message;
  return engine.value();
}

struct StreamResult {
  ScanStats stats;
  std::vector<std::pair<uint64_t, std::string>> errors;
};

StreamResult scan_text(const std::string& input, InputFormat format) {
  Scanner scanner(empty_engine());
  TempFile file(input);
  StreamResult result;
  StreamOptions options;
  options.format = format;
  result.stats = scanner.scan_stream(
      file.file, nullptr,
      [&](const EventError& error) { result.errors.emplace_back(error.line, std::string(error.reason)); },
      options);
  EXPECT_EQ(result.stats.events_read, result.stats.events_evaluated + result.stats.events_rejected);
  return result;
}

const char* const kEvtxLine = R"({"Event":{"System":{"EventID":1,"Channel":"x"},"EventData":{"Image":"a"}}})";
const char* const kPrettyTrail =
    "{\n"
    "  \"Records\": [\n"
    "    {\"eventName\": \"A\"},\n"
    "    [\"not an object\"],\n"
    "    {\"eventName\": \"B\"}\n"
    "  ]\n"
    "}\n";

TEST(ScanStream, AutoDetectsEvtxFromEventSystem) {
  const StreamResult r =
      scan_text(std::string("{bad\n") + kEvtxLine + "\n" + kEvtxLine + "\n", InputFormat::Auto);
  EXPECT_EQ(r.stats.format, InputFormat::EvtxJson);
  EXPECT_EQ(r.stats.events_read, 3u);
  EXPECT_EQ(r.stats.events_rejected, 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].first, 1u);
}

TEST(ScanStream, AutoDetectsACloudTrailLogFileOverSeveralLines) {
  const StreamResult r = scan_text(
      std::string(kPrettyTrail) + R"({"Records":[{"eventName":"C"}]})" + "\n" + R"({"eventName":"D"})" + "\n",
      InputFormat::Auto);
  EXPECT_EQ(r.stats.format, InputFormat::CloudTrail);
  EXPECT_EQ(r.stats.events_read, 5u);
  EXPECT_EQ(r.stats.events_evaluated, 4u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], (std::pair<uint64_t, std::string>{1, "CloudTrail record is not a JSON object"}));
}

TEST(ScanStream, AutoDetectsCloudTrailOnOneLineAndFlatJson) {
  EXPECT_EQ(scan_text(R"({"Records":[{"a":1},{"a":2}]})", InputFormat::Auto).stats.format,
            InputFormat::CloudTrail);
  EXPECT_EQ(scan_text(R"({"Records":[{"a":1},{"a":2}]})", InputFormat::Auto).stats.events_read, 2u);
  const StreamResult flat = scan_text("[1]\n{\"Records\":1}\n{\"a\":1}\n", InputFormat::Auto);
  EXPECT_EQ(flat.stats.format, InputFormat::Json);
  EXPECT_EQ(flat.stats.events_read, 3u);
  EXPECT_EQ(flat.errors, (std::vector<std::pair<uint64_t, std::string>>{{1, "event is not a JSON object"}}));
  EXPECT_EQ(scan_text("", InputFormat::Auto).stats.format, InputFormat::Json);
}

TEST(ScanStream, AutoReadsAnObjectOverSeveralLinesAsCloudTrail) {
  const StreamResult r = scan_text("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", InputFormat::Auto);
  EXPECT_EQ(r.stats.format, InputFormat::CloudTrail);
  EXPECT_EQ(r.stats.events_read, 2u);
  EXPECT_EQ(r.stats.events_rejected, 0u);
}

TEST(ScanStream, GivenFormatsAreNotSecondGuessed) {
  // json and evtx-json stay one event per line, as before: a pretty-printed document is 7 lines.
  const StreamResult json = scan_text(kPrettyTrail, InputFormat::Json);
  EXPECT_EQ(json.stats.format, InputFormat::Json);
  EXPECT_EQ(json.stats.events_read, 7u);
  EXPECT_EQ(json.stats.events_rejected, 6u);  // `    {"eventName": "B"}` is an event of its own
  const StreamResult evtx = scan_text(R"({"Records":[{"a":1},{"a":2}]})", InputFormat::EvtxJson);
  EXPECT_EQ(evtx.stats.format, InputFormat::EvtxJson);
  EXPECT_EQ(evtx.stats.events_read, 1u);
  const StreamResult trail = scan_text(kEvtxLine, InputFormat::CloudTrail);
  EXPECT_EQ(trail.stats.format, InputFormat::CloudTrail);
  EXPECT_EQ(trail.stats.events_evaluated, 1u);
}

TEST(ScanStream, CloudTrailReportsMalformedDocumentsWithTheirFirstLine) {
  const std::string input = std::string(kPrettyTrail) +  // lines 1-7
                            "{\n"                        // 8: never closed before line 10
                            "  \"Records\": [\n"
                            "{\"eventName\":\"E\"}\n"  // 10: an element of the array
                            "{\"eventName\":\"F\"}\n"  // 11: cannot follow it: a new document
                            "{\n"                      // 12: closed, but not valid JSON
                            "  \"a\": tru\n"
                            "}\n"
                            "{\"eventName\":\"G\"}\n"  // 15
                            "{\n"                      // 16: not closed at the end
                            "  \"Records\": [\n";
  const StreamResult r = scan_text(input, InputFormat::CloudTrail);
  EXPECT_EQ(r.stats.events_read, 3u + 1 + 1 + 1 + 1 + 1);
  EXPECT_EQ(r.stats.events_evaluated, 2u + 1 + 1);
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].first, 1u);
  EXPECT_EQ(r.errors[1], (std::pair<uint64_t, std::string>{
                             8, "malformed JSON: the document is not closed before line 11"}));
  EXPECT_EQ(r.errors[2].first, 12u);
  EXPECT_EQ(r.errors[2].second.rfind("malformed JSON: ", 0), 0u) << r.errors[2].second;
  EXPECT_EQ(r.errors[3], (std::pair<uint64_t, std::string>{
                             16, "malformed JSON: the document is not closed at the end of the input"}));
}

// The real evtx_dump-layout dataset: every event is read and the Sigma-named fields are found.
TEST(EvtxDataset, EveryEventIsReadWithItsSigmaFields) {
  const std::filesystem::path dir = testing::shared_dir() / "datasets" / "windows-evtx-attack-samples";
  if (!std::filesystem::exists(dir / "events"))
    GTEST_SKIP() << "dataset not found at " << dir << " (set SIGRUN_SHARED_DIR)";
  std::map<std::string, uint64_t> manifest;  // file -> events
  std::ifstream manifest_in(dir / "manifest.tsv");
  std::string row;
  std::getline(manifest_in, row);  // header
  while (std::getline(manifest_in, row)) {
    const size_t tab1 = row.find('\t');
    const size_t tab2 = row.find('\t', tab1 + 1);
    const size_t tab3 = row.find('\t', tab2 + 1);
    manifest[row.substr(0, tab1)] = std::stoull(row.substr(tab2 + 1, tab3 - tab2 - 1));
  }
  ASSERT_GT(manifest.size(), 200u);

  const std::vector<program::FieldSlot> fields =
      plan({"Provider_Name", "EventID", "Channel", "Image", "CommandLine", "EventID_Qualifiers", "Computer"});
  FieldExtractor extractor(fields);
  extract::ExtractedEvent event;
  std::string reason;
  uint64_t events = 0;
  uint64_t files = 0;
  std::vector<uint64_t> present(fields.size(), 0);
  uint64_t lines_with_image = 0;
  uint64_t lines_with_command_line = 0;
  uint64_t lines_with_qualifiers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "events")) {
    const std::string name = entry.path().filename().string();
    ASSERT_EQ(manifest.count(name), 1u) << name;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    uint64_t file_events = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty())
        continue;
      ++file_events;
      lines_with_image += line.find("\"Image\":") != std::string::npos;
      lines_with_command_line += line.find("\"CommandLine\":") != std::string::npos;
      lines_with_qualifiers += line.find("\"Qualifiers\":") != std::string::npos;
      const size_t size = line.size();
      line.append(64, '\0');
      ASSERT_TRUE(extractor.extract(std::string_view(line.data(), size), event, reason, EventLayout::Evtx))
          << name << ":" << file_events << ": " << reason;
      for (size_t slot = 0; slot < fields.size(); ++slot) {
        present[slot] += event.slots[slot].first != kSigrunAbsent;
      }
      // Every event names its provider and has a numeric event id.
      ASSERT_EQ(event.slots[0].count, 1u) << name << ":" << file_events;
      EXPECT_GT(event.values[event.slots[0].first].text_len, 0u);
      ASSERT_EQ(event.slots[1].count, 1u) << name << ":" << file_events;
      EXPECT_EQ(event.values[event.slots[1].first].kind, kSigrunNumber) << name << ":" << file_events;
    }
    EXPECT_EQ(file_events, manifest[name]) << name;

    // The stream reader agrees, and auto detects the layout.
    std::FILE* input = std::fopen(entry.path().c_str(), "rb");
    ASSERT_NE(input, nullptr);
    Scanner scanner(empty_engine());
    const ScanStats stats = scanner.scan_stream(input, nullptr, nullptr);
    std::fclose(input);
    EXPECT_EQ(stats.format, InputFormat::EvtxJson) << name;
    EXPECT_EQ(stats.events_read, file_events) << name;
    EXPECT_EQ(stats.events_rejected, 0u) << name;
    events += file_events;
  }
  EXPECT_EQ(files, manifest.size());
  EXPECT_GT(events, 8000u);
  EXPECT_EQ(present[0], events);  // Provider_Name
  EXPECT_EQ(present[1], events);  // EventID
  EXPECT_EQ(present[2], events);  // Channel (null in some events, but there)
  EXPECT_EQ(present[6], events);  // Computer
  // Image, CommandLine and EventID's Qualifiers attribute occur in this dataset only where the layout
  // puts them, so the events with the key are the events with the field.
  EXPECT_GT(lines_with_image, 1000u);
  EXPECT_EQ(present[3], lines_with_image);
  EXPECT_GT(lines_with_command_line, 1000u);
  EXPECT_EQ(present[4], lines_with_command_line);
  EXPECT_GT(lines_with_qualifiers, 100u);
  EXPECT_EQ(present[5], lines_with_qualifiers);
}

}  // namespace
}  // namespace sigrun
