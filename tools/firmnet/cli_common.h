// Shared pieces of the firmnet CLI: model arguments, error reporting and sample I/O. Every
// subcommand file (main.cc, hls_commands.cc, verilog_commands.cc) uses these, so all of them
// load models and report errors the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "firmnet/common/status.h"
#include "firmnet/driver/pipeline.h"
#include "firmnet/emu/emulator.h"
#include "firmnet/fixed/fixed_value.h"
#include "firmnet/io/terminal_progress.h"

namespace firmnet::cli {

struct ModelArgs {
  std::string model;
  std::string weights;
  std::string config;
  std::vector<std::string> dump_after;
};

// Adds MODEL, --weights, -c/--config (unless with_config is false) and --dump-after.
void AddModelArgs(CLI::App* cmd, ModelArgs& a, bool with_config = true);
driver::ModelSource Source(const ModelArgs& a);
driver::PrepareOptions Prepare(const ModelArgs& a);

// Prints "firmnet: error: ..." to stderr and returns the exit status 1.
int Fail(const Status& s);

// Adds the required, repeatable --input FILE of predict, compare and sim (driver/model_io.h:
// one file per model input in the model's order, or one .npz with arrays named after them).
void AddInputOption(CLI::App* cmd, std::vector<std::string>& inputs);
// "a.npy, b.npy": the input files for messages.
std::string JoinInputs(const std::vector<std::string>& inputs);

// Writes a batch (`firmnet sim --output`): .npy as float64; text exactly (shortest round-trip
// doubles, or exact decimals when a fixed-point type has more significant bits than a double
// holds).
Status WriteBatch(const std::string& path, const emu::Batch& b, const std::vector<BigInt>* raw,
                  const FixedType* type);
// Progress lines on a terminal (io/terminal_progress.h).
using io::TerminalProgress;

// A file-name-safe form of a layer name.
std::string SafeName(const std::string& s);

// `firmnet build`: options shared by every backend. main.cc parses them and hands them to the
// backend named by --backend.
struct BuildArgs {
  ModelArgs model;
  std::string backend;  // "hls" or "verilog"
  std::string out_dir;
  std::string project;  // empty: the config's ProjectName
  bool force = false;
  bool csim = false;       // hls: C-simulate right after writing
  std::string hls_port;    // hls, io_parallel: "ap_vld" or "ap_none"; empty: ap_vld
  int64_t tb_samples = 0;  // hls: testbench samples; 0: the backend's default for the model
};

// A subcommand a backend file adds to the CLI; main runs `run` when `cmd` was parsed.
struct Command {
  CLI::App* cmd;
  std::function<int()> run;
};

// hls_commands.cc
int RunHlsBuild(const BuildArgs& a);
std::vector<Command> AddHlsCommands(CLI::App& app);  // csim
// verilog_commands.cc
int RunVerilogBuild(const BuildArgs& a);
std::vector<Command> AddVerilogCommands(CLI::App& app);  // sim
// synth_commands.cc
std::vector<Command> AddSynthCommands(CLI::App& app);  // synth
// serve_commands.cc
std::vector<Command> AddServeCommands(CLI::App& app);  // serve, perf

}  // namespace firmnet::cli
