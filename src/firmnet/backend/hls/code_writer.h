// CodeWriter: builds generated source text line by line with managed indentation, so that the
// HLS backend never splices strings into templates at marker lines.
#pragma once

#include <string>
#include <string_view>

namespace firmnet::backend::hls {

class CodeWriter {
 public:
  explicit CodeWriter(int indent_width = 2) : indent_width_(indent_width) {}

  // One line at the current indentation (an empty line stays empty).
  CodeWriter& Line(std::string_view text = "");
  // A pragma or preprocessor line: always in column 0, as HLS tools and readers expect.
  CodeWriter& Raw(std::string_view text);
  // "text {" and indent / dedent and "}" + suffix.
  CodeWriter& Open(std::string_view text);
  CodeWriter& Close(std::string_view suffix = "");
  void Indent() { ++depth_; }
  void Dedent();

  const std::string& str() const { return out_; }

 private:
  std::string out_;
  int depth_ = 0;
  int indent_width_;
};

}  // namespace firmnet::backend::hls
