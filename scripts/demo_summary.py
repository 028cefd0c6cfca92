#!/usr/bin/python3
"""The demo's summary table, from the files scripts/demo leaves in its output directory.

    /usr/bin/python3 scripts/demo_summary.py OUT_DIR "model label" CONFIG

Reads OUT_DIR/steps.tsv (step, description, seconds), compare.json (`firmnet compare --json`),
csim.json (`firmnet csim --json`), sim.json (`firmnet sim --json`) and synth.json
(`firmnet synth --json`). Every figure printed comes from one of them.
"""

import json
import os
import re
import sys


def load(out, name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)


def model_precision(config_path):
    """The Model section's one-string Precision of an hls4ml-style config (what the demo uses)."""
    precision = "ap_fixed<16,6>"
    in_model = False
    with open(config_path) as f:
        for line in f:
            if re.match(r"^\S", line):
                in_model = line.startswith("Model:")
            m = re.match(r"^\s+Precision:\s*(\S.*)$", line)
            if in_model and m:
                precision = m.group(1).strip()
    return precision


def main():
    out, label, config = sys.argv[1:4]
    compare = load(out, "compare.json")
    csim = load(out, "csim.json")
    sim = load(out, "sim.json")
    synth = load(out, "synth.json")
    steps = []
    with open(os.path.join(out, "steps.tsv")) as f:
        for line in f:
            key, what, seconds = line.rstrip("\n").split("\t")
            steps.append((key, what, float(seconds)))

    o = compare["outputs"][0]
    res = synth["resources"]
    timing = synth.get("timing") or {}
    rows = [
        ("model", label),
        ("precision", "%s (Model, %s); output %s" % (model_precision(config), config, o["type"])),
        ("agreement with float", "argmax %d/%d (%.1f%%), max |diff| %.4f" %
         (o["argmax_agree"], compare["samples"], 100 * o["argmax_agreement"], o["max_abs_diff"])),
        ("overflows in the emulator", "%d wraps, %d saturations" %
         (sum(l["wraps"] for l in compare["layers"]),
          sum(l["saturations"] for l in compare["layers"]))),
        ("HLS C-sim (g++)", "%d/%d bit-exact" % (csim["passed"], csim["passed"] + csim["failed"])),
        ("Verilog sim (Verilator)", "%d/%d bit-exact" % (sim["passed"], sim["passed"] + sim["failed"])),
        ("latency, II (measured)", "%d cycles, II %d" % (sim["latency_cycles"], sim["ii_cycles"])),
        ("LUT / FF / DSP / BRAM18", "%d / %d / %d / %d" %
         (res["lut"], res["ff"], res["dsp"], res["bram18"])),
    ]
    if timing:
        rows.append(("logic depth, Fmax (estimate)", "%d LUT levels, %.2f ns, %.0f MHz" %
                     (timing["logic_levels"], timing["critical_path_ns"], timing["fmax_mhz"])))
    if "pruned" in label:
        # DOMAIN.md's reference figures for the same network, 70% pruned, <16,6>, R=1, 200 MHz.
        rows.append(("hls4ml, published (2018)", "~36k LUT / ~53k FF / 954 DSP / 13 BRAM, "
                     "~15 cycles (75 ns) on Kintex UltraScale"))
    width = max(len(k) for k, _ in rows)
    print("Summary")
    for k, v in rows:
        print("  %-*s  %s" % (width, k, v))
    print()
    print("Time per step (s)")
    for key, what, seconds in steps:
        print("  %-8s %7.2f  %s" % (key, seconds, what))
    print()
    print("Artifacts in %s/: ir/ (IR + resolved config), predictions_*.txt, hls/ (HLS project), "
          "verilog/ (RTL, sim_build/, synth/), logs/" % out)


if __name__ == "__main__":
    main()
