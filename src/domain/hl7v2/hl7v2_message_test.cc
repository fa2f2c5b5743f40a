#include "domain/hl7v2/hl7v2_message.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace caredesk::hl7v2 {
namespace {

namespace fs = std::filesystem;

fs::path DataDir() {
  if (const char* dir = std::getenv("CAREDESK_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return fs::path(CAREDESK_SOURCE_DIR) / ".." / "shared" / "data";
}

fs::path Hl7Dir() { return DataDir() / "hl7v2"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The .hl7 files of a data set folder, sorted.
std::vector<fs::path> Hl7Files(std::string_view folder) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(Hl7Dir() / folder)) {
    if (e.path().extension() == ".hl7") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsBadSample(const fs::path& file) { return file.filename().string().starts_with("sample_bad_"); }

std::string Describe(const Error& e) { return e.reason + " at " + e.field + ": " + e.message; }

// Tests over /work/shared/data/hl7v2 (or $CAREDESK_DATA_DIR/hl7v2): a missing data set fails them.
class MessageDataSet : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_directory(Hl7Dir() / "messages") && fs::is_directory(Hl7Dir() / "python-hl7_samples"))
        << "the HL7 v2 data set is missing at " << Hl7Dir() << " (set CAREDESK_DATA_DIR to the shared data folder)";
  }

  static Result<Message> Parse(std::string_view relative) { return ParseMessage(ReadFile(Hl7Dir() / relative)); }
  static Result<MessageBatch> ParseBatch(std::string_view relative, BatchOptions options = {}) {
    return ParseBatchOrMessage(ReadFile(Hl7Dir() / relative), options);
  }
};

// ----- The data set

TEST_F(MessageDataSet, ParsesEveryMessageFile) {
  const std::vector<fs::path> files = Hl7Files("messages");
  EXPECT_EQ(files.size(), 139u);
  for (const fs::path& file : files) {
    const Result<Message> m = ParseMessage(ReadFile(file));
    EXPECT_TRUE(m.ok()) << file.filename() << ": " << Describe(m.error());
  }
}

TEST_F(MessageDataSet, ParsesEverySampleButTheBadOnes) {
  size_t good = 0;
  for (const fs::path& file : Hl7Files("python-hl7_samples")) {
    if (IsBadSample(file)) continue;
    ++good;
    const Result<MessageBatch> batch = ParseBatchOrMessage(ReadFile(file));
    ASSERT_TRUE(batch.ok()) << file.filename() << ": " << Describe(batch.error());
    EXPECT_FALSE(batch->messages.empty()) << file.filename();
  }
  EXPECT_EQ(good, 15u);
}

// MANIFEST.csv was derived independently (file, MSH-9, MSH-12, terminator, BOM, #MSH, #segments).
TEST_F(MessageDataSet, AgreesWithTheManifest) {
  std::ifstream manifest(Hl7Dir() / "MANIFEST.csv");
  ASSERT_TRUE(manifest.good());
  std::string line;
  std::getline(manifest, line);  // the header row
  size_t rows = 0;
  while (std::getline(manifest, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 8u) << line;
    const std::string& file = cells[0];
    ++rows;
    if (IsBadSample(file)) continue;
    const Result<MessageBatch> batch = ParseBatch(file);
    ASSERT_TRUE(batch.ok()) << file << ": " << Describe(batch.error());
    size_t segments = batch->envelope.segment_count();
    for (const Message& m : batch->messages) segments += m.segment_count();
    EXPECT_EQ(std::to_string(batch->messages.size()), cells[5]) << file;
    EXPECT_EQ(std::to_string(segments), cells[6]) << file;
    const Message& first = batch->messages.front();
    EXPECT_EQ(first.segment(0).RawField(9), cells[1]) << file;
    EXPECT_EQ(first.header().version, cells[2]) << file;
  }
  EXPECT_EQ(rows, 160u);
}

TEST_F(MessageDataSet, RejectsEachBadSampleForItsReason) {
  const std::map<std::string, std::pair<std::string_view, std::string>> expected = {
      {"sample_bad_batch.hl7", {reason::kSegmentBeforeMsh, "EVN[1]"}},     // BHS then EVN
      {"sample_bad_batch1.hl7", {reason::kNestedBatch, "BHS[2]"}},         // BHS inside a message
      {"sample_bad_file.hl7", {reason::kSegmentBeforeMsh, "EVN[1]"}},      // FHS BHS then EVN
      {"sample_bad_file1.hl7", {reason::kNestedBatch, "BHS[2]"}},          // BHS inside a message
      {"sample_bad_file2.hl7", {reason::kMisplacedFileHeader, "FHS[2]"}},  // FHS inside a message
      {"sample_bad_file3.hl7", {reason::kSegmentBeforeMsh, "EVN[1]"}},     // FHS then EVN
  };
  size_t bad = 0;
  for (const fs::path& file : Hl7Files("python-hl7_samples")) {
    if (!IsBadSample(file)) continue;
    ++bad;
    const auto it = expected.find(file.filename().string());
    ASSERT_NE(it, expected.end()) << "no expectation for " << file.filename();
    const Result<MessageBatch> batch = ParseBatchOrMessage(ReadFile(file));
    ASSERT_FALSE(batch.ok()) << file.filename();
    EXPECT_EQ(batch.error().reason, it->second.first) << file.filename() << ": " << Describe(batch.error());
    EXPECT_EQ(batch.error().field, it->second.second) << file.filename();
    EXPECT_EQ(ConditionOf(batch.error()), ErrorCondition::kSegmentSequenceError);
  }
  EXPECT_EQ(bad, expected.size());
}

TEST_F(MessageDataSet, ReadsNamesRepetitionsAndSubcomponents) {
  const Result<Message> m = Parse("messages/ADT-A01-01.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  // PID-5: EVERYMAN&&&&Aniston^ADAM^A^III^Dr.^MD^D^^^19241012^^^^PF^Addsm~Josh&&&&Bing^^stanley^...
  EXPECT_EQ(m->RepetitionCount("PID", 5), 2u);
  EXPECT_EQ(m->Get("PID", 5), "EVERYMAN");
  EXPECT_EQ(m->Get("PID", 5, 0, 1, 5), "Aniston");
  EXPECT_EQ(m->Get("PID", 5, 0, 2), "ADAM");
  EXPECT_EQ(m->Get("PID", 5, 1, 1, 1), "Josh");
  EXPECT_EQ(m->Get("PID", 5, 1, 3), "stanley");
  EXPECT_EQ(m->Raw("PID", 5, 0, 1), "EVERYMAN");
  // PID-3: PATID1234^5^M11^test1&2.16.1&HCD^MR^GOOD HEALTH HOSPITAL~123456789^^^USSSA^SS
  const std::optional<Segment> pid = m->Find("PID");
  ASSERT_TRUE(pid.has_value());
  EXPECT_EQ(pid->RepetitionCount(3), 2u);
  EXPECT_EQ(pid->ComponentCount(3, 0), 6u);
  EXPECT_EQ(pid->ComponentCount(3, 1), 5u);
  EXPECT_EQ(pid->Get(3, 0, 4, 2), "2.16.1");
  EXPECT_EQ(pid->Get(3, 1, 1), "123456789");
  EXPECT_EQ(pid->Get(3, 1, 4), "USSSA");
  EXPECT_EQ(pid->RawField(3).substr(0, 10), "PATID1234^");
}

TEST_F(MessageDataSet, NumbersMshFieldsFromTheFieldSeparator) {
  const Result<Message> m = Parse("messages/ADT-A01-01.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  const Segment msh = m->segment(0);
  EXPECT_EQ(msh.id(), "MSH");
  EXPECT_EQ(msh.Get(1), "|");
  EXPECT_EQ(msh.Get(2), "^~\\&");  // verbatim: neither split at ~ nor decoded at '\'
  EXPECT_EQ(msh.RepetitionCount(2), 1u);
  EXPECT_EQ(msh.Raw(2, 0, 2), "");
  EXPECT_EQ(msh.Get(3), "ADTApp");
  EXPECT_EQ(msh.Get(4, 0, 2), "2.16.840.1.122848.1.30");
  EXPECT_EQ(msh.Get(7), "198908181126+0215");
  EXPECT_EQ(msh.Get(8), "SECURITY");
  EXPECT_EQ(msh.Get(10), "MSG00001");
  EXPECT_EQ(msh.field_count(), 25u);
  EXPECT_EQ(msh.Get(25, 0, 2), "2.16.840.1.114884.10.23");

  const MessageHeader& h = m->header();
  EXPECT_EQ(h.sending_application, (HierarchicDesignator{"ADTApp", "", ""}));
  EXPECT_EQ(h.sending_facility, (HierarchicDesignator{"GHHSFacility", "2.16.840.1.122848.1.30", "ISO"}));
  EXPECT_EQ(h.receiving_application, (HierarchicDesignator{"EHRApp", "1.Edu", "ISO"}));
  EXPECT_EQ(h.receiving_facility.namespace_id, "GHHRFacility");
  EXPECT_EQ(h.timestamp, "198908181126+0215");
  EXPECT_EQ(h.type, (MessageType{"ADT", "A01", "ADT_A01"}));
  EXPECT_EQ(h.control_id, "MSG00001");
  EXPECT_EQ(h.processing_id, "P");
  EXPECT_EQ(h.version, "2.8");
  EXPECT_EQ(h.delimiters, Delimiters());
}

TEST_F(MessageDataSet, DecodesEscapeSequencesOnRead) {
  const Result<Message> m = Parse("messages/ADT-A01-01.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->Raw("PV1", 14), "NHS Provider-General (inc.A\\T\\E-this Hosp)");
  EXPECT_EQ(m->Get("PV1", 14), "NHS Provider-General (inc.A&E-this Hosp)");
}

TEST_F(MessageDataSet, ReadsASchedulingMessage) {
  const Result<Message> m = Parse("messages/SIU-S12-01.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->header().type, (MessageType{"SIU", "S12", "SIU_S12"}));
  EXPECT_EQ(m->Segments("SCH").size(), 1u);
  EXPECT_EQ(m->Get("SCH", 1), "12345");
}

TEST_F(MessageDataSet, SkipsTheByteOrderMark) {
  const std::string text = ReadFile(Hl7Dir() / "messages/ADT01-23.hl7");
  ASSERT_TRUE(text.starts_with("\xEF\xBB\xBFMSH|"));
  const Result<Message> m = ParseMessage(text);
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_TRUE(m->text().starts_with("MSH|"));
  EXPECT_EQ(m->header().sending_application.namespace_id, "AccMgr");
  EXPECT_EQ(m->header().version, "2.3");
  EXPECT_EQ(m->header().type, (MessageType{"ADT", "A01", ""}));
}

TEST_F(MessageDataSet, ReadsVersionsFrom23To28) {
  const std::map<std::string, std::string> versions = {
      {"messages/ADT01-23.hl7", "2.3"},       {"messages/PC1-Problem-Add-v2.3.1.hl7", "2.3.1"},
      {"messages/ORU-R01-RMGEAD.hl7", "2.4"}, {"messages/LAB-ORU-1.hl7", "2.5"},
      {"messages/VXU.hl7", "2.5.1"},          {"messages/ORM-O01-01.hl7", "2.6"},
      {"messages/ADT-A01-01.hl7", "2.8"},
  };
  for (const auto& [file, version] : versions) {
    const Result<Message> m = Parse(file);
    ASSERT_TRUE(m.ok()) << file << ": " << Describe(m.error());
    EXPECT_EQ(m->header().version, version) << file;
  }
}

TEST_F(MessageDataSet, ReadsComponentsAndRepetitionsOfTheRepetitionSample) {
  // PID|Field1|Component1^Component2|Component1^Sub-Component1&Sub-Component2^Component3|Repeat1~Repeat2
  const Result<Message> m = Parse("python-hl7_samples/rep_sample_hl7.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->Get("PID", 1), "Field1");
  EXPECT_EQ(m->Get("PID", 2, 0, 2), "Component2");
  EXPECT_EQ(m->Get("PID", 3, 0, 2, 2), "Sub-Component2");
  EXPECT_EQ(m->Get("PID", 3, 0, 3), "Component3");
  EXPECT_EQ(m->RepetitionCount("PID", 4), 2u);
  EXPECT_EQ(m->Get("PID", 4, 1), "Repeat2");
}

TEST_F(MessageDataSet, ReadsTerserPaths) {
  const Result<Message> m = Parse("messages/ADT-A01-01.hl7");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  const auto path = [&](std::string_view p) {
    const Result<std::string> value = m->GetPath(p);
    return value.ok() ? *value : "error: " + value.error().reason;
  };
  EXPECT_EQ(path("PID-5-2"), "ADAM");
  EXPECT_EQ(path("PID-5.1.5"), "Aniston");
  EXPECT_EQ(path("PID-5-1-5"), "Aniston");
  EXPECT_EQ(path("PID-3(1)-1"), "123456789");
  EXPECT_EQ(path("PID-3(1)"), "123456789");
  EXPECT_EQ(path("OBX-5(1)"), "120");
  EXPECT_EQ(path("ROL(0)-4-2"), "Smith");
  EXPECT_EQ(path("ROL(2)-4-2"), "Phoeb");
  EXPECT_EQ(path("ROL(3)-4-2"), "");  // there are three
  EXPECT_EQ(path("ZZZ-1"), "");
  EXPECT_EQ(path("MSH-9-2"), "A01");
  EXPECT_EQ(path("MSH-2"), "^~\\&");
  for (std::string_view bad : {"", "PID", "PID-", "PID-0", "PID-5-", "PID-5-0", "pid-5", "PID-5-1-1-1", "PID-x",
                               "PID(-5", "PID(1-5", "PID-5(1", "PIDX-5", "PID-99999999999999999999999"}) {
    EXPECT_EQ(path(bad), "error: invalid_path") << bad;
  }
}

TEST_F(MessageDataSet, LineEndingsFramingAndBomDoNotChangeTheMessage) {
  const std::string lf = ReadFile(Hl7Dir() / "messages/ADT-A01-01.hl7");
  ASSERT_EQ(lf.find('\r'), std::string::npos);
  // Each LF replaced by ends(n) for the n-th LF.
  const auto replace_lf = [&](const auto& ends) {
    std::string out;
    size_t n = 0;
    for (char c : lf) {
      if (c == '\n') {
        out += ends(n++);
      } else {
        out += c;
      }
    }
    return out;
  };
  const auto all = [](std::string_view end) { return [end](size_t) { return end; }; };
  const std::string mixed = replace_lf([](size_t n) { return n % 3 == 0 ? "\r" : n % 3 == 1 ? "\r\n" : "\n"; });
  const Result<Message> reference = ParseMessage(lf);
  ASSERT_TRUE(reference.ok()) << Describe(reference.error());
  const std::vector<std::string> variants = {
      replace_lf(all("\r")),
      replace_lf(all("\r\n")),
      mixed,
      lf + "\n\n\r\n",
      "\x0b" + replace_lf(all("\r")) + "\x1c\r",
      "\xEF\xBB\xBF" + lf + "\n",
      "\n\n" + lf,
      replace_lf(all("\n  \n")),
  };
  for (size_t v = 0; v < variants.size(); ++v) {
    const Result<Message> m = ParseMessage(variants[v]);
    ASSERT_TRUE(m.ok()) << "variant " << v << ": " << Describe(m.error());
    ASSERT_EQ(m->segment_count(), reference->segment_count()) << "variant " << v;
    for (size_t s = 0; s < m->segment_count(); ++s) {
      const Segment a = m->segment(s);
      const Segment b = reference->segment(s);
      ASSERT_EQ(a.field_count(), b.field_count()) << "variant " << v << " segment " << s;
      for (size_t f = 0; f <= a.field_count(); ++f) EXPECT_EQ(a.RawField(f), b.RawField(f));
    }
    EXPECT_EQ(m->Get("PID", 5, 1, 1), "Josh");
  }
}

// ----- Batches and files

TEST_F(MessageDataSet, ReadsAFileOfTwoBatches) {
  // FHS BHS MSH.. MSH.. BTS|2 BHS MSH.. BTS|1 FTS|2
  const Result<MessageBatch> batch = ParseBatch("python-hl7_samples/sample_file1.hl7");
  ASSERT_TRUE(batch.ok()) << Describe(batch.error());
  ASSERT_EQ(batch->messages.size(), 3u);
  EXPECT_EQ(batch->messages[0].header().control_id, "12334456778890");
  EXPECT_EQ(batch->messages[1].header().control_id, "12334456778891");
  EXPECT_EQ(batch->messages[1].Get("PID", 3), "0000112234");
  const Envelope& envelope = batch->envelope;
  ASSERT_TRUE(envelope.file_header().has_value());
  EXPECT_EQ(envelope.file_header()->Get(10), "abchs20070101123401.hl7");
  ASSERT_TRUE(envelope.file_trailer().has_value());
  EXPECT_EQ(envelope.file_trailer()->Get(1), "2");
  ASSERT_EQ(envelope.batches().size(), 2u);
  const BatchInfo& first = envelope.batches()[0];
  const BatchInfo& second = envelope.batches()[1];
  EXPECT_EQ(first.first_message, 0u);
  EXPECT_EQ(first.message_count, 2u);
  EXPECT_EQ(second.first_message, 2u);
  EXPECT_EQ(second.message_count, 1u);
  ASSERT_TRUE(first.header && second.header && first.trailer && second.trailer);
  EXPECT_EQ(envelope.segment(*first.header).id(), "BHS");
  EXPECT_EQ(envelope.segment(*first.header).Get(2), "^~\\&");
  EXPECT_EQ(envelope.segment(*first.header).Get(11), "abchs20070101123401-1");
  EXPECT_EQ(envelope.segment(*second.header).Get(11), "abchs20070101123401-2");
  EXPECT_EQ(envelope.segment(*first.trailer).Get(1), "2");
}

TEST_F(MessageDataSet, ReadsBareMessagesAsOneBatch) {
  const Result<MessageBatch> batch = ParseBatch("python-hl7_samples/sample_batch2.hl7");
  ASSERT_TRUE(batch.ok()) << Describe(batch.error());
  EXPECT_EQ(batch->messages.size(), 2u);
  EXPECT_EQ(batch->envelope.segment_count(), 0u);
  ASSERT_EQ(batch->envelope.batches().size(), 1u);
  EXPECT_FALSE(batch->envelope.batches()[0].header.has_value());
  EXPECT_EQ(batch->envelope.batches()[0].message_count, 2u);
}

TEST_F(MessageDataSet, ReadsOneMessageAsABatchOfOne) {
  const Result<MessageBatch> batch = ParseBatch("messages/ADT-A01-01.hl7");
  ASSERT_TRUE(batch.ok()) << Describe(batch.error());
  ASSERT_EQ(batch->messages.size(), 1u);
  EXPECT_EQ(batch->messages[0].segment_count(), 24u);
}

TEST_F(MessageDataSet, StrictEnvelopesNeedHeadersAndTrailersInPairs) {
  const BatchOptions strict{.strict_envelope = true};
  const std::map<std::string, std::pair<std::string_view, std::string>> expected = {
      {"sample_batch3.hl7", {reason::kMissingTrailer, "BHS[1]"}},  // BHS without BTS
      {"sample_file3.hl7", {reason::kMissingTrailer, "FHS[1]"}},   // FHS without FTS
      {"sample_file5.hl7", {reason::kMissingTrailer, "BHS[1]"}},   // BHS closed by FTS
      {"sample_batch4.hl7", {reason::kMissingHeader, "BTS[1]"}},   // BTS without BHS
      {"sample_file4.hl7", {reason::kMissingHeader, "FTS[1]"}},    // FTS without FHS
      {"sample_file6.hl7", {reason::kMissingHeader, "BTS[1]"}},    // FHS MSH BTS FTS
  };
  for (const auto& [file, failure] : expected) {
    const std::string relative = "python-hl7_samples/" + file;
    EXPECT_TRUE(ParseBatch(relative).ok()) << file << " is accepted when not strict";
    const Result<MessageBatch> batch = ParseBatch(relative, strict);
    ASSERT_FALSE(batch.ok()) << file;
    EXPECT_EQ(batch.error().reason, failure.first) << file << ": " << Describe(batch.error());
    EXPECT_EQ(batch.error().field, failure.second) << file;
  }
  for (const char* file : {"sample_file.hl7", "sample_file1.hl7", "sample_file2.hl7", "sample_batch.hl7"}) {
    const Result<MessageBatch> batch = ParseBatch(std::string("python-hl7_samples/") + file, strict);
    EXPECT_TRUE(batch.ok()) << file << ": " << Describe(batch.error());
  }
}

TEST_F(MessageDataSet, ChecksTheCountsOfTrailers) {
  std::string batch = ReadFile(Hl7Dir() / "python-hl7_samples/sample_batch1.hl7");
  const size_t bts = batch.find("BTS|2");
  ASSERT_NE(bts, std::string::npos);
  batch[bts + 4] = '3';
  Result<MessageBatch> parsed = ParseBatchOrMessage(batch);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().reason, reason::kTrailerCountMismatch);
  EXPECT_EQ(parsed.error().field, "BTS[1]-1");
  EXPECT_EQ(parsed.error().message, "BTS[1]-1 counts 3 messages, the input holds 2");

  batch[bts + 4] = 'x';
  parsed = ParseBatchOrMessage(batch);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().reason, reason::kInvalidTrailerCount);
  EXPECT_EQ(ConditionOf(parsed.error()), ErrorCondition::kDataTypeError);

  std::string file = ReadFile(Hl7Dir() / "python-hl7_samples/sample_file1.hl7");
  const size_t fts = file.find("FTS|2");
  ASSERT_NE(fts, std::string::npos);
  file[fts + 4] = '1';
  parsed = ParseBatchOrMessage(file);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().reason, reason::kTrailerCountMismatch);
  EXPECT_EQ(parsed.error().field, "FTS[1]-1");
}

// ----- Inline messages

constexpr std::string_view kAdt =
    "MSH|^~\\&|SEND|FAC|RECV|RFAC|20250310170000||ADT^A01^ADT_A01|CTRL1|P|2.5\r"
    "PID|1||123^^^MRN~456^^^SSN||Doe^John\r";

Result<MessageBatch> Batch(std::string_view text) { return ParseBatchOrMessage(text); }

TEST(Hl7Envelope, RejectsMisplacedEnvelopeSegments) {
  const std::string msh(kAdt.substr(0, kAdt.find('\r') + 1));
  const struct {
    std::string text;
    std::string_view reason;
    std::string field;
  } cases[] = {
      {msh + "BTS|1\rFTS|1\rMSH|x", reason::kSegmentAfterFileTrailer, "MSH[1]"},
      {msh + "BTS|1\rBTS|0\r", reason::kTrailerWithoutBatch, "BTS[2]"},
      {"BHS|^~\\&\rBTS|0\rBHS|^~\\&\rBTS|0\r", reason::kBatchesWithoutFile, "BHS[2]"},
      {msh + "BTS|1\r" + msh, reason::kBatchesWithoutFile, "MSH[1]"},
      {"FHS|^~\\&\rBHS|^~\\&\r" + msh + "BHS|^~\\&\r", reason::kNestedBatch, "BHS[2]"},
      {"FHS|^~\\&\rBHS|^~\\&\r" + msh + "FHS|^~\\&\r", reason::kMisplacedFileHeader, "FHS[2]"},
      {"FHS|^~\\&\rBHS|^~|&\r", reason::kInvalidDelimiters, "BHS[1]-2"},
      {"FHS|^~\\&\rBHS#^~\\&\r", reason::kInvalidDelimiters, "BHS[1]-2"},
      {"BHS|^~\\&\rPID|1\r", reason::kSegmentBeforeMsh, "PID[1]"},
      {"BHS|^~\\&\rBTS^0\r", reason::kInvalidSegmentId, "BTS[1]"},
      {"BHS|^~\\&\r?!\r", reason::kInvalidSegmentId, ""},
  };
  for (const auto& c : cases) {
    const Result<MessageBatch> batch = Batch(c.text);
    ASSERT_FALSE(batch.ok()) << c.text;
    EXPECT_EQ(batch.error().reason, c.reason) << c.text << " -> " << Describe(batch.error());
    EXPECT_EQ(batch.error().field, c.field) << c.text;
  }
}

TEST(Hl7Envelope, NamesTheMessageAnErrorIsIn) {
  const std::string text = std::string(kAdt) + "MSH|^~\\&|SEND|FAC|RECV|RFAC|20250310170000||ADT^A01|CTRL2|P\r";
  const Result<MessageBatch> batch = Batch(text);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().reason, reason::kMissingVersion);
  EXPECT_EQ(batch.error().field, "MSH[1]-12");
  EXPECT_EQ(batch.error().message, "message 2: MSH-12 (version id) is empty");
}

TEST(Hl7Envelope, AcceptsAnEmptyBatch) {
  const Result<MessageBatch> batch = Batch("BHS|^~\\&|APP\rBTS|0\r");
  ASSERT_TRUE(batch.ok()) << Describe(batch.error());
  EXPECT_TRUE(batch->messages.empty());
  ASSERT_EQ(batch->envelope.batches().size(), 1u);
  EXPECT_EQ(batch->envelope.segment(0).Get(3), "APP");
}

TEST(Hl7Message, ReadsCustomDelimiters) {
  // Component $, repetition %, escape *, subcomponent !, truncation @ (v2.7+).
  const Result<Message> m = ParseMessage(
      "MSH|$%*!@|APP|FAC|||20250101||ADT$A01$ADT_A01|1|P|2.8\r"
      "PID|1||12$$$MRN%34$$$SSN||Doe$John!Middle|a^b~c&d\\e\r"
      "NTE|1||a*F*b*S*c*T*d*R*e*E*f*P*g\r");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  const Delimiters& d = m->delimiters();
  EXPECT_EQ(d.component, '$');
  EXPECT_EQ(d.repetition, '%');
  EXPECT_EQ(d.escape, '*');
  EXPECT_EQ(d.subcomponent, '!');
  EXPECT_EQ(d.truncation, '@');
  EXPECT_EQ(d.EncodingCharacters(), "$%*!@");
  EXPECT_EQ(m->Get("MSH", 2), "$%*!@");
  EXPECT_EQ(m->header().type, (MessageType{"ADT", "A01", "ADT_A01"}));
  EXPECT_EQ(m->RepetitionCount("PID", 3), 2u);
  EXPECT_EQ(m->Get("PID", 3, 1, 1), "34");
  EXPECT_EQ(m->Get("PID", 3, 1, 4), "SSN");
  EXPECT_EQ(m->Get("PID", 5, 0, 2, 2), "Middle");
  EXPECT_EQ(m->Get("PID", 6), "a^b~c&d\\e");  // HL7's default delimiters are plain text here
  EXPECT_EQ(m->Get("NTE", 3), "a|b$c!d%e*f@g");
  EXPECT_EQ(Escape("a|b$c!d%e*f@g", d), "a*F*b*S*c*T*d*R*e*E*f*P*g");
}

TEST(Hl7Message, ReadsAnotherFieldSeparator) {
  const Result<Message> m = ParseMessage("MSH#^~\\&#APP#FAC#####ADT^A04#7#P#2.4\rPID#1##99^^^MRN|X\r");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->Get("MSH", 1), "#");
  EXPECT_EQ(m->header().control_id, "7");
  EXPECT_EQ(m->Get("PID", 3, 0, 4), "MRN|X");
}

TEST(Hl7Message, ReadsSegmentsWithFewFields) {
  const Result<Message> m = ParseMessage(std::string(kAdt) + "PD1\rNTE|\rZZ1|a||");
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->Find("PD1")->field_count(), 0u);
  EXPECT_EQ(m->Find("NTE")->field_count(), 1u);
  EXPECT_EQ(m->Find("ZZ1")->field_count(), 3u);
  EXPECT_EQ(m->Get("ZZ1", 1), "a");
  EXPECT_EQ(m->Find("ZZ1")->RawField(0), "ZZ1");
}

TEST(Hl7Message, ReadsAbsentPositionsAsEmpty) {
  const Result<Message> m = ParseMessage(kAdt);
  ASSERT_TRUE(m.ok()) << Describe(m.error());
  EXPECT_EQ(m->Get("PID", 99), "");
  EXPECT_EQ(m->Get("PID", 3, 5), "");
  EXPECT_EQ(m->Get("PID", 3, 0, 0), "");
  EXPECT_EQ(m->Get("PID", 3, 0, 1, 0), "");
  EXPECT_EQ(m->Get("PID", 3, 0, 9), "");
  EXPECT_EQ(m->Get("OBX", 5), "");
  EXPECT_EQ(m->RepetitionCount("PID", 2), 0u);
  EXPECT_EQ(m->Find("PID")->ComponentCount(2), 0u);
  EXPECT_FALSE(m->Find("PID", 1).has_value());
  EXPECT_TRUE(m->Segments("OBX").empty());
}

TEST(Hl7Message, StaysReadableWhenCopiedOrMoved) {
  std::optional<Message> original(*ParseMessage(kAdt));
  const Message copy = *original;
  const Message moved = std::move(*original);
  original.reset();
  EXPECT_EQ(copy.Get("PID", 5, 0, 2), "John");
  EXPECT_EQ(moved.Get("PID", 3, 1, 4), "SSN");
  EXPECT_EQ(moved.header().control_id, "CTRL1");
}

TEST(Hl7Message, RejectsAnIncompleteHeader) {
  const struct {
    std::string_view text;
    std::string_view reason;
    std::string_view field;
  } cases[] = {
      {"MSH", reason::kHeaderTooShort, "MSH[1]-2"},
      {"MSH|^~\\", reason::kHeaderTooShort, "MSH[1]-2"},
      {"MSH|^~\\|A", reason::kInvalidDelimiters, "MSH[1]-2"},
      {"MSH|^~\\&#!|A", reason::kInvalidDelimiters, "MSH[1]-2"},
      {"MSH|^^\\&|A", reason::kInvalidDelimiters, "MSH[1]-2"},
      {"MSH|^~\\a|A", reason::kInvalidDelimiters, "MSH[1]-2"},
      {"MSHA^~\\&A", reason::kInvalidDelimiters, "MSH[1]-2"},
      {"MSH|^~\\&", reason::kMissingMessageType, "MSH[1]-9"},
      {"MSH|^~\\&|||||||^A01|1|P|2.5", reason::kMissingMessageType, "MSH[1]-9"},
      {"MSH|^~\\&|||||||ADT^A01||P|2.5", reason::kMissingControlId, "MSH[1]-10"},
      {"MSH|^~\\&|||||||ADT^A01|1|P", reason::kMissingVersion, "MSH[1]-12"},
      {"MSH|^~\\&|||||||ADT^A01|1|P|2.2", reason::kUnsupportedVersion, "MSH[1]-12"},
      {"MSH|^~\\&|||||||ADT^A01|1|P|2.9", reason::kUnsupportedVersion, "MSH[1]-12"},
      {"MSH|^~\\&|||||||ADT^A01|1|P|3.0", reason::kUnsupportedVersion, "MSH[1]-12"},
      {"MSH|^~\\&|||||||ADT^A01|1|P|v2.5", reason::kUnsupportedVersion, "MSH[1]-12"},
  };
  for (const auto& c : cases) {
    const Result<Message> m = ParseMessage(c.text);
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.error().reason, c.reason) << c.text << " -> " << Describe(m.error());
    EXPECT_EQ(m.error().field, c.field) << c.text;
  }
  const Result<Message> old = ParseMessage("MSH|^~\\&|||||||ADT^A01|1|P|2.2");
  EXPECT_EQ(old.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(ConditionOf(old.error()), ErrorCondition::kUnsupportedVersionId);
  EXPECT_EQ(old.error().message, "HL7 version \"2.2\" is not supported (2.3 to 2.8.x are)");
  EXPECT_TRUE(ParseMessage("MSH|^~\\&|||||||ADT^A01|1|P|2.8.2").ok());
  EXPECT_TRUE(ParseMessage("MSH|^~\\&|||||||ADT^A01|1|P|2.3.1^USA").ok());
}

TEST(Hl7Message, RejectsWhatIsNotOneMessage) {
  const std::string adt(kAdt);
  const struct {
    std::string text;
    std::string_view reason;
    std::string_view field;
  } cases[] = {
      {"PID|1\r" + adt, reason::kSegmentBeforeMsh, "PID[1]"},
      {"BHS|^~\\&\r" + adt + "BTS|1", reason::kEnvelopeInMessage, "BHS[1]"},
      {adt + "BTS|1", reason::kEnvelopeInMessage, "BTS[1]"},
      {adt + adt, reason::kSecondMsh, "MSH[2]"},
      {adt + "pid|1", reason::kInvalidSegmentId, ""},
      {adt + "PIDX|1", reason::kInvalidSegmentId, ""},
      {adt + "PID^1", reason::kInvalidSegmentId, ""},
      {"hello world", reason::kInvalidSegmentId, ""},
  };
  for (const auto& c : cases) {
    const Result<Message> m = ParseMessage(c.text);
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_EQ(m.error().reason, c.reason) << c.text << " -> " << Describe(m.error());
    EXPECT_EQ(m.error().field, c.field) << c.text;
  }
}

TEST(Hl7Message, FailsCleanlyOnEmptyTruncatedOrGarbageInput) {
  const std::string bom = "\xEF\xBB\xBF";
  for (const std::string& text : {std::string(), bom, std::string("\x0b\x1c\r"), std::string("\r\n\r\n"),
                                  std::string("  \t "), bom + "\r\n", std::string(1, '\0'), std::string("MSH|")}) {
    EXPECT_FALSE(ParseMessage(text).ok());
    EXPECT_FALSE(ParseBatchOrMessage(text).ok());
    EXPECT_TRUE(SalvageHeader(text).control_id.empty());
  }
  EXPECT_EQ(ParseMessage("").error().reason, reason::kEmptyInput);
  EXPECT_EQ(ParseBatchOrMessage(bom).error().reason, reason::kEmptyInput);
  // Every prefix of a message either parses or fails with a reason; the prefixes that cut MSH
  // before MSH-12 fail.
  const size_t version_end = kAdt.find('\r');
  for (size_t n = 0; n <= kAdt.size(); ++n) {
    const Result<Message> m = ParseMessage(kAdt.substr(0, n));
    if (n < version_end) {
      ASSERT_FALSE(m.ok()) << n;
      EXPECT_FALSE(m.error().reason.empty());
    }
    const Result<MessageBatch> b = ParseBatchOrMessage(kAdt.substr(0, n));
    EXPECT_EQ(b.ok(), m.ok()) << n;
  }
}

TEST(Hl7Message, SalvagesTheHeaderOfARejectedMessage) {
  const MessageHeader old = SalvageHeader("\xEF\xBB\xBFMSH|^~\\&|SEND^1.2^ISO|FAC|||2025||ADT^A01|C\\F\\9|T|2.2\r");
  EXPECT_EQ(old.sending_application, (HierarchicDesignator{"SEND", "1.2", "ISO"}));
  EXPECT_EQ(old.control_id, "C|9");
  EXPECT_EQ(old.processing_id, "T");
  EXPECT_EQ(old.version, "2.2");
  // Broken encoding characters: the field separator is still usable.
  const MessageHeader broken = SalvageHeader("MSH|^^|SEND|FAC|||2025||ADT^A01|C9|P|2.5");
  EXPECT_EQ(broken.sending_application.namespace_id, "SEND");
  EXPECT_EQ(broken.control_id, "C9");
  EXPECT_EQ(broken.delimiters, Delimiters());
  // The MSH after a batch header.
  EXPECT_EQ(SalvageHeader("BHS|^~\\&\rMSH|^~\\&|A||||||ADT|C7").control_id, "C7");
  EXPECT_EQ(SalvageHeader("PID|1|2").control_id, "");
}

// ----- Escaping

TEST(Hl7Escaping, EscapesDelimitersAndLineBreaks) {
  const Delimiters d;
  EXPECT_EQ(Escape("a|b^c&d~e\\f", d), "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f");
  EXPECT_EQ(Escape("line 1\r\nline 2", d), "line 1\\X0D\\\\X0A\\line 2");
  EXPECT_EQ(Escape("\x0b"
                   "framed\x1c",
                   d),
            "\\X0B\\framed\\X1C\\");
  EXPECT_EQ(Escape("plain text #1", d), "plain text #1");
  Delimiters truncating;
  truncating.truncation = '#';
  EXPECT_EQ(Escape("plain text #1", truncating), "plain text \\P\\1");
}

TEST(Hl7Escaping, DecodesKnownSequencesAndKeepsTheRest) {
  const Delimiters d;
  EXPECT_EQ(Unescape("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", d), "a|b^c&d~e\\f");
  EXPECT_EQ(Unescape("\\X0D0A\\", d), "\r\n");
  EXPECT_EQ(Unescape("\\X41c3a9\\", d), "A\xc3\xa9");
  EXPECT_EQ(Unescape("first\\.br\\second", d), "first\nsecond");
  EXPECT_EQ(Unescape("\\H\\bold\\N\\", d), "\\H\\bold\\N\\");
  EXPECT_EQ(Unescape("\\Zlocal\\", d), "\\Zlocal\\");
  EXPECT_EQ(Unescape("\\X0\\ \\XZZ\\ \\X\\", d), "\\X0\\ \\XZZ\\ \\X\\");
  EXPECT_EQ(Unescape("\\P\\", d), "\\P\\");
  EXPECT_EQ(Unescape("a\\F", d), "a\\F");
  EXPECT_EQ(Unescape("C:\\dir\\file\\", d), "C:\\dir\\file\\");
  EXPECT_EQ(Unescape("\\\\", d), "\\\\");
  Delimiters truncating;
  truncating.truncation = '#';
  EXPECT_EQ(Unescape("\\P\\", truncating), "#");
}

TEST(Hl7Escaping, UnescapeInvertsEscape) {
  Delimiters custom{'$', '%', '*', '!', '@', '#'};
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
  for (const Delimiters& d : {Delimiters(), custom}) {
    for (const std::string& text : {std::string(), all_bytes, std::string("\\X0D\\ literally"),
                                    std::string("a\r\n\rb\n"), std::string("|^~\\&#$%*!@")}) {
      EXPECT_EQ(Unescape(Escape(text, d), d), text);
    }
  }
}

// ----- Versions and errors

TEST(Hl7Version, ParsesVersionIds) {
  EXPECT_EQ(ParseVersionId("2.5.1"), (VersionId{2, 5, 1}));
  EXPECT_EQ(ParseVersionId("2.3"), (VersionId{2, 3, 0}));
  EXPECT_LT(*ParseVersionId("2.3"), *ParseVersionId("2.3.1"));
  for (std::string_view bad : {"", "2", "2.", "2.5.", "2.5.1.1", "v2.5", "2.x", "2.5 ", "2.100"}) {
    EXPECT_FALSE(ParseVersionId(bad).has_value()) << bad;
  }
  EXPECT_TRUE(IsSupportedVersion("2.3"));
  EXPECT_TRUE(IsSupportedVersion("2.8.2"));
  EXPECT_FALSE(IsSupportedVersion("2.2"));
  EXPECT_FALSE(IsSupportedVersion("2.9"));
}

TEST(Hl7Errors, WritesAndReadsLocations) {
  EXPECT_EQ((ErrorLocation{"MSH", 1, 9}).ToString(), "MSH[1]-9");
  EXPECT_EQ((ErrorLocation{"EVN", 2, 0}).ToString(), "EVN[2]");
  EXPECT_EQ(ErrorLocation().ToString(), "");
  EXPECT_EQ(ParseErrorLocation("MSH[1]-9"), (ErrorLocation{"MSH", 1, 9}));
  EXPECT_EQ(ParseErrorLocation("OBX[3]"), (ErrorLocation{"OBX", 3, 0}));
  EXPECT_EQ(ParseErrorLocation("PID-3"), (ErrorLocation{"PID", 1, 3}));
  for (std::string_view other : {"", "name", "PID[x]", "PID-", "PID[1", "pid-3", "PID-3-1"}) {
    EXPECT_EQ(ParseErrorLocation(other), ErrorLocation()) << other;
  }
}

TEST(Hl7Errors, MapsReasonsToTable0357) {
  const Result<Message> missing = ParseMessage("MSH|^~\\&|||||||ADT^A01||P|2.5");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ConditionOf(missing.error()), ErrorCondition::kRequiredFieldMissing);
  EXPECT_EQ(LocationOf(missing.error()), (ErrorLocation{"MSH", 1, 10}));
  EXPECT_EQ(ConditionOf(Error::Invalid("x", "y", std::string(reason::kUnsupportedMessageType))),
            ErrorCondition::kUnsupportedMessageType);
  EXPECT_EQ(ConditionOf(Error::Internal("disk full")), ErrorCondition::kApplicationInternalError);
  EXPECT_EQ(ConditionText(ErrorCondition::kSegmentSequenceError), "Segment sequence error");
  EXPECT_EQ(ConditionText(ErrorCondition::kUnsupportedVersionId), "Unsupported version id");
}

}  // namespace
}  // namespace caredesk::hl7v2
