// firmnet's HLS layer library (runtime/*.h), embedded into the binary at build time by
// embed_runtime.cmake, so that every generated project gets byte-identical copies wherever
// firmnet runs from.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace firmnet::backend::hls {

// (file name, contents), sorted by file name.
const std::vector<std::pair<std::string_view, std::string_view>>& RuntimeHeaders();

}  // namespace firmnet::backend::hls
