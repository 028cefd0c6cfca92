#include "firmnet/frontend/keras/h5_reader.h"

#include <hdf5.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace firmnet::keras {
namespace {

// The largest dataset we agree to read (elements). Real Keras layers are far below it; a hostile
// header that claims more must not make us allocate gigabytes.
constexpr uint64_t kMaxDatasetElements = uint64_t{1} << 27;
// The largest string attribute payload we agree to read (bytes).
constexpr uint64_t kMaxAttributeBytes = uint64_t{1} << 28;
constexpr int kMaxRank = 8;

// HDF5 prints a stack trace to stderr on every failed call unless told not to; library code must
// stay quiet and report through Status instead. Cheap, so it is done before every entry point.
void SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

herr_t CollectInnermost(unsigned n, const H5E_error2_t* err, void* client) {
  auto* out = static_cast<std::string*>(client);
  // Walking upward visits the innermost (most specific) frame first.
  if (n == 0 && err != nullptr && err->desc != nullptr) *out = err->desc;
  return 0;
}

// HDF5's own reason for the last failure, as " (HDF5: ...)", or "" when it gave none.
std::string Hdf5Reason() {
  std::string desc;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, CollectInnermost, &desc);
  H5Eclear2(H5E_DEFAULT);
  if (desc.empty()) return "";
  return " (HDF5: " + desc + ")";
}

std::string Where(const std::string& file, const std::string& object_path) {
  return file + ": '" + (object_path.empty() ? std::string("/") : object_path) + "'";
}

std::string ObjectName(const std::string& object_path) {
  return object_path.empty() ? std::string(".") : object_path;
}

// Runs `f` when leaving the scope (used to reclaim HDF5's variable-length buffers).
template <typename F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() { f_(); }

 private:
  F f_;
};

std::string TrimFixed(const char* p, size_t n, H5T_str_t pad) {
  size_t len = 0;
  while (len < n && p[len] != '\0') ++len;
  if (pad == H5T_STR_SPACEPAD) {
    while (len > 0 && p[len - 1] == ' ') --len;
  }
  return std::string(p, len);
}

}  // namespace

H5Handle& H5Handle::operator=(H5Handle&& other) noexcept {
  if (this != &other) {
    Reset();
    id_ = other.id_;
    other.id_ = -1;
  }
  return *this;
}

void H5Handle::Reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      H5Idec_ref(id_);
      break;
  }
  id_ = -1;
}

StatusOr<H5File> H5File::Open(const std::string& path) {
  SilenceHdf5();
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return NotFound(path + ": no such file");
  }
  if (std::filesystem::is_directory(st)) {
    return InvalidArgument(path + ": is a directory, expected an HDF5 (.h5) file");
  }
  htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) return IoError(path + ": cannot read the file" + Hdf5Reason());
  if (is_hdf5 == 0) {
    return InvalidArgument(path + ": not an HDF5 file (no HDF5 signature found)");
  }
  H5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) {
    return InvalidArgument(path + ": cannot open the HDF5 file; is it truncated or damaged?" +
                           Hdf5Reason());
  }
  return H5File(path, std::move(file));
}

bool H5File::Exists(const std::string& object_path) const {
  SilenceHdf5();
  // H5Lexists fails (rather than returning false) when an intermediate component is missing, so
  // the path is checked one component at a time.
  std::string prefix;
  size_t pos = 0;
  while (pos < object_path.size()) {
    size_t next = object_path.find('/', pos);
    if (next == std::string::npos) next = object_path.size();
    if (next > pos) {
      prefix += "/" + object_path.substr(pos, next - pos);
      if (H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      if (H5Oexists_by_name(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    pos = next + 1;
  }
  return true;
}

bool H5File::HasAttribute(const std::string& object_path, const std::string& attr) const {
  SilenceHdf5();
  if (!Exists(object_path)) return false;
  htri_t r =
      H5Aexists_by_name(file_.get(), ObjectName(object_path).c_str(), attr.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

StatusOr<std::vector<std::string>> H5File::ReadStringAttribute(const std::string& object_path,
                                                               const std::string& attr) const {
  SilenceHdf5();
  const std::string where = Where(path_, object_path) + " attribute '" + attr + "'";
  if (!HasAttribute(object_path, attr)) return NotFound(where + ": missing");
  H5Handle a(H5Aopen_by_name(file_.get(), ObjectName(object_path).c_str(), attr.c_str(),
                             H5P_DEFAULT, H5P_DEFAULT));
  if (!a.valid()) return InvalidArgument(where + ": cannot open" + Hdf5Reason());
  H5Handle space(H5Aget_space(a.get()));
  H5Handle type(H5Aget_type(a.get()));
  if (!space.valid() || !type.valid())
    return InvalidArgument(where + ": unreadable" + Hdf5Reason());
  int rank = H5Sget_simple_extent_ndims(space.get());
  hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (rank < 0 || count < 0) return InvalidArgument(where + ": bad dataspace" + Hdf5Reason());
  if (rank > 1) return InvalidArgument(where + ": expected a string or a 1-D list of strings");
  if (count == 0) return std::vector<std::string>{};
  if (H5Tget_class(type.get()) != H5T_STRING) {
    return InvalidArgument(where + ": expected a string attribute");
  }
  const H5T_cset_t cset = H5Tget_cset(type.get());
  const uint64_t n = static_cast<uint64_t>(count);
  std::vector<std::string> out;
  out.reserve(n);

  htri_t is_vlen = H5Tis_variable_str(type.get());
  if (is_vlen < 0) return InvalidArgument(where + ": unreadable string type" + Hdf5Reason());
  H5Handle mem(H5Tcopy(H5T_C_S1));
  if (!mem.valid() || H5Tset_cset(mem.get(), cset) < 0) {
    return Internal(where + ": cannot build the memory string type" + Hdf5Reason());
  }
  if (is_vlen > 0) {
    // Variable-length strings: HDF5 allocates one buffer per element; they must be handed back
    // with H5Dvlen_reclaim (HDF5 1.10) whatever happens after the read.
    if (H5Tset_size(mem.get(), H5T_VARIABLE) < 0) {
      return Internal(where + ": cannot build the memory string type" + Hdf5Reason());
    }
    if (n > kMaxAttributeBytes / sizeof(char*)) return InvalidArgument(where + ": too large");
    std::vector<char*> buf(n, nullptr);
    if (H5Aread(a.get(), mem.get(), buf.data()) < 0) {
      return InvalidArgument(where + ": cannot read" + Hdf5Reason());
    }
    ScopeExit reclaim([&] {
      H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, buf.data());
      H5Eclear2(H5E_DEFAULT);
    });
    for (char* s : buf) out.emplace_back(s == nullptr ? "" : s);
    return out;
  }

  size_t size = H5Tget_size(type.get());
  if (size == 0) return InvalidArgument(where + ": string type of size 0" + Hdf5Reason());
  if (size > kMaxAttributeBytes || n > kMaxAttributeBytes / size) {
    return InvalidArgument(where + ": too large");
  }
  H5T_str_t pad = H5Tget_strpad(type.get());
  if (pad < 0) pad = H5T_STR_NULLPAD;
  if (H5Tset_size(mem.get(), size) < 0 || H5Tset_strpad(mem.get(), pad) < 0) {
    return Internal(where + ": cannot build the memory string type" + Hdf5Reason());
  }
  std::vector<char> buf(size * n, '\0');
  if (H5Aread(a.get(), mem.get(), buf.data()) < 0) {
    return InvalidArgument(where + ": cannot read" + Hdf5Reason());
  }
  for (uint64_t i = 0; i < n; ++i) out.push_back(TrimFixed(buf.data() + i * size, size, pad));
  return out;
}

StatusOr<ir::Tensor> H5File::ReadTensor(const std::string& dataset_path) const {
  SilenceHdf5();
  const std::string where = Where(path_, dataset_path);
  if (!Exists(dataset_path)) return NotFound(where + ": no such dataset");
  H5Handle ds(H5Dopen2(file_.get(), dataset_path.c_str(), H5P_DEFAULT));
  if (!ds.valid()) return InvalidArgument(where + ": not a readable dataset" + Hdf5Reason());
  H5Handle type(H5Dget_type(ds.get()));
  H5Handle space(H5Dget_space(ds.get()));
  if (!type.valid() || !space.valid())
    return InvalidArgument(where + ": unreadable" + Hdf5Reason());
  // Integer datasets (HGQ's quantizer bit widths, int8) are read as their exact values.
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    return InvalidArgument(where + ": expected a float or integer dataset");
  }
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) return InvalidArgument(where + ": bad dataspace" + Hdf5Reason());
  if (rank > kMaxRank)
    return InvalidArgument(where + ": rank " + std::to_string(rank) + " is too high");
  hsize_t dims[kMaxRank] = {};
  if (H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0) {
    return InvalidArgument(where + ": bad dataspace" + Hdf5Reason());
  }
  ir::Tensor t;
  // Keras stores float32 weights: remember it, so that arithmetic on them before quantization
  // (batchnorm folding) is done in float32, as hls4ml's numpy code does.
  if (cls == H5T_FLOAT && H5Tget_size(type.get()) == sizeof(float)) t.dtype = ir::ElementType::kF32;
  uint64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] > kMaxDatasetElements || elements * dims[i] > kMaxDatasetElements) {
      return InvalidArgument(where + ": dataset is too large (more than " +
                             std::to_string(kMaxDatasetElements) + " elements)");
    }
    elements *= dims[i];
    t.shape.push_back(static_cast<int64_t>(dims[i]));
  }
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL) elements = 0;
  t.data.assign(elements, 0.0);
  if (elements > 0 &&
      H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data.data()) < 0) {
    return InvalidArgument(where + ": cannot read the data; is the file truncated?" + Hdf5Reason());
  }
  return t;
}

}  // namespace firmnet::keras
