// Constants of layer 'sig' (sigmoid): raw bit patterns, value = raw * 2^(I-W) of the
// type named beside each array.
#ifndef WEIGHTS_SIG_H_
#define WEIGHTS_SIG_H_

#include "../parameters.h"

// ap_ufixed<8,0,AP_RND,AP_SAT>
static const config_sig::table_raw_t t_sig[32] = {
    128, 144, 159, 174, 187, 199, 209, 218, 225, 232, 237, 241, 244, 246, 248, 250,
    251, 252, 253, 254, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255
};

#endif
