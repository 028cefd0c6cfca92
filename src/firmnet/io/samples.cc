#include "firmnet/io/samples.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/npz.h"
#include "firmnet/io/text_samples.h"

namespace firmnet::io {
namespace {

std::string LowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// Checks what WriteSamples promises to reject before anything touches the disk.
Status ValidateForWrite(const std::string& path, const Matrix& m) {
  if (m.rows < 0 || m.cols < 0) {
    return InvalidArgument("cannot write '" + path + "': negative matrix shape " +
                           std::to_string(m.rows) + "x" + std::to_string(m.cols));
  }
  if (m.data.size() != static_cast<uint64_t>(m.rows) * static_cast<uint64_t>(m.cols)) {
    return InvalidArgument(
        "cannot write '" + path + "': a " + std::to_string(m.rows) + "x" + std::to_string(m.cols) +
        " matrix needs " +
        std::to_string(static_cast<uint64_t>(m.rows) * static_cast<uint64_t>(m.cols)) +
        " values, but it holds " + std::to_string(m.data.size()));
  }
  for (size_t i = 0; i < m.data.size(); ++i) {
    if (!std::isfinite(m.data[i])) {
      return InvalidArgument("cannot write '" + path + "': element [" +
                             std::to_string(i / static_cast<size_t>(m.cols)) + ", " +
                             std::to_string(i % static_cast<size_t>(m.cols)) + "] is " +
                             (std::isnan(m.data[i]) ? "NaN" : "infinite"));
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<Matrix> ReadSamples(const std::string& path) {
  std::string bytes;
  FIRMNET_RETURN_IF_ERROR(ReadFile(path, &bytes));
  std::string ext = LowerExtension(path);
  if (ext == ".npy") return DecodeNpySamples(bytes, path);
  if (ext == ".npz") {
    FIRMNET_ASSIGN_OR_RETURN(std::vector<NpzEntry> arrays, DecodeNpz(bytes, path));
    if (arrays.size() != 1) {
      std::string names;
      for (const NpzEntry& e : arrays) names += (names.empty() ? "" : ", ") + e.name;
      return InvalidArgument(path +
                             ": an .npz file of samples must hold exactly one array here; "
                             "it holds " +
                             std::to_string(arrays.size()) +
                             (names.empty() ? "" : " (" + names + ")"));
    }
    return SamplesMatrix(std::move(arrays[0].array), path + ": array '" + arrays[0].name + "'");
  }
  if (ext == ".csv" || ext == ".dat" || ext == ".txt") return ParseTextSamples(bytes, path);
  // Unknown extension: WriteSamples writes text there, so text is the default, but an npy file
  // announces itself by its magic.
  if (std::string_view(bytes).starts_with("\x93NUMPY")) return DecodeNpySamples(bytes, path);
  return ParseTextSamples(bytes, path);
}

Status WriteSamples(const std::string& path, const Matrix& m) {
  FIRMNET_RETURN_IF_ERROR(ValidateForWrite(path, m));
  if (LowerExtension(path) == ".npy") return WriteFileAtomic(path, EncodeNpy(m));
  return WriteFileAtomic(path, FormatTextSamples(m));
}

Status WriteNpyArray(const std::string& path, const NdArray& a) {
  if (!ConsistentArray(a)) {
    return InvalidArgument("cannot write '" + path + "': an array of shape " +
                           FormatShape(a.shape) + " holding " + std::to_string(a.data.size()) +
                           " values");
  }
  for (size_t i = 0; i < a.data.size(); ++i) {
    if (!std::isfinite(a.data[i])) {
      return InvalidArgument("cannot write '" + path + "': value " + std::to_string(i) +
                             " (in C order) is " + (std::isnan(a.data[i]) ? "NaN" : "infinite"));
    }
  }
  return WriteFileAtomic(path, EncodeNpyArray(a));
}

Status WriteTextRows(const std::string& path, const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& value = rows[r][c];
      if (value.empty() || value.find_first_of(" \t,#\r\n") != std::string::npos) {
        return InvalidArgument("cannot write '" + path + "': row " + std::to_string(r) +
                               ", value " + std::to_string(c) + " ('" + value +
                               "') is empty or contains a separator, '#' or line break");
      }
      if (c > 0) out += ' ';
      out += value;
    }
    out += '\n';
  }
  return WriteFileAtomic(path, out);
}

}  // namespace firmnet::io
