"""The notebook-style example runs and writes its plot."""

import os
import subprocess
import sys

from conftest import SOURCE


def test_notebook_example_runs(tmp_path):
    script = os.path.join(SOURCE, "examples", "python", "jet_tagger_notebook.py")
    r = subprocess.run([sys.executable, script, "--out", str(tmp_path)], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert "argmax agreement" in r.stdout
    assert os.path.getsize(tmp_path / "jet_tagger_fixed_minus_float.png") > 1000
