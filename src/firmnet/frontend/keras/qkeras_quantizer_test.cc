#include "firmnet/frontend/keras/qkeras_quantizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace firmnet::keras {
namespace {

// gmock is not linked; this is EXPECT_CONTAINS(s, sub) with the full text on failure.
#define EXPECT_CONTAINS(s, sub) \
  EXPECT_NE(std::string(s).find(sub), std::string::npos) << "in: " << (s)

using json = nlohmann::json;
using Kind = QKerasQuantizer::Kind;
using Alpha = QKerasQuantizer::Alpha;

const std::string kWhere = "model.json: layer 'fc1' (QDense): kernel_quantizer";

QKerasQuantizer Parse(const json& j) {
  auto r = ParseQKerasQuantizer(j, kWhere);
  EXPECT_TRUE(r.ok()) << j.dump() << ": " << r.status().ToString();
  return r.ok() ? *r : QKerasQuantizer{};
}

std::string ParseError(const json& j) {
  auto r = ParseQKerasQuantizer(j, kWhere);
  EXPECT_FALSE(r.ok()) << j.dump() << " parsed";
  return r.ok() ? std::string() : r.status().message();
}

json Obj(const std::string& name, const json& config) {
  return json{{"class_name", name}, {"config", config}};
}

std::vector<double> Quantize(const QKerasQuantizer& q, const std::vector<double>& x,
                             int64_t channels = 1) {
  auto r = QuantizeValues(q, x, channels, "test");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<double>(x.size(), std::nan(""));
}

std::string Weight(const json& j) {
  auto t = WeightType(Parse(j), "w");
  return t.ok() ? FormatFixedType(*t) : "error: " + t.status().message();
}
std::string Activation(const json& j) {
  auto t = ActivationType(Parse(j), "a");
  return t.ok() ? FormatFixedType(*t) : "error: " + t.status().message();
}

// ---- the independent reference: exact arithmetic in double on float32-representable inputs.

// Round half to even, written out (the implementation uses nearbyint on float32).
double RoundHalfEven(double v) {
  const double f = std::floor(v);
  const double d = v - f;
  if (d > 0.5) return f + 1.0;
  if (d < 0.5) return f;
  return std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
}
double Clamp(double v, double lo, double hi) { return std::min(std::max(v, lo), hi); }

// Every quarter of `step` from -limit to +limit: values on the grid, between it, and exactly
// halfway (the ties), past both ends of the range.
std::vector<double> QuarterSteps(double step, double limit) {
  std::vector<double> x;
  const auto n = static_cast<int64_t>(std::ceil(limit / (step / 4.0)));
  for (int64_t k = -n; k <= n; ++k) x.push_back(static_cast<double>(k) * step / 4.0);
  return x;
}

void ExpectSame(const std::vector<double>& got, const std::vector<double>& x,
                const std::function<double(double)>& ref, const std::string& what) {
  ASSERT_EQ(got.size(), x.size());
  int failures = 0;
  for (size_t i = 0; i < x.size() && failures < 5; ++i) {
    const double want = ref(x[i]);
    if (got[i] != want) {
      ADD_FAILURE() << what << " at x=" << x[i] << ": got " << got[i] << ", want " << want;
      ++failures;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Parsing

TEST(QKerasParse, StringReadsPositionalThenKeywordArguments) {
  QKerasQuantizer q = Parse("quantized_relu(3,1)");
  EXPECT_EQ(q.kind, Kind::kQuantizedRelu);
  EXPECT_EQ(q.class_name, "quantized_relu");
  EXPECT_EQ(q.bits, 3);
  EXPECT_EQ(q.integer, 1);
  EXPECT_EQ(q.negative_slope, 0.0);

  q = Parse("quantized_bits(8, 3, 1, alpha='auto_po2')");
  EXPECT_EQ(q.kind, Kind::kQuantizedBits);
  EXPECT_EQ(q.bits, 8);
  EXPECT_EQ(q.integer, 3);
  EXPECT_TRUE(q.symmetric);
  EXPECT_EQ(q.alpha_mode, Alpha::kAutoPo2);

  // The fourth positional of quantized_relu is negative_slope; of quantized_tanh the second is
  // use_stochastic_rounding and the third symmetric.
  q = Parse("quantized_relu(4, 2, 0, 0.25)");
  EXPECT_EQ(q.negative_slope, 0.25);
  q = Parse("quantized_tanh(4, False, True)");
  EXPECT_TRUE(q.symmetric);
  q = Parse("quantized_sigmoid(5, 1)");
  EXPECT_TRUE(q.symmetric);
  q = Parse("quantized_po2(4, 1)");
  EXPECT_EQ(q.kind, Kind::kQuantizedPo2);
  ASSERT_TRUE(q.max_value.has_value());
  EXPECT_EQ(*q.max_value, 1.0);
  q = Parse("ternary(None, 0.5)");
  ASSERT_TRUE(q.threshold.has_value());
  EXPECT_EQ(*q.threshold, 0.5);
  q = Parse("binary(1)");
  EXPECT_TRUE(q.use_01);
}

TEST(QKerasParse, StringValueSyntax) {
  // Spaces, True/False/None, 0/1 flags, signed and exponent numbers, both quote styles.
  QKerasQuantizer q = Parse("  quantized_bits ( 6 , +0 , symmetric = True , alpha = \"auto\" ) ");
  EXPECT_EQ(q.bits, 6);
  EXPECT_EQ(q.integer, 0);
  EXPECT_EQ(q.alpha_mode, Alpha::kAuto);
  q = Parse("quantized_bits(6, -1, 0, False, 0.5e0)");
  EXPECT_EQ(q.integer, -1);
  EXPECT_FALSE(q.keep_negative);
  EXPECT_EQ(q.alpha_mode, Alpha::kValue);
  EXPECT_EQ(q.alpha, 0.5);
  q = Parse("quantized_relu(4, 0, negative_slope=.5)");
  EXPECT_EQ(q.negative_slope, 0.5);
  q = Parse("quantized_relu(4, 0, negative_slope=2.)");
  EXPECT_EQ(q.negative_slope, 2.0);
  q = Parse("quantized_relu(4, 0, relu_upper_bound=1E1, is_quantized_clip=0)");
  ASSERT_TRUE(q.relu_upper_bound.has_value());
  EXPECT_EQ(*q.relu_upper_bound, 10.0);
  EXPECT_FALSE(q.is_quantized_clip);
  q = Parse("quantized_bits(4, 0, alpha=None, var_name='w', use_variables=True, qnoise_factor=1)");
  EXPECT_EQ(q.alpha_mode, Alpha::kNone);
  EXPECT_TRUE(q.has_unit_alpha());
  q = Parse("quantized_bits(4, 0, alpha=1)");
  EXPECT_EQ(q.alpha_mode, Alpha::kValue);
  EXPECT_TRUE(q.has_unit_alpha());
  q = Parse("quantized_po2(4, max_value=1, log2_rounding='rnd', quadratic_approximation=False)");
  EXPECT_EQ(q.bits, 4);
  q = Parse("quantized_bits(4, 0, alpha='auto_po2', min_po2_exponent=-3, max_po2_exponent=2)");
  EXPECT_EQ(q.min_po2_exponent, -3);
  EXPECT_EQ(q.max_po2_exponent, 2);
}

TEST(QKerasParse, NamesWithoutArgumentsTakeTheDefaults) {
  QKerasQuantizer q = Parse("quantized_bits");
  EXPECT_EQ(q.bits, 8);
  EXPECT_EQ(q.integer, 0);
  EXPECT_TRUE(q.keep_negative);
  EXPECT_EQ(q, Parse("quantized_bits()"));

  q = Parse("binary");
  EXPECT_EQ(q.kind, Kind::kBinary);
  EXPECT_FALSE(q.is_function);
  EXPECT_EQ(q, Parse("binary()"));
  q = Parse("ternary");
  EXPECT_EQ(q.kind, Kind::kTernary);
  EXPECT_EQ(q.bits, 2);

  q = Parse("binary_tanh");
  EXPECT_EQ(q.kind, Kind::kBinary);
  EXPECT_TRUE(q.is_function);
  q = Parse("ternary_tanh");
  EXPECT_EQ(q.kind, Kind::kTernary);
  EXPECT_TRUE(q.is_function);
}

TEST(QKerasParse, StringAndObjectFormsAgree) {
  const std::vector<std::pair<std::string, json>> cases = {
      {"quantized_relu(3,1)", Obj("quantized_relu", {{"bits", 3}, {"integer", 1}})},
      {"quantized_relu(6,0)", Obj("quantized_relu", {{"bits", 6},
                                                     {"integer", 0},
                                                     {"use_sigmoid", 0},
                                                     {"negative_slope", 0.0},
                                                     {"use_stochastic_rounding", false},
                                                     {"relu_upper_bound", nullptr},
                                                     {"qnoise_factor", 1.0}})},
      {"quantized_bits(6,0,alpha=1)", Obj("quantized_bits", {{"bits", 6},
                                                             {"integer", 0},
                                                             {"symmetric", 0},
                                                             {"alpha", 1},
                                                             {"keep_negative", true},
                                                             {"use_stochastic_rounding", false},
                                                             {"qnoise_factor", 1.0}})},
      {"quantized_bits(2,0,1,alpha=None)",
       Obj("quantized_bits", {{"bits", 2}, {"integer", 0}, {"symmetric", 1}, {"alpha", nullptr}})},
      {"quantized_bits(8, 3, 1, alpha='auto_po2')",
       Obj("quantized_bits", {{"bits", 8}, {"integer", 3}, {"alpha", "auto_po2"}})},
      {"quantized_po2(4,1)", Obj("quantized_po2", {{"bits", 4},
                                                   {"max_value", 1},
                                                   {"quadratic_approximation", false},
                                                   {"use_stochastic_rounding", false}})},
      {"quantized_relu_po2(5, 2, 0.5)",
       Obj("quantized_relu_po2", {{"bits", 5}, {"max_value", 2}, {"negative_slope", 0.5}})},
      {"quantized_tanh(4, symmetric=1)",
       Obj("quantized_tanh", {{"bits", 4}, {"symmetric", true}, {"use_real_tanh", false}})},
      {"quantized_sigmoid(6, use_real_sigmoid=True)",
       Obj("quantized_sigmoid", {{"bits", 6}, {"use_real_sigmoid", true}})},
      {"binary(alpha='auto')",
       Obj("binary", {{"use_01", false}, {"alpha", "auto"}, {"use_stochastic_rounding", false}})},
      {"ternary(threshold=0.5)",
       Obj("ternary", {{"alpha", nullptr}, {"threshold", 0.5}, {"number_of_unrolls", 5}})},
      {"binary_tanh", json{{"class_name", "binary_tanh"}}},
  };
  for (const auto& [text, object] : cases) {
    QKerasQuantizer from_string = Parse(text);
    QKerasQuantizer from_object = Parse(object);
    EXPECT_EQ(from_string, from_object) << text << " vs " << object.dump();
  }
  // Keras' wrapper keys around the object are accepted.
  json wrapped = Obj("quantized_relu", {{"bits", 3}, {"integer", 1}});
  wrapped["__passive_serialization__"] = true;
  wrapped["module"] = "qkeras.quantizers";
  wrapped["registered_name"] = "quantized_relu";
  EXPECT_EQ(Parse(wrapped), Parse("quantized_relu(3,1)"));
}

// ------------------------------------------------------------------------------------------
// Error messages

TEST(QKerasParse, ErrorsNameThePlaceTheParameterAndTheValue) {
  EXPECT_EQ(ParseError(Obj("quantized_bits", {{"bits", 0}, {"integer", 0}})),
            "model.json: layer 'fc1' (QDense): kernel_quantizer: 'bits' must be between 1 and "
            "32, got 0");
  EXPECT_EQ(ParseError("quantized_bits(33)"), kWhere + ": 'bits' must be between 1 and 32, got 33");
  EXPECT_EQ(ParseError("quantized_bits(4.0)"), kWhere + ": 'bits' must be an integer, got 4.0");
  EXPECT_EQ(ParseError("quantized_bits(True)"), kWhere + ": 'bits' must be an integer, got True");
  EXPECT_EQ(ParseError("quantized_bits(4, 5)"),
            kWhere + ": 'integer' must not exceed 'bits' ('bits' is 4), got 5");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, 2)"),
            kWhere + ": 'symmetric' must be True or False (or 0/1), got 2");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, alpha='max')"),
            kWhere + ": 'alpha' must be None, a number, 'auto' or 'auto_po2', got 'max'");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, alpha=-1)"),
            kWhere + ": 'alpha' must be positive, got -1");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, use_stochastic_rounding=True)"),
            kWhere +
                ": 'use_stochastic_rounding' must be False (stochastic rounding draws random "
                "numbers and cannot be reproduced), got True");
  EXPECT_EQ(ParseError(Obj("quantized_relu", {{"bits", 4}, {"qnoise_factor", 0.5}})),
            kWhere +
                ": 'qnoise_factor' must be 1.0 (fully quantized; other values mix in the "
                "unquantized input), got 0.5");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, scale_axis=1)"),
            kWhere + ": 'scale_axis' is not supported (only None), got 1");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, min_po2_exponent=-2)"),
            kWhere +
                ": 'min_po2_exponent' and 'max_po2_exponent' apply only with "
                "alpha='auto_po2'");
  EXPECT_EQ(ParseError("quantized_relu(4, 0, negative_slope=0.3)"),
            kWhere + ": 'negative_slope' must be 0 or a power of two, got 0.3");
  EXPECT_EQ(ParseError("quantized_relu(31)"),
            kWhere +
                ": 'bits' must be at most 30 for quantized_relu (31 with a negative_slope; "
                "QKeras computes 2^bits in int32), got 31");
  EXPECT_EQ(ParseError("quantized_relu(4, -1)"),
            kWhere +
                ": 'integer' must be between 0 and 'bits' ('bits' is 4) for quantized_relu, "
                "got -1");
  EXPECT_EQ(ParseError("quantized_relu(4, enable_fast_inference=True)"),
            kWhere +
                ": 'enable_fast_inference' must be False (its different formula is not "
                "implemented), got True");
  EXPECT_EQ(ParseError("quantized_tanh(32)"),
            kWhere +
                ": 'bits' must be at most 31 for quantized_tanh (QKeras computes 2^(bits-1) "
                "in int32), got 32");
  EXPECT_EQ(ParseError("quantized_sigmoid(31)"),
            kWhere +
                ": 'bits' must be at most 30 for quantized_sigmoid (QKeras computes 2^bits "
                "in int32), got 31");
  EXPECT_EQ(
      ParseError("quantized_po2(1)"),
      kWhere + ": 'bits' must be at least 2 for quantized_po2 (1 with max_value <= 1), got 1");
  EXPECT_EQ(ParseError("quantized_po2(4, -1)"), kWhere + ": 'max_value' must be positive, got -1");
  EXPECT_EQ(ParseError("quantized_po2(4, 1, quadratic_approximation=True)"),
            kWhere +
                ": 'quadratic_approximation' must be False (it is not implemented), got "
                "True");
  EXPECT_EQ(ParseError("quantized_po2(4, log2_rounding='floor')"),
            kWhere + ": 'log2_rounding' must be 'rnd' (the only mode implemented), got 'floor'");
  EXPECT_EQ(ParseError("ternary(alpha='auto', threshold=0.5)"),
            kWhere + ": 'threshold' must be None when 'alpha' is 'auto' or 'auto_po2', got 0.5");
  EXPECT_EQ(ParseError("ternary(threshold='auto')"),
            kWhere + ": 'threshold' must be None or a number, got 'auto'");
  EXPECT_EQ(ParseError(Obj("quantized_bits", {{"bits", json::array({4})}})),
            kWhere + ": 'bits' must be a number, True/False, None or a string, got '[4]'");
  EXPECT_EQ(ParseError(Obj("quantized_bits", {{"bits", 18446744073709551615ULL}})),
            kWhere + ": 'bits' is out of range, got 18446744073709551615");
}

TEST(QKerasParse, UnknownNamesListWhatIsSupported) {
  EXPECT_EQ(ParseError("quantized_ulaw(8)"),
            kWhere +
                ": unsupported QKeras quantizer 'quantized_ulaw'; supported: quantized_bits, "
                "quantized_relu, quantized_tanh, quantized_sigmoid, quantized_po2, "
                "quantized_relu_po2, binary, ternary, binary_tanh, ternary_tanh");
  EXPECT_CONTAINS(ParseError(Obj("stochastic_binary", json::object())),
                  "unsupported QKeras quantizer 'stochastic_binary'; supported: quantized_bits");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, rounding=1)"),
            kWhere +
                ": quantized_bits has no parameter 'rounding'; its parameters are bits, "
                "integer, symmetric, keep_negative, alpha, use_stochastic_rounding, "
                "scale_axis, qnoise_factor, var_name, use_ste, use_variables, "
                "elements_per_scale, min_po2_exponent, max_po2_exponent, "
                "post_training_scale");
  // QKeras before 2021 had quantized_tanh(bits, integer, symmetric).
  EXPECT_EQ(ParseError(Obj("quantized_tanh", {{"bits", 4}, {"integer", 0}})),
            kWhere +
                ": quantized_tanh has no parameter 'integer'; its parameters are bits, "
                "use_stochastic_rounding, symmetric, use_real_tanh (QKeras removed "
                "quantized_tanh's 'integer' in 2021)");
  EXPECT_EQ(ParseError(Obj("binary_tanh", {{"bits", 1}})),
            kWhere + ": binary_tanh has no parameter 'bits' (it takes none)");
  EXPECT_EQ(ParseError("binary_tanh()"),
            kWhere + ": 'binary_tanh' is a function, not a class: write it without parentheses");
  EXPECT_EQ(ParseError("ternary(0.5, 0.3, False, 5, 1)"),
            kWhere + ": ternary takes at most 4 positional arguments, got 5");
  EXPECT_EQ(ParseError("quantized_bits(4, bits=4)"), kWhere + ": quantized_bits got 'bits' twice");
  EXPECT_EQ(ParseError("quantized_bits(bits=4, bits=5)"),
            kWhere + ": quantized_bits got 'bits' twice");
}

TEST(QKerasParse, SyntaxErrorsQuoteTheTextAndTheOffset) {
  EXPECT_EQ(ParseError("quantized_bits(4,"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(4,': expected a value at "
                "offset 17");
  EXPECT_EQ(ParseError("quantized_bits(bits=4, 0)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(bits=4, 0)': a positional "
                "argument follows a keyword argument at offset 23");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, alpha=auto)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(4, 0, alpha=auto)': unquoted "
                "word 'auto' (strings are quoted: 'auto') at offset 27");
  EXPECT_EQ(ParseError("quantized_bits(4, 0, alpha='auto)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(4, 0, alpha='auto)': "
                "unterminated string at offset 27");
  EXPECT_EQ(ParseError("quantized_bits(4) x"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(4) x': unexpected text after "
                "')' at offset 18");
  EXPECT_EQ(ParseError("quantized_bits(4 5)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(4 5)': expected ',' or ')' at "
                "offset 17");
  EXPECT_EQ(ParseError("quantized_bits(0x10)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(0x10)': malformed number at "
                "offset 16");
  EXPECT_EQ(ParseError("quantized_bits(1e)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(1e)': expected the exponent's "
                "digits at offset 17");
  EXPECT_EQ(ParseError("quantized_bits(99999999999999999999)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(99999999999999999999)': "
                "integer out of range at offset 35");
  EXPECT_EQ(ParseError("quantized_relu(4, 0, negative_slope=1e999)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_relu(4, 0, negative_slope=1e999)': "
                "number out of range at offset 41");
  EXPECT_EQ(ParseError(""), kWhere +
                                ": cannot parse the quantizer '': expected a quantizer name "
                                "at offset 0");
  EXPECT_EQ(ParseError("quantized_bits[4]"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits[4]': expected '(' after the "
                "name at offset 14");
  EXPECT_EQ(ParseError(std::string("quantized_bits(\x01") + "4)"),
            kWhere +
                ": cannot parse the quantizer 'quantized_bits(?4)': expected a value at "
                "offset 15");
}

TEST(QKerasParse, ObjectErrors) {
  EXPECT_EQ(ParseError(json(5)),
            kWhere +
                ": a quantizer must be a string such as \"quantized_bits(6,0)\" or an object "
                "with 'class_name' and 'config', got '5'");
  EXPECT_EQ(ParseError(json::array()),
            kWhere +
                ": a quantizer must be a string such as \"quantized_bits(6,0)\" or an object "
                "with 'class_name' and 'config', got '[]'");
  EXPECT_EQ(ParseError(json{{"config", json::object()}}),
            kWhere + ": the quantizer object needs a string 'class_name'");
  EXPECT_EQ(ParseError(json{{"class_name", "quantized_bits"}}),
            kWhere + ": the quantizer object needs a 'config' object");
  EXPECT_EQ(ParseError(json{{"class_name", "quantized_bits"}, {"config", "bits=4"}}),
            kWhere + ": the quantizer's 'config' must be an object");
  EXPECT_EQ(ParseError(json{{"class_name", "quantized_bits"}, {"config", {}}, {"extra", 1}}),
            kWhere + ": unexpected key 'extra' in the quantizer object");
}

// Mutated strings and objects give a result or an error naming `where`, never a crash.
TEST(QKerasParse, HostileInputNeverCrashes) {
  const std::vector<std::string> seeds = {"quantized_bits(8, 3, 1, alpha='auto_po2')",
                                          "quantized_relu(3,1)", "quantized_po2(4, max_value=1)",
                                          "ternary(threshold=0.5)", "binary(use_01=True)"};
  const std::string alphabet = "()=,'\" 0123456789.eE+-_aTrueFalsNonbitsx\x01\xff";
  std::mt19937 rng(12345);
  int ok = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = s.empty() ? 0 : rng() % s.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), c);
          break;
        case 1:
          if (!s.empty()) s.erase(pos, 1);
          break;
        default:
          if (!s.empty()) s[pos] = c;
      }
    }
    auto r = ParseQKerasQuantizer(s, kWhere);
    if (r.ok()) {
      ++ok;
      // Whatever parses also quantizes and types without trouble.
      auto v = QuantizeValues(*r, std::vector<double>{-3.0, -0.4, 0.0, 0.2, 1.5, 100.0}, 2, "t");
      EXPECT_TRUE(v.ok()) << s << ": " << v.status().ToString();
      (void)WeightType(*r, "w");
      (void)ActivationType(*r, "a");
    } else {
      EXPECT_EQ(r.status().message().rfind(kWhere + ": ", 0), 0u) << r.status().message();
    }
  }
  EXPECT_GT(ok, 100);  // the mutations do reach the quantizers

  const std::vector<json> values = {
      nullptr, true,          false,         0, 1, -1, 40, 0.5, 1.0, -7.5, "auto",
      "rnd",   json::array(), json::object()};
  const std::vector<std::string> keys = {
      "bits",      "integer",           "alpha",           "symmetric",
      "max_value", "negative_slope",    "threshold",       "keep_negative",
      "use_01",    "number_of_unrolls", "relu_upper_bound"};
  const std::vector<std::string> classes = {
      "quantized_bits", "quantized_relu", "quantized_po2",  "quantized_relu_po2",
      "ternary",        "binary",         "quantized_tanh", "quantized_sigmoid"};
  for (int iter = 0; iter < 5000; ++iter) {
    json config = json::object();
    for (int k = 0; k < 3; ++k) config[keys[rng() % keys.size()]] = values[rng() % values.size()];
    auto r = ParseQKerasQuantizer(Obj(classes[rng() % classes.size()], config), kWhere);
    if (r.ok()) {
      auto v = QuantizeValues(*r, std::vector<double>{-3.0, -0.4, 0.0, 0.2, 1.5, 100.0}, 0, "t");
      EXPECT_TRUE(v.ok()) << config.dump() << ": " << v.status().ToString();
    } else {
      EXPECT_EQ(r.status().message().rfind(kWhere + ": ", 0), 0u) << r.status().message();
    }
  }
}

// ------------------------------------------------------------------------------------------
// quantized_bits

TEST(QKerasQuantize, QuantizedBitsGrid) {
  // Every bits/integer/symmetric/keep_negative combination, on quarter steps past both ends.
  for (int bits = 1; bits <= 8; ++bits) {
    for (int integer : {-2, -1, 0, 1, 2, 3, bits}) {
      if (integer > bits) continue;
      for (bool symmetric : {false, true}) {
        for (bool keep_negative : {true, false}) {
          json config = {{"bits", bits},
                         {"integer", integer},
                         {"symmetric", symmetric},
                         {"keep_negative", keep_negative}};
          const QKerasQuantizer q = Parse(Obj("quantized_bits", config));
          const int ub = bits - (keep_negative ? 1 : 0);
          const double step = std::ldexp(1.0, integer - ub);
          const double m = std::ldexp(1.0, ub);
          const std::vector<double> x = QuarterSteps(step, std::ldexp(1.5, std::max(integer, 0)));
          auto ref = [&](double v) {
            if (ub == 0) return v >= 0 ? 1.0 : -1.0;  // sign, with sign(0) -> +1
            const double lo = keep_negative ? -m + (symmetric ? 1 : 0) : 0.0;
            return Clamp(RoundHalfEven(v / step), lo, m - 1.0) * step;
          };
          ExpectSame(Quantize(q, x), x, ref, config.dump());
        }
      }
    }
  }
}

TEST(QKerasQuantize, QuantizedBitsTiesAndEnds) {
  // quantized_bits(4,0): LSB 1/8, range [-1, 7/8]; ties go to the even multiple.
  const QKerasQuantizer q = Parse("quantized_bits(4,0)");
  EXPECT_EQ(Quantize(q, {1.0 / 16, 3.0 / 16, 5.0 / 16, -3.0 / 16, -1.0 / 16, 0.9, 5.0, -1.0,
                         -1.0625, -7.0}),
            (std::vector<double>{0.0, 0.25, 0.25, -0.25, 0.0, 0.875, 0.875, -1.0, -1.0, -1.0}));
  // symmetric: the most negative code is not used.
  EXPECT_EQ(Quantize(Parse("quantized_bits(4,0,1)"), {-7.0, -0.9375, 0.9375}),
            (std::vector<double>{-0.875, -0.875, 0.875}));
  // keep_negative=False: 4 unsigned bits, LSB 1/16, range [0, 15/16].
  EXPECT_EQ(Quantize(Parse("quantized_bits(4,0,keep_negative=False)"),
                     {-0.5, 1.0 / 32, 3.0 / 32, 0.5, 2.0}),
            (std::vector<double>{0.0, 0.0, 0.125, 0.5, 0.9375}));
  // integer=0 with keep_negative puts the range at [-1, 1): bits-1 fractional bits.
  EXPECT_EQ(Quantize(Parse("quantized_bits(6,0)"), {0.999, -0.999}),
            (std::vector<double>{31.0 / 32, -1.0}));
  // One bit: the sign, +1 for zero, whatever the integer.
  EXPECT_EQ(Quantize(Parse("quantized_bits(1,1)"), {-0.1, 0.0, 3.0}),
            (std::vector<double>{-1.0, 1.0, 1.0}));
  EXPECT_EQ(Quantize(Parse("quantized_bits(1,0,keep_negative=False)"), {-0.7, 0.2, 0.3, 9.0}),
            (std::vector<double>{0.0, 0.0, 0.5, 0.5}));
}

TEST(QKerasQuantize, QuantizedBitsFixedAlphaScalesTheResult) {
  const QKerasQuantizer q = Parse("quantized_bits(4,0,alpha=0.5)");
  const std::vector<double> x = QuarterSteps(0.125, 2.0);
  ExpectSame(
      Quantize(q, x), x,
      [](double v) { return 0.5 * Clamp(RoundHalfEven(v / 0.125), -8, 7) * 0.125; }, "alpha=0.5");
}

TEST(QKerasQuantize, StraightThroughEstimatorRoundsTwice) {
  // QKeras returns x + (xq - x) in float32, not xq: far outside the range the sum loses xq.
  // quantized_bits(6,0) clips 2^20 to 31/32, but 31/32 - 2^20 rounds (a tie, to even) to
  // -(2^20 - 1), and 2^30 + (31/32 - 2^30) rounds to 0.
  const QKerasQuantizer q = Parse("quantized_bits(6,0)");
  EXPECT_EQ(Quantize(q, {std::ldexp(1.0, 19), std::ldexp(1.0, 20), std::ldexp(1.0, 30),
                         -std::ldexp(1.0, 30)}),
            (std::vector<double>{31.0 / 32, 1.0, 0.0, 0.0}));
  // use_ste=False returns xq itself.
  EXPECT_EQ(Quantize(Parse("quantized_bits(6,0,use_ste=False)"), {std::ldexp(1.0, 30)}),
            (std::vector<double>{31.0 / 32}));
}

// Reference for quantized_bits with alpha "auto"/"auto_po2", per channel, in double.
// QKeras: x' = x / 2^integer; L = 2^(bits-1) - 1; scale = max|x'| / L (auto), or that rounded to
// a power of two and refined five times by least squares over z = sign(x') min(floor(|x'| /
// scale + 0.5), L) (auto_po2); result 2^integer * scale * z. The data avoid log2 ties.
std::vector<double> AutoBitsReference(const std::vector<double>& x, size_t channels, int bits,
                                      int integer, bool po2) {
  const double m_i = std::ldexp(1.0, integer);
  const double levels = std::ldexp(1.0, bits - 1) - 1.0;
  const size_t n = x.size();
  const bool rank1 = channels == 0;
  const size_t groups = rank1 ? 1 : channels;
  auto group = [&](size_t i) { return rank1 ? 0 : i % channels; };
  std::vector<double> xs(n);
  for (size_t i = 0; i < n; ++i) xs[i] = x[i] / m_i;
  std::vector<double> max_abs(groups, 0.0);
  for (size_t i = 0; i < n; ++i) max_abs[group(i)] = std::max(max_abs[group(i)], std::fabs(xs[i]));
  std::vector<double> scale(n);
  for (size_t i = 0; i < n; ++i) {
    // the float32 division QKeras does: (max * 2) / levels
    scale[i] = static_cast<float>(static_cast<float>(max_abs[group(i)] * 2.0) /
                                  static_cast<float>(2.0 * levels));
  }
  std::vector<double> z(n);
  auto quantize = [&] {
    for (size_t i = 0; i < n; ++i) {
      const double v = std::min(std::floor(std::fabs(xs[i]) / scale[i] + 0.5), levels);
      z[i] = xs[i] > 0 ? v : (xs[i] < 0 ? -v : 0.0);
    }
  };
  if (po2) {
    for (double& s : scale) s = std::ldexp(1.0, static_cast<int>(std::lround(std::log2(s))));
    for (int iter = 0; iter < 5; ++iter) {
      quantize();
      std::vector<double> qx(groups, 0.0);
      std::vector<double> qq(groups, 0.0);
      for (size_t i = 0; i < n; ++i) {
        qx[rank1 ? 0 : group(i)] += xs[i] * z[i];
        qq[rank1 ? 0 : group(i)] += z[i] * z[i];
      }
      for (size_t i = 0; i < n; ++i) {
        // rank 1: per element; else per channel (the counts cancel in the ratio).
        const double ratio =
            rank1 ? (xs[i] * z[i]) / (z[i] * z[i] + 1e-7) : qx[group(i)] / qq[group(i)];
        scale[i] = std::ldexp(1.0, static_cast<int>(std::lround(std::log2(ratio + 1e-7))));
      }
    }
  }
  quantize();
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(m_i * scale[i] * z[i]);
  return out;
}

TEST(QKerasQuantize, QuantizedBitsAutoScalesPerChannel) {
  // A 4x3 kernel (rows x channels): channel c holds elements c, c+3, c+6, c+9.
  // (float32 values: multiples of 1/64)
  const std::vector<double> x = {0.90625, -0.046875, 3.0,      -0.40625, 0.015625, -1.09375,
                                 0.25,    0.0,       0.703125, 0.09375,  -0.0625,  0.296875};
  for (int integer : {0, 1}) {
    for (bool po2 : {false, true}) {
      json config = {{"bits", 4}, {"integer", integer}, {"alpha", po2 ? "auto_po2" : "auto"}};
      const QKerasQuantizer q = Parse(Obj("quantized_bits", config));
      EXPECT_TRUE(q.symmetric);  // "auto" forces symmetric
      EXPECT_EQ(Quantize(q, x, 3), AutoBitsReference(x, 3, 4, integer, po2)) << config.dump();
    }
  }
  // auto: channel 0's max 0.90625 takes the top code 7 and the scale 0.90625/7 (float32).
  const QKerasQuantizer q = Parse("quantized_bits(4,0,alpha='auto')");
  auto r = QuantizeValuesAndScale(q, x, 3, "t");
  ASSERT_TRUE(r.ok());
  const float s0 = (0.90625f * 2.0f) / 14.0f;
  EXPECT_EQ(r->values[0], static_cast<double>(s0 * 8.0f * (7.0f / 8.0f)));
  // the scale QKeras keeps is scale * 2^(bits-1), per element of its channel
  EXPECT_EQ(r->scale[0], static_cast<double>(s0 * 8.0f));
  EXPECT_EQ(r->scale[3], r->scale[0]);
  EXPECT_NE(r->scale[1], r->scale[0]);
}

TEST(QKerasQuantize, QuantizedBitsAutoPo2OnAVector) {
  // A rank-1 tensor (channels 0): one starting scale for the whole vector, then QKeras'
  // least-squares step works per element, so small elements get their own scales.
  const std::vector<double> x = {0.90625, -0.046875, 0.296875, 0.0, -0.59375, 0.01171875};
  const QKerasQuantizer q = Parse("quantized_bits(4,0,alpha='auto_po2')");
  EXPECT_EQ(Quantize(q, x, 0), AutoBitsReference(x, 0, 4, 0, true));
  // The same values as one channel of a rank-2 tensor share one scale.
  EXPECT_EQ(Quantize(q, x, 1), AutoBitsReference(x, 1, 4, 0, true));
  EXPECT_NE(Quantize(q, x, 0), Quantize(q, x, 1));
}

TEST(QKerasQuantize, QuantizedBitsAutoPo2RefinesTheScale) {
  // One channel: 1.0 and twenty times 47/128. The first scale, 2^round(log2(1.0 / 3)) = 1/4,
  // would give {0.75, 0.25}; the least-squares steps move it to 1/2.
  std::vector<double> x(21, 47.0 / 128);
  x[0] = 1.0;
  const QKerasQuantizer q = Parse("quantized_bits(3,0,alpha='auto_po2')");
  const std::vector<double> got = Quantize(q, x, 1);
  EXPECT_EQ(got, AutoBitsReference(x, 1, 3, 0, true));
  EXPECT_EQ(got[0], 1.0);
  EXPECT_EQ(got[1], 0.5);
  EXPECT_EQ(got[20], 0.5);
}

TEST(QKerasQuantize, QuantizedBitsAutoPo2ExponentBounds) {
  // One channel with max 0.9: the free po2 scale is 1/8; min_po2_exponent=-2 raises it to 1/4.
  const std::vector<double> x = {0.9, 0.3, -0.5, 0.1};
  const QKerasQuantizer q = Parse("quantized_bits(4,0,alpha='auto_po2',min_po2_exponent=-2)");
  auto r = QuantizeValuesAndScale(q, x, 1, "t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scale[0], 0.25 * 8);
  // z = round(|x| / 0.25) clipped to 7: 4 (0.9 -> 3.6), 1, 2, 0
  EXPECT_EQ(r->values, (std::vector<double>{1.0, 0.25, -0.5, 0.0}));
}

// ------------------------------------------------------------------------------------------
// quantized_relu

TEST(QKerasQuantize, QuantizedReluGrid) {
  for (int bits = 1; bits <= 8; ++bits) {
    for (int integer = 0; integer <= bits; ++integer) {
      const QKerasQuantizer q =
          Parse(Obj("quantized_relu", {{"bits", bits}, {"integer", integer}}));
      const double step = std::ldexp(1.0, integer - bits);
      const std::vector<double> x = QuarterSteps(step, std::ldexp(1.5, integer));
      auto ref = [&](double v) {
        return Clamp(RoundHalfEven(v / step), 0.0, std::ldexp(1.0, bits) - 1.0) * step;
      };
      ExpectSame(Quantize(q, x), x, ref,
                 "quantized_relu(" + std::to_string(bits) + "," + std::to_string(integer) + ")");
    }
  }
  // quantized_relu(3,1): LSB 1/4, top 7/4; 0.375 is a tie (1.5 LSB) and goes to 0.5.
  EXPECT_EQ(Quantize(Parse("quantized_relu(3,1)"), {-1.0, 0.125, 0.375, 0.625, 1.8, 9.0}),
            (std::vector<double>{0.0, 0.0, 0.5, 0.5, 1.75, 1.75}));
}

TEST(QKerasQuantize, QuantizedReluNegativeSlope) {
  // One bit goes to the sign: positive steps 2^(integer - bits + 1), negative values are the
  // slope times x rounded to the same step, down to -slope * 2^integer.
  for (double slope : {0.5, 0.25, 1.0}) {
    for (int integer : {0, 1, 2}) {
      const int bits = 5;
      const QKerasQuantizer q = Parse(
          Obj("quantized_relu", {{"bits", bits}, {"integer", integer}, {"negative_slope", slope}}));
      const double step = std::ldexp(1.0, integer - (bits - 1));
      const double m_i = std::ldexp(1.0, integer);
      const std::vector<double> x = QuarterSteps(step, 3.0 * m_i);
      auto ref = [&](double v) {
        if (v >= 0)
          return Clamp(RoundHalfEven(v / step), 0.0, std::ldexp(1.0, bits - 1) - 1) * step;
        return std::max(RoundHalfEven(v * slope / step) * step, -m_i * slope);
      };
      ExpectSame(Quantize(q, x), x, ref, "slope " + std::to_string(slope));
    }
  }
}

TEST(QKerasQuantize, QuantizedReluUseSigmoid) {
  // x -> 2^integer * clip(2 * round(hard_sigmoid(x / 2^integer) * 2^bits) / 2^bits - 1, 0,
  // 1 - 2^-bits).
  for (int integer : {0, 1}) {
    const int bits = 4;
    const QKerasQuantizer q =
        Parse(Obj("quantized_relu", {{"bits", bits}, {"integer", integer}, {"use_sigmoid", 1}}));
    const double m = 16.0;
    const double m_i = std::ldexp(1.0, integer);
    const std::vector<double> x = QuarterSteps(1.0 / 64, 4.0);
    auto ref = [&](double v) {
      const double h = Clamp(0.5 * (v / m_i) + 0.5, 0.0, 1.0);
      return m_i * Clamp(2.0 * RoundHalfEven(h * m) / m - 1.0, 0.0, 1.0 - 1.0 / m);
    };
    ExpectSame(Quantize(q, x), x, ref, "use_sigmoid");
  }
}

TEST(QKerasQuantize, QuantizedReluUpperBoundOnlyWithoutQuantizedClip) {
  // With the default is_quantized_clip=True (which get_config does not save) relu_upper_bound
  // changes nothing.
  const std::vector<double> x = {0.3, 0.6, 2.0};
  EXPECT_EQ(Quantize(Parse("quantized_relu(4,1,relu_upper_bound=0.5)"), x),
            (std::vector<double>{0.25, 0.625, 1.875}));
  EXPECT_EQ(Quantize(Parse("quantized_relu(4,1,relu_upper_bound=0.5,is_quantized_clip=False)"), x),
            (std::vector<double>{0.25, 0.5, 0.5}));
}

// ------------------------------------------------------------------------------------------
// quantized_tanh, quantized_sigmoid

TEST(QKerasQuantize, QuantizedTanhGrid) {
  for (int bits = 1; bits <= 8; ++bits) {
    for (bool symmetric : {false, true}) {
      const QKerasQuantizer q =
          Parse(Obj("quantized_tanh", {{"bits", bits}, {"symmetric", symmetric}}));
      const double m = std::ldexp(1.0, bits - 1);
      const std::vector<double> x = QuarterSteps(1.0 / 256, 2.0);
      auto ref = [&](double v) {
        const double p = Clamp(v, -1.0, 1.0);  // 2 * hard_sigmoid(x) - 1
        return Clamp(RoundHalfEven(p * m) / m, -1.0 + (symmetric ? 1.0 : 0.0) / m, 1.0 - 1.0 / m);
      };
      ExpectSame(Quantize(q, x), x, ref, "quantized_tanh " + std::to_string(bits));
    }
  }
  // use_real_tanh: tanh(0.5) = 0.462 -> 3.70/8 -> 0.5; tanh(-2) = -0.964 -> -7.7/8 -> -1.
  EXPECT_EQ(Quantize(Parse("quantized_tanh(4, use_real_tanh=True)"), {0.5, -2.0, 0.1}),
            (std::vector<double>{0.5, -1.0, 0.125}));
}

TEST(QKerasQuantize, QuantizedSigmoidGrid) {
  for (int bits = 1; bits <= 8; ++bits) {
    for (bool symmetric : {false, true}) {
      const QKerasQuantizer q =
          Parse(Obj("quantized_sigmoid", {{"bits", bits}, {"symmetric", symmetric}}));
      const double m = std::ldexp(1.0, bits);
      const std::vector<double> x = QuarterSteps(1.0 / 256, 3.0);
      auto ref = [&](double v) {
        const double p = Clamp(0.5 * v + 0.5, 0.0, 1.0);
        return Clamp(RoundHalfEven(p * m) / m, (symmetric ? 1.0 : 0.0) / m, 1.0 - 1.0 / m);
      };
      ExpectSame(Quantize(q, x), x, ref, "quantized_sigmoid " + std::to_string(bits));
    }
  }
  // use_real_sigmoid: sigmoid(1) = 0.731 -> 11.7/16 -> 0.75.
  EXPECT_EQ(Quantize(Parse("quantized_sigmoid(4, use_real_sigmoid=True)"), {1.0, 0.0, -9.0}),
            (std::vector<double>{0.75, 0.5, 0.0}));
}

// ------------------------------------------------------------------------------------------
// quantized_po2, quantized_relu_po2

// sign(x) 2^clip(round(log2|x|), min_exp, max_exp), |x| clipped to max_value first; |x| below
// 1e-7 (zero too, with sign +) gives 2^min_exp.
double Po2Reference(double v, int min_exp, int max_exp, std::optional<double> max_value) {
  const double sign = v < 0 ? -1.0 : 1.0;
  double a = std::fabs(v);
  if (a < 1e-7) return sign * std::ldexp(1.0, min_exp);
  if (max_value && a >= *max_value) a = *max_value;
  const double e = Clamp(RoundHalfEven(std::log2(a)), min_exp, max_exp);
  return sign * std::ldexp(1.0, static_cast<int>(e));
}

// Powers 2^(k/8) with log2 away from the half-integers, both signs.
std::vector<double> Po2Inputs() {
  std::vector<double> x = {0.0, 1e-9, -1e-9};
  for (int k = -20 * 8; k <= 20 * 8; ++k) {
    if (((k % 8) + 8) % 8 == 4) continue;
    const auto v = static_cast<double>(static_cast<float>(std::exp2(k / 8.0)));
    x.push_back(v);
    x.push_back(-v);
  }
  return x;
}

TEST(QKerasQuantize, QuantizedPo2) {
  const std::vector<double> x = Po2Inputs();
  // quantized_po2(4): max_value None needs the exponent's sign bit: 2 bits, exponents [-4, 3].
  ExpectSame(
      Quantize(Parse("quantized_po2(4)"), x), x,
      [](double v) { return Po2Reference(v, -4, 3, std::nullopt); }, "quantized_po2(4)");
  // quantized_po2(4,1): max_value <= 1 frees the sign bit: exponents [-8, 7], capped by 1.
  ExpectSame(
      Quantize(Parse("quantized_po2(4,1)"), x), x,
      [](double v) { return Po2Reference(v, -8, 7, 1.0); }, "quantized_po2(4,1)");
  ExpectSame(
      Quantize(Parse("quantized_po2(5,4)"), x), x,
      [](double v) { return Po2Reference(v, -8, 7, 4.0); }, "quantized_po2(5,4)");
  // max_value is clipped before rounding: 1.5 rounds up to 2, above max_value.
  EXPECT_EQ(Quantize(Parse("quantized_po2(4,1.5)"), {100.0, 1.4, -0.3, 0.0}),
            (std::vector<double>{2.0, 1.0, -0.25, 0.0625}));
}

TEST(QKerasQuantize, QuantizedReluPo2) {
  const std::vector<double> x = Po2Inputs();
  // bits 4, max_value None: exponents [-8, 7]; x <= 0 gives 2^-8, not 0.
  ExpectSame(
      Quantize(Parse("quantized_relu_po2(4)"), x), x,
      [](double v) { return Po2Reference(std::max(v, 0.0), -8, 7, std::nullopt); },
      "quantized_relu_po2(4)");
  // max_value 1: exponents [-16, 15] capped at 0.
  ExpectSame(
      Quantize(Parse("quantized_relu_po2(4,1)"), x), x,
      [](double v) { return Po2Reference(std::max(v, 0.0), -16, 15, 1.0); },
      "quantized_relu_po2(4,1)");
  // negative_slope: negative x -> -2^round(log2(slope |x|)).
  EXPECT_EQ(Quantize(Parse("quantized_relu_po2(4, negative_slope=0.5)"), {-4.0, -1.0, 3.0}),
            (std::vector<double>{-2.0, -0.5, 4.0}));
}

// ------------------------------------------------------------------------------------------
// binary, ternary

TEST(QKerasQuantize, Binary) {
  const std::vector<double> x = {-3.0, -0.2, -1e-30, 0.0, 1e-30, 0.2, 3.0};
  EXPECT_EQ(Quantize(Parse("binary"), x),
            (std::vector<double>{-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0}));
  EXPECT_EQ(Quantize(Parse("binary(use_01=True)"), x),
            (std::vector<double>{0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0}));
  EXPECT_EQ(Quantize(Parse("binary(alpha=2)"), x),
            (std::vector<double>{-2.0, -2.0, -2.0, 2.0, 2.0, 2.0, 2.0}));
  // binary_tanh = 2 round(hard_sigmoid(x)) - 1: zero and tiny positives (where 0.5 x + 0.5
  // rounds to 0.5 in float32, a tie) give -1.
  EXPECT_EQ(Quantize(Parse("binary_tanh"), {-3.0, 0.0, 1e-30, std::ldexp(1.0, -24), 1e-7, 0.2}),
            (std::vector<double>{-1.0, -1.0, -1.0, -1.0, 1.0, 1.0}));
}

TEST(QKerasQuantize, BinaryAutoScalesPerChannel) {
  // scale = mean(x * sign(x)) / (mean(sign^2) + 1e-7) per channel: the epsilon shows in the
  // last bit, so channel 0 (|x| = 0.5) gets 0.5 / (1 + 2^-23) = 0.5 - 2^-24 in float32.
  const std::vector<double> x = {0.5, 1.0, -0.5, -3.0, 0.5, 2.0};  // 3 rows x 2 channels
  const float s0 = 0.5f / (1.0f + static_cast<float>(1e-7));
  const float s1 = 2.0f / (1.0f + static_cast<float>(1e-7));
  EXPECT_EQ(static_cast<double>(s0), 0.5 - std::ldexp(1.0, -24));
  EXPECT_EQ(Quantize(Parse("binary(alpha='auto')"), x, 2),
            (std::vector<double>{s0, s1, -s0, -s1, s0, s1}));
  EXPECT_EQ(Quantize(Parse("binary(alpha='auto_po2')"), x, 2),
            (std::vector<double>{0.5, 2.0, -0.5, -2.0, 0.5, 2.0}));
}

TEST(QKerasQuantize, Ternary) {
  const auto t = static_cast<double>(static_cast<float>(0.33));
  const double below = std::nextafter(static_cast<float>(0.33), 0.0f);
  const std::vector<double> x = {-2.0, -t, -below, 0.0, below, t, 0.4, 7.0};
  const std::vector<double> unit = {-1.0, -1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0};
  EXPECT_EQ(Quantize(Parse("ternary"), x), unit);  // threshold 0.33 (float32), |x| >= it
  EXPECT_EQ(Quantize(Parse("ternary_tanh"), x), unit);
  EXPECT_EQ(Quantize(Parse("ternary(threshold=0.4)"), x),
            (std::vector<double>{-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0}));
  EXPECT_EQ(Quantize(Parse("ternary(alpha=2)"), x),
            (std::vector<double>{-2.0, -2.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0}));
}

// Ternary with alpha "auto_po2", in double: scale = 2^round(log2(2 max|x| / 3)); then, five
// times, q = sign(x) [|scale round(x / scale)| >= scale / 2] and scale =
// 2^round(log2(sum(x q) / sum(q q))) per channel.
std::vector<double> TernaryAutoPo2Reference(const std::vector<double>& x, size_t channels) {
  const size_t n = x.size();
  std::vector<double> max_abs(channels, 0.0);
  for (size_t i = 0; i < n; ++i)
    max_abs[i % channels] = std::max(max_abs[i % channels], std::fabs(x[i]));
  std::vector<double> scale(channels);
  for (size_t c = 0; c < channels; ++c) {
    scale[c] = std::ldexp(1.0, static_cast<int>(std::lround(std::log2(2.0 * max_abs[c] / 3.0))));
  }
  std::vector<double> q(n);
  for (int iter = 0; iter < 5; ++iter) {
    std::vector<double> qx(channels, 0.0);
    std::vector<double> qq(channels, 0.0);
    for (size_t i = 0; i < n; ++i) {
      const double s = scale[i % channels];
      const double v = s * RoundHalfEven(x[i] / s);
      q[i] = std::fabs(v) >= s / 2 ? (x[i] > 0 ? 1.0 : (x[i] < 0 ? -1.0 : 0.0)) : 0.0;
      qx[i % channels] += x[i] * q[i];
      qq[i % channels] += q[i] * q[i];
    }
    for (size_t c = 0; c < channels; ++c) {
      scale[c] = std::ldexp(1.0, static_cast<int>(std::lround(std::log2(qx[c] / qq[c]))));
    }
  }
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = scale[i % channels] * q[i];
  return out;
}

TEST(QKerasQuantize, TernaryAutoPo2PerChannel) {
  const std::vector<double> x = {1.0, 0.3,  -1.0, -0.05, 0.1,  0.2,
                                 0.0, -0.4, 0.9,  0.02,  -0.2, 0.25};  // 4 rows x 3 channels
  EXPECT_EQ(Quantize(Parse("ternary(alpha='auto_po2')"), x, 3), TernaryAutoPo2Reference(x, 3));
  // channel 0 = {1, -0.05, 0, 0.02}: scale 1, values {1, 0, 0, 0}
  const std::vector<double> got = Quantize(Parse("ternary(alpha='auto_po2')"), x, 3);
  EXPECT_EQ(got[0], 1.0);
  EXPECT_EQ(got[3], 0.0);
}

TEST(QKerasQuantize, InputErrors) {
  const QKerasQuantizer q = Parse("quantized_bits(4,0)");
  const std::vector<double> five = {1, 2, 3, 4, 5};
  auto r = QuantizeValues(q, five, 2, kWhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kWhere + ": 5 values do not split into channels of 2");
  r = QuantizeValues(q, five, -1, kWhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kWhere + ": the channel count must not be negative, got -1");
  r = QuantizeValues(q, std::vector<double>{0.5, std::nan("")}, 1, kWhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kWhere + ": value 1 (nan) is not a finite float32 value");
  r = QuantizeValues(q, std::vector<double>{1e39}, 1, kWhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kWhere + ": value 0 (1e+39) is not a finite float32 value");
  r = QuantizeValues(q, std::vector<double>{}, 0, kWhere);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

// ------------------------------------------------------------------------------------------
// hls4ml's types

TEST(QKerasTypes, WeightTypes) {
  EXPECT_EQ(Weight("quantized_bits(6,0,alpha=1)"), "ap_fixed<6,1>");
  EXPECT_EQ(Weight("quantized_bits(4,0,1,alpha=1)"), "ap_fixed<4,1>");
  EXPECT_EQ(Weight("quantized_bits(2,0,1,alpha=None)"), "ap_fixed<2,1>");
  EXPECT_EQ(Weight("quantized_bits(8,3,alpha='auto_po2')"), "ap_fixed<8,4>");  // alpha factored out
  EXPECT_EQ(Weight("quantized_bits(4,0,keep_negative=False)"), "ap_fixed<4,1>");  // as hls4ml
  EXPECT_EQ(Weight("quantized_bits(6,-2)"), "ap_fixed<6,-1>");
  EXPECT_EQ(Weight("quantized_bits(4,4)"), "ap_int<4>");  // hls4ml's IntegerPrecisionType
  EXPECT_EQ(Weight("quantized_bits(1,1)"), "ap_int<2>");  // hls4ml's XNOR type, held signed
  EXPECT_EQ(Weight("binary"), "ap_int<2>");
  EXPECT_EQ(Weight("binary(alpha='auto')"), "ap_int<2>");
  EXPECT_EQ(Weight("binary_tanh"), "ap_int<2>");
  EXPECT_EQ(Weight("ternary"), "ap_int<2>");
  // quantized_po2: exponents [-8, 0] -> +-2^-8 .. +-1.
  EXPECT_EQ(Weight("quantized_po2(4,1)"), "ap_fixed<10,2>");
  // quantized_po2(4): exponents [-4, 3] -> +-1/16 .. +-8.
  EXPECT_EQ(Weight("quantized_po2(4)"), "ap_fixed<9,5>");
  // quantized_po2(3,0.25): exponents [-4, -2] (round(log2 0.25)).
  EXPECT_EQ(Weight("quantized_po2(3,0.25)"), "ap_fixed<4,0>");
  // quantized_po2(8): exponents [-64, 63], 129 bits.
  EXPECT_EQ(Weight("quantized_po2(8)"),
            "error: w: no fixed-point type of at most 128 bits holds every value of "
            "quantized_po2(8) (2^-64 to 2^63); give it a max_value or fewer bits");
  // quantized_po2(10,1): 2^min_exp = 2^-512 underflows float32 to 0; the other values run from
  // 2^round(log2(1e-7)) = 2^-23 to 2^0.
  EXPECT_EQ(Weight("quantized_po2(10,1)"), "ap_fixed<25,2>");
  // quantized_po2(10): the same from 2^-23 up to 2^127 (2^128 is inf in float32): 152 bits.
  EXPECT_EQ(Weight("quantized_po2(10)"),
            "error: w: no fixed-point type of at most 128 bits holds every value of "
            "quantized_po2(10) (2^-23 to 2^127); give it a max_value or fewer bits");
  EXPECT_EQ(Weight("quantized_relu(4,0)"),
            "error: w: hls4ml has no weight type for quantized_relu (its QKerasQuantizer falls "
            "back to ap_fixed<16,6>); quantize weights with quantized_bits, quantized_po2, binary "
            "or ternary");
  EXPECT_CONTAINS(Weight("quantized_relu_po2(4)"),
                  "hls4ml has no weight type for quantized_relu_po2");
}

TEST(QKerasTypes, Po2WeightTypeHoldsEveryValue) {
  // Every value the quantizer returns for a wide sweep is exactly representable in the type.
  for (const char* text : {"quantized_po2(4,1)", "quantized_po2(4)", "quantized_po2(5,8)",
                           "quantized_po2(3,0.25)", "quantized_po2(6,1)", "quantized_po2(10,1)"}) {
    const QKerasQuantizer q = Parse(text);
    auto t = WeightType(q, "w");
    ASSERT_TRUE(t.ok()) << text;
    std::vector<double> x = Po2Inputs();
    for (double v : {1e6, -1e6, 1e-12, 3e-8, 1.5e-7}) x.push_back(v);
    bool hits_min = false;
    bool hits_max = false;
    for (double v : Quantize(q, x)) {
      const double raw = v / t->Lsb();
      EXPECT_EQ(raw, std::round(raw)) << text << ": " << v;
      EXPECT_LE(v, t->MaxValue()) << text;
      EXPECT_GE(v, t->MinValue()) << text;
      hits_min |= std::fabs(v) == t->Lsb();
      hits_max |= v > t->MaxValue() / 2;
    }
    // and it is the narrowest: both the smallest and the largest magnitude occur.
    EXPECT_TRUE(hits_min) << text;
    EXPECT_TRUE(hits_max) << text;
  }
}

TEST(QKerasTypes, ActivationTypes) {
  EXPECT_EQ(Activation("quantized_relu(6,0)"), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_relu(3,1)"), "ap_ufixed<3,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_relu(2)"), "ap_ufixed<2,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_relu(4,4)"), "ap_uint<4>");
  EXPECT_EQ(Activation("quantized_relu(4,1,negative_slope=0.25)"),
            "ap_fixed<4,2,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_bits(6,0)"), "ap_fixed<6,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_bits(8,3,alpha=1)"), "ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_bits(4,3)"), "ap_int<4>");  // decimal 0: an integer type
  EXPECT_EQ(Activation("quantized_bits(4,4)"), "ap_int<5>");  // width = integer + 1
  EXPECT_EQ(Activation("quantized_bits(4,0,keep_negative=False)"),
            "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_tanh(4)"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_tanh(4,symmetric=True)"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT_SYM>");
  EXPECT_EQ(Activation("quantized_tanh(1)"), "ap_int<1>");
  EXPECT_EQ(Activation("quantized_sigmoid(5)"), "ap_ufixed<5,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_po2(4)"), "ap_int<4>");
  EXPECT_EQ(Activation("quantized_relu_po2(4)"), "ap_ufixed<4,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(Activation("quantized_relu_po2(4,negative_slope=0.5)"), "ap_int<4>");
  for (const char* name : {"binary", "binary_tanh", "ternary", "ternary_tanh", "binary(1)"}) {
    EXPECT_EQ(Activation(name), "ap_int<2>") << name;
  }
}

// Every quantizer in the example QKeras models parses, and gets the types hls4ml gives it.
TEST(QKerasTypes, ExampleModels) {
  std::map<std::string, std::pair<std::string, std::string>> seen;  // dump -> weight, activation
  int count = 0;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      for (const auto& [key, value] : j.items()) {
        const bool is_quantizer = key.find("quantizer") != std::string::npos ||
                                  (key == "activation" && !value.is_string()) ||
                                  (key == "activation" && value.is_string() &&
                                   value.get<std::string>().find('(') != std::string::npos);
        if (is_quantizer && !value.is_null()) {
          ++count;
          const QKerasQuantizer q = Parse(value);
          auto w = WeightType(q, "w");
          auto a = ActivationType(q, "a");
          seen[value.dump()] = {w.ok() ? FormatFixedType(*w) : "-",
                                a.ok() ? FormatFixedType(*a) : "-"};
        } else {
          walk(value);
        }
      }
    } else if (j.is_array()) {
      for (const json& v : j) walk(v);
    }
  };
  for (const char* file :
       {"qkeras_3layer.json", "qkeras_mnist_dense.json", "qkeras_mnist_cnn.json"}) {
    std::ifstream in(std::string(FIRMNET_SHARED_DIR) + "/example-models/keras/" + file);
    ASSERT_TRUE(in.good()) << file;
    walk(json::parse(in));
  }
  EXPECT_GT(count, 10);
  std::map<std::string, std::pair<std::string, std::string>> by_text;
  for (const auto& [dump, types] : seen) {
    json j = json::parse(dump);
    QKerasQuantizer q = Parse(j);
    std::string text = q.class_name + "(" + std::to_string(q.bits);
    if (q.kind == Kind::kQuantizedBits || q.kind == Kind::kQuantizedRelu) {
      text += "," + std::to_string(q.integer);
    }
    if (q.kind == Kind::kQuantizedBits) text += q.symmetric ? ",1" : ",0";
    if (q.max_value) text += "," + std::to_string(static_cast<int>(*q.max_value));
    text += ")";
    by_text[text] = types;
  }
  const std::map<std::string, std::pair<std::string, std::string>> want = {
      {"quantized_bits(6,0,0)", {"ap_fixed<6,1>", "ap_fixed<6,1,AP_RND_CONV,AP_SAT>"}},
      {"quantized_bits(4,0,1)", {"ap_fixed<4,1>", "ap_fixed<4,1,AP_RND_CONV,AP_SAT>"}},
      {"quantized_bits(2,0,1)", {"ap_fixed<2,1>", "ap_fixed<2,1,AP_RND_CONV,AP_SAT>"}},
      {"quantized_relu(6,0)", {"-", "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>"}},
      {"quantized_relu(2,0)", {"-", "ap_ufixed<2,0,AP_RND_CONV,AP_SAT>"}},
      {"quantized_relu(3,1)", {"-", "ap_ufixed<3,1,AP_RND_CONV,AP_SAT>"}},
      {"quantized_po2(4,1)", {"ap_fixed<10,2>", "ap_int<4>"}},
  };
  EXPECT_EQ(by_text, want);
}

}  // namespace
}  // namespace firmnet::keras
