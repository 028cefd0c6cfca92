#include "firmnet/serve/datatype.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "model_config.pb.h"

namespace firmnet::serve {
namespace {

const DataType kNumeric[] = {
    DataType::kBool, DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64,
    DataType::kInt8, DataType::kInt16, DataType::kInt32,  DataType::kInt64,  DataType::kFp16,
    DataType::kFp32, DataType::kFp64,  DataType::kBf16};

TEST(DataType, NamesAndConfigEnumsAgreeWithTheProtocolSchema) {
  for (DataType t : kNumeric) {
    EXPECT_EQ(DataTypeFromName(DataTypeName(t)), t);
    const int e = DataTypeConfigEnum(t);
    EXPECT_EQ(DataTypeFromConfigEnum(e), t);
    // The enum of the generated schema has the same name for the number.
    EXPECT_EQ(inference::DataType_Name(static_cast<inference::DataType>(e)), DataTypeConfigName(t));
  }
  EXPECT_EQ(DataTypeFromName("FP33"), std::nullopt);
  EXPECT_EQ(DataTypeFromConfigEnum(0), std::nullopt);
  EXPECT_EQ(DataTypeFromConfigEnum(inference::TYPE_STRING), DataType::kBytes);
}

// Every finite binary16 (and bfloat16) pattern decodes to its value and encodes back to itself.
TEST(DataType, HalfAndBfloat16RoundTripEveryFinitePattern) {
  for (DataType t : {DataType::kFp16, DataType::kBf16}) {
    for (uint32_t bits = 0; bits < 65536; ++bits) {
      const auto h = static_cast<uint16_t>(bits);
      double v = 0;
      DecodeElements(t, &h, 1, &v);
      if (!std::isfinite(v)) continue;
      std::string out;
      EncodeElements(t, &v, 1, &out);
      ASSERT_EQ(out.size(), 2u);
      uint16_t back = 0;
      std::memcpy(&back, out.data(), 2);
      ASSERT_EQ(back, h) << DataTypeName(t) << " pattern " << bits << " value " << v;
    }
  }
  // A few values by definition.
  const uint16_t one = 0x3c00, min_sub = 0x0001, neg_two = 0xc000;
  double v = 0;
  DecodeElements(DataType::kFp16, &one, 1, &v);
  EXPECT_EQ(v, 1.0);
  DecodeElements(DataType::kFp16, &min_sub, 1, &v);
  EXPECT_EQ(v, std::ldexp(1.0, -24));
  DecodeElements(DataType::kFp16, &neg_two, 1, &v);
  EXPECT_EQ(v, -2.0);
}

TEST(DataType, EncodeThenDecodeKeepsValuesOfEveryType) {
  const double values[] = {0, 1, 2, 3, 100, 127};
  for (DataType t : kNumeric) {
    if (t == DataType::kBool) continue;
    std::string raw;
    EncodeElements(t, values, 6, &raw);
    ASSERT_EQ(raw.size(), static_cast<size_t>(6 * ElementSize(t)));
    double back[6];
    DecodeElements(t, raw.data(), 6, back);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(back[i], values[i]) << DataTypeName(t);
  }
  const double negatives[] = {-1, -128};
  std::string raw;
  EncodeElements(DataType::kInt8, negatives, 2, &raw);
  EXPECT_EQ(static_cast<int8_t>(raw[0]), -1);
  EXPECT_EQ(static_cast<int8_t>(raw[1]), -128);
}

FixedType Fx(int w, int i, bool s = true) { return *MakeFixedType(w, i, s); }

TEST(DataType, ExactInCountsSignificantBitsAndRange) {
  EXPECT_TRUE(ExactIn(Fx(16, 6), DataType::kFp32).ok());
  EXPECT_TRUE(ExactIn(Fx(25, 1), DataType::kFp32).ok());  // 24 magnitude bits
  const Status wide = ExactIn(Fx(26, 1), DataType::kFp32);
  EXPECT_FALSE(wide.ok());
  EXPECT_NE(wide.message().find("25 significant bits; FP32 holds 24"), std::string::npos)
      << wide.message();
  EXPECT_TRUE(ExactIn(Fx(24, 0, false), DataType::kFp32).ok());
  EXPECT_FALSE(ExactIn(Fx(25, 0, false), DataType::kFp32).ok());
  EXPECT_TRUE(ExactIn(Fx(53, 10), DataType::kFp64).ok());
  EXPECT_TRUE(ExactIn(Fx(11, 3, false), DataType::kFp16).ok());
  EXPECT_FALSE(ExactIn(Fx(12, 3, false), DataType::kFp16).ok());
  EXPECT_FALSE(ExactIn(Fx(8, 30), DataType::kFp16).ok());  // beyond 65504
  EXPECT_TRUE(ExactIn(Fx(8, 8), DataType::kInt8).ok());
  EXPECT_FALSE(ExactIn(Fx(8, 8, false), DataType::kInt8).ok());
  EXPECT_TRUE(ExactIn(Fx(8, 8, false), DataType::kUint8).ok());
  EXPECT_FALSE(ExactIn(Fx(8, 8), DataType::kUint8).ok());
  EXPECT_TRUE(ExactIn(Fx(8, 10), DataType::kInt16).ok());  // multiples of 4 up to 2^9
  EXPECT_FALSE(ExactIn(Fx(16, 6), DataType::kInt32).ok());
  EXPECT_TRUE(ExactIn(Fx(1, 1, false), DataType::kBool).ok());
  EXPECT_FALSE(ExactIn(Fx(16, 6), DataType::kBytes).ok());
}

}  // namespace
}  // namespace firmnet::serve
