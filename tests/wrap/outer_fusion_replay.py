#!/usr/bin/python3
"""tests/wrap/outer_fusion_replay.py -- outer-map-fusion and map-peeling
are listed by `dfc match` and replay from a dump's history.

`dfc match tests/xform/outer_fusion.py` must list the outer-map-fusion
site of the first two even-row maps; after the recipe of that test (dumped
with `dfc transform -o`), `dfc match` of the dump must list the
map-peeling site of the even columns' inner map. The -O3 build of
tests/corpus/image.py must record outer-map-fusion, map-peeling and
horizontal-map-fusion for upsample2x in its history, and `dfc transform
--replay` of that dump must reproduce it byte for byte. Usage:
outer_fusion_replay.py DFC (from the repository root); prints nothing and
exits 0 on success.
"""
import os
import subprocess
import sys
import tempfile


def run(dfc, *args):
    r = subprocess.run([dfc] + list(args), capture_output=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"dfc {' '.join(args)} failed ({r.returncode}):\n{r.stderr.decode()}")
    return r.stdout.decode()


def main(dfc):
    listed = run(dfc, "match", "tests/xform/outer_fusion.py").splitlines()
    assert "outer-map-fusion map_L15,map_L16" in listed, "\n".join(listed)
    with tempfile.TemporaryDirectory() as tmp:
        fused = os.path.join(tmp, "fused.yaml")
        run(dfc, "transform", "tests/xform/outer_fusion.py", "--script",
            "tests/xform/outer_fusion.recipe.yaml", "-o", fused)
        listed = run(dfc, "match", fused).splitlines()
        assert "map-peeling map_L15_inner" in listed, "\n".join(listed)
        out = os.path.join(tmp, "img")
        run(dfc, "build", "tests/corpus/image.py", "-o", out)
        path = os.path.join(out, "image.yaml")
        with open(path, "rb") as f:
            dump = f.read()
        text = dump.decode()
        for step in ("{transformation: outer-map-fusion, site: 'map_L119, map_L120'",
                     "{transformation: outer-map-fusion, site: 'map_L119, map_L121'",
                     "{transformation: map-peeling, site: map_L119_inner",
                     "{transformation: horizontal-map-fusion, site: "
                     "'map_L119_inner, map_L120_inner'"):
            assert step in text, f"the history of image.yaml lacks {step}"
        assert run(dfc, "transform", "--replay", path).encode() == dump, \
            "the replay differs from the dump"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
