// Constants of layer 'fc' (dense): raw bit patterns, value = raw * 2^(I-W) of the
// type named beside each array.
#ifndef WEIGHTS_FC_H_
#define WEIGHTS_FC_H_

#include "../parameters.h"

// ap_fixed<8,2>
static const config_fc::weight_raw_t w_fc[12] = {
    32, -80, 0, 48, 0, 19, -39, 70, 0, 3, -13, 121
};

// ap_fixed<8,2>
static const config_fc::bias_raw_t b_fc[3] = {
    16, -32, 0
};

#endif
