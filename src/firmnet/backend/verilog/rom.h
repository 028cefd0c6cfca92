// ROM modules for table activations: a combinational case statement holding exactly the
// emulator's table entries (synthesis maps it to LUTs or block RAM).
#pragma once

#include <string>
#include <vector>

#include "firmnet/fixed/fixed_value.h"

namespace firmnet::verilog {

// Number of address bits for `entries` entries (at least 1).
int AddressWidth(size_t entries);
// The Verilog text of module `name` (ports: addr, data) returning entries[addr] as `width`-bit
// raw values (0 beyond the last entry).
std::string RomModule(const std::string& name, const std::vector<BigInt>& entries, int width);

}  // namespace firmnet::verilog
