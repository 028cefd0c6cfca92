// Test helpers for the activation layers (used only by *_test.cc files): build a one-input node
// with default or chosen precisions, and run its kernels on raw or float values.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "firmnet/emu/kernel.h"
#include "firmnet/ir/graph.h"
#include "firmnet/layers/layer.h"
#include "firmnet/layers/registry.h"

namespace firmnet::layers::testing {

inline FixedType Type(const std::string& text) {
  auto t = ParseFixedType(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? *t : FixedType{};
}

// A producer node "x" of type in_type and shape {n}, and a node "act" of `kind` reading it with
// every precision slot at its registry default unless named in `precision`.
struct Setup {
  ir::Node in;
  ir::Node node;
  NodeInputs inputs() const { return {&in}; }
};

inline Setup MakeSetup(LayerKind kind, const std::string& in_type, int64_t n,
                       const std::map<std::string, std::string>& precision = {},
                       const std::map<std::string, ir::AttrValue>& attrs = {}, int table_size = 0,
                       ir::TableStyle style = ir::TableStyle::kFirmnet) {
  Setup s;
  s.in.name = "x";
  s.in.kind = LayerKind::kInput;
  s.in.shape = {n};
  s.in.precision["result"] = Type(in_type);
  s.node.name = "act";
  s.node.kind = kind;
  s.node.inputs = {"x"};
  for (const PrecisionSlot& slot : GetLayerInfo(kind).slots) {
    s.node.precision[std::string(slot.name)] =
        Type(std::string(SlotDefault(slot, style == ir::TableStyle::kHls4ml)));
  }
  for (const auto& [slot, type] : precision) s.node.precision[slot] = Type(type);
  s.node.attrs = attrs;
  s.node.settings.table_size = table_size;
  s.node.settings.table_style = style;
  return s;
}

// Runs the fixed-point kernel for raw type R on raw inputs (shape inference first).
template <LayerKind K, typename R>
std::vector<R> RunRaw(Setup& s, const std::vector<R>& x, emu::LayerCounters* counters = nullptr) {
  s.in.shape = {static_cast<int64_t>(x.size())};
  Status st = LayerImpl<K>::InferShape(s.node, s.inputs());
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto kernel = LayerImpl<K>::template MakeKernel<R>(s.node, s.inputs());
  EXPECT_TRUE(kernel.ok()) << kernel.status().ToString();
  std::vector<R> out(x.size());
  if (!kernel.ok()) return out;
  emu::LayerCounters local;
  const R* ptrs[] = {x.data()};
  (*kernel)->Run(ptrs, out.data(), counters ? *counters : local);
  return out;
}

template <LayerKind K>
std::vector<double> RunFloat(Setup& s, const std::vector<double>& x) {
  s.in.shape = {static_cast<int64_t>(x.size())};
  Status st = LayerImpl<K>::InferShape(s.node, s.inputs());
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto kernel = LayerImpl<K>::MakeFloatKernel(s.node, s.inputs());
  EXPECT_TRUE(kernel.ok()) << kernel.status().ToString();
  std::vector<double> out(x.size());
  if (!kernel.ok()) return out;
  const double* ptrs[] = {x.data()};
  (*kernel)->Run(ptrs, out.data());
  return out;
}

// Every raw value of a type of at most 20 bits, in increasing order.
inline std::vector<int64_t> AllRaw(const FixedType& t) {
  const int64_t lo = t.is_signed ? -(int64_t{1} << (t.width - 1)) : 0;
  const int64_t hi = t.is_signed ? (int64_t{1} << (t.width - 1)) - 1 : (int64_t{1} << t.width) - 1;
  std::vector<int64_t> v;
  for (int64_t r = lo; r <= hi; ++r) v.push_back(r);
  return v;
}

// Runs the int64_t and the BigInt kernels on the same raw values and expects identical results
// and counters.
template <LayerKind K>
void ExpectRepresentationsAgree(Setup& s, const std::vector<int64_t>& x) {
  emu::LayerCounters c64, cbig;
  std::vector<int64_t> small = RunRaw<K, int64_t>(s, x, &c64);
  std::vector<BigInt> xb;
  xb.reserve(x.size());
  for (int64_t v : x) xb.emplace_back(v);
  std::vector<BigInt> big = RunRaw<K, BigInt>(s, xb, &cbig);
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(BigInt(small[i]), big[i])
        << "input raw " << x[i] << " (" << FormatFixedType(s.in.Precision("result")) << " -> "
        << FormatFixedType(s.node.Precision("result")) << ")";
  }
  EXPECT_EQ(c64.wraps, cbig.wraps);
  EXPECT_EQ(c64.saturations, cbig.saturations);
}

}  // namespace firmnet::layers::testing
