// tiny: the top function of this firmnet-generated HLS project.
// io_parallel: the ports are arrays, completely partitioned, with ap_vld ports.
#ifndef TINY_H_
#define TINY_H_

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

#include "defines.h"

void tiny(const input_t x[N_INPUT], result_t sig_out[N_OUTPUT]);

#endif  // TINY_H_
