// The zip subset npz files use (PKWARE APPNOTE 6.3): local file headers with the data, then the
// central directory, then the end-of-central-directory record (EOCD). Reading starts at the EOCD,
// walks the central directory (the authority for names, sizes and CRCs; local headers may hold
// zip64 placeholders, as Python's zipfile writes for np.savez) and reads each local header only
// to find where the entry's data starts. Writing emits the plain (non-zip64) form.
#include "firmnet/io/npz.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/quote.h"

namespace firmnet::io {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kLocalSize = 30, kCentralSize = 46, kEocdSize = 22;
constexpr size_t kZip64EocdSize = 56, kZip64LocatorSize = 20;
constexpr uint16_t kZip64ExtraId = 0x0001;
constexpr std::string_view kSuffix = ".npy";

std::string Quote(std::string_view s) { return QuoteForMessage(s, /*keep_utf8=*/true); }

// Little-endian reads at checked positions of the archive.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  size_t size() const { return bytes_.size(); }
  bool Has(uint64_t pos, uint64_t n) const {
    return pos <= bytes_.size() && n <= bytes_.size() - pos;
  }
  uint64_t Get(uint64_t pos, int n) const {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos + i]);
    return v;
  }
  uint16_t U16(uint64_t pos) const { return static_cast<uint16_t>(Get(pos, 2)); }
  uint32_t U32(uint64_t pos) const { return static_cast<uint32_t>(Get(pos, 4)); }
  uint64_t U64(uint64_t pos) const { return Get(pos, 8); }
  std::string_view Slice(uint64_t pos, uint64_t n) const { return bytes_.substr(pos, n); }

 private:
  std::string_view bytes_;
};

uint32_t Crc32(std::string_view bytes) {
  uLong c = crc32(0L, Z_NULL, 0);
  for (size_t done = 0; done < bytes.size();) {
    const size_t n = std::min<size_t>(bytes.size() - done, size_t{1} << 30);
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data() + done), static_cast<uInt>(n));
    done += n;
  }
  return static_cast<uint32_t>(c);
}

struct CentralEntry {
  std::string name;  // as stored, with ".npy"
  uint16_t flags = 0, method = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0, uncompressed = 0, local_offset = 0;
};

// Where the central directory lies and how many entries it holds.
struct Directory {
  uint64_t offset = 0, size = 0, entries = 0;
  uint64_t end = 0;  // where the records after the directory start (zip64 EOCD or EOCD)
};

class NpzDecoder {
 public:
  NpzDecoder(std::string_view bytes, const std::string& path) : r_(bytes), path_(path) {}

  StatusOr<std::vector<NpzEntry>> Decode() {
    FIRMNET_ASSIGN_OR_RETURN(Directory dir, FindDirectory());
    FIRMNET_ASSIGN_OR_RETURN(std::vector<CentralEntry> central, ReadDirectory(dir));
    // Everything the directory says is checked before any entry is extracted.
    std::vector<std::string> keys;
    std::set<std::string> names;
    uint64_t total = 0;
    for (const CentralEntry& e : central) {
      const std::string where = Where(e);
      if (e.name.size() < kSuffix.size() || !std::string_view(e.name).ends_with(kSuffix)) {
        return InvalidArgument(where + " is not an .npy array (npz entries are named '<key>.npy')");
      }
      std::string key = e.name.substr(0, e.name.size() - kSuffix.size());
      if (key.empty()) return InvalidArgument(where + " has an empty array name");
      if (!names.insert(key).second) {
        return InvalidArgument(where +
                               " appears twice in the archive (array names must be unique)");
      }
      if (e.uncompressed > kMaxNpzEntryBytes) {
        return InvalidArgument(where + " declares " + std::to_string(e.uncompressed) +
                               " uncompressed bytes, more than the limit of " +
                               std::to_string(kMaxNpzEntryBytes));
      }
      total += e.uncompressed;
      if (total > kMaxNpzTotalBytes) {
        return InvalidArgument(where + ": the entries declare more than " +
                               std::to_string(kMaxNpzTotalBytes) +
                               " uncompressed bytes together, more than the limit");
      }
      keys.push_back(std::move(key));
    }
    std::vector<NpzEntry> out;
    out.reserve(central.size());
    for (size_t i = 0; i < central.size(); ++i) {
      const std::string where = Where(central[i]);
      FIRMNET_ASSIGN_OR_RETURN(std::string npy, ExtractEntry(central[i], where));
      FIRMNET_ASSIGN_OR_RETURN(NdArray m, DecodeNpyArray(npy, where));
      out.push_back({std::move(keys[i]), std::move(m)});
    }
    return out;
  }

 private:
  std::string Where(const CentralEntry& e) const { return path_ + ": entry " + Quote(e.name); }

  Status Error(const std::string& what) const { return InvalidArgument(path_ + ": " + what); }

  StatusOr<Directory> FindDirectory() const {
    if (r_.size() < kEocdSize) {
      return Error("not a zip (npz) archive: " + std::to_string(r_.size()) +
                   " bytes, too short for the end-of-central-directory record");
    }
    // The EOCD is the last 22 bytes plus a comment of at most 65535 bytes; the last candidate
    // whose comment ends exactly at the end of the file.
    const uint64_t lowest = r_.size() >= kEocdSize + 0xffff ? r_.size() - kEocdSize - 0xffff : 0;
    uint64_t eocd = UINT64_MAX;
    for (uint64_t pos = r_.size() - kEocdSize + 1; pos-- > lowest;) {
      if (r_.U32(pos) == kEocdSig && pos + kEocdSize + r_.U16(pos + 20) == r_.size()) {
        eocd = pos;
        break;
      }
    }
    if (eocd == UINT64_MAX) {
      return Error(r_.size() >= 4 && r_.U32(0) == kLocalSig
                       ? "truncated zip (npz) archive: the end-of-central-directory record is "
                         "missing"
                       : "not a zip (npz) archive (no end-of-central-directory record)");
    }
    Directory d;
    const uint16_t disk = r_.U16(eocd + 4), cd_disk = r_.U16(eocd + 6);
    const uint16_t on_disk = r_.U16(eocd + 8);
    d.entries = r_.U16(eocd + 10);
    d.size = r_.U32(eocd + 12);
    d.offset = r_.U32(eocd + 16);
    d.end = eocd;
    const bool zip64 = d.entries == 0xffff || d.size == 0xffffffff || d.offset == 0xffffffff;
    if (zip64) {
      if (eocd < kZip64LocatorSize || r_.U32(eocd - kZip64LocatorSize) != kZip64LocatorSig) {
        return Error("zip64 end-of-central-directory locator missing before the EOCD record");
      }
      const uint64_t loc = eocd - kZip64LocatorSize;
      const uint64_t rec = r_.U64(loc + 8);
      if (r_.U32(loc + 4) != 0 || r_.U32(loc + 16) > 1) {
        return Error("multi-disk zip archives are not supported");
      }
      if (!r_.Has(rec, kZip64EocdSize) || rec + kZip64EocdSize > loc ||
          r_.U32(rec) != kZip64EocdSig) {
        return Error("bad zip64 end-of-central-directory record (offset " + std::to_string(rec) +
                     ")");
      }
      if (r_.U32(rec + 16) != 0 || r_.U32(rec + 20) != 0 || r_.U64(rec + 24) != r_.U64(rec + 32)) {
        return Error("multi-disk zip archives are not supported");
      }
      d.entries = r_.U64(rec + 32);
      d.size = r_.U64(rec + 40);
      d.offset = r_.U64(rec + 48);
      d.end = rec;
    } else if (disk != 0 || cd_disk != 0 || on_disk != d.entries) {
      return Error("multi-disk zip archives are not supported");
    }
    if (d.offset > d.end || d.size > d.end - d.offset) {
      return Error("the central directory (offset " + std::to_string(d.offset) + ", " +
                   std::to_string(d.size) + " bytes) lies outside the archive of " +
                   std::to_string(r_.size()) + " bytes (truncated or damaged)");
    }
    if (d.entries > d.size / kCentralSize) {
      return Error("the archive claims " + std::to_string(d.entries) +
                   " entries, more than its central directory of " + std::to_string(d.size) +
                   " bytes can hold");
    }
    return d;
  }

  StatusOr<std::vector<CentralEntry>> ReadDirectory(const Directory& d) const {
    std::vector<CentralEntry> out;
    out.reserve(d.entries);
    uint64_t pos = d.offset;
    const uint64_t end = d.offset + d.size;
    for (uint64_t i = 0; i < d.entries; ++i) {
      const std::string where = "central directory record " + std::to_string(i);
      if (pos + kCentralSize > end || r_.U32(pos) != kCentralSig) {
        return Error(where + " (offset " + std::to_string(pos) + ") is missing or damaged");
      }
      CentralEntry e;
      e.flags = r_.U16(pos + 8);
      e.method = r_.U16(pos + 10);
      e.crc = r_.U32(pos + 16);
      e.compressed = r_.U32(pos + 20);
      e.uncompressed = r_.U32(pos + 24);
      const uint64_t name_len = r_.U16(pos + 28), extra_len = r_.U16(pos + 30),
                     comment_len = r_.U16(pos + 32);
      const uint16_t disk = r_.U16(pos + 34);
      e.local_offset = r_.U32(pos + 42);
      const uint64_t next = pos + kCentralSize + name_len + extra_len + comment_len;
      if (next > end) return Error(where + " runs past the end of the central directory");
      e.name = std::string(r_.Slice(pos + kCentralSize, name_len));
      const std::string entry = "entry " + Quote(e.name);
      FIRMNET_RETURN_IF_ERROR(ReadZip64Extra(pos + kCentralSize + name_len, extra_len, e, disk));
      if (e.flags & 0x1) return Error(entry + " is encrypted");
      if (e.method != 0 && e.method != 8) {
        return Error(entry + " uses compression method " + std::to_string(e.method) +
                     "; npz entries are stored (0) or deflated (8)");
      }
      out.push_back(std::move(e));
      pos = next;
    }
    return out;
  }

  // Replaces the 32-bit fields that are 0xffffffff by their zip64 values (APPNOTE 4.5.3: in the
  // order uncompressed, compressed, local offset, disk, each present only when its field is
  // saturated).
  Status ReadZip64Extra(uint64_t pos, uint64_t len, CentralEntry& e, uint16_t disk) const {
    const bool need_u = e.uncompressed == 0xffffffff, need_c = e.compressed == 0xffffffff,
               need_o = e.local_offset == 0xffffffff, need_d = disk == 0xffff;
    const std::string entry = "entry " + Quote(e.name);
    bool found = false;
    const uint64_t end = pos + len;
    while (pos + 4 <= end) {
      const uint16_t id = r_.U16(pos), size = r_.U16(pos + 2);
      if (pos + 4 + size > end) return Error(entry + ": an extra field runs past its record");
      if (id == kZip64ExtraId) {
        uint64_t p = pos + 4;
        const uint64_t field_end = p + size;
        auto take = [&](bool needed, uint64_t& field) {
          if (!needed) return true;
          if (p + 8 > field_end) return false;
          field = r_.U64(p);
          p += 8;
          return true;
        };
        uint64_t disk64 = 0;
        if (!take(need_u, e.uncompressed) || !take(need_c, e.compressed) ||
            !take(need_o, e.local_offset) || (need_d && p + 4 > field_end)) {
          return Error(entry + ": the zip64 extra field is too short for its saturated sizes");
        }
        if (need_d) disk64 = r_.U32(p);
        if (disk64 != 0) return Error("multi-disk zip archives are not supported");
        found = true;
      }
      pos += 4 + size;
    }
    if ((need_u || need_c || need_o || need_d) && !found) {
      return Error(entry + ": sizes are 0xffffffff but there is no zip64 extra field");
    }
    if (!need_d && disk != 0) return Error("multi-disk zip archives are not supported");
    return OkStatus();
  }

  StatusOr<std::string> ExtractEntry(const CentralEntry& e, const std::string& where) const {
    const uint64_t h = e.local_offset;
    if (!r_.Has(h, kLocalSize) || r_.U32(h) != kLocalSig) {
      return InvalidArgument(where + ": no local file header at offset " + std::to_string(h) +
                             " (truncated or damaged archive)");
    }
    const uint64_t name_len = r_.U16(h + 26), extra_len = r_.U16(h + 28);
    if (!r_.Has(h + kLocalSize, name_len + extra_len) ||
        r_.Slice(h + kLocalSize, name_len) != e.name) {
      return InvalidArgument(where + ": the local file header at offset " + std::to_string(h) +
                             " does not name the entry (damaged archive)");
    }
    const uint64_t data = h + kLocalSize + name_len + extra_len;
    if (!r_.Has(data, e.compressed)) {
      return InvalidArgument(where + ": truncated: its " + std::to_string(e.compressed) +
                             " bytes of data at offset " + std::to_string(data) +
                             " run past the end of the archive (" + std::to_string(r_.size()) +
                             " bytes)");
    }
    const std::string_view in = r_.Slice(data, e.compressed);
    std::string out;
    if (e.method == 0) {
      if (e.compressed != e.uncompressed) {
        return InvalidArgument(where + ": stored entry with " + std::to_string(e.compressed) +
                               " bytes of data but an uncompressed size of " +
                               std::to_string(e.uncompressed));
      }
      out = std::string(in);
    } else {
      // Deflate expands at most 1032:1, so a size beyond that is a lie; refusing it keeps the
      // output buffer proportional to the bytes in the file.
      const uint64_t most = e.compressed * 1032 + 64;
      if (e.uncompressed > most) {
        return InvalidArgument(where + " declares " + std::to_string(e.uncompressed) +
                               " uncompressed bytes, but its " + std::to_string(e.compressed) +
                               " bytes of deflated data can hold at most " + std::to_string(most));
      }
      FIRMNET_ASSIGN_OR_RETURN(out, Inflate(in, e.uncompressed, where));
    }
    if (Crc32(out) != e.crc) {
      return InvalidArgument(where + ": CRC-32 mismatch (damaged archive)");
    }
    return out;
  }

  // Raw deflate into exactly `size` bytes: more output than that, or a stream that ends early or
  // runs out of input, is an error. Never writes beyond `size` bytes (a deflate bomb stops there).
  static StatusOr<std::string> Inflate(std::string_view in, uint64_t size,
                                       const std::string& where) {
    if (in.size() > UINT32_MAX) {
      return InvalidArgument(where + ": " + std::to_string(in.size()) +
                             " bytes of deflated data for " + std::to_string(size) +
                             " uncompressed bytes (damaged archive)");
    }
    std::string out(size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
      return Internal(where + ": zlib could not start inflating");
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(size);
    int rc = inflate(&z, Z_FINISH);
    const uint64_t produced = size - z.avail_out;
    bool longer = false;
    if (rc == Z_BUF_ERROR && z.avail_out == 0) {
      // The output is full but the stream has not ended: one byte more of room tells a stream
      // that ends exactly here from one that goes on.
      unsigned char probe = 0;
      z.next_out = &probe;
      z.avail_out = 1;
      rc = inflate(&z, Z_FINISH);
      longer = z.avail_out == 0;
    }
    const std::string msg = z.msg ? z.msg : "";
    inflateEnd(&z);
    if (longer) {
      return InvalidArgument(where + ": the deflated data holds more than the declared " +
                             std::to_string(size) + " uncompressed bytes");
    }
    if (rc == Z_STREAM_END) {
      if (produced == size) return out;
      return InvalidArgument(where + ": the deflated data holds " + std::to_string(produced) +
                             " bytes, not the declared " + std::to_string(size));
    }
    if (rc == Z_DATA_ERROR) {
      return InvalidArgument(where + ": corrupt deflate data" +
                             (msg.empty() ? "" : " (" + msg + ")"));
    }
    if (rc == Z_MEM_ERROR) return ResourceExhausted(where + ": zlib ran out of memory");
    return InvalidArgument(where + ": truncated deflate data (" + std::to_string(produced) +
                           " of " + std::to_string(size) + " bytes before the data ended)");
  }

  Reader r_;
  const std::string& path_;
};

void Put(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

Status ValidateEntries(const std::vector<NpzEntry>& entries, const std::string& path) {
  const std::string what = "cannot write '" + path + "': ";
  if (entries.size() > 0xffff) {
    return InvalidArgument(what + std::to_string(entries.size()) +
                           " arrays; at most 65535 fit a zip archive without zip64");
  }
  std::set<std::string> names;
  for (const NpzEntry& e : entries) {
    const std::string entry = "array " + Quote(e.name);
    if (e.name.empty() || e.name.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
      return InvalidArgument(what + entry + ": a name must be non-empty without '/', '\\' or NUL");
    }
    if (e.name.size() > 0xffff - kSuffix.size())
      return InvalidArgument(what + entry + ": name too long");
    if (!names.insert(e.name).second) return InvalidArgument(what + entry + " appears twice");
    const NdArray& a = e.array;
    if (!ConsistentArray(a)) {
      return InvalidArgument(what + entry + ": shape " + FormatShape(a.shape) + " with " +
                             std::to_string(a.data.size()) + " values");
    }
    for (size_t i = 0; i < a.data.size(); ++i) {
      if (!std::isfinite(a.data[i])) {
        std::string index;
        size_t rest = i;
        for (size_t k = a.shape.size(); k-- > 0;) {
          const auto d = static_cast<size_t>(a.shape[k]);
          index = std::to_string(rest % d) + (index.empty() ? "" : ", ") + index;
          rest /= d;
        }
        return InvalidArgument(what + entry + ": element [" + index + "] is " +
                               (std::isnan(a.data[i]) ? "NaN" : "infinite"));
      }
    }
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::vector<NpzEntry>> DecodeNpz(std::string_view bytes, const std::string& path) {
  return NpzDecoder(bytes, path).Decode();
}

StatusOr<std::vector<NpzEntry>> ReadNpz(const std::string& path) {
  std::string bytes;
  FIRMNET_RETURN_IF_ERROR(ReadFile(path, &bytes));
  return DecodeNpz(bytes, path);
}

StatusOr<std::string> EncodeNpz(const std::vector<NpzEntry>& entries, const std::string& path) {
  FIRMNET_RETURN_IF_ERROR(ValidateEntries(entries, path));
  std::string out, central;
  // Fixed modification time (1980-01-01 00:00): the same arrays give the same bytes.
  constexpr uint16_t kTime = 0, kDate = (0 << 9) | (1 << 5) | 1;
  for (const NpzEntry& e : entries) {
    const std::string name = e.name + std::string(kSuffix);
    const std::string npy = EncodeNpyArray(e.array);
    if (npy.size() >= 0xffffffffu ||
        out.size() + npy.size() + name.size() + kLocalSize >= 0xffffffffu) {
      return InvalidArgument("cannot write '" + path + "': array " + Quote(e.name) +
                             " makes the archive larger than 4 GiB (zip64 is not written)");
    }
    const uint32_t crc = Crc32(npy);
    // Bit 11: the name is UTF-8 (only said when it is not plain ASCII, as Python does).
    const bool utf8 = std::any_of(name.begin(), name.end(),
                                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    const uint16_t flags = utf8 ? 0x0800 : 0;
    const uint64_t offset = out.size();
    Put(out, kLocalSig, 4);
    Put(out, 20, 2);  // version needed: 2.0
    Put(out, flags, 2);
    Put(out, 0, 2);  // stored
    Put(out, kTime, 2);
    Put(out, kDate, 2);
    Put(out, crc, 4);
    Put(out, npy.size(), 4);
    Put(out, npy.size(), 4);
    Put(out, name.size(), 2);
    Put(out, 0, 2);  // no extra field
    out += name;
    out += npy;

    Put(central, kCentralSig, 4);
    Put(central, 20, 2);  // made by: 2.0, MS-DOS attributes
    Put(central, 20, 2);
    Put(central, flags, 2);
    Put(central, 0, 2);
    Put(central, kTime, 2);
    Put(central, kDate, 2);
    Put(central, crc, 4);
    Put(central, npy.size(), 4);
    Put(central, npy.size(), 4);
    Put(central, name.size(), 2);
    Put(central, 0, 2);  // extra
    Put(central, 0, 2);  // comment
    Put(central, 0, 2);  // disk
    Put(central, 0, 2);  // internal attributes
    Put(central, 0, 4);  // external attributes
    Put(central, offset, 4);
    central += name;
  }
  if (out.size() + central.size() >= 0xffffffffu) {
    return InvalidArgument("cannot write '" + path +
                           "': the archive would be larger than 4 GiB (zip64 is not written)");
  }
  const uint64_t cd_offset = out.size();
  out += central;
  Put(out, kEocdSig, 4);
  Put(out, 0, 2);
  Put(out, 0, 2);
  Put(out, entries.size(), 2);
  Put(out, entries.size(), 2);
  Put(out, central.size(), 4);
  Put(out, cd_offset, 4);
  Put(out, 0, 2);  // comment
  return out;
}

Status WriteNpz(const std::string& path, const std::vector<NpzEntry>& entries) {
  FIRMNET_ASSIGN_OR_RETURN(std::string bytes, EncodeNpz(entries, path));
  return WriteFileAtomic(path, bytes);
}

}  // namespace firmnet::io
