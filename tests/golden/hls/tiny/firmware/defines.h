// Port sizes and the result type of every layer (from the resolved config).
#ifndef DEFINES_H_
#define DEFINES_H_

#include "ap_fixed.h"
#include "ap_int.h"

#define N_INPUT 4
#define N_OUTPUT 3

typedef ap_fixed<8,3,AP_RND,AP_SAT> x_result_t;  // x (input)
typedef ap_fixed<12,4> fc_result_t;  // fc (dense)
typedef ap_fixed<10,4,AP_RND,AP_SAT> lin_result_t;  // lin (linear)
typedef ap_ufixed<8,0,AP_RND,AP_SAT> sig_result_t;  // sig (sigmoid)
typedef x_result_t input_t;
typedef sig_result_t result_t;

#endif  // DEFINES_H_
