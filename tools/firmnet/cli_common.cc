#include "cli_common.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "firmnet/io/samples.h"
#include "firmnet/io/text_samples.h"
#include "firmnet/ir/printer.h"

namespace firmnet::cli {

void AddModelArgs(CLI::App* cmd, ModelArgs& a, bool with_config) {
  cmd->add_option("MODEL", a.model,
                  "Model file: .onnx, Keras .json (with --weights) or full .h5, or firmnet .fnir")
      ->required();
  cmd->add_option("--weights", a.weights, "Keras weights .h5 for a .json model");
  if (with_config) cmd->add_option("-c,--config", a.config, "hls4ml-style YAML config");
  cmd->add_option("--dump-after", a.dump_after,
                  "Print the text IR to stderr after the named pass (repeatable)");
}

void AddInputOption(CLI::App* cmd, std::vector<std::string>& inputs) {
  cmd->add_option("--input", inputs,
                  "Samples: one file per model input, in the model's order (repeat --input), or "
                  "one .npz with an array per input named after it. .npy/.npz arrays are [N, "
                  "*input shape] or [N, size]; .csv/.dat/.txt hold one flattened sample per row")
      ->required()
      ->allow_extra_args(false);
}

std::string JoinInputs(const std::vector<std::string>& inputs) {
  std::string s;
  for (const std::string& i : inputs) s += (s.empty() ? "" : ", ") + i;
  return s;
}

driver::ModelSource Source(const ModelArgs& a) { return {a.model, a.weights, a.config}; }

driver::PrepareOptions Prepare(const ModelArgs& a) {
  driver::PrepareOptions o;
  o.dump_after = a.dump_after;
  o.dump = [](std::string_view pass, const ir::Graph& g) {
    std::fprintf(stderr, "// after pass %.*s\n%s", static_cast<int>(pass.size()), pass.data(),
                 ir::PrintGraph(g).c_str());
  };
  return o;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "firmnet: error: %s\n", s.message().c_str());
  return 1;
}

Status WriteBatch(const std::string& path, const emu::Batch& b, const std::vector<BigInt>* raw,
                  const FixedType* type) {
  const bool npy = std::filesystem::path(path).extension() == ".npy";
  if (!npy && raw && type && type->width > 53) {
    std::vector<std::vector<std::string>> rows(b.rows);
    for (int64_t r = 0; r < b.rows; ++r) {
      for (int64_t c = 0; c < b.cols; ++c)
        rows[r].push_back(ToExactDecimal((*raw)[r * b.cols + c], *type));
    }
    return io::WriteTextRows(path, rows);
  }
  io::Matrix m{b.rows, b.cols, b.data};
  return io::WriteSamples(path, m);
}

std::string SafeName(const std::string& s) {
  std::string out;
  for (char c : s)
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_');
  return out;
}

}  // namespace firmnet::cli
