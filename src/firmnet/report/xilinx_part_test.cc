#include "firmnet/report/xilinx_part.h"

#include <gtest/gtest.h>

namespace firmnet::report {
namespace {

XilinxFamily Family(const std::string& part) {
  auto f = FamilyForPart(part);
  EXPECT_TRUE(f.ok()) << part << ": " << f.status().message();
  return f.ok() ? *f : XilinxFamily::kXc7;
}

TEST(XilinxPartTest, SevenSeries) {
  for (const char* p :
       {"xc7a35t-cpg236-1", "xc7k325t-ffg900-2", "xc7vx690t-ffg1761-2", "xc7z020clg400-1",
        "xc7s50-csga324-1", "XC7A100T", "xa7a50t-csg325-1q", "xq7z020-cl400-1q"}) {
    EXPECT_EQ(Family(p), XilinxFamily::kXc7) << p;
  }
}

TEST(XilinxPartTest, UltraScale) {
  for (const char* p : {"xcku115-flvb2104-2-i", "xcku040-ffva1156-2-e", "xcvu440-flga2892-2-e",
                        "xcvu095", "XCKU060"}) {
    EXPECT_EQ(Family(p), XilinxFamily::kXcu) << p;
  }
}

TEST(XilinxPartTest, UltraScalePlus) {
  for (const char* p :
       {"xcku5p-ffvb676-2-e", "xcku15p", "xcvu9p-flga2104-2L-e", "xcvu13p-fhga2104-3-e",
        "xczu9eg-ffvb1156-2-e", "xcau25p-ffvb676-2-e", "xck26-sfvc784-2LV-c",
        "xcu250-figd2104-2L-e", "xcu55c-fsvh2892-2L-e", "xqzu9eg"}) {
    EXPECT_EQ(Family(p), XilinxFamily::kXcup) << p;
  }
}

TEST(XilinxPartTest, FamilyNamesAreYosysValues) {
  EXPECT_STREQ(YosysFamilyName(XilinxFamily::kXc7), "xc7");
  EXPECT_STREQ(YosysFamilyName(XilinxFamily::kXcu), "xcu");
  EXPECT_STREQ(YosysFamilyName(XilinxFamily::kXcup), "xcup");
}

TEST(XilinxPartTest, UnknownPartsListTheAcceptedPrefixes) {
  for (const char* p : {"", "xc6slx9-2tqg144", "ep4ce22f17c6", "xcku", "xcku5q", "lfe5u-85f"}) {
    auto f = FamilyForPart(p);
    ASSERT_FALSE(f.ok()) << p;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(f.status().message().find("--part '" + std::string(p) + "'"), std::string::npos)
        << f.status().message();
    EXPECT_NE(f.status().message().find("Accepted parts: xc7a"), std::string::npos)
        << f.status().message();
    EXPECT_NE(f.status().message().find("xcku<N>p"), std::string::npos) << f.status().message();
  }
}

TEST(XilinxPartTest, VersalIsNamedAsUnsupported) {
  auto f = FamilyForPart("xcvc1902-vsva2197-2MP-e-S");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("Versal"), std::string::npos) << f.status().message();
}

TEST(XilinxPartTest, NewerFamiliesAreFaster) {
  // The model's only hard claim: per-level delays shrink from 7 series to UltraScale+.
  EXPECT_GT(DelayModelFor(XilinxFamily::kXc7).lut, DelayModelFor(XilinxFamily::kXcu).lut);
  EXPECT_GT(DelayModelFor(XilinxFamily::kXcu).lut, DelayModelFor(XilinxFamily::kXcup).lut);
}

}  // namespace
}  // namespace firmnet::report
