// Helpers for pass tests written as text IR: run a pass on a graph and compare printed graphs.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "firmnet/ir/parser.h"
#include "firmnet/ir/printer.h"
#include "firmnet/ir/verifier.h"
#include "firmnet/passes/pass.h"

namespace firmnet::passes::testing {

// Parses `in`, runs `pass` on it and returns the printed graph (or the pass's error message);
// `changed` receives what the pass reports. The result must verify structurally.
inline std::string RunOn(Pass& pass, const std::string& in, bool* changed = nullptr) {
  auto g = ir::ParseGraph(in, "in");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  if (!g.ok()) return "";
  auto result = pass.Run(*g);
  if (!result.ok()) return std::string(result.status().message());
  if (changed) *changed = *result;
  const Status v = ir::VerifyGraph(*g, ir::VerifyLevel::kStructure);
  EXPECT_TRUE(v.ok()) << v.ToString();
  return ir::PrintGraph(*g);
}

// `text` parsed and printed again: the form RunOn's result takes.
inline std::string Canonical(const std::string& text) {
  auto g = ir::ParseGraph(text, "expected");
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return g.ok() ? ir::PrintGraph(*g) : "";
}

}  // namespace firmnet::passes::testing
