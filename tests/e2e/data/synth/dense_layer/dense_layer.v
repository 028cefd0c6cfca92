// Hand-written fixture for tests/e2e/synth_tool_test.cc: a layer-sized design with each kind of
// resource the synthesis report counts. Two 3-input dot products with constant weights written
// as products (DSP48s), one written as shift-and-add (LUTs and CARRY4: the sum Yosys 0.23's
// alumacc turns into a $macc cell; plain synth_xilinx maps this fixture into ~580 LUTs and ~300
// MUXFs, firmnet's flow into ~290 LUTs and none), one variable product, a table activation in a
// ROM (block RAM), ReLU, and registers between every stage. Verilog-2005.
module dot3 (
    input clk,
    input signed [7:0] a,
    input signed [7:0] b,
    input signed [7:0] c,
    output reg signed [17:0] y
);
  always @(posedge clk) y <= a * 8'sd93 + b * 8'shc7 + c * 8'sd3;
endmodule

// 4-input dot product with constant weights 57, -222, -125, 21 in shifts and adds.
module shift_add_dot (
    input clk,
    input signed [15:0] a,
    input signed [15:0] b,
    input signed [15:0] c,
    input signed [15:0] d,
    output reg signed [25:0] y
);
  wire signed [25:0] ea = a, eb = b, ec = c, ed = d;
  always @(posedge clk)
    y <= (ea <<< 6) - (ea <<< 3) + ea + (eb <<< 5) + (eb <<< 1) - (eb <<< 8) - (ec <<< 7) +
         (ec <<< 2) - ec + (ed <<< 4) + (ed <<< 2) + ed;
endmodule

module dense_layer (
    input clk,
    input rst,
    input in_valid,
    input [31:0] in_data,
    output reg out_valid,
    output reg [73:0] out_data
);
  reg [31:0] x;
  reg v0, v1;
  wire signed [17:0] y0, y1;
  dot3 n0 (.clk(clk), .a(x[7:0]), .b(x[15:8]), .c(x[23:16]), .y(y0));
  dot3 n1 (.clk(clk), .a(x[15:8]), .b(x[23:16]), .c(x[31:24]), .y(y1));

  wire signed [25:0] s0;
  shift_add_dot n2 (.clk(clk), .a(x[15:0]), .b(x[31:16]), .c(x[23:8]), .d({x[7:0], x[31:24]}), .y(s0));

  reg signed [17:0] p;
  always @(posedge clk) p <= $signed(x[31:24]) * $signed(x[7:0]);

  // 1024 x 16 table, contents computed at elaboration so that the fixture stays one file.
  reg [15:0] table_rom [0:1023];
  integer i;
  initial for (i = 0; i < 1024; i = i + 1) table_rom[i] = (i * i * 7) ^ (i >> 3);
  reg [15:0] t;
  always @(posedge clk) t <= table_rom[y0[9:0]];

  always @(posedge clk) begin
    if (rst) begin
      x <= 32'd0;
      v0 <= 1'b0;
      v1 <= 1'b0;
      out_valid <= 1'b0;
    end else begin
      x <= in_data;
      v0 <= in_valid;
      v1 <= v0;
      out_valid <= v1;
    end
    out_data <= {s0, t[11:0], y1[17] ? 18'd0 : y1, p};
  end
endmodule
