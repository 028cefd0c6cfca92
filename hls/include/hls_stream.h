// hls_stream.h: firmnet's clean-room hls::stream<T> for C-simulation of dataflow HLS code.
//
// In C-simulation a stream is an unbounded FIFO. Reading an empty stream would hang (or return
// garbage) in real hardware simulation; here it prints the stream's name and aborts, so a
// dataflow bug shows up at once with the culprit named. Written from the documented behaviour
// (AMD UG1399); no vendor source.
#ifndef FIRMNET_HLS_HLS_STREAM_H_
#define FIRMNET_HLS_HLS_STREAM_H_

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <utility>

namespace hls {

template <class T, int DEPTH = 0>
class stream {
 public:
  stream() : name_("hls::stream") {}
  explicit stream(const char* name) : name_(name) {}
  explicit stream(const std::string& name) : name_(name) {}
  // Streams are channels between processes: copying one would silently fork the data.
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  bool empty() const { return data_.empty(); }
  // C-simulation never blocks a writer: the FIFO grows as needed.
  bool full() const { return false; }
  std::size_t size() const { return data_.size(); }
  const std::string& name() const { return name_; }

  T read() {
    if (data_.empty()) {
      std::fprintf(stderr,
                   "hls::stream '%s': read while empty (C-simulation would hang here; check that "
                   "every producer writes as many values as the consumers read)\n",
                   name_.c_str());
      std::fflush(stderr);
      std::abort();
    }
    T v = std::move(data_.front());
    data_.pop_front();
    return v;
  }
  void read(T& out) { out = read(); }
  bool read_nb(T& out) {
    if (data_.empty()) return false;
    out = read();
    return true;
  }
  void write(const T& v) { data_.push_back(v); }
  bool write_nb(const T& v) {
    write(v);
    return true;
  }
  void operator>>(T& out) { read(out); }
  void operator<<(const T& v) { write(v); }

 private:
  std::string name_;
  std::deque<T> data_;
};

}  // namespace hls

#endif  // FIRMNET_HLS_HLS_STREAM_H_
