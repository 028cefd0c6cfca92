// hls::stream: FIFO order, the stream operators, and a loud, named failure when reading an
// empty stream (instead of the hang a real design would show).
#include "hls_stream.h"

#include <gtest/gtest.h>

#include "ap_fixed.h"

namespace {

TEST(HlsStream, FifoOrderAndOperators) {
  hls::stream<ap_fixed<16, 6>> s("layer2_out");
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.full());
  s.write(1.5);
  s << ap_fixed<16, 6>(-2.25);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.read().to_double(), 1.5);
  ap_fixed<16, 6> v;
  s >> v;
  EXPECT_EQ(v.to_double(), -2.25);
  EXPECT_TRUE(s.empty());
  ap_fixed<16, 6> w = 7;
  EXPECT_FALSE(s.read_nb(w));
  EXPECT_EQ(w.to_int(), 7);  // untouched
  EXPECT_TRUE(s.write_nb(3));
  EXPECT_TRUE(s.read_nb(w));
  EXPECT_EQ(w.to_int(), 3);
  EXPECT_EQ(s.name(), "layer2_out");
}

TEST(HlsStreamDeathTest, ReadingAnEmptyStreamNamesItAndAborts) {
  hls::stream<int> s("dense1_to_relu1");
  EXPECT_DEATH(s.read(), "hls::stream 'dense1_to_relu1': read while empty");
  int x = 0;
  EXPECT_DEATH(s >> x, "dense1_to_relu1");
}

}  // namespace
