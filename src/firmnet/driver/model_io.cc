#include "firmnet/driver/model_io.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "firmnet/fixed/fixed_value.h"
#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/npz.h"
#include "firmnet/io/samples.h"
#include "firmnet/io/text_samples.h"

namespace firmnet::driver {
namespace {

std::string LowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool IsText(const std::string& ext) { return ext == ".csv" || ext == ".dat" || ext == ".txt"; }

std::string InputLabel(const ir::Node& input) {
  return "input '" + input.name + "' " + ir::FormatShape(input.shape);
}

// "[N,25,25,1]"
std::string BatchShape(const ir::Shape& shape) {
  std::string s = "[N";
  for (int64_t d : shape) s += "," + std::to_string(d);
  return s + "]";
}

// One file's (or one npz array's) samples before they meet their input.
struct Source {
  std::string where;  // "a.npy", or "x.npz: array 'a'"
  bool text = false;
  io::NdArray array;  // npy/npz
  io::Matrix matrix;  // text
};

// The samples of `src` as a batch for `input`, or an error saying what shape was expected.
StatusOr<emu::Batch> ToBatch(Source src, const ir::Node& input) {
  const int64_t size = ir::NumElements(input.shape);
  if (src.text) {
    if (src.matrix.cols != size) {
      return InvalidArgument(src.where + ": rows of " + std::to_string(src.matrix.cols) +
                             " values, but " + InputLabel(input) + " takes " +
                             std::to_string(size) +
                             " per sample (text files hold one flattened sample per row)");
    }
    return emu::Batch{src.matrix.rows, src.matrix.cols, std::move(src.matrix.data)};
  }
  const std::vector<int64_t>& shape = src.array.shape;
  const std::vector<int64_t> tail =
      shape.empty() ? std::vector<int64_t>{} : std::vector<int64_t>(shape.begin() + 1, shape.end());
  int64_t rows = -1;
  // [N, *input.shape], or [N, size] with flattened samples.
  if (!shape.empty() && (tail == input.shape || (shape.size() == 2 && shape[1] == size))) {
    rows = shape[0];
  } else if (shape.size() == 1 && input.shape.size() == 1 && shape[0] == size) {
    rows = 1;  // one sample of a 1-D input, as firmnet always read a 1-D array
  }
  if (rows < 0) {
    std::string msg = src.where + ": array of shape " + io::FormatShape(shape) + " does not fit " +
                      InputLabel(input) + ": expected " + BatchShape(input.shape);
    if (input.shape.size() > 1) msg += " (or [N," + std::to_string(size) + "] flattened)";
    msg += ", the first axis counting the samples";
    if (shape == input.shape && shape.size() > 1) {
      msg += "; this looks like one sample without the sample axis: save it with shape " +
             io::FormatShape([&] {
               std::vector<int64_t> s = {1};
               s.insert(s.end(), shape.begin(), shape.end());
               return s;
             }()) +
             " (arr[None])";
    }
    return InvalidArgument(msg);
  }
  return emu::Batch{rows, size, std::move(src.array.data)};
}

StatusOr<Source> ReadOne(const std::string& path) {
  Source src;
  src.where = path;
  const std::string ext = LowerExtension(path);
  std::string bytes;
  FIRMNET_RETURN_IF_ERROR(io::ReadFile(path, &bytes));
  const bool npy =
      ext == ".npy" || (!IsText(ext) && std::string_view(bytes).starts_with("\x93NUMPY"));
  if (npy) {
    FIRMNET_ASSIGN_OR_RETURN(src.array, io::DecodeNpyArray(bytes, path));
  } else {
    src.text = true;
    FIRMNET_ASSIGN_OR_RETURN(src.matrix, io::ParseTextSamples(bytes, path));
  }
  return src;
}

// The arrays of an .npz, matched to the inputs by name.
StatusOr<std::vector<Source>> ReadArchive(const std::string& path,
                                          const std::vector<const ir::Node*>& inputs) {
  FIRMNET_ASSIGN_OR_RETURN(std::vector<io::NpzEntry> entries, io::ReadNpz(path));
  std::vector<Source> out;
  if (inputs.size() == 1 && entries.size() == 1) {
    out.push_back(
        {path + ": array '" + entries[0].name + "'", false, std::move(entries[0].array), {}});
    return out;
  }
  std::set<std::string> wanted, found;
  for (const ir::Node* in : inputs) wanted.insert(in->name);
  for (const io::NpzEntry& e : entries) found.insert(e.name);
  if (wanted != found) {
    std::string names;
    for (const io::NpzEntry& e : entries) names += (names.empty() ? "'" : ", '") + e.name + "'";
    std::string missing, extra;
    for (const std::string& w : wanted) {
      if (!found.count(w)) missing += (missing.empty() ? "'" : ", '") + w + "'";
    }
    for (const std::string& f : found) {
      if (!wanted.count(f)) extra += (extra.empty() ? "'" : ", '") + f + "'";
    }
    std::string msg = path + ": the arrays must be named after the model's inputs: expected " +
                      DescribeInputs(inputs) + "; found " +
                      (names.empty() ? std::string("no arrays") : names);
    if (!missing.empty()) msg += " (missing " + missing + ")";
    if (!extra.empty()) msg += " (not inputs: " + extra + ")";
    return InvalidArgument(msg);
  }
  for (const ir::Node* in : inputs) {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const io::NpzEntry& e) { return e.name == in->name; });
    out.push_back({path + ": array '" + it->name + "'", false, std::move(it->array), {}});
  }
  return out;
}

std::string OutputKey(const std::string& name) {
  std::string key = name;
  for (char& c : key) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  return key;
}

}  // namespace

std::string DescribeInputs(const std::vector<const ir::Node*>& inputs) {
  std::string s;
  for (const ir::Node* in : inputs) {
    s += (s.empty() ? "" : ", ") + ("'" + in->name + "' ") + ir::FormatShape(in->shape);
  }
  return s;
}

StatusOr<std::vector<emu::Batch>> ReadModelInputs(const std::vector<std::string>& paths,
                                                  const std::vector<const ir::Node*>& inputs) {
  const size_t n = inputs.size();
  if (n == 0) return InvalidArgument("the model has no inputs");
  const std::string plural = n == 1 ? "input" : std::to_string(n) + " inputs";
  if (paths.empty()) {
    return InvalidArgument("no input files: the model takes " + plural + " (" +
                           DescribeInputs(inputs) + ")");
  }
  std::vector<Source> sources;
  if (paths.size() == 1 && LowerExtension(paths[0]) == ".npz") {
    FIRMNET_ASSIGN_OR_RETURN(sources, ReadArchive(paths[0], inputs));
  } else {
    if (paths.size() != n) {
      return InvalidArgument("the model has " + plural + " (" + DescribeInputs(inputs) + ") but " +
                             std::to_string(paths.size()) + " input files were given: give one " +
                             "--input per model input, in this order, or one .npz with arrays " +
                             "named after the inputs");
    }
    for (const std::string& p : paths) {
      if (LowerExtension(p) == ".npz") {
        return InvalidArgument(p + ": an .npz file holds every input by name; give it as the " +
                               "only --input");
      }
      FIRMNET_ASSIGN_OR_RETURN(Source s, ReadOne(p));
      sources.push_back(std::move(s));
    }
  }
  std::vector<emu::Batch> batches;
  std::vector<std::string> wheres;
  for (size_t i = 0; i < n; ++i) {
    wheres.push_back(sources[i].where);
    auto b = ToBatch(std::move(sources[i]), *inputs[i]);
    if (!b.ok() && n > 1) {
      return InvalidArgument(
          b.status().message() +
          " (the --input files go in the model's order: " + DescribeInputs(inputs) + ")");
    }
    if (!b.ok()) return b.status();
    if (i > 0 && b->rows != batches[0].rows) {
      return InvalidArgument("the inputs have different numbers of samples: " + wheres[0] +
                             " (input '" + inputs[0]->name + "') has " +
                             std::to_string(batches[0].rows) + ", " + wheres[i] + " (input '" +
                             inputs[i]->name + "') has " + std::to_string(b->rows));
    }
    batches.push_back(*std::move(b));
  }
  return batches;
}

Status CheckOutputPath(const std::string& path, const ir::Graph& graph) {
  const size_t n = graph.outputs.size();
  const std::string ext = LowerExtension(path);
  if (ext == ".npz" || n == 1) return OkStatus();
  std::string names;
  for (const ir::TensorRef& o : graph.outputs) {
    names += (names.empty() ? "'" : ", '") + o.ToString() + "'";
  }
  return InvalidArgument("cannot write '" + path + "': the model has " + std::to_string(n) +
                         " outputs (" + names + "); a " + (ext == ".npy" ? ".npy" : "text") +
                         " file holds one: write an .npz (one array per output, named after it)");
}

Status WriteModelOutputs(const std::string& path, const ir::Graph& graph,
                         const emu::RunResult& result) {
  const size_t n = result.outputs.size();
  if (n != graph.outputs.size()) {
    return Internal("the run has " + std::to_string(n) + " outputs, the graph lists " +
                    std::to_string(graph.outputs.size()));
  }
  // Each output with its samples axis in front of the node's shape.
  auto shape_of = [&](size_t o) {
    const emu::Batch& b = result.outputs[o];
    const ir::Shape* t = graph.TensorShape(graph.outputs[o]);
    std::vector<int64_t> shape = {b.rows};
    if (t && !t->empty() && ir::NumElements(*t) == b.cols) {
      shape.insert(shape.end(), t->begin(), t->end());
    } else {
      shape.push_back(b.cols);
    }
    return shape;
  };
  const std::string ext = LowerExtension(path);
  if (ext == ".npz") {
    std::vector<io::NpzEntry> entries;
    std::set<std::string> keys;
    for (size_t o = 0; o < n; ++o) {
      const std::string key = OutputKey(graph.outputs[o].ToString());
      if (!keys.insert(key).second) {
        return InvalidArgument("cannot write '" + path + "': two outputs would both be named '" +
                               key + "'");
      }
      entries.push_back({key, io::NdArray{shape_of(o), result.outputs[o].data}});
    }
    return io::WriteNpz(path, entries);
  }
  FIRMNET_RETURN_IF_ERROR(CheckOutputPath(path, graph));
  const emu::Batch& b = result.outputs[0];
  if (ext == ".npy") return io::WriteNpyArray(path, io::NdArray{shape_of(0), b.data});
  if (!result.raw_outputs.empty() && !result.output_types.empty() &&
      result.output_types[0].width > 53) {
    const FixedType& type = result.output_types[0];
    std::vector<std::vector<std::string>> rows(static_cast<size_t>(b.rows));
    for (int64_t r = 0; r < b.rows; ++r) {
      for (int64_t c = 0; c < b.cols; ++c)
        rows[r].push_back(ToExactDecimal(result.raw_outputs[0][r * b.cols + c], type));
    }
    return io::WriteTextRows(path, rows);
  }
  return io::WriteSamples(path, io::Matrix{b.rows, b.cols, b.data});
}

}  // namespace firmnet::driver
