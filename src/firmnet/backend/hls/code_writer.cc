#include "firmnet/backend/hls/code_writer.h"

#include "firmnet/common/check.h"

namespace firmnet::backend::hls {

CodeWriter& CodeWriter::Line(std::string_view text) {
  if (!text.empty())
    out_.append(static_cast<size_t>(depth_) * static_cast<size_t>(indent_width_), ' ');
  out_.append(text);
  out_.push_back('\n');
  return *this;
}

CodeWriter& CodeWriter::Raw(std::string_view text) {
  out_.append(text);
  out_.push_back('\n');
  return *this;
}

CodeWriter& CodeWriter::Open(std::string_view text) {
  Line(std::string(text) + " {");
  Indent();
  return *this;
}

CodeWriter& CodeWriter::Close(std::string_view suffix) {
  Dedent();
  return Line("}" + std::string(suffix));
}

void CodeWriter::Dedent() {
  FIRMNET_CHECK(depth_ > 0) << "CodeWriter: unbalanced Close/Dedent";
  --depth_;
}

}  // namespace firmnet::backend::hls
