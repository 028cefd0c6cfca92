// npz archives: round trips, numpy's own files (np.savez, np.savez_compressed, made at test time
// with /usr/bin/python3 when it has numpy), numpy reading ours, and hand-made hostile archives
// (truncated, bad signatures, lying sizes, deflate bombs, duplicate names, zip64 fields).
#include "firmnet/io/npz.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "firmnet/io/atomic_file.h"
#include "firmnet/io/npy.h"
#include "firmnet/io/subprocess.h"

namespace firmnet::io {
namespace {

namespace fs = std::filesystem;

::testing::AssertionResult Contains(const char* haystack_expr, const char* needle_expr,
                                    const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << haystack_expr << " does not contain " << needle_expr
                                       << "\n  actual: " << haystack << "\n  wanted: " << needle;
}
#define EXPECT_CONTAINS(haystack, needle) EXPECT_PRED_FORMAT2(Contains, haystack, needle)

class NpzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("firmnet_npz_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs a Python script with Debian's python3 and numpy; skips the test when they are missing.
  // Returns the script's output (stdout and stderr).
  std::string Python(const std::string& script, const std::vector<std::string>& args = {}) {
    skip_ = true;
    if (!fs::exists("/usr/bin/python3")) return "";
    ProcessOptions o;
    o.argv = {"/usr/bin/python3", "-c", "import numpy\n" + script};
    for (const std::string& a : args) o.argv.push_back(a);
    o.timeout_s = 60;
    auto r = RunProcess(o);
    if (!r.ok()) return "";
    if (!r->Succeeded() && r->output.find("No module named 'numpy'") != std::string::npos) {
      return "";
    }
    skip_ = false;
    EXPECT_TRUE(r->Succeeded()) << r->Describe() << "\n" << r->output;
    return r->output;
  }

  fs::path dir_;
  bool skip_ = false;
};

NdArray M(int64_t rows, int64_t cols, std::vector<double> data) {
  return NdArray{{rows, cols}, std::move(data)};
}
NdArray A(std::vector<int64_t> shape, std::vector<double> data) {
  return NdArray{std::move(shape), std::move(data)};
}

bool Same(const NdArray& a, const NdArray& b) { return a.shape == b.shape && a.data == b.data; }

// ---- Hand-made archives. ----

std::string RawDeflate(std::string_view in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

uint32_t Crc(std::string_view s) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

void Put(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

struct Item {
  std::string name = "";
  std::string content = "";  // the uncompressed bytes
  uint16_t method = 0;       // 0 stored, 8 deflated
  // Overrides of what the headers declare.
  std::optional<uint64_t> usize = std::nullopt, csize = std::nullopt;
  std::optional<uint32_t> crc = std::nullopt;
  uint16_t flags = 0;
  bool zip64_central = false;  // sizes and offset as 0xffffffff plus a zip64 extra field
  bool zip64_local = false;    // the local header as Python writes for np.savez
};

struct ZipOptions {
  bool zip64_eocd = false;
  std::string comment = "";
};

std::string MakeZip(const std::vector<Item>& items, const ZipOptions& opt = {}) {
  std::string out, central;
  for (const Item& it : items) {
    const std::string data = it.method == 8 ? RawDeflate(it.content) : it.content;
    const uint64_t usize = it.usize.value_or(it.content.size());
    const uint64_t csize = it.csize.value_or(data.size());
    const uint32_t crc = it.crc.value_or(Crc(it.content));
    const uint64_t offset = out.size();
    Put(out, 0x04034b50, 4);
    Put(out, it.zip64_local ? 45 : 20, 2);
    Put(out, it.flags, 2);
    Put(out, it.method, 2);
    Put(out, 0, 4);
    Put(out, crc, 4);
    Put(out, it.zip64_local ? 0xffffffff : csize, 4);
    Put(out, it.zip64_local ? 0xffffffff : usize, 4);
    Put(out, it.name.size(), 2);
    Put(out, it.zip64_local ? 20 : 0, 2);
    out += it.name;
    if (it.zip64_local) {
      Put(out, 1, 2);
      Put(out, 16, 2);
      Put(out, usize, 8);
      Put(out, csize, 8);
    }
    out += data;
    std::string extra;
    if (it.zip64_central) {
      Put(extra, 1, 2);
      Put(extra, 24, 2);
      Put(extra, usize, 8);
      Put(extra, csize, 8);
      Put(extra, offset, 8);
    }
    Put(central, 0x02014b50, 4);
    Put(central, 20, 2);
    Put(central, 20, 2);
    Put(central, it.flags, 2);
    Put(central, it.method, 2);
    Put(central, 0, 4);
    Put(central, crc, 4);
    Put(central, it.zip64_central ? 0xffffffff : csize, 4);
    Put(central, it.zip64_central ? 0xffffffff : usize, 4);
    Put(central, it.name.size(), 2);
    Put(central, extra.size(), 2);
    Put(central, 0, 2);
    Put(central, 0, 2);
    Put(central, 0, 2);
    Put(central, 0, 4);
    Put(central, it.zip64_central ? 0xffffffff : offset, 4);
    central += it.name;
    central += extra;
  }
  const uint64_t cd_offset = out.size();
  out += central;
  if (opt.zip64_eocd) {
    const uint64_t rec = out.size();
    Put(out, 0x06064b50, 4);
    Put(out, 44, 8);
    Put(out, 45, 2);
    Put(out, 45, 2);
    Put(out, 0, 4);
    Put(out, 0, 4);
    Put(out, items.size(), 8);
    Put(out, items.size(), 8);
    Put(out, central.size(), 8);
    Put(out, cd_offset, 8);
    Put(out, 0x07064b50, 4);
    Put(out, 0, 4);
    Put(out, rec, 8);
    Put(out, 1, 4);
  }
  Put(out, 0x06054b50, 4);
  Put(out, 0, 4);
  Put(out, opt.zip64_eocd ? 0xffff : items.size(), 2);
  Put(out, opt.zip64_eocd ? 0xffff : items.size(), 2);
  Put(out, opt.zip64_eocd ? 0xffffffff : central.size(), 4);
  Put(out, opt.zip64_eocd ? 0xffffffff : cd_offset, 4);
  Put(out, opt.comment.size(), 2);
  out += opt.comment;
  return out;
}

const std::string kA = EncodeNpyArray(M(2, 3, {1, 2, 3, 4, 5, 6.5}));
const std::string kB = EncodeNpyArray(M(1, 2, {-1, 0.25}));

std::string Error(std::string_view bytes) {
  auto r = DecodeNpz(bytes, "x.npz");
  return r.ok() ? "<ok>" : r.status().message();
}

// ---- Tests. ----

TEST_F(NpzTest, RoundTripsInOrder) {
  const std::vector<NpzEntry> in = {{"y", M(2, 3, {1, -2, 3.25, 1e-300, 5, 6})},
                                    {"a", M(1, 1, {0.1})},
                                    {"caf\xc3\xa9 2", M(0, 3, {})}};
  ASSERT_TRUE(WriteNpz(Path("out.npz"), in).ok());
  auto out = ReadNpz(Path("out.npz"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*out)[i].name, in[i].name);
    EXPECT_TRUE(Same((*out)[i].array, in[i].array)) << i;
  }
  // The same arrays give the same bytes.
  EXPECT_EQ(*EncodeNpz(in, "a"), *EncodeNpz(in, "b"));
}

TEST_F(NpzTest, WriteRefusesBadEntriesAndLeavesNoFile) {
  const std::string p = Path("bad.npz");
  auto err = [&](const std::vector<NpzEntry>& e) {
    Status s = WriteNpz(p, e);
    EXPECT_FALSE(fs::exists(p));
    return s.message();
  };
  EXPECT_EQ(err({{"a", M(1, 1, {1})}, {"a", M(1, 1, {2})}}),
            "cannot write '" + p + "': array 'a' appears twice");
  EXPECT_CONTAINS(err({{"", M(1, 1, {1})}}), "a name must be non-empty");
  EXPECT_CONTAINS(err({{"d/x", M(1, 1, {1})}}), "without '/'");
  EXPECT_CONTAINS(err({{"n", M(1, 2, {1, NAN})}}), "array 'n': element [0, 1] is NaN");
  EXPECT_CONTAINS(err({{"n", A({2, 1, 2}, {1, 2, 3, NAN})}}),
                  "array 'n': element [1, 0, 1] is NaN");
  EXPECT_CONTAINS(err({{"n", A({-1, -1}, {1})}}), "shape [-1,-1] with 1 values");
  EXPECT_CONTAINS(err({{"n", M(2, 2, {1})}}), "array 'n': shape [2,2] with 1 values");
  // An existing file stays as it was when a write fails.
  ASSERT_TRUE(WriteNpz(p, {{"ok", M(1, 1, {1})}}).ok());
  EXPECT_FALSE(WriteNpz(p, {{"n", M(1, 1, {INFINITY})}}).ok());
  auto back = ReadNpz(p);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0].name, "ok");
  // A directory that does not exist: an error, nothing written.
  EXPECT_FALSE(WriteNpz(Path("no/such/dir/x.npz"), {{"a", M(1, 1, {1})}}).ok());
}

TEST_F(NpzTest, NumpyReadsWhatWeWrite) {
  ASSERT_TRUE(WriteNpz(Path("w.npz"), {{"x", M(2, 2, {1.5, -2, 0.1, 4})},
                                       {"out 2", M(1, 3, {7, 8, 9})},
                                       {"img", A({2, 2, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7})},
                                       {"vec", A({3}, {1, 2, 3})},
                                       {"s", A({}, {2.5})}})
                  .ok());
  const std::string out = Python(R"(
import sys, zipfile
d = numpy.load(sys.argv[1])
print(list(d.keys()))
print(d['x'].dtype, d['x'].shape, repr(d['x'].tolist()))
print(repr(d['out 2'].tolist()))
print(d['img'].shape, repr(d['img'].ravel().tolist()), d['vec'].shape, d['s'].shape, d['s'])
print(zipfile.ZipFile(sys.argv[1]).testzip())
)",
                                 {Path("w.npz")});
  if (skip_) GTEST_SKIP() << "no /usr/bin/python3 with numpy";
  EXPECT_EQ(out,
            "['x', 'out 2', 'img', 'vec', 's']\nfloat64 (2, 2) [[1.5, -2.0], [0.1, 4.0]]\n"
            "[[7.0, 8.0, 9.0]]\n(2, 2, 1, 2) [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] (3,) () "
            "2.5\nNone\n");
}

TEST_F(NpzTest, ReadsNumpysSavezAndSavezCompressed) {
  const std::string script = R"(
import sys
b = numpy.arange(12, dtype=numpy.float64).reshape(3, 4) / 8
c = numpy.array([1, -2, 300], dtype=numpy.int16)
big = numpy.zeros((400, 50)); big[::7, ::3] = 0.5; big[5, 7] = -1e300
f = numpy.array([[0.1, 0.2]], dtype=numpy.float32)
img = numpy.arange(24, dtype=numpy.int32).reshape(2, 3, 4, 1)
numpy.savez(sys.argv[1], b, second=c, big=big, f=f, img=img)
numpy.savez_compressed(sys.argv[2], b, second=c, big=big, f=f, img=img)
)";
  Python(script, {Path("s.npz"), Path("c.npz")});
  if (skip_) GTEST_SKIP() << "no /usr/bin/python3 with numpy";
  for (const char* file : {"s.npz", "c.npz"}) {
    SCOPED_TRACE(file);
    auto r = ReadNpz(Path(file));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 5u);
    // numpy's order: keyword arrays first, then the positional ones (arr_0, ...).
    EXPECT_EQ((*r)[0].name, "second");
    EXPECT_EQ((*r)[1].name, "big");
    EXPECT_EQ((*r)[2].name, "f");
    EXPECT_EQ((*r)[3].name, "img");
    EXPECT_EQ((*r)[4].name, "arr_0");
    EXPECT_TRUE(Same((*r)[0].array, A({3}, {1, -2, 300})));
    const NdArray& big = (*r)[1].array;
    ASSERT_EQ(big.shape, (std::vector<int64_t>{400, 50}));
    EXPECT_EQ(big.data[5 * 50 + 7], -1e300);
    EXPECT_EQ(big.data[7 * 50 + 3], 0.5);
    EXPECT_EQ(big.data[7 * 50 + 4], 0);
    EXPECT_TRUE(
        Same((*r)[2].array, M(1, 2, {static_cast<double>(0.1f), static_cast<double>(0.2f)})));
    std::vector<double> arange;
    for (int i = 0; i < 12; ++i) arange.push_back(i / 8.0);
    EXPECT_TRUE(Same((*r)[4].array, M(3, 4, arange)));
    std::vector<double> img;
    for (int i = 0; i < 24; ++i) img.push_back(i);
    EXPECT_TRUE(Same((*r)[3].array, A({2, 3, 4, 1}, img)));
  }
}

TEST_F(NpzTest, ReadsHandMadeVariants) {
  // Stored and deflated entries, zip64 fields (as Python's zipfile writes them for np.savez, and
  // in the central directory), a zip64 end record, an archive comment.
  const std::vector<Item> items = {
      {.name = "a.npy", .content = kA},
      {.name = "b.npy", .content = kB, .method = 8},
      {.name = "c.npy", .content = kA, .method = 8, .zip64_central = true, .zip64_local = true},
      {.name = "d.npy", .content = kB, .zip64_local = true}};
  for (const ZipOptions& o : {ZipOptions{}, ZipOptions{.zip64_eocd = true},
                              ZipOptions{.comment = "PK\x05\x06 not a record"}}) {
    auto r = DecodeNpz(MakeZip(items, o), "x.npz");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ((*r)[0].name, "a");
    EXPECT_EQ((*r)[3].name, "d");
    EXPECT_TRUE(Same((*r)[0].array, M(2, 3, {1, 2, 3, 4, 5, 6.5})));
    EXPECT_TRUE(Same((*r)[1].array, M(1, 2, {-1, 0.25})));
    EXPECT_TRUE(Same((*r)[2].array, (*r)[0].array));
    EXPECT_TRUE(Same((*r)[3].array, (*r)[1].array));
  }
  // An empty archive has no arrays.
  auto empty = DecodeNpz(MakeZip({}), "x.npz");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(NpzTest, HostileArchivesGiveClearErrors) {
  const std::string good = MakeZip({{.name = "a.npy", .content = kA}});
  EXPECT_EQ(Error(""),
            "x.npz: not a zip (npz) archive: 0 bytes, too short for the "
            "end-of-central-directory record");
  EXPECT_EQ(Error(kA), "x.npz: not a zip (npz) archive (no end-of-central-directory record)");
  EXPECT_EQ(Error(good.substr(0, good.size() - 1)),
            "x.npz: truncated zip (npz) archive: the end-of-central-directory record is missing");
  // Bad signatures.
  std::string bad = good;
  bad[0] = 'X';  // local header
  EXPECT_CONTAINS(Error(bad), "x.npz: entry 'a.npy': no local file header at offset 0");
  bad = good;
  bad[good.find("PK\x01\x02")] = 'X';
  EXPECT_CONTAINS(Error(bad), "x.npz: central directory record 0 (offset ");
  // Sizes that lie.
  EXPECT_EQ(Error(MakeZip({{.name = "a.npy", .content = kA, .usize = kA.size() + 1}})),
            "x.npz: entry 'a.npy': stored entry with " + std::to_string(kA.size()) +
                " bytes of data but an uncompressed size of " + std::to_string(kA.size() + 1));
  EXPECT_CONTAINS(
      Error(MakeZip({{.name = "a.npy", .content = kA, .usize = 1u << 20, .csize = 1u << 20}})),
      "x.npz: entry 'a.npy': truncated: its 1048576 bytes of data at offset 35 run past");
  EXPECT_CONTAINS(
      Error(MakeZip({{.name = "a.npy", .content = kA, .method = 8, .usize = kA.size() + 10}})),
      "entry 'a.npy': the deflated data holds " + std::to_string(kA.size()) +
          " bytes, not the declared " + std::to_string(kA.size() + 10));
  EXPECT_EQ(Error(MakeZip({{.name = "a.npy", .content = kA, .crc = 1234}})),
            "x.npz: entry 'a.npy': CRC-32 mismatch (damaged archive)");
  // The central directory claims more than it holds.
  bad = good;
  const size_t eocd = bad.rfind("PK\x05\x06");
  bad[eocd + 8] = bad[eocd + 10] = 5;
  EXPECT_CONTAINS(Error(bad), "x.npz: the archive claims 5 entries");
  bad = good;
  bad[eocd + 19] = 0x7f;  // the directory's offset
  EXPECT_CONTAINS(Error(bad), "lies outside the archive");
  // Names.
  EXPECT_EQ(Error(MakeZip({{.name = "a.npy", .content = kA}, {.name = "a.npy", .content = kB}})),
            "x.npz: entry 'a.npy' appears twice in the archive (array names must be unique)");
  EXPECT_CONTAINS(Error(MakeZip({{.name = "notes.txt", .content = "hi"}})),
                  "x.npz: entry 'notes.txt' is not an .npy array");
  EXPECT_CONTAINS(Error(MakeZip({{.name = ".npy", .content = kA}})), "has an empty array name");
  // Methods and flags.
  EXPECT_EQ(Error(MakeZip({{.name = "a.npy", .content = kA, .method = 12}})),
            "x.npz: entry 'a.npy' uses compression method 12; npz entries are stored (0) or "
            "deflated (8)");
  EXPECT_EQ(Error(MakeZip({{.name = "a.npy", .content = kA, .flags = 1}})),
            "x.npz: entry 'a.npy' is encrypted");
  // A damaged .npy inside names the entry.
  EXPECT_CONTAINS(Error(MakeZip({{.name = "a.npy", .content = kA.substr(0, 20)}})),
                  "x.npz: entry 'a.npy': truncated npy file");
  // Corrupt deflate data.
  std::string deflated = MakeZip({{.name = "a.npy", .content = kA, .method = 8}});
  deflated[35] = static_cast<char>(0xff);
  EXPECT_CONTAINS(Error(deflated), "x.npz: entry 'a.npy': ");
}

TEST_F(NpzTest, DeflateBombsStopAtTheLimit) {
  // 64 MiB of zeros deflate to about 64 KiB. Declared as 1000 bytes: inflation stops there.
  const std::string zeros(size_t{64} << 20, '\0');
  const std::string npy = EncodeNpyArray(M(1, 1, {0})) + zeros;
  EXPECT_EQ(Error(MakeZip({{.name = "z.npy", .content = npy, .method = 8, .usize = 1000}})),
            "x.npz: entry 'z.npy': the deflated data holds more than the declared 1000 "
            "uncompressed bytes");
  // More than deflate can expand the data to.
  EXPECT_EQ(Error(MakeZip({{.name = "z.npy", .content = "tiny", .method = 8, .usize = 1u << 20}})),
            "x.npz: entry 'z.npy' declares 1048576 uncompressed bytes, but its 6 bytes of deflated "
            "data can hold at most 6256");
  // Declared beyond the limit: refused before anything is allocated or inflated.
  EXPECT_EQ(
      Error(MakeZip({{.name = "z.npy", .content = "tiny", .method = 8, .usize = 3ull << 30}})),
      "x.npz: entry 'z.npy' declares 3221225472 uncompressed bytes, more than the limit of "
      "1073741824");
  // Several entries under the per-entry limit but over the total.
  std::vector<Item> many;
  for (int i = 0; i < 5; ++i) {
    many.push_back({.name = "e" + std::to_string(i) + ".npy",
                    .content = "tiny",
                    .method = 8,
                    .usize = (1ull << 30) - 1});
  }
  EXPECT_CONTAINS(Error(MakeZip(many)), "entry 'e4.npy': the entries declare more than");
}

TEST_F(NpzTest, TruncationsAndCorruptionsNeverCrash) {
  const std::string stored = MakeZip(
      {{.name = "a.npy", .content = kA}, {.name = "b.npy", .content = kB, .zip64_local = true}});
  const std::string deflated =
      MakeZip({{.name = "a.npy", .content = kA, .method = 8},
               {.name = "b.npy", .content = kB, .method = 8, .zip64_central = true}},
              {.zip64_eocd = true});
  for (const std::string& z : {stored, deflated}) {
    ASSERT_TRUE(DecodeNpz(z, "x.npz").ok());
    for (size_t len = 0; len < z.size(); ++len) {
      EXPECT_FALSE(DecodeNpz(z.substr(0, len), "x.npz").ok()) << len;
    }
    std::mt19937 rng(11);
    for (int trial = 0; trial < 3000; ++trial) {
      std::string d = z;
      for (int k = 0; k < 1 + trial % 4; ++k) d[rng() % d.size()] = static_cast<char>(rng());
      auto r = DecodeNpz(d, "x.npz");
      if (!r.ok()) {
        EXPECT_CONTAINS(r.status().message(), "x.npz");
      }
    }
  }
}

}  // namespace
}  // namespace firmnet::io
