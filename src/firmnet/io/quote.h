// Quoting file contents for error messages: a short, terminal-safe rendering of a token or header
// read from a user's file (a binary file read as text would otherwise spray control bytes).
#pragma once

#include <string>
#include <string_view>

namespace firmnet::io {

// Up to 40 characters of `s` in single quotes ("..." when cut), with control bytes and DEL
// shown as \xNN. Bytes >= 0x80 are kept as they are when `keep_utf8` (text files may hold
// UTF-8) and escaped otherwise (npy headers are ASCII).
std::string QuoteForMessage(std::string_view s, bool keep_utf8);

}  // namespace firmnet::io
