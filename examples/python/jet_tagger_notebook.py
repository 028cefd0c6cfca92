# %% [markdown]
# # The jet tagger with firmnet, notebook style
# Loads the bundled jet tagger (examples/jet_tagger), converts it with its config, compares the
# bit-exact firmware emulation with the float64 reference, and plots the difference per class.
# Run it as a script (`/usr/bin/python3 examples/python/jet_tagger_notebook.py [--out DIR]`) or
# cell by cell in an editor that knows `# %%` cells. Needs `import firmnet` (README, "Python").

# %%
import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files, no display needed
import matplotlib.pyplot as plt
import numpy as np

import firmnet

here = os.path.dirname(os.path.abspath(__file__))
jet = os.path.join(here, "..", "jet_tagger")
parser = argparse.ArgumentParser()
parser.add_argument("--out", default=".", help="where the plot goes")
args, _ = parser.parse_known_args()
print("firmnet", firmnet.__version__, "(git %s)" % firmnet.__git_revision__)

# %% The model and its config (hls4ml-style YAML), and the test jets.
model = firmnet.convert(os.path.join(jet, "jet_tagger.onnx"),
                        config=os.path.join(jet, "config.yml"))
print(model)
print(model.summary())
x = np.load(os.path.join(jet, "inputs.npy"))
print("inputs", x.shape, x.dtype)

# %% Bit-exact firmware outputs and the float64 reference on the same graph.
y_fixed = model.predict(x)
y_float = model.predict_float(x)
report = model.compare(x)
for out in report["outputs"]:
    print("%s %s: max |diff| %.3g, mean |diff| %.3g, argmax agreement %.4f" % (
        out["name"], out["type"], out["max_abs_diff"], out["mean_abs_diff"],
        out["argmax_agreement"]))
overflows = {l["name"]: l["wraps"] + l["saturations"] for l in report["layers"]}
print("overflow events per layer:", {k: v for k, v in overflows.items() if v})

# %% The difference per class.
classes = ["g", "q", "W", "Z", "t"][: y_fixed.shape[1]]
diff = y_fixed - y_float
fig, axes = plt.subplots(1, len(classes), figsize=(3 * len(classes), 3), sharey=True)
for k, ax in enumerate(np.atleast_1d(axes)):
    ax.hist(diff[:, k], bins=50)
    ax.set_title("class %s" % classes[k])
    ax.set_xlabel("fixed - float")
axes[0].set_ylabel("jets")
fig.tight_layout()
path = os.path.join(args.out, "jet_tagger_fixed_minus_float.png")
fig.savefig(path, dpi=100)
print("wrote", path)
