#include "firmnet/io/quote.h"

namespace firmnet::io {

std::string QuoteForMessage(std::string_view s, bool keep_utf8) {
  constexpr size_t kMaxShown = 40;
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool printable = c >= 0x20 && c != 0x7f && (keep_utf8 || c < 0x80);
    if (printable) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > kMaxShown) out += "...";
  return out + "'";
}

}  // namespace firmnet::io
