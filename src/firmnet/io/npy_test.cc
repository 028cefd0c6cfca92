// N-D npy arrays: DecodeNpyArray and EncodeNpyArray round trips, DecodeNpySamples (one sample
// per index of the first axis), and hostile headers (dimensions beyond int64, products that
// overflow, truncated data, too many dimensions). The 1-D/2-D matrix reader has its own tests in
// samples_test.cc.
#include "firmnet/io/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace firmnet::io {
namespace {

std::string MakeNpy(const std::string& dict, const std::string& payload) {
  std::string header = dict;
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\0';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + payload;
}

std::string Dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

std::string F8(const std::vector<double>& values) {
  std::string out(values.size() * 8, '\0');
  std::memcpy(out.data(), values.data(), out.size());  // little-endian host (checked in npy.cc)
  return out;
}

std::vector<double> Iota(int n) {
  std::vector<double> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v.push_back(i * 0.5 - 3);
  return v;
}

TEST(NpyArrayTest, RoundTripsEveryRank) {
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {3}, {2, 3}, {2, 3, 4}, {2, 5, 5, 1}, {1, 1, 1, 1, 1, 2}, {0, 5}, {2, 0, 3}, {0}};
  for (const auto& shape : shapes) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    const NdArray a{shape, Iota(static_cast<int>(n))};
    const std::string bytes = EncodeNpyArray(a);
    EXPECT_EQ(bytes.size() % 64, (n * 8) % 64) << FormatShape(shape);  // data 64-byte aligned
    auto back = DecodeNpyArray(bytes, "a.npy");
    ASSERT_TRUE(back.ok()) << FormatShape(shape) << ": " << back.status().message();
    EXPECT_EQ(back->shape, shape);
    EXPECT_EQ(back->data, a.data);
  }
  // The 2-D encoder and the N-D one write the same bytes for a matrix.
  EXPECT_EQ(EncodeNpyArray({{2, 3}, Iota(6)}), EncodeNpy(Matrix{2, 3, Iota(6)}));
}

TEST(NpyArrayTest, HeaderOfNumpysForm) {
  const std::string bytes = EncodeNpyArray({{2, 25, 25, 1}, std::vector<double>(1250)});
  EXPECT_NE(bytes.find("'shape': (2, 25, 25, 1), }"), std::string::npos);
  EXPECT_NE(EncodeNpyArray({{7}, Iota(7)}).find("'shape': (7,), }"), std::string::npos);
  EXPECT_NE(EncodeNpyArray({{}, {1.0}}).find("'shape': (), }"), std::string::npos);
}

TEST(NpyArrayTest, IntegerAndBoolArraysOfManyDimensions) {
  std::string payload;
  for (int16_t v : {1, -2, 3, -4, 5, -6, 7, -8}) payload.append(reinterpret_cast<char*>(&v), 2);
  auto a = DecodeNpyArray(MakeNpy(Dict("<i2", "(2, 2, 2)"), payload), "i.npy");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(a->data, (std::vector<double>{1, -2, 3, -4, 5, -6, 7, -8}));
  auto b = DecodeNpyArray(MakeNpy(Dict("|b1", "(1, 3, 1)"), std::string("\x01\x00\x07", 3)), "b");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->data, (std::vector<double>{1, 0, 1}));
  // Fortran order is harmless in one dimension, refused in more.
  EXPECT_TRUE(DecodeNpyArray(MakeNpy(Dict("<f8", "(2,)", true), F8({1, 2})), "f").ok());
  auto f = DecodeNpyArray(MakeNpy(Dict("<f8", "(1, 1, 2)", true), F8({1, 2})), "f.npy");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("Fortran (column-major) order"), std::string::npos);
}

TEST(NpyArrayTest, SamplesAreTheFirstAxis) {
  auto m = DecodeNpySamples(MakeNpy(Dict("<f8", "(2, 3, 2, 1)"), F8(Iota(12))), "s.npy");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->rows, 2);
  EXPECT_EQ(m->cols, 6);
  EXPECT_EQ(m->data, Iota(12));
  // 1-D: one sample, as DecodeNpy reads it.
  m = DecodeNpySamples(MakeNpy(Dict("<f8", "(4,)"), F8(Iota(4))), "s.npy");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->rows, 1);
  EXPECT_EQ(m->cols, 4);
  // Zero samples are fine; samples without values are not.
  m = DecodeNpySamples(MakeNpy(Dict("<f8", "(0, 3, 3)"), ""), "s.npy");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->rows, 0);
  EXPECT_EQ(m->cols, 9);
  for (const char* shape : {"(2, 0, 3)", "(2, 3, 0)", "(0,)"}) {
    auto e = DecodeNpySamples(MakeNpy(Dict("<f8", shape), ""), "s.npy");
    ASSERT_FALSE(e.ok()) << shape;
    EXPECT_NE(e.status().message().find("has samples with no values"), std::string::npos)
        << e.status().message();
  }
  auto scalar = DecodeNpySamples(MakeNpy(Dict("<f8", "()"), F8({1})), "s.npy");
  ASSERT_FALSE(scalar.ok());
  EXPECT_NE(scalar.status().message().find("shape ()"), std::string::npos);
  // Element positions are [sample, value].
  auto nan =
      DecodeNpySamples(MakeNpy(Dict("<f8", "(2, 2, 2)"), F8({0, 0, 0, 0, 0, NAN, 0, 0})), "s.npy");
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.status().message().find("element [1, 1] is NaN"), std::string::npos)
      << nan.status().message();
  // The matrix reader still refuses more than two dimensions.
  EXPECT_FALSE(DecodeNpy(MakeNpy(Dict("<f8", "(2, 3, 2, 1)"), F8(Iota(12))), "s.npy").ok());
}

TEST(NpyArrayTest, HostileShapesGiveClearErrors) {
  struct Case {
    std::string bytes;
    std::string message;
  };
  std::string rank65 = "(";
  for (int i = 0; i < 65; ++i) rank65 += "1, ";
  rank65 += ")";
  const std::vector<Case> cases = {
      // A dimension beyond int64_t.
      {MakeNpy(Dict("<f8", "(9223372036854775808,)"), F8({1})),
       "dimension 9223372036854775808 is too large"},
      {MakeNpy(Dict("<f8", "(2, 18446744073709551615, 2)"), F8({1})), "is too large"},
      // Products that overflow 64 bits, in the count or in the bytes.
      {MakeNpy(Dict("<f8", "(65536, 65536, 65536, 65536)"), F8({1})),
       "needs more than 2^64 bytes of data, found 8"},
      {MakeNpy(Dict("<f8", "(4294967296, 4294967296, 2)"), F8({1})), "more than 2^64 bytes"},
      // The count fits 64 bits unsigned but not int64_t.
      {MakeNpy(Dict("|u1", "(4294967296, 4294967296)"), F8({1})), "more than 2^64 bytes"},
      // Fits, but far beyond the data that is there.
      {MakeNpy(Dict("<f8", "(1000000, 1000000, 3)"), F8({1, 2})),
       "truncated npy file: shape (1000000, 1000000, 3) of dtype '<f8' needs 24000000000000 "
       "bytes of data, found 16"},
      {MakeNpy(Dict("<f8", "(2, 3, 4)"), F8(Iota(23))),
       "truncated npy file: shape (2, 3, 4) of dtype '<f8' needs 192 bytes of data, found 184"},
      {MakeNpy(Dict("<f8", "(2, 1, 1)"), F8(Iota(3))), "npy file has trailing bytes"},
      {MakeNpy(Dict("<f8", rank65), F8({1})), "npy array has 65 dimensions; at most 64"},
      {MakeNpy(Dict("<f8", "(2, 2, 1)"), F8({0, 0, 0, INFINITY})), "element [1, 1, 0] is infinite"},
      {MakeNpy(Dict("<f8", "(2, 2, 1"), F8(Iota(4))), "bad npy header"},
  };
  for (const auto& c : cases) {
    auto a = DecodeNpyArray(c.bytes, "h.npy");
    ASSERT_FALSE(a.ok()) << "accepted, expected: " << c.message;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find(c.message), std::string::npos)
        << a.status().message() << "\n  wanted: " << c.message;
    EXPECT_EQ(a.status().message().rfind("h.npy: ", 0), 0u) << a.status().message();
  }
  // A zero dimension makes the array empty, however large the others claim to be.
  auto empty = DecodeNpyArray(MakeNpy(Dict("<f8", "(0, 4611686018427387904, 4)"), ""), "z.npy");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->data.empty());
  // Every prefix of a valid file fails cleanly.
  const std::string good = EncodeNpyArray({{2, 3, 2}, Iota(12)});
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeNpyArray(good.substr(0, n), "cut.npy").ok()) << n;
  }
}

TEST(NpyArrayTest, ConsistencyAndShapeText) {
  EXPECT_TRUE(ConsistentArray({{}, {1}}));
  EXPECT_TRUE(ConsistentArray({{2, 0}, {}}));
  EXPECT_FALSE(ConsistentArray({{2, 2}, {1, 2, 3}}));
  EXPECT_FALSE(ConsistentArray({{-1, -1}, {1}}));
  EXPECT_FALSE(ConsistentArray({{INT64_MAX, INT64_MAX, 4}, {}}));
  EXPECT_EQ(FormatShape({2, 25, 25, 1}), "[2,25,25,1]");
  EXPECT_EQ(FormatShape({}), "[]");
}

}  // namespace
}  // namespace firmnet::io
