// How the HLS backend spells firmnet's fixed-point types and raw constants in C++.
#pragma once

#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/fixed/fixed_type.h"
#include "firmnet/fixed/fixed_value.h"

namespace firmnet::backend::hls {

// "ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT>", "ap_fixed<4,4,AP_TRN,AP_WRAP,1>": the
// vendor's template spelling (ap_int<W> types are written as ap_fixed<W,W>, which has the same
// values and casts).
std::string CppType(const FixedType& t);

// The C integer type that holds a raw bit pattern of `t` (int8_t .. int64_t, uint8_t ..
// uint64_t). Constants wider than 64 bits are not supported: an error names `what`.
StatusOr<std::string> RawCType(const FixedType& t, const std::string& what);

// A raw value as a C literal of RawCType(t) ("-5", "12", "INT64_MIN"-safe forms).
std::string RawLiteral(const BigInt& raw, const FixedType& t);

// A valid C identifier made from a layer name ("dense/MatMul" -> "dense_MatMul").
std::string CIdentifier(const std::string& name);
bool IsCIdentifier(const std::string& s);

}  // namespace firmnet::backend::hls
