// Split, the first multi-output layer: its ports against slicing written here (every axis, two
// and three ports), in both engines and the float kernel; output ports as inputs of later layers
// and as model outputs; the text IR's port syntax; and the errors.
#include "firmnet/layers/split/split.h"

#include <gtest/gtest.h>

#include "firmnet/emu/emulator.h"
#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"
#include "firmnet/ir/verifier.h"

namespace firmnet::layers {
namespace {

// A graph that splits a [2, 3, 4] input on `axis` into `sizes` and outputs every port.
std::string SplitGraph(int axis, const std::vector<int64_t>& sizes, const std::string& result) {
  ir::Shape in = {2, 3, 4};
  std::string text = "graph g {\n  %x = input() shape=[2,3,4] precision{result=ap_fixed<16,6>}\n";
  text +=
      "  %s = split(%x, axis=" + std::to_string(axis) + ", sizes=" + ir::FormatShape(sizes) + ")";
  const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
  for (size_t k = 0; k < sizes.size(); ++k) {
    ir::Shape s = in;
    s[a] = sizes[k];
    text += k == 0 ? " shape=" + ir::FormatShape(s) + (sizes.size() > 1 ? " extra_shapes=[" : "")
                   : (k > 1 ? ", " : "") + ir::FormatShape(s);
  }
  if (sizes.size() > 1) text += "]";
  text += " precision{result=" + result + "}\n  outputs";
  for (size_t k = 0; k < sizes.size(); ++k) {
    text += (k ? ", %s" : " %s") + (k ? ":" + std::to_string(k) : std::string());
  }
  return text + "\n}\n";
}

TEST(SplitTest, PortsHoldTheSlicesAlongEveryAxis) {
  struct Case {
    int axis;
    std::vector<int64_t> sizes;
  };
  for (const Case& c : std::vector<Case>{
           {0, {1, 1}}, {1, {1, 2}}, {-2, {2, 1}}, {2, {1, 2, 1}}, {-1, {3, 1}}, {1, {3}}}) {
    SCOPED_TRACE("axis " + std::to_string(c.axis) + " sizes " + ir::FormatShape(c.sizes));
    auto g = ir::ParseGraph(SplitGraph(c.axis, c.sizes, "ap_fixed<16,6>"), "split.fnir");
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    ASSERT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kResolved).ok());
    ASSERT_TRUE(CheckShapes(*g).ok()) << CheckShapes(*g).ToString();
    // Inputs: value i is i / 8 (exact in <16,6>).
    emu::Batch in{1, 24, {}};
    for (int i = 0; i < 24; ++i) in.data.push_back(i / 8.0);
    const size_t a = static_cast<size_t>(c.axis < 0 ? c.axis + 3 : c.axis);
    const int64_t dims[3] = {2, 3, 4};
    for (emu::Engine engine : {emu::Engine::kInt64, emu::Engine::kBigInt}) {
      auto e = emu::Emulator::CreateWithEngine(*g, engine);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      emu::RunOptions opts;
      opts.trace = true;
      auto r = (*e)->Run(in, opts);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ASSERT_EQ(r->outputs.size(), c.sizes.size());
      int64_t start = 0;
      for (size_t k = 0; k < c.sizes.size(); ++k) {
        // The slice [start, start + size) of axis a, row-major, from coordinates.
        std::vector<double> want;
        for (int64_t i = 0; i < dims[0]; ++i) {
          for (int64_t j = 0; j < dims[1]; ++j) {
            for (int64_t l = 0; l < dims[2]; ++l) {
              const int64_t pos[3] = {i, j, l};
              if (pos[a] >= start && pos[a] < start + c.sizes[k]) {
                want.push_back(static_cast<double>((i * 3 + j) * 4 + l) / 8.0);
              }
            }
          }
        }
        EXPECT_EQ(r->outputs[k].data, want) << "port " << k;
        const std::string name = ir::TensorRef("s", static_cast<int>(k)).ToString();
        ASSERT_TRUE(r->trace.count(name)) << name;
        EXPECT_EQ(r->trace.at(name).data, want) << name;
        start += c.sizes[k];
      }
    }
    auto f = emu::FloatEmulator::Create(*g);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    auto fr = (*f)->Run(in);
    ASSERT_TRUE(fr.ok());
    auto fixed = emu::Emulator::Create(*g);
    auto xr = (*fixed)->Run(in);
    for (size_t k = 0; k < c.sizes.size(); ++k) EXPECT_EQ(fr->outputs[k].data, xr->outputs[k].data);
    // The text IR prints the ports and reads them back.
    const std::string printed = ir::PrintGraph(*g);
    if (c.sizes.size() > 1) {
      EXPECT_NE(printed.find("outputs %s, %s:1"), std::string::npos) << printed;
    }
    auto back = ir::ParseGraph(printed, "printed.fnir");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, *g);
  }
}

TEST(SplitTest, CastsToTheResultTypeAndFeedsLaterLayers) {
  // Port 1 read by a relu and port 0 by an add with port 2; the split narrows <16,6> to
  // <6,3,AP_RND,AP_SAT>: 4.5 saturates to 3.875, -0.3125 rounds to -0.25.
  auto g = ir::ParseGraph(R"(graph g {
  %x = input() shape=[3] precision{result=ap_fixed<16,6>}
  %s = split(%x, sizes=[1, 1, 1]) shape=[1] extra_shapes=[[1], [1]] precision{result=ap_fixed<6,3,AP_RND,AP_SAT>}
  %r = relu(%s:1) shape=[1] precision{result=ap_fixed<16,6>}
  %a = add(%s, %s:2) shape=[1] precision{result=ap_fixed<16,6>}
  outputs %r, %a
}
)",
                          "g.fnir");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(ir::VerifyGraph(*g, ir::VerifyLevel::kResolved).ok());
  auto e = emu::Emulator::Create(*g);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  auto r = (*e)->Run(emu::Batch{1, 3, {4.5, -0.3125, 0.5}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outputs[0].data, std::vector<double>{0.0});    // relu(-0.25)
  EXPECT_EQ(r->outputs[1].data, std::vector<double>{4.375});  // 3.875 + 0.5
  EXPECT_EQ(r->layers[1].counters.saturations, 1u);
}

TEST(SplitTest, ErrorsNameTheLayerAndThePort) {
  auto bad_sizes = ir::ParseGraph(R"(graph g {
  %x = input() shape=[2,5] precision{result=ap_fixed<16,6>}
  %s = split(%x, sizes=[2, 2]) shape=[2,2] extra_shapes=[[2,2]] precision{result=ap_fixed<16,6>}
  outputs %s
}
)",
                                  "g.fnir");
  ASSERT_TRUE(bad_sizes.ok());
  const Status st = CheckShapes(*bad_sizes);
  EXPECT_NE(st.message().find("'s' (split"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("does not add up to 5"), std::string::npos) << st.ToString();

  auto no_port = ir::ParseGraph(R"(graph g {
  %x = input() shape=[4] precision{result=ap_fixed<16,6>}
  %s = split(%x, sizes=[2, 2]) shape=[2] extra_shapes=[[2]] precision{result=ap_fixed<16,6>}
  %r = relu(%s:2) shape=[2] precision{result=ap_fixed<16,6>}
  outputs %r, %x:1
}
)",
                                "g.fnir");
  ASSERT_TRUE(no_port.ok()) << no_port.status().ToString();
  Status v = ir::VerifyGraph(*no_port, ir::VerifyLevel::kResolved);
  EXPECT_NE(v.message().find("layer 'r' (relu): input 's:2' names output port 2, but layer 's' "
                             "has 2 outputs"),
            std::string::npos)
      << v.ToString();
  no_port->nodes.pop_back();
  no_port->outputs = {ir::TensorRef("x", 1)};
  v = ir::VerifyGraph(*no_port, ir::VerifyLevel::kResolved);
  EXPECT_NE(v.message().find("output 'x:1' names a port that layer 'x' does not have"),
            std::string::npos)
      << v.ToString();

  auto extra = ir::ParseGraph(R"(graph g {
  %x = input() shape=[4] precision{result=ap_fixed<16,6>}
  %r = relu(%x) shape=[4] extra_shapes=[[4]] precision{result=ap_fixed<16,6>}
  outputs %r
}
)",
                              "g.fnir");
  ASSERT_TRUE(extra.ok());
  v = ir::VerifyGraph(*extra, ir::VerifyLevel::kResolved);
  EXPECT_NE(v.message().find("has 2 output shapes, but this layer kind has one output"),
            std::string::npos)
      << v.ToString();

  auto port0 = ir::ParseGraph("graph g {\n  %x = input() shape=[4]\n  outputs %x:0\n}\n", "p.fnir");
  ASSERT_FALSE(port0.ok());
  EXPECT_NE(port0.status().message().find("ports after ':' count from 1"), std::string::npos)
      << port0.status().ToString();
}

}  // namespace
}  // namespace firmnet::layers
