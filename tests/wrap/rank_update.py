#!/usr/bin/python3
"""tests/wrap/rank_update.py -- where -O3 applies rank-update-to-matmul
(passes/rank_update.c, docs/transformations.md).

tests/diff/rank_update.py holds loops of rank-1 updates that the pipeline
must turn into one product each and loops it must leave alone; the
differential tests check all of them against NumPy, this script that the
pipeline transforms exactly the first ones: syrk's product is one matrix
times its own transpose (?syrk, or the tiled loops' triangle), syr2k's two
pairs make one product read twice. Usage: rank_update.py DFC (from the
repository root); prints the failures and exits 1 if any.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/rank_update.py"
APPLIES = {"syrk", "syr2k", "full_rows", "upper", "offsets", "single", "transposed"}
REFUSED = {"writes_operand", "squared", "k_follows_row", "col_by_row", "k_in_branch"}


def main():
    dfc = os.path.abspath(sys.argv[1])
    progs = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    if set(progs) != APPLIES | REFUSED:
        kit.fail("the kernels of %s are %s" % (SRC, sorted(progs)))
    for name, text in progs.items():
        applied = "applied rank-update-to-matmul at " in text
        if applied != (name in APPLIES):
            kit.fail("%s: rank-update-to-matmul %s at -O3" %
                     (name, "applied" if applied else "did not apply"))
        products = text.count("library matmul (blas)")
        if name in APPLIES and products != 1:
            kit.fail("%s: %d BLAS products, not 1" % (name, products))
    if "prod[_i0, i]" not in progs.get("syr2k", ""):
        kit.fail("syr2k: the map does not read the product transposed")
    with tempfile.TemporaryDirectory() as tmp:
        c = kit.emit_c(dfc, SRC, tmp)
    body = kit.function(c, "syrk") or ""
    if "cblas_dsyrk(" not in body or "true, &dfch->buf[" not in body:
        kit.fail("syrk: the product is not computed as a triangle (cblas_dsyrk and the "
                 "tiled loops' sym argument)")
    return kit.report()


if __name__ == "__main__":
    sys.exit(main())
