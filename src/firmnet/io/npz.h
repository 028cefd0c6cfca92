// NumPy `.npz` archives: several named arrays in one file, one per model input (`--input x.npz`)
// or output.
//
// An npz file is a zip archive whose entries are `.npy` files (io/npy.h) named `<key>.npy`
// (np.savez, np.savez_compressed). Reading takes entries stored (method 0) or deflated (method
// 8, zlib), with or without zip64 size fields; each entry is an array of any rank
// (DecodeNpyArray). Writing makes a stored archive of float64 arrays that numpy reads.
//
// Decoding trusts nothing, as the npy reader: the central directory, every local header, every
// size and offset is checked against the bytes that are there; an entry's CRC-32 is checked; an
// entry whose declared uncompressed size exceeds kMaxNpzEntryBytes (or all entries together
// kMaxNpzTotalBytes) is refused before anything is allocated, and inflation stops at the
// declared size, so a small hostile file cannot make firmnet allocate without bound. Errors name
// the file and the entry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/io/npy.h"

namespace firmnet::io {

inline constexpr uint64_t kMaxNpzEntryBytes = uint64_t{1} << 30;  // 1 GiB per .npy entry
inline constexpr uint64_t kMaxNpzTotalBytes = uint64_t{4} << 30;  // 4 GiB for all entries

// One array of an archive: its key (the entry name without ".npy") and its values.
struct NpzEntry {
  std::string name;
  NdArray array;
};

// Reads the archive at `path`: its arrays in archive (central directory) order.
StatusOr<std::vector<NpzEntry>> ReadNpz(const std::string& path);
// The same from the archive's bytes; `path` only names the file in error messages.
StatusOr<std::vector<NpzEntry>> DecodeNpz(std::string_view bytes, const std::string& path);

// Writes `entries` to `path` (atomically, io/atomic_file.h) as a stored zip of float64 `.npy`
// arrays of their shapes, in the given order. Names must be non-empty, unique, without '/', '\\'
// or NUL; arrays consistent (ConsistentArray) and finite (ReadNpz would refuse NaN and
// infinities).
Status WriteNpz(const std::string& path, const std::vector<NpzEntry>& entries);
// The archive's bytes; `path` only names the file in error messages.
StatusOr<std::string> EncodeNpz(const std::vector<NpzEntry>& entries, const std::string& path);

}  // namespace firmnet::io
