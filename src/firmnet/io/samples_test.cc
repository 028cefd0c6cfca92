#include "firmnet/io/samples.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/text_samples.h"

namespace firmnet::io {
namespace {

namespace fs = std::filesystem;

// Passes when `haystack` contains `needle`; prints both otherwise. (A predicate formatter rather
// than gmock's HasSubstr, so the test binary needs only gtest.)
::testing::AssertionResult Contains(const char* haystack_expr, const char* needle_expr,
                                    const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << haystack_expr << " does not contain " << needle_expr
                                       << "\n  actual: " << haystack << "\n  wanted: " << needle;
}
#define EXPECT_CONTAINS(haystack, needle) EXPECT_PRED_FORMAT2(Contains, haystack, needle)

// A fresh directory per test, removed afterwards.
class SamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("firmnet_io_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void WriteRaw(const std::string& name, const std::string& bytes) const {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << bytes;
  }

  static std::string ReadRaw(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Names of all entries in the test directory (to prove no temporary file was left behind).
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

Matrix TrickyMatrix() {
  Matrix m;
  m.rows = 3;
  m.cols = 4;
  m.data = {0.1,
            -0.0,
            1e-300,
            std::numeric_limits<double>::denorm_min(),
            std::numeric_limits<double>::max(),
            -std::numeric_limits<double>::max(),
            std::numeric_limits<double>::min(),
            3.0,
            M_PI,
            -1.0 / 3.0,
            123456789012345678.0,
            0x1.fffffffffffffp-1};
  return m;
}

// Bit-for-bit equality: distinguishes -0.0 from 0.0 and catches a last-bit rounding error.
void ExpectBitIdentical(const Matrix& a, const Matrix& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.cols, b.cols);
  ASSERT_EQ(a.data.size(), b.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(a.data[i]), std::bit_cast<uint64_t>(b.data[i]))
        << "element " << i << ": " << a.data[i] << " vs " << b.data[i];
  }
}

// Builds an npy file by hand: version 1.0 unless `major` says otherwise.
std::string MakeNpy(const std::string& header_dict, const std::string& payload, int major = 1) {
  std::string header = header_dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  int len_bytes = major == 1 ? 2 : 4;
  for (int b = 0; b < len_bytes; ++b) out += static_cast<char>((header.size() >> (8 * b)) & 0xff);
  return out + header + payload;
}

template <typename T>
std::string Bytes(std::initializer_list<T> values) {
  std::string out;
  for (T v : values) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));  // little-endian host (checked in npy.cc)
    out.append(buf, sizeof(T));
  }
  return out;
}

std::string Dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST_F(SamplesTest, NpyRoundTripIsBitExact) {
  Matrix m = TrickyMatrix();
  ASSERT_TRUE(WriteSamples(Path("a.npy"), m).ok());
  std::string bytes = ReadRaw(Path("a.npy"));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  size_t header_len =
      static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_EQ(bytes[10 + header_len - 1], '\n');
  EXPECT_CONTAINS(bytes.substr(10, header_len),
                  "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }");
  EXPECT_EQ(bytes.size(), 10 + header_len + 12 * sizeof(double));
  auto back = ReadSamples(Path("a.npy"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectBitIdentical(m, *back);
}

TEST_F(SamplesTest, TextRoundTripIsBitExactForEveryTextExtension) {
  Matrix m = TrickyMatrix();
  for (const char* name : {"a.csv", "a.dat", "a.txt", "a.out", "A.CSV", "noext"}) {
    ASSERT_TRUE(WriteSamples(Path(name), m).ok()) << name;
    auto back = ReadSamples(Path(name));
    ASSERT_TRUE(back.ok()) << name << ": " << back.status().ToString();
    ExpectBitIdentical(m, *back);
  }
}

TEST_F(SamplesTest, TextRoundTripOfRandomBitPatterns) {
  std::mt19937_64 rng(12345);
  Matrix m;
  m.rows = 500;
  m.cols = 7;
  while (m.data.size() < 3500) {
    double v = std::bit_cast<double>(rng());
    if (std::isfinite(v)) m.data.push_back(v);
  }
  ASSERT_TRUE(WriteSamples(Path("r.txt"), m).ok());
  auto back = ReadSamples(Path("r.txt"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectBitIdentical(m, *back);
}

TEST_F(SamplesTest, TextOutputIsShortestFormOneRowPerLine) {
  Matrix m{2, 3, {0.1, -0.0, 1e-300, 3.0, 0.5, -1234.5678}};
  ASSERT_TRUE(WriteSamples(Path("o.dat"), m).ok());
  EXPECT_EQ(ReadRaw(Path("o.dat")), "0.1 -0 1e-300\n3 0.5 -1234.5678\n");
}

TEST_F(SamplesTest, WriteIsDeterministic) {
  Matrix m = TrickyMatrix();
  ASSERT_TRUE(WriteSamples(Path("a.npy"), m).ok());
  ASSERT_TRUE(WriteSamples(Path("b.npy"), m).ok());
  EXPECT_EQ(ReadRaw(Path("a.npy")), ReadRaw(Path("b.npy")));
}

TEST_F(SamplesTest, EmptyMatrixRoundTripsThroughNpy) {
  Matrix m{0, 5, {}};
  ASSERT_TRUE(WriteSamples(Path("e.npy"), m).ok());
  auto back = ReadSamples(Path("e.npy"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rows, 0);
  EXPECT_EQ(back->cols, 5);
}

TEST_F(SamplesTest, UnknownExtensionIsSniffed) {
  Matrix m{1, 2, {1.5, -2.5}};
  WriteRaw("x.bin", EncodeNpy(m));
  auto back = ReadSamples(Path("x.bin"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectBitIdentical(m, *back);
}

// ---------------------------------------------------------------------------------------------
// Text parsing

TEST(TextSamplesTest, AcceptsMixedSeparatorsCommentsAndLineEnds) {
  std::string text =
      "\xEF\xBB\xBF# header comment\r\n"
      "\n"
      "1,2,3\r\n"
      "   \t \n"
      "  # indented comment\n"
      "4 , 5\t6\n"
      "+7  -8.5e1\t\t.25";  // no final newline
  auto m = ParseTextSamples(text, "in.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 3);
  EXPECT_EQ(m->cols, 3);
  EXPECT_EQ(m->data, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, -85, 0.25}));
}

TEST(TextSamplesTest, ParsesDecimalsToTheNearestDouble) {
  auto m = ParseTextSamples("0.1 5e-324 -0 1.7976931348623157e308\n", "in.txt");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->data[0], 0.1);
  EXPECT_EQ(m->data[1], std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::signbit(m->data[2]));
  EXPECT_EQ(m->data[3], std::numeric_limits<double>::max());
}

struct TextError {
  const char* text;
  const char* message;
};

TEST(TextSamplesTest, ErrorsNameTheFileLineAndProblem) {
  const TextError cases[] = {
      {"1 2 3\n# c\n4 5\n",
       "in.csv:3: ragged rows: this row has 2 values, but the first row "
       "(line 1) has 3"},
      {"\n1 2\n3 4 5\n",
       "in.csv:3: ragged rows: this row has 3 values, but the first row (line 2)"},
      {"1 2\n3 abc\n", "in.csv:2: value 2: 'abc' is not a number"},
      {"x,y\n1,2\n", "in.csv:1: value 1: 'x' is not a number"},
      {"1 nan\n", "in.csv:1: value 2: value 'nan' is NaN"},
      {"1 -inf\n", "in.csv:1: value 2: value '-inf' is infinite"},
      {"Infinity\n", "in.csv:1: value 1: value 'Infinity' is infinite"},
      {"1,,2\n", "in.csv:1: empty value before the comma in column 3"},
      {",1\n", "in.csv:1: empty value before the comma in column 1"},
      {"1,2,\n", "in.csv:1: the line ends with a comma"},
      {"1 +-2\n", "in.csv:1: value 2: '+-2' is not a number"},
      {"++2\n", "in.csv:1: value 1: '++2' is not a number"},
      {"--2\n", "in.csv:1: value 1: '--2' is not a number"},
      {"+\n", "in.csv:1: value 1: '+' is not a number"},
      {"1.5.2\n", "in.csv:1: value 1: '1.5.2' is not a number"},
      {"0x10\n", "in.csv:1: value 1: '0x10' is not a number"},
      {"1e\n", "in.csv:1: value 1: '1e' is not a number"},
      {"1 2;3\n", "in.csv:1: value 2: '2;3' is not a number"},
      {"1e400\n", "in.csv:1: value 1: '1e400' is out of the range of a double"},
      {"1 \x01\x02\n", "in.csv:1: value 2: '\\x01\\x02' is not a number"},
      {"", "in.csv: no samples"},
      {"# only\n\n  \n", "in.csv: no samples"},
  };
  for (const auto& c : cases) {
    auto m = ParseTextSamples(c.text, "in.csv");
    ASSERT_FALSE(m.ok()) << "accepted: " << c.text;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_CONTAINS(m.status().message(), c.message) << "input: " << c.text;
  }
}

TEST(TextSamplesTest, LongTokensAreCutShortInMessages) {
  auto m = ParseTextSamples(std::string(1000, 'z'), "in.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_CONTAINS(m.status().message(), "'" + std::string(40, 'z') + "...'");
  EXPECT_LT(m.status().message().size(), 200u);
}

TEST(TextSamplesTest, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789.,eE+- \t\n\r#naif\x01";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string text;
    int len = static_cast<int>(rng() % 64);
    for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    auto m = ParseTextSamples(text, "fuzz.csv");
    if (m.ok()) {
      EXPECT_GT(m->rows, 0);
      EXPECT_EQ(m->data.size(), static_cast<size_t>(m->rows * m->cols));
      for (double v : m->data) EXPECT_TRUE(std::isfinite(v));
    } else {
      EXPECT_CONTAINS(m.status().message(), "fuzz.csv");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// npy decoding

TEST(NpyTest, DecodesEverySupportedDtypeExactly) {
  struct Case {
    std::string descr;
    std::string payload;
    std::vector<double> expected;
  };
  const Case cases[] = {
      {"<f8", Bytes<double>({0.1, -2.0}), {0.1, -2.0}},
      {"<f4", Bytes<float>({0.1f, -3.5f}), {static_cast<double>(0.1f), -3.5}},
      {"|i1", Bytes<int8_t>({-128, 127}), {-128, 127}},
      {"<i2", Bytes<int16_t>({-32768, 7}), {-32768, 7}},
      {"<i4", Bytes<int32_t>({-2147483647 - 1, 5}), {-2147483648.0, 5}},
      {"<i8", Bytes<int64_t>({-(int64_t{1} << 53), 9}), {-9007199254740992.0, 9}},
      {"<i8", Bytes<int64_t>({int64_t{1} << 60, -(int64_t{1} << 62)}), {0x1p60, -0x1p62}},
      {"|u1", Bytes<uint8_t>({255, 0}), {255, 0}},
      {"<u2", Bytes<uint16_t>({65535, 1}), {65535, 1}},
      {"<u4", Bytes<uint32_t>({4294967295u, 2}), {4294967295.0, 2}},
      {"<u8", Bytes<uint64_t>({uint64_t{1} << 53, 3}), {9007199254740992.0, 3}},
      {"|b1", Bytes<uint8_t>({1, 0}), {1, 0}},
      {"=f8", Bytes<double>({1.25, 2.5}), {1.25, 2.5}},
      {">i1", Bytes<int8_t>({-1, 1}), {-1, 1}},  // byte order is moot for one byte
  };
  for (const auto& c : cases) {
    auto m = DecodeNpy(MakeNpy(Dict(c.descr, "(2,)"), c.payload), "t.npy");
    ASSERT_TRUE(m.ok()) << c.descr << ": " << m.status().ToString();
    EXPECT_EQ(m->rows, 1) << c.descr;  // 1-D is one sample
    EXPECT_EQ(m->cols, 2) << c.descr;
    EXPECT_EQ(m->data, c.expected) << c.descr;
  }
}

TEST(NpyTest, DecodesTwoDimensionalRowMajorAndOtherHeaderSpellings) {
  std::string payload = Bytes<double>({1, 2, 3, 4, 5, 6});
  for (const std::string& dict :
       {Dict("<f8", "(3, 2)"), std::string("{\"shape\": (3L, 2L), \"fortran_order\": False, "
                                           "\"descr\": \"<f8\"}")}) {
    for (int major : {1, 2, 3}) {
      auto m = DecodeNpy(MakeNpy(dict, payload, major), "t.npy");
      ASSERT_TRUE(m.ok()) << dict << " v" << major << ": " << m.status().ToString();
      EXPECT_EQ(m->rows, 3);
      EXPECT_EQ(m->cols, 2);
      EXPECT_EQ(m->data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    }
  }
  // Fortran order is harmless for 1-D arrays.
  auto m = DecodeNpy(MakeNpy(Dict("<f8", "(2,)", true), Bytes<double>({1, 2})), "t.npy");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
}

struct NpyError {
  std::string bytes;
  std::string message;
};

TEST(NpyTest, ErrorsNameTheFileAndProblem) {
  const std::string f8x2 = Bytes<double>({1, 2});
  const NpyError cases[] = {
      {"", "t.npy: not an npy file"},
      {"hello world", "t.npy: not an npy file"},
      {"\x93NUMP", "t.npy: not an npy file"},
      {std::string("\x93NUMPY\x01\x00", 8), "t.npy: truncated npy file: 8 bytes"},
      {std::string("\x93NUMPY\x02\x00\x10\x00", 10), "t.npy: truncated npy file: 10 bytes"},
      {std::string("\x93NUMPY\x04\x00\x10\x00", 10), "unsupported npy format version 4.0"},
      {std::string("\x93NUMPY\x01\x00\xff\x00{}", 12),
       "truncated npy file: the header claims 255 bytes but only 2 follow"},
      {MakeNpy("['descr']", f8x2), "bad npy header: expected '{'"},
      {MakeNpy("{'descr': '<f8', 'shape': (2,)}", f8x2),
       "bad npy header: missing key 'fortran_order'"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False}", f8x2), "missing key 'shape'"},
      {MakeNpy("{'fortran_order': False, 'shape': (2,)}", f8x2), "missing key 'descr'"},
      {MakeNpy("{'descr': '<f8', 'descr': '<f8'}", f8x2), "duplicate key 'descr'"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,)}", f8x2),
       "expected True or False"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", f8x2),
       "unexpected key 'x'"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", f8x2), "expected a tuple"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", f8x2),
       "expected a non-negative integer in 'shape'"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", f8x2),
       "dimension too large"},
      {MakeNpy("{'descr': '<f8 , 'fortran_order': False, 'shape': (2,)}", f8x2), "bad npy header"},
      {MakeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk", f8x2),
       "unexpected text after the header dict"},
      {MakeNpy(Dict("<f8", "(1, 2)", true), f8x2), "Fortran (column-major) order"},
      {MakeNpy(Dict(">f8", "(2,)"), f8x2), "npy dtype '>f8' is big-endian"},
      {MakeNpy(Dict(">i4", "(2,)"), f8x2), "is big-endian"},
      {MakeNpy(Dict("<f2", "(2,)"), f8x2), "unsupported npy dtype '<f2'"},
      {MakeNpy(Dict("<c16", "(1,)"), Bytes<double>({1, 2})), "unsupported npy dtype '<c16'"},
      {MakeNpy(Dict("|S4", "(2,)"), f8x2), "unsupported npy dtype '|S4'"},
      {MakeNpy(Dict("|O", "(2,)"), f8x2), "unsupported npy dtype '|O'"},
      {MakeNpy(Dict("<U1", "(2,)"), f8x2), "unsupported npy dtype '<U1'"},
      {MakeNpy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}", f8x2),
       "structured arrays"},
      {MakeNpy(Dict("<f8", "()"), f8x2), "shape (); expected 1-D (one sample) or 2-D"},
      {MakeNpy(Dict("<f8", "(1, 1, 2)"), f8x2), "shape (1, 1, 2); expected 1-D"},
      {MakeNpy(Dict("<f8", "(0,)"), ""), "has samples with no values"},
      {MakeNpy(Dict("<f8", "(2, 0)"), ""), "has samples with no values"},
      {MakeNpy(Dict("<f8", "(3,)"), f8x2),
       "truncated npy file: shape (3,) of dtype '<f8' needs 24 bytes of data, found 16"},
      {MakeNpy(Dict("<f8", "(1,)"), f8x2),
       "npy file has trailing bytes: shape (1,) of dtype '<f8' needs 8 bytes of data, found 16"},
      {MakeNpy(Dict("<f8", "(4294967296, 4294967296)"), f8x2),
       "truncated npy file: shape (4294967296, 4294967296) of dtype '<f8' needs more than 2^64 "
       "bytes of data, found 16"},
      {MakeNpy(Dict("<f8", "(2, 1)"), Bytes<double>({1, std::nan("")})), "element [1, 0] is NaN"},
      {MakeNpy(Dict("<f4", "(1, 2)"), Bytes<float>({-INFINITY, 1})), "element [0, 0] is infinite"},
      {MakeNpy(Dict("<i8", "(1,)"), Bytes<int64_t>({(int64_t{1} << 53) + 1})),
       "element [0, 0] = 9007199254740993 cannot be represented exactly as a double"},
      {MakeNpy(Dict("<u8", "(1,)"), Bytes<uint64_t>({~uint64_t{0}})),
       "= 18446744073709551615 cannot be represented exactly"},
  };
  for (const auto& c : cases) {
    auto m = DecodeNpy(c.bytes, "t.npy");
    ASSERT_FALSE(m.ok()) << "accepted, expected: " << c.message;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_CONTAINS(m.status().message(), c.message);
    EXPECT_TRUE(m.status().message().starts_with("t.npy: ")) << m.status().message();
  }
}

TEST(NpyTest, EveryTruncationFailsCleanly) {
  for (int major : {1, 2}) {
    for (const std::string& descr : {std::string("<f8"), std::string("<f4"), std::string("|i1")}) {
      std::string payload = descr == "<f8"   ? Bytes<double>({1, 2, 3, 4, 5, 6})
                            : descr == "<f4" ? Bytes<float>({1, 2, 3, 4, 5, 6})
                                             : Bytes<int8_t>({1, 2, 3, 4, 5, 6});
      std::string full = MakeNpy(Dict(descr, "(2, 3)"), payload, major);
      ASSERT_TRUE(DecodeNpy(full, "t.npy").ok());
      for (size_t len = 0; len < full.size(); ++len) {
        auto m = DecodeNpy(std::string_view(full).substr(0, len), "t.npy");
        ASSERT_FALSE(m.ok()) << "truncation to " << len << " bytes was accepted";
        EXPECT_CONTAINS(m.status().message(), "t.npy: ");
      }
    }
  }
}

TEST(NpyTest, RandomCorruptionsNeverCrash) {
  Matrix m = TrickyMatrix();
  const std::string valid = EncodeNpy(m);
  std::mt19937 rng(2024);
  int accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string bytes = valid;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      // Mostly hit the preamble and header, where the parser lives.
      size_t pos = rng() % 4 == 0 ? rng() % bytes.size() : rng() % 80;
      bytes[pos] = static_cast<char>(rng() & 0xff);
    }
    if (rng() % 3 == 0) bytes.resize(rng() % (bytes.size() + 1));
    auto r = DecodeNpy(bytes, "fuzz.npy");
    if (r.ok()) {
      ++accepted;
      EXPECT_EQ(r->data.size(), static_cast<size_t>(r->rows * r->cols));
    } else {
      EXPECT_CONTAINS(r.status().message(), "fuzz.npy: ");
    }
  }
  // Flips in the data or the header padding keep the file valid; make sure some were tried.
  EXPECT_GT(accepted, 0);
}

TEST_F(SamplesTest, TruncatedNpyFilesOnDiskFailCleanly) {
  Matrix m{4, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
  ASSERT_TRUE(WriteSamples(Path("full.npy"), m).ok());
  std::string full = ReadRaw(Path("full.npy"));
  for (size_t len = 0; len < full.size(); len += 7) {
    WriteRaw("cut.npy", full.substr(0, len));
    auto r = ReadSamples(Path("cut.npy"));
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_CONTAINS(r.status().message(), Path("cut.npy"));
  }
}

TEST(NpyTest, ReadsFilesWrittenByNumpy) {
  // Written by tests/models/make_models.py with numpy's own np.save.
  auto m = ReadSamples(std::string(FIRMNET_SOURCE_DIR) + "/tests/models/mlp_relu_bn.inputs.npy");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 256);
  EXPECT_EQ(m->cols, 8);
  auto out = ReadSamples(std::string(FIRMNET_SOURCE_DIR) + "/tests/models/mlp_relu_bn.outputs.npy");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->rows, 256);
  EXPECT_EQ(out->cols, 4);
  // Softmax rows sum to one: proves the values were decoded, not just the shape.
  for (int64_t r = 0; r < out->rows; ++r) {
    double sum = 0;
    for (int64_t c = 0; c < out->cols; ++c) sum += out->data[static_cast<size_t>(r * 4 + c)];
    EXPECT_NEAR(sum, 1.0, 1e-12) << "row " << r;
  }
}

TEST(NpyTest, ReadsTheDemoInputs) {
  auto m = ReadSamples(std::string(FIRMNET_SOURCE_DIR) + "/examples/jet_tagger/inputs.npy");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 1000);
  EXPECT_EQ(m->cols, 16);
}

TEST(TextSamplesTest, ReadsHls4mlStyleDatFiles) {
  // hls4ml test benches read space-separated .dat files like this one (256 rows of 513 values).
  const std::string path =
      std::string(FIRMNET_SHARED_DIR) + "/example-models/data/garnet_1layer_input.dat";
  if (!fs::exists(path)) GTEST_SKIP() << path << " is not available";
  auto m = ReadSamples(path);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 256);
  EXPECT_EQ(m->cols, 513);
  EXPECT_EQ(m->data[2], 0.053925);
  EXPECT_EQ(m->data[3], 6.248223);
}

// ---------------------------------------------------------------------------------------------
// File-level errors and atomic writes

TEST_F(SamplesTest, MissingFileIsNotFound) {
  auto r = ReadSamples(Path("nope.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_CONTAINS(r.status().message(), Path("nope.csv"));
  EXPECT_CONTAINS(r.status().message(), "no such file");
}

TEST_F(SamplesTest, DirectoryIsNotAFile) {
  fs::create_directory(dir_ / "d.npy");
  auto r = ReadSamples(Path("d.npy"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_CONTAINS(r.status().message(), "not a regular file");
}

TEST_F(SamplesTest, FifoIsRefusedWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(Path("pipe.csv").c_str(), 0600), 0);
  auto r = ReadSamples(Path("pipe.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_CONTAINS(r.status().message(), Path("pipe.csv") + "': not a regular file");
}

TEST_F(SamplesTest, TextErrorsThroughReadSamplesNameThePath) {
  WriteRaw("bad.csv", "1,2\n3,4,5\n");
  auto r = ReadSamples(Path("bad.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_CONTAINS(r.status().message(), Path("bad.csv") + ":2: ragged rows");
  WriteRaw("bad.npy", "1,2\n");
  r = ReadSamples(Path("bad.npy"));
  ASSERT_FALSE(r.ok());
  EXPECT_CONTAINS(r.status().message(), Path("bad.npy") + ": not an npy file");
}

TEST_F(SamplesTest, WriteOverwritesAtomicallyAndLeavesNoTemporaryFiles) {
  WriteRaw("out.npy", "old contents");
  Matrix m{1, 1, {42.0}};
  ASSERT_TRUE(WriteSamples(Path("out.npy"), m).ok());
  EXPECT_EQ(Entries(), std::vector<std::string>{"out.npy"});
  auto back = ReadSamples(Path("out.npy"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->data, std::vector<double>{42.0});
}

TEST_F(SamplesTest, RejectedWritesLeaveTheOldFileAlone) {
  WriteRaw("keep.csv", "1 2\n");
  Matrix bad_size{2, 2, {1, 2, 3}};
  Status s = WriteSamples(Path("keep.csv"), bad_size);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_CONTAINS(s.message(), "a 2x2 matrix needs 4 values, but it holds 3");
  EXPECT_CONTAINS(s.message(), Path("keep.csv"));

  Matrix negative{-1, 2, {}};
  s = WriteSamples(Path("keep.csv"), negative);
  EXPECT_CONTAINS(s.message(), "negative matrix shape -1x2");

  Matrix with_nan{1, 3, {1, 2, std::nan("")}};
  s = WriteSamples(Path("keep.csv"), with_nan);
  EXPECT_CONTAINS(s.message(), "element [0, 2] is NaN");
  Matrix with_inf{2, 1, {1, -INFINITY}};
  s = WriteSamples(Path("keep.npy"), with_inf);
  EXPECT_CONTAINS(s.message(), "element [1, 0] is infinite");

  EXPECT_EQ(ReadRaw(Path("keep.csv")), "1 2\n");
  EXPECT_EQ(Entries(), std::vector<std::string>{"keep.csv"});
}

TEST_F(SamplesTest, FailedRenameRemovesTheTemporaryFile) {
  // A non-empty directory sits where the file should go, so the final rename fails.
  fs::create_directories(dir_ / "target.npy" / "inside");
  Status s = WriteSamples(Path("target.npy"), Matrix{1, 1, {1.0}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_CONTAINS(s.message(), "cannot write '" + Path("target.npy") + "'");
  EXPECT_EQ(Entries(), std::vector<std::string>{"target.npy"});
  EXPECT_TRUE(fs::is_directory(dir_ / "target.npy"));
}

TEST_F(SamplesTest, MissingDirectoryIsAnIoError) {
  Status s = WriteSamples(Path("no/such/dir/out.csv"), Matrix{1, 1, {1.0}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_CONTAINS(s.message(), "cannot write '" + Path("no/such/dir/out.csv") + "'");
  EXPECT_CONTAINS(s.message(), "No such file or directory");
  EXPECT_TRUE(Entries().empty());
}

TEST_F(SamplesTest, PathNamingADirectoryIsRejected) {
  Status s = WriteFileAtomic(Path("sub") + "/", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_CONTAINS(s.message(), "names a directory");
  s = WriteFileAtomic("", "x");
  EXPECT_CONTAINS(s.message(), "empty path");
}

TEST_F(SamplesTest, WriteTextRowsWritesValuesVerbatim) {
  std::vector<std::vector<std::string>> rows = {
      {"0.000000000000000000001", "-549755813887.999999999998181010596454143524169921875"},
      {"1", "-2"}};
  ASSERT_TRUE(WriteTextRows(Path("wide.txt"), rows).ok());
  EXPECT_EQ(
      ReadRaw(Path("wide.txt")),
      "0.000000000000000000001 -549755813887.999999999998181010596454143524169921875\n1 -2\n");
  auto back = ReadSamples(Path("wide.txt"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rows, 2);
  EXPECT_EQ(back->data[0], 1e-21);
  EXPECT_EQ(back->data[3], -2.0);
}

TEST_F(SamplesTest, WriteTextRowsRejectsValuesThatWouldNotReadBack) {
  WriteRaw("rows.txt", "old\n");
  for (const std::string& bad : {std::string(""), std::string("1 2"), std::string("1,2"),
                                 std::string("#1"), std::string("1\n2"), std::string("1\t")}) {
    Status s = WriteTextRows(Path("rows.txt"), {{"1", "2"}, {"3", bad}});
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_CONTAINS(s.message(), "row 1, value 1");
    EXPECT_CONTAINS(s.message(), Path("rows.txt"));
  }
  EXPECT_EQ(ReadRaw(Path("rows.txt")), "old\n");
  EXPECT_EQ(Entries(), std::vector<std::string>{"rows.txt"});
}

}  // namespace
}  // namespace firmnet::io
