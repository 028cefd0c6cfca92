// Constants of layer 'sig' (sigmoid): raw bit patterns, value = raw * 2^(I-W) of the
// type named beside each array.
#ifndef WEIGHTS_SIG_H_
#define WEIGHTS_SIG_H_

#include "../parameters.h"

// ap_ufixed<8,0,AP_RND,AP_SAT>
static const config_sig::table_raw_t t_sig[32] = {
    0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 12, 19, 31, 47, 69, 97,
    128, 159, 187, 209, 225, 237, 244, 248, 251, 253, 254, 255, 255, 255, 255, 255
};

#endif
