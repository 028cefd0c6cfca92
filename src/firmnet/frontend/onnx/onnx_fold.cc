#include "firmnet/frontend/onnx/onnx_fold.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "firmnet/frontend/onnx/onnx_spatial.h"
#include "firmnet/ir/printer.h"

namespace firmnet::onnx {

namespace {

// A constant being folded: its ONNX element type and its values as float64 (integers up to
// 2^53 and every float32 are exact).
struct Const {
  int32_t dtype = TensorProto::FLOAT;
  ir::Shape shape;
  std::vector<double> v;
};

// The largest folded constant (2^28 values): a guard against a hostile broadcast or gather.
constexpr int64_t kMaxFoldedElements = int64_t{1} << 28;

bool IsInt(int32_t dtype) {
  return dtype == TensorProto::INT64 || dtype == TensorProto::INT32 || dtype == TensorProto::BOOL;
}

// Rounds a result to the element type, as a runtime computing in that type does.
double InType(int32_t dtype, double x) {
  if (dtype == TensorProto::FLOAT || dtype == TensorProto::FLOAT16) {
    return static_cast<double>(static_cast<float>(x));
  }
  if (IsInt(dtype)) return std::trunc(x);
  return x;
}

TensorProto ToProto(const Const& c) {
  TensorProto t;
  for (int64_t d : c.shape) t.add_dims(d);
  if (IsInt(c.dtype)) {
    t.set_data_type(TensorProto::INT64);
    for (double x : c.v) t.add_int64_data(static_cast<int64_t>(x));
  } else if (c.dtype == TensorProto::DOUBLE) {
    t.set_data_type(TensorProto::DOUBLE);
    for (double x : c.v) t.add_double_data(x);
  } else {
    t.set_data_type(TensorProto::FLOAT);
    for (double x : c.v) t.add_float_data(static_cast<float>(x));
  }
  return t;
}

std::vector<int64_t> Strides(const ir::Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

// An axis attribute or input value in [-rank, rank), normalized.
StatusOr<size_t> Axis(const OnnxContext& ctx, int64_t a, size_t rank, const std::string& what) {
  const auto r = static_cast<int64_t>(rank);
  if (a < -r || a >= r) {
    return ctx.Err(
        StatusCode::kInvalidArgument,
        what + " " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
  }
  return static_cast<size_t>(a < 0 ? a + r : a);
}

class Folder {
 public:
  Folder(OnnxContext& ctx, const NodeProto& n) : ctx_(ctx), n_(n) {}

  StatusOr<Const> In(int i) const {
    const TensorProto* t = ctx_.FindConstant(n_.input(i));
    if (t == nullptr) return ctx_.Err(StatusCode::kInternal, "input is not a constant");
    FIRMNET_ASSIGN_OR_RETURN(ir::Tensor x, DecodeOnnxTensor(*t));
    return Const{t->data_type(), std::move(x.shape), std::move(x.data)};
  }

  // An integer value of a shape, index or axis input: finite and within +-2^62.
  StatusOr<int64_t> Int(double x) const {
    if (!(std::abs(x) < 0x1p62)) {
      return ctx_.Err(StatusCode::kInvalidArgument,
                      "value " + ir::FormatDoubleShortest(x) + " is not a usable integer");
    }
    return static_cast<int64_t>(x);
  }

  StatusOr<std::vector<int64_t>> Ints(int i) const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(i));
    std::vector<int64_t> out;
    for (double x : c.v) {
      FIRMNET_ASSIGN_OR_RETURN(int64_t k, Int(x));
      out.push_back(k);
    }
    return out;
  }

  // A folded result must stay a size a model's constant can have.
  Status CheckSize(const ir::Shape& s) const {
    int64_t total = 1;
    for (int64_t d : s) {
      if (d < 0 || (d > 0 && total > kMaxFoldedElements / d)) {
        return ctx_.Err(StatusCode::kInvalidArgument,
                        "the folded result " + Join(s) + " would have more than " +
                            std::to_string(kMaxFoldedElements) + " values");
      }
      total *= d;
    }
    return OkStatus();
  }

  // numpy broadcasting of the inputs (ONNX's multidirectional broadcasting).
  StatusOr<Const> Elementwise(double (*op)(double, double)) const {
    std::vector<Const> ins;
    for (int i = 0; i < n_.input_size(); ++i) {
      FIRMNET_ASSIGN_OR_RETURN(Const c, In(i));
      ins.push_back(std::move(c));
    }
    Const out{ins[0].dtype, {}, {}};
    size_t rank = 0;
    for (const Const& c : ins) rank = std::max(rank, c.shape.size());
    out.shape.assign(rank, 1);
    for (const Const& c : ins) {
      for (size_t k = 0; k < c.shape.size(); ++k) {
        int64_t& d = out.shape[rank - c.shape.size() + k];
        const int64_t e = c.shape[k];
        if (d != e && d != 1 && e != 1) {
          return ctx_.Err(StatusCode::kInvalidArgument, "inputs of shapes " + Join(ins[0].shape) +
                                                            " and " + Join(c.shape) +
                                                            " do not broadcast");
        }
        if (e != 1) d = e;
      }
    }
    FIRMNET_RETURN_IF_ERROR(CheckSize(out.shape));
    const int64_t total = ir::NumElements(out.shape);
    const std::vector<int64_t> ost = Strides(out.shape);
    std::vector<std::vector<int64_t>> strides(ins.size());
    for (size_t j = 0; j < ins.size(); ++j) strides[j] = Strides(ins[j].shape);
    out.v.resize(static_cast<size_t>(total));
    for (int64_t f = 0; f < total; ++f) {
      double acc = 0;
      for (size_t j = 0; j < ins.size(); ++j) {
        const Const& c = ins[j];
        const std::vector<int64_t>& st = strides[j];
        int64_t idx = 0;
        for (size_t k = 0; k < c.shape.size(); ++k) {
          const size_t ok = rank - c.shape.size() + k;
          const int64_t coord = (f / ost[ok]) % out.shape[ok];
          idx += (c.shape[k] == 1 ? 0 : coord) * st[k];
        }
        const double x = c.v[static_cast<size_t>(idx)];
        acc = j == 0 ? x : InType(out.dtype, op(acc, x));
      }
      out.v[static_cast<size_t>(f)] = acc;
    }
    return out;
  }

  StatusOr<Const> Unary(double (*op)(double)) const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    for (double& x : c.v) x = InType(c.dtype, op(x));
    return c;
  }

  StatusOr<Const> Shape() const {
    ir::Shape s;
    if (ctx_.IsLayerOutput(n_.input(0))) {
      s.push_back(ctx_.batch_size().value_or(1));
      const Value& v = ctx_.ValueOf(n_.input(0));
      s.insert(s.end(), v.shape.begin(), v.shape.end());
    } else {
      FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
      s = c.shape;
    }
    const auto r = static_cast<int64_t>(s.size());
    FIRMNET_ASSIGN_OR_RETURN(int64_t start, ctx_.AttrInt(n_, "start", 0));
    FIRMNET_ASSIGN_OR_RETURN(int64_t end, ctx_.AttrInt(n_, "end", r));
    start = std::clamp(start < 0 ? start + r : start, int64_t{0}, r);
    end = std::clamp(end < 0 ? end + r : end, int64_t{0}, r);
    Const out{TensorProto::INT64, {std::max<int64_t>(end - start, 0)}, {}};
    FIRMNET_RETURN_IF_ERROR(CheckSize(out.shape));
    for (int64_t i = start; i < end; ++i) out.v.push_back(static_cast<double>(s[i]));
    return out;
  }

  StatusOr<Const> Gather() const {
    FIRMNET_ASSIGN_OR_RETURN(Const data, In(0));
    FIRMNET_ASSIGN_OR_RETURN(Const idx, In(1));
    if (data.shape.empty()) return ctx_.Err(StatusCode::kInvalidArgument, "Gather of a scalar");
    FIRMNET_ASSIGN_OR_RETURN(int64_t a, ctx_.AttrInt(n_, "axis", 0));
    FIRMNET_ASSIGN_OR_RETURN(size_t axis, Axis(ctx_, a, data.shape.size(), "axis"));
    const int64_t dim = data.shape[axis];
    int64_t outer = 1, inner = 1;
    for (size_t k = 0; k < axis; ++k) outer *= data.shape[k];
    for (size_t k = axis + 1; k < data.shape.size(); ++k) inner *= data.shape[k];
    Const out{data.dtype, {}, {}};
    out.shape.assign(data.shape.begin(), data.shape.begin() + static_cast<int64_t>(axis));
    out.shape.insert(out.shape.end(), idx.shape.begin(), idx.shape.end());
    out.shape.insert(out.shape.end(), data.shape.begin() + static_cast<int64_t>(axis) + 1,
                     data.shape.end());
    FIRMNET_RETURN_IF_ERROR(CheckSize(out.shape));
    for (int64_t o = 0; o < outer; ++o) {
      for (double iv : idx.v) {
        FIRMNET_ASSIGN_OR_RETURN(int64_t i, Int(iv));
        if (i < -dim || i >= dim) {
          return ctx_.Err(StatusCode::kInvalidArgument, "index " + std::to_string(i) +
                                                            " is out of range for dimension " +
                                                            std::to_string(dim));
        }
        if (i < 0) i += dim;
        for (int64_t k = 0; k < inner; ++k) {
          out.v.push_back(data.v[static_cast<size_t>((o * dim + i) * inner + k)]);
        }
      }
    }
    return out;
  }

  // Unsqueeze/Squeeze axes: the attribute (opset < 13) or input 1.
  StatusOr<std::optional<std::vector<int64_t>>> AxesArg() const {
    if (n_.input_size() > 1 && !n_.input(1).empty()) {
      if (!ctx_.IsConstant(n_.input(1))) {
        return ctx_.Err(StatusCode::kUnimplemented, "axes '" + n_.input(1) + "' is not a constant");
      }
      FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> axes, Ints(1));
      return std::optional<std::vector<int64_t>>(std::move(axes));
    }
    return ctx_.AttrInts(n_, "axes");
  }

  StatusOr<Const> Unsqueeze() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(auto axes, AxesArg());
    if (!axes) return ctx_.Err(StatusCode::kInvalidArgument, "Unsqueeze needs axes");
    const size_t rank = c.shape.size() + axes->size();
    std::vector<bool> unit(rank, false);
    for (int64_t a : *axes) {
      FIRMNET_ASSIGN_OR_RETURN(size_t k, Axis(ctx_, a, rank, "axis"));
      unit[k] = true;
    }
    ir::Shape s;
    size_t from = 0;
    for (size_t k = 0; k < rank; ++k) s.push_back(unit[k] ? 1 : c.shape.at(from++));
    c.shape = std::move(s);
    return c;
  }

  StatusOr<Const> Squeeze() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(auto axes, AxesArg());
    std::vector<bool> drop(c.shape.size(), false);
    if (axes) {
      for (int64_t a : *axes) {
        FIRMNET_ASSIGN_OR_RETURN(size_t k, Axis(ctx_, a, c.shape.size(), "axis"));
        if (c.shape[k] != 1) {
          return ctx_.Err(StatusCode::kInvalidArgument,
                          "axis " + std::to_string(a) + " has size " + std::to_string(c.shape[k]));
        }
        drop[k] = true;
      }
    } else {
      for (size_t k = 0; k < c.shape.size(); ++k) drop[k] = c.shape[k] == 1;
    }
    ir::Shape s;
    for (size_t k = 0; k < c.shape.size(); ++k) {
      if (!drop[k]) s.push_back(c.shape[k]);
    }
    c.shape = std::move(s);
    return c;
  }

  StatusOr<Const> Concat() const {
    FIRMNET_ASSIGN_OR_RETURN(int64_t a, ctx_.AttrInt(n_, "axis", 0));
    std::vector<Const> ins;
    for (int i = 0; i < n_.input_size(); ++i) {
      FIRMNET_ASSIGN_OR_RETURN(Const c, In(i));
      ins.push_back(std::move(c));
    }
    if (ins.empty()) return ctx_.Err(StatusCode::kInvalidArgument, "Concat of nothing");
    FIRMNET_ASSIGN_OR_RETURN(size_t axis, Axis(ctx_, a, ins[0].shape.size(), "axis"));
    Const out{ins[0].dtype, ins[0].shape, {}};
    out.shape[axis] = 0;
    if (ins.size() > static_cast<size_t>(kMaxFoldedElements)) {
      return ctx_.Err(StatusCode::kInvalidArgument, "too many inputs");
    }
    for (const Const& c : ins) {
      bool same = c.shape.size() == out.shape.size();
      for (size_t k = 0; same && k < c.shape.size(); ++k) {
        same = k == axis || c.shape[k] == ins[0].shape[k];
      }
      if (!same) {
        return ctx_.Err(StatusCode::kInvalidArgument,
                        "inputs of shapes " + Join(ins[0].shape) + " and " + Join(c.shape) +
                            " do not concatenate on axis " + std::to_string(a));
      }
      out.shape[axis] += c.shape[axis];
      FIRMNET_RETURN_IF_ERROR(CheckSize(out.shape));
    }
    int64_t outer = 1;
    for (size_t k = 0; k < axis; ++k) outer *= out.shape[k];
    for (int64_t o = 0; o < outer; ++o) {
      for (const Const& c : ins) {
        const int64_t block = ir::NumElements(c.shape) / std::max<int64_t>(outer, 1);
        out.v.insert(out.v.end(), c.v.begin() + o * block, c.v.begin() + (o + 1) * block);
      }
    }
    return out;
  }

  StatusOr<Const> Reshape() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(std::vector<int64_t> want, Ints(1));
    ir::Shape s;
    int infer = -1;
    int64_t known = 1;
    for (size_t k = 0; k < want.size(); ++k) {
      int64_t d = want[k];
      if (d == 0 && k < c.shape.size()) d = c.shape[k];
      if (d == -1 && infer < 0) {
        infer = static_cast<int>(k);
      } else if (d < 1) {
        return ctx_.Err(StatusCode::kInvalidArgument,
                        "target shape " + Join(want) + " has an invalid dimension");
      } else {
        known *= d;
      }
      s.push_back(d);
    }
    const int64_t total = ir::NumElements(c.shape);
    if (infer >= 0 && known > 0 && total % known == 0)
      s[static_cast<size_t>(infer)] = total / known;
    if (ir::NumElements(s) != total) {
      return ctx_.Err(StatusCode::kInvalidArgument,
                      "cannot reshape " + Join(c.shape) + " to " + Join(want));
    }
    c.shape = std::move(s);
    return c;
  }

  StatusOr<Const> Flatten() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(int64_t a, ctx_.AttrInt(n_, "axis", 1));
    const auto r = static_cast<int64_t>(c.shape.size());
    if (a < -r || a > r) return ctx_.Err(StatusCode::kInvalidArgument, "axis is out of range");
    if (a < 0) a += r;
    int64_t lead = 1;
    for (int64_t k = 0; k < a; ++k) lead *= c.shape[static_cast<size_t>(k)];
    c.shape = {lead, ir::NumElements(c.shape) / std::max<int64_t>(lead, 1)};
    return c;
  }

  StatusOr<Const> Transpose() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(auto perm_attr, ctx_.AttrInts(n_, "perm"));
    const size_t r = c.shape.size();
    std::vector<int64_t> perm(r);
    std::iota(perm.rbegin(), perm.rend(), 0);  // default: reverse the axes
    if (perm_attr) perm = *perm_attr;
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> ident(r);
    std::iota(ident.begin(), ident.end(), 0);
    if (sorted != ident) {
      return ctx_.Err(
          StatusCode::kInvalidArgument,
          "perm " + Join(perm) + " is not a permutation of " + std::to_string(r) + " axes");
    }
    Const out{c.dtype, {}, std::vector<double>(c.v.size())};
    for (int64_t p : perm) out.shape.push_back(c.shape[static_cast<size_t>(p)]);
    const std::vector<int64_t> ist = Strides(c.shape);
    const std::vector<int64_t> ost = Strides(out.shape);
    for (size_t f = 0; f < c.v.size(); ++f) {
      int64_t src = 0;
      for (size_t k = 0; k < r; ++k) {
        const int64_t coord = (static_cast<int64_t>(f) / ost[k]) % out.shape[k];
        src += coord * ist[static_cast<size_t>(perm[k])];
      }
      out.v[f] = c.v[static_cast<size_t>(src)];
    }
    return out;
  }

  StatusOr<Const> Cast() const {
    FIRMNET_ASSIGN_OR_RETURN(Const c, In(0));
    FIRMNET_ASSIGN_OR_RETURN(int64_t to, ctx_.AttrInt(n_, "to", TensorProto::FLOAT));
    const auto t = static_cast<int32_t>(to);
    if (!IsInt(t) && t != TensorProto::FLOAT && t != TensorProto::DOUBLE &&
        t != TensorProto::FLOAT16) {
      return ctx_.Err(StatusCode::kUnimplemented,
                      "Cast to " + frontend::OnnxDataTypeName(t) + " is not supported");
    }
    c.dtype = t;
    for (double& x : c.v) {
      if (IsInt(t)) FIRMNET_RETURN_IF_ERROR(Int(x).status());
      x = InType(t, x);
    }
    return c;
  }

 private:
  OnnxContext& ctx_;
  const NodeProto& n_;
};

double AddOp(double a, double b) { return a + b; }
double SubOp(double a, double b) { return a - b; }
double MulOp(double a, double b) { return a * b; }
double DivOp(double a, double b) { return a / b; }
double PowOp(double a, double b) { return std::pow(a, b); }
double SqrtOp(double a) { return std::sqrt(a); }
double NegOp(double a) { return -a; }
double ReciprocalOp(double a) { return 1.0 / a; }

// The ops that only move values: a Quant's type stays with them.
bool MovesValues(const std::string& op) {
  return op == "Identity" || op == "Reshape" || op == "Transpose" || op == "Squeeze" ||
         op == "Unsqueeze" || op == "Flatten";
}

}  // namespace

StatusOr<bool> TryFoldConstant(OnnxContext& ctx, const NodeProto& n) {
  if (!n.domain().empty() && n.domain() != "ai.onnx") return false;
  const std::string& op = n.op_type();
  static const char* const kOps[] = {"Shape",   "Gather",  "Unsqueeze", "Squeeze",  "Concat",
                                     "Reshape", "Flatten", "Transpose", "Identity", "Cast",
                                     "Add",     "Sub",     "Mul",       "Div",      "Pow",
                                     "Sqrt",    "Neg",     "Reciprocal"};
  if (std::find(std::begin(kOps), std::end(kOps), op) == std::end(kOps)) return false;
  if (n.input_size() < 1 || n.input(0).empty()) return false;
  if (op == "Shape") {
    if (!ctx.IsLayerOutput(n.input(0)) && !ctx.IsConstant(n.input(0))) return false;
  } else {
    for (const std::string& in : n.input()) {
      if (!in.empty() && !ctx.IsConstant(in)) return false;
    }
  }
  Folder f(ctx, n);
  StatusOr<Const> out = [&]() -> StatusOr<Const> {
    if (op == "Shape") return f.Shape();
    if (op == "Gather") return f.Gather();
    if (op == "Unsqueeze") return f.Unsqueeze();
    if (op == "Squeeze") return f.Squeeze();
    if (op == "Concat") return f.Concat();
    if (op == "Reshape") return f.Reshape();
    if (op == "Flatten") return f.Flatten();
    if (op == "Transpose") return f.Transpose();
    if (op == "Identity") return f.In(0);
    if (op == "Cast") return f.Cast();
    if (op == "Add") return f.Elementwise(&AddOp);
    if (op == "Sub") return f.Elementwise(&SubOp);
    if (op == "Mul") return f.Elementwise(&MulOp);
    if (op == "Div") return f.Elementwise(&DivOp);
    if (op == "Pow") return f.Elementwise(&PowOp);
    if (op == "Sqrt") return f.Unary(&SqrtOp);
    if (op == "Neg") return f.Unary(&NegOp);
    return f.Unary(&ReciprocalOp);
  }();
  if (!out.ok()) return out.status();
  if (IsInt(out->dtype)) {
    for (double x : out->v) FIRMNET_RETURN_IF_ERROR(f.Int(x).status());
  }
  const OnnxContext::ConstQuant* q = MovesValues(op) ? ctx.ConstQuantOf(n, 0) : nullptr;
  if (q != nullptr) {
    const OnnxContext::ConstQuant copy = *q;
    FIRMNET_RETURN_IF_ERROR(
        ctx.DefineQuantizedConstant(n, ir::Tensor{out->shape, std::move(out->v)}, copy));
  } else {
    FIRMNET_RETURN_IF_ERROR(ctx.DefineConstant(n, ToProto(*out)));
  }
  return true;
}

namespace {

Status ImportFoldOnly(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(bool folded, TryFoldConstant(ctx, n));
  if (folded) return OkStatus();
  for (int i = 0; i < n.input_size(); ++i) {
    if (!n.input(i).empty() && !ctx.IsConstant(n.input(i))) {
      FIRMNET_RETURN_IF_ERROR(ctx.NeedInput(n, i));
      return ctx.Err(StatusCode::kUnimplemented,
                     n.op_type() +
                         " is supported on constants only (it is folded at import); "
                         "input '" +
                         n.input(i) + "' is a layer output");
    }
  }
  return ctx.Err(StatusCode::kInvalidArgument, n.op_type() + " has no input");
}

// Div: folded on constants; a layer output divided by a constant is a batchnorm.
Status ImportDiv(OnnxContext& ctx, const NodeProto& n) {
  FIRMNET_ASSIGN_OR_RETURN(bool folded, TryFoldConstant(ctx, n));
  if (folded) return OkStatus();
  if (n.input_size() == 2 && ctx.IsLayerOutput(n.input(0)) && ctx.IsConstant(n.input(1))) {
    return ImportAffineConstant(ctx, n);
  }
  return ImportFoldOnly(ctx, n);
}

}  // namespace

std::vector<OnnxRule> OnnxFoldRules() {
  std::vector<OnnxRule> rules = {{"Div", &ImportDiv}};
  for (const char* op : {"Shape", "Gather", "Cast", "Pow", "Sqrt", "Neg", "Reciprocal"}) {
    rules.push_back({op, &ImportFoldOnly});
  }
  return rules;
}

}  // namespace firmnet::onnx
