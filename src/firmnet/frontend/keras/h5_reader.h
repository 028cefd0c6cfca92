// A small read-only view of an HDF5 file for the Keras importer, on HDF5's C API.
//
// Keras stores its architecture as a JSON string attribute and its weights as float datasets.
// This wrapper reads exactly those: string attributes (fixed- or variable-length, scalar or 1-D)
// and numeric datasets as float64 tensors. Every HDF5 handle is owned by an RAII object, so it is
// closed on every path, and HDF5's automatic error printing is switched off: failures come back
// as Status messages naming the file and the object path, with HDF5's own reason appended.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/ir/graph.h"

namespace firmnet::keras {

// Owns one HDF5 identifier (file, group, dataset, attribute, type, space) and closes it with the
// close function that fits its kind. Move-only.
class H5Handle {
 public:
  H5Handle() = default;
  explicit H5Handle(int64_t id) : id_(id) {}
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  H5Handle(H5Handle&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  H5Handle& operator=(H5Handle&& other) noexcept;
  ~H5Handle() { Reset(); }

  int64_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void Reset();

 private:
  int64_t id_ = -1;
};

class H5File {
 public:
  // Opens `path` read-only. Errors: the file does not exist or cannot be read (NotFound/IoError),
  // or it is not a readable HDF5 file (InvalidArgument).
  static StatusOr<H5File> Open(const std::string& path);

  const std::string& path() const { return path_; }

  // True when every component of the '/'-separated `object_path` exists (a group or dataset).
  // "" and "/" name the root group.
  bool Exists(const std::string& object_path) const;
  bool HasAttribute(const std::string& object_path, const std::string& attr) const;

  // Reads a string attribute as a list of strings: a scalar gives one entry, a 1-D array one
  // entry per element. An empty attribute of any type (Keras writes `weight_names` of layers
  // without weights as an empty float64 array) gives an empty list. Fixed-length strings lose
  // their padding; variable-length strings are reclaimed after the copy.
  StatusOr<std::vector<std::string>> ReadStringAttribute(const std::string& object_path,
                                                         const std::string& attr) const;

  // Reads a floating-point dataset, converted to float64, with its shape.
  StatusOr<ir::Tensor> ReadTensor(const std::string& dataset_path) const;

 private:
  H5File(std::string path, H5Handle file) : path_(std::move(path)), file_(std::move(file)) {}

  std::string path_;
  H5Handle file_;
};

}  // namespace firmnet::keras
