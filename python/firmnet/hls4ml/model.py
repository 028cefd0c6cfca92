"""The object hls4ml's convert_* functions return, on a firmnet.Model."""

import os

import numpy as np

import firmnet


class ModelGraph:
    """hls4ml's ModelGraph methods: write(), compile(), predict(), trace(), build().

    predict() is firmnet's bit-exact emulator: no C++ compile step is needed, and the numbers
    are those of the written project's C-simulation (build(csim=True) checks it).
    """

    def __init__(self, model, output_dir, input_data_tb=None, output_data_tb=None):
        self.model = model
        self.output_dir = os.fspath(output_dir)
        self.input_data_tb = input_data_tb
        self.output_data_tb = output_data_tb
        self._written = False

    @property
    def config(self):
        return self.model.config

    def write(self):
        """Writes the HLS project to output_dir."""
        self.model.write_hls(self.output_dir, force=True)
        self._written = True

    def compile(self):
        """Writes the project (hls4ml compiles it to run predict; firmnet needs no compile)."""
        self.write()

    def _inputs(self, x):
        if isinstance(x, (list, tuple)) and len(x) == len(self.model.inputs) and len(x) > 1:
            return [np.ascontiguousarray(a) for a in x]
        return np.ascontiguousarray(x)

    def predict(self, x):
        """The firmware's outputs (bit-exact), as float64 arrays."""
        return self.model.predict(self._inputs(x))

    def trace(self, x):
        """(outputs, {layer name: layer output}), as hls4ml's trace returns them."""
        x = self._inputs(x)
        return self.model.predict(x), self.model.trace(x)

    def build(self, reset=False, csim=True, synth=True, cosim=False, validation=False,
              export=False, vsynth=False, **kwargs):
        """Writes the project; csim=True C-simulates its testbench against the emulator
        (CSimResults); synth=True synthesizes the same model's Verilog design with Yosys
        (output_dir/verilog) for a resource and timing estimate (CSynthesisReport, with
        hls4ml's keys where they apply). Vendor tools are not run."""
        self.write()
        report = {}
        if csim:
            r = self.model.csim(self.output_dir)
            report["CSimResults"] = {"samples": r["samples"], "passed": r["passed"],
                                     "failed": r["failed"]}
            if r["failed"]:
                raise firmnet.Error("%s: C-simulation disagrees with the emulator on %d of %d "
                                    "samples" % (self.output_dir, r["failed"], r["samples"]))
        if synth or vsynth:
            rtl = os.path.join(self.output_dir, "verilog")
            info = self.model.write_verilog(rtl)
            s = self.model.synth(rtl)
            res = s.get("resources") or {}
            timing = s.get("timing") or {}
            report["CSynthesisReport"] = {
                "TargetClockPeriod": timing.get("target_period_ns"),
                "EstimatedClockPeriod": timing.get("critical_path_ns"),
                "BestLatency": info["latency_cycles"],
                "WorstLatency": info["latency_cycles"],
                "IntervalMin": info["ii_cycles"],
                "IntervalMax": info["ii_cycles"],
                "DSP": res.get("dsp"),
                "FF": res.get("ff"),
                "LUT": res.get("lut"),
                "BRAM_18K": res.get("bram18"),
                "URAM": res.get("uram"),
            }
            report["firmnet_synth"] = s
        return report
