#!/usr/bin/python3
"""tests/wrap/replay.py -- a dump's history replays to the same IR.

A small kernel (KERNEL, written to a temporary directory) is built with a
recipe of two steps: map-tiling with a list parameter, then state-fusion at
two sites. The dump's history must hold both steps, and `DFC transform
--replay DIR/blur.yaml` (to stdout, and with -o) must reproduce
DIR/blur.yaml byte for byte. Copies of the dump whose history names an unknown
transformation, an unknown site, or an unknown one of two sites must make
the replay fail with exit status 1, a message naming what is wrong, and no
output file. Usage: replay.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import subprocess
import sys
import tempfile

KERNEL = """\
import numpy as np


# dfc: blur(a: float64[N, M])
def blur(a):
    t = a * 2.0
    u = t[1:, :] + t[:-1, :]
    return u
"""
RECIPE = """\
- apply: map-tiling
  at: map_L7
  tile: [8, 3]
- apply: state-fusion
  at: [state_L6, state_L7]
"""
HISTORY = [
    "  - {transformation: map-tiling, site: map_L7, params: \"{tile: [8, 3]}\"}",
    "  - {transformation: state-fusion, site: 'state_L6, state_L7', params: \"\"}",
]


def run(dfc, *args):
    return subprocess.run([dfc] + list(args), capture_output=True, timeout=120)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def build(dfc, tmp):
    kernel = write(os.path.join(tmp, "blur.py"), KERNEL)
    recipe = write(os.path.join(tmp, "recipe.yaml"), RECIPE)
    outdir = os.path.join(tmp, "out")
    r = run(dfc, "build", kernel, "--script", recipe, "-o", outdir)
    if r.returncode != 0:
        sys.exit(f"dfc build blur.py --script failed ({r.returncode}):\n{r.stderr.decode()}")
    with open(os.path.join(outdir, "blur.yaml"), "rb") as f:
        return os.path.join(outdir, "blur.yaml"), f.read()


def check_history(dump):
    lines = dump.decode().splitlines()
    at = lines.index("  history:") if "  history:" in lines else -1
    assert at >= 0, "the dump has no history"
    assert lines[at + 1:at + 3] == HISTORY, "history:\n" + "\n".join(lines[at + 1:])


def check_replay(dfc, path, dump, tmp):
    r = run(dfc, "transform", "--replay", path)
    assert r.returncode == 0, f"replay failed ({r.returncode}):\n{r.stderr.decode()}"
    assert r.stdout == dump, "the replay (stdout) differs from the dump"
    out = os.path.join(tmp, "replayed.yaml")
    r = run(dfc, "transform", "--replay", path, "-o", out)
    assert r.returncode == 0, f"replay -o failed ({r.returncode}):\n{r.stderr.decode()}"
    with open(out, "rb") as f:
        assert f.read() == dump, "the replay (-o) differs from the dump"


def expect_refused(dfc, tmp, name, dump, old, new, needle):
    """A copy of dump with old replaced by new (once) must not replay."""
    text = dump.decode()
    assert text.count(old) == 1, f"{name}: '{old}' is not in the dump once"
    path = write(os.path.join(tmp, name + ".yaml"), text.replace(old, new))
    out = os.path.join(tmp, name + ".out.yaml")
    r = run(dfc, "transform", "--replay", path, "-o", out)
    err = r.stderr.decode()
    assert r.returncode == 1, f"{name}: exit status {r.returncode}, expected 1:\n{err}"
    assert re.search(needle, err), f"{name}: stderr lacks /{needle}/:\n{err}"
    assert not os.path.exists(out), f"{name}: a failed replay wrote {out}"


def main():
    dfc = sys.argv[1] if len(sys.argv) > 1 else "build/dfc"
    with tempfile.TemporaryDirectory() as tmp:
        path, dump = build(dfc, tmp)
        check_history(dump)
        check_replay(dfc, path, dump, tmp)
        expect_refused(dfc, tmp, "unknown-xform", dump, "transformation: map-tiling",
                       "transformation: no-such-xform",
                       r"error: unknown transformation 'no-such-xform' in the history")
        expect_refused(dfc, tmp, "unknown-site", dump, "site: map_L7,", "site: map_L99,",
                       r"error: map-tiling cannot apply at map_L99: .*map_L99")
        expect_refused(dfc, tmp, "unknown-second-site", dump, "site: 'state_L6, state_L7'",
                       "site: 'state_L6, state_L77'",
                       r"error: state-fusion cannot apply at .*state_L77")


if __name__ == "__main__":
    main()
