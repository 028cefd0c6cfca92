// firmnet HLS layer library: the sliding window of the io_stream convolutions and pools.
//
// A feature map arrives one pixel (all channels) per beat, rows first. The window walks the
// PADDED map (C::pad_top rows above, C::pad_bottom below, C::pad_left / C::pad_right columns at
// the sides): at a padded position it reads no beat and shifts in `pad` instead, elsewhere it
// reads one beat. A line buffer holds the last filt_h - 1 rows of every padded column, and a
// filt_h x filt_w shift register holds the window itself. Whenever the window's bottom-right
// corner reaches a position where an output starts (rows and columns on the stride grid, inside
// the output), the kernel computes that output pixel and writes one beat. So the layer reads
// exactly in_h * in_w beats and writes out_h * out_w beats, in row-major order, whatever the
// sizes, strides and pads (rows or columns past the last window are read and dropped).
//
// C provides: in_h, in_w, n_chan, out_h, out_w, filt_h, filt_w, stride_h, stride_w, pad_top,
// pad_left, pad_bottom, pad_right. A 1-D layer has in_h = out_h = filt_h = stride_h = 1 and no
// vertical pads.
#ifndef FNET_WINDOW_H_
#define FNET_WINDOW_H_

#include "fnet_common.h"

namespace fnet {

// K: a functor with `void operator()(const T win[filt_h * filt_w * n_chan], unsigned oh,
// unsigned ow, pixel<O, N>& out)`; the window is in (kh, kw, c) order (im2col order).
template <class C, class T, class O, unsigned N, class K>
void stream_window(hls::stream<pixel<T, C::n_chan> >& x, hls::stream<pixel<O, N> >& y, const T pad,
                   K& kernel) {
#pragma HLS INLINE
  static const unsigned padded_h = C::in_h + C::pad_top + C::pad_bottom;
  static const unsigned padded_w = C::in_w + C::pad_left + C::pad_right;
  static const unsigned n_lines = C::filt_h > 1 ? C::filt_h - 1 : 1;
  static const unsigned n_win = C::filt_h * C::filt_w * C::n_chan;

  T lines[n_lines][padded_w][C::n_chan];
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 1
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 3
  T win[n_win];
#pragma HLS ARRAY_PARTITION variable = win complete

Rows:
  for (unsigned ph = 0; ph < padded_h; ph++) {
  Columns:
    for (unsigned pw = 0; pw < padded_w; pw++) {
#pragma HLS PIPELINE II = 1
      const bool inside = ph >= C::pad_top && ph < C::pad_top + C::in_h && pw >= C::pad_left &&
                          pw < C::pad_left + C::in_w;
      pixel<T, C::n_chan> cur;
      if (inside) {
        cur = x.read();
      } else {
        for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
          cur[c] = pad;
        }
      }
      // Shift the window one column left; its last column is this padded column, top to
      // bottom: the line buffer's rows, then the current pixel.
    ShiftWindow:
      for (unsigned kh = 0; kh < C::filt_h; kh++) {
#pragma HLS UNROLL
        for (unsigned kw = 0; kw + 1 < C::filt_w; kw++) {
#pragma HLS UNROLL
          for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
            win[(kh * C::filt_w + kw) * C::n_chan + c] =
                win[(kh * C::filt_w + kw + 1) * C::n_chan + c];
          }
        }
        for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
          win[(kh * C::filt_w + C::filt_w - 1) * C::n_chan + c] =
              kh + 1 < C::filt_h ? lines[kh][pw][c] : cur[c];
        }
      }
      // The line buffer moves up one row in this column.
    ShiftLines:
      for (unsigned kh = 0; kh + 1 < C::filt_h; kh++) {
#pragma HLS UNROLL
        for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
          lines[kh][pw][c] = kh + 2 < C::filt_h ? lines[kh + 1][pw][c] : cur[c];
        }
      }
      if (ph + 1 >= C::filt_h && pw + 1 >= C::filt_w) {
        const unsigned rh = ph + 1 - C::filt_h, rw = pw + 1 - C::filt_w;
        if (rh % C::stride_h == 0 && rw % C::stride_w == 0 && rh / C::stride_h < C::out_h &&
            rw / C::stride_w < C::out_w) {
          pixel<O, N> out;
          kernel(win, rh / C::stride_h, rw / C::stride_w, out);
          y.write(out);
        }
      }
    }
  }
}

// io_parallel: the window of output pixel (oh, ow) in (kh, kw, c) order, `pad` where it leaves
// the input.
template <class C, class T>
void fill_window(const T x[C::in_h * C::in_w * C::n_chan], unsigned oh, unsigned ow, const T pad,
                 T win[C::filt_h * C::filt_w * C::n_chan]) {
#pragma HLS INLINE
  for (unsigned kh = 0; kh < C::filt_h; kh++) {
#pragma HLS UNROLL
    for (unsigned kw = 0; kw < C::filt_w; kw++) {
#pragma HLS UNROLL
      const int ih = int(oh * C::stride_h + kh) - int(C::pad_top);
      const int iw = int(ow * C::stride_w + kw) - int(C::pad_left);
      const bool inside = ih >= 0 && ih < int(C::in_h) && iw >= 0 && iw < int(C::in_w);
      for (unsigned c = 0; c < C::n_chan; c++) {
#pragma HLS UNROLL
        win[(kh * C::filt_w + kw) * C::n_chan + c] =
            inside ? x[(unsigned(ih) * C::in_w + unsigned(iw)) * C::n_chan + c] : pad;
      }
    }
  }
}

// The number of window cells of output pixel (oh, ow) that lie inside the input.
template <class C>
inline unsigned window_cells_inside(unsigned oh, unsigned ow) {
#pragma HLS INLINE
  unsigned rows = 0, cols = 0;
  for (unsigned kh = 0; kh < C::filt_h; kh++) {
#pragma HLS UNROLL
    const int ih = int(oh * C::stride_h + kh) - int(C::pad_top);
    rows += ih >= 0 && ih < int(C::in_h);
  }
  for (unsigned kw = 0; kw < C::filt_w; kw++) {
#pragma HLS UNROLL
    const int iw = int(ow * C::stride_w + kw) - int(C::pad_left);
    cols += iw >= 0 && iw < int(C::in_w);
  }
  return rows * cols;
}

}  // namespace fnet

#endif  // FNET_WINDOW_H_
