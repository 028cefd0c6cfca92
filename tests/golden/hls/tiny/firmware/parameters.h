// One configuration struct per layer: types, sizes and settings that the layer library
// (fnet/*.h) reads at compile time.
#ifndef PARAMETERS_H_
#define PARAMETERS_H_

#include "defines.h"
#include "fnet/fnet_common.h"
#include "fnet/fnet_dense.h"
#include "fnet/fnet_elementwise.h"
#include "fnet/fnet_hls4ml_tables.h"

// fc (dense)
struct config_fc {
  typedef x_result_t in_t;
  typedef fc_result_t out_t;
  static const unsigned n_in = 4;
  static const unsigned n_out = 3;
  typedef ap_fixed<8,2> weight_t;
  typedef ap_fixed<8,2> bias_t;
  typedef ap_fixed<16,6> accum_t;
  typedef int8_t weight_raw_t;
  typedef int8_t bias_raw_t;
  static const unsigned reuse_factor = 2;
  static const unsigned n_mult = 6;
  static const unsigned n_nonzero = 9;
};

// lin (linear)
struct config_lin {
  typedef fc_result_t in_t;
  typedef lin_result_t out_t;
  static const unsigned n_in = 3;
  static const unsigned n_out = 3;
};

// sig (sigmoid)
struct config_sig {
  typedef lin_result_t in_t;
  typedef sig_result_t out_t;
  static const unsigned n_in = 3;
  static const unsigned n_out = 3;
  typedef ap_ufixed<8,0,AP_RND,AP_SAT> table_t;
  typedef uint8_t table_raw_t;
  static const bool in_signed = true;
  static const unsigned table_size = 32;
  static const int div_shift = 10;
  static const int frac_neg = 0;
};

#endif  // PARAMETERS_H_
