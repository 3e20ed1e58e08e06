"""bench/classes.py -- which kernels are held against which machine limit.

A kernel named here as "memory" (elementwise chains, stencils, reductions,
matrix-vector products) has its achieved bandwidth reported as a fraction of
the STREAM triad: the bytes it must move at least -- its array arguments
read once, plus the arguments it changes and the arrays it returns written
once (no temporaries, no write-allocate traffic, as STREAM counts) -- times
SWEEPS, divided by its time. SWEEPS counts the passes the data flow forces
(a time loop's steps; gemver's matrix, read again after its update); they
count only when the arrays pass the last-level cache, since below it only
the first pass must come from memory (bench/worker.py memory_work: a time
loop on such a working set is class "cache", held against no limit). A
product that one pass can fuse (atax: A x, then A^T of it, row by row) is
one sweep. A "matmul" kernel has FLOPS floating-point operations and is
reported as a fraction of OpenBLAS dgemm's GFLOP/s, or of sgemm's for
what it computes in float32 (MATMUL_PRECISION). Every other kernel is
"compute" (recurrences, dynamic programming, solvers, loops of scalars, and
the elementwise kernels in TRANSCENDENTAL, whose exp, log, tanh, pow or
arctan2 per element cost more than the element's bytes: held against
triad, they would show a few percent of it that says nothing about memory)
and held against no limit.

SWEEPS and FLOPS are Python expressions over the kernel's size symbols, its
scalar arguments and `result` (its return value). Keys are "stem:kernel",
the stem being the kernel file's name without ".py".
"""

MEMORY = {
    # samples/
    "heat1d:heat1d": "steps",
    "jacobi2d:jacobi2d": "2 * result",
    "matvec:gemv": None,
    "matvec:atax": None,
    "power:power_iteration": "iters",
    # the mean, then the squared deviations from it, then the result: X is
    # read three times and the result written once, 4|X| bytes, twice the
    # |X| + |result| counted once (NumPy's two-pass variance; one pass
    # would need another algorithm and its other rounding)
    "standardize:standardize": "2",
    "stencil5:stencil5": "T",
    # tests/corpus/stencils.py
    "stencils:jacobi_1d": "TSTEPS - 1",
    "stencils:jacobi_2d": "TSTEPS - 1",
    "stencils:heat_3d": "TSTEPS - 1",
    "stencils:fdtd_2d": "TSTEPS",
    "stencils:hdiff": None,
    "stencils:wave_2d": "TSTEPS",
    # tests/corpus/linalg.py: matrix-vector products read the matrix once
    "linalg:atax": None,
    "linalg:bicg": None,
    "linalg:gesummv": None,
    "linalg:mvt": None,
    "linalg:gemver": "1.5",
    "linalg:frobenius": None,
    # tests/corpus/stats.py and image.py; a mean, then deviations from it:
    # the inputs read twice (zscore as standardize; linregress's x and y
    # three times, the residuals written once: 7n of 3n bytes)
    "stats:zscore": "2",
    "stats:weighted_moments": "2",
    "stats:linregress": "7 / 3",
    "stats:moments": "2",
    "stats:welch_t": "2",
    "image:gaussian_blur": None,
    "image:box_blur": None,
    "image:rgb_to_gray": None,
    "image:downsample2x": None,
    "image:upsample2x": None,
    # the mean, then the comparison with it: img read twice and the bool
    # mask written once, (2 * 8 + 1) of the (8 + 1) bytes per pixel counted
    "image:threshold": "17 / 9",
    # tests/corpus/ml.py and single.py
    "ml:maxpool": None,
    "ml:avgpool_global": None,
    # the mean over all but the channels, then the deviations from it, then
    # the result: x read three times and the result written once, as
    # standardize (each statistic needs the whole array before the next)
    "ml:batchnorm": "2",
    "ml:layernorm": None,
    "single:jacobi32": "steps",
    "single:saxpy": None,
    "single:mixed_precision": None,
}

# Elementwise, but bound by their transcendental functions: "compute".
TRANSCENDENTAL = {
    "elementwise:gelu": "tanh",
    "elementwise:lennard_jones": "a division and a sixth power",
    "elementwise:softplus": "exp and log",
    "softmax:softmax": "exp",
    "stats:logsumexp": "exp",
    "image:sobel": "sqrt and arctan2",
    "image:gamma_correct": "pow",
    "ml:softmax": "exp",
    "ml:activations": "tanh, exp and log1p",
    "single:softmax32": "exp",
}

MATMUL = {
    "gemm:gemm": "2 * N * M * K",
    "linalg:gemm": "2 * N * M * K",
    "linalg:syrk": "N * N * M",
    "linalg:syr2k": "2 * N * N * M",
    "linalg:k2mm": "2 * N * K * L + 2 * N * L * M",
    "linalg:k3mm": "2 * N * K * M + 2 * N * M * P + 2 * N * P * L",
    "linalg:doitgen": "2 * N * M * K * K",
    "linalg:gram": "2 * N * M * M",
    "ml:attention": "2 * S * S * D + 2 * S * S * E",
    "ml:mlp": "2 * N * (D * E + E * S + S * T)",
    "single:sgemm": "2 * N * M * K",
}


# The precision of a matmul kernel's FLOPS, held against dgemm's rate
# (float64) and sgemm's (float32): (share computed in float64, share in
# float32) of FLOPS; the limit's time is FLOPS * (f64 / dgemm + f32 /
# sgemm). Kernels not listed are (1, 0). single:sgemm does its product
# twice, in float64 (the accuracy reference it returns) and in float32.
MATMUL_PRECISION = {
    "single:sgemm": (1.0, 1.0),
}


def matmul_precision(stem, name):
    """(float64 share, float32 share) of a matmul kernel's FLOPS."""
    return MATMUL_PRECISION.get("%s:%s" % (stem, name), (1.0, 0.0))


def kernel_class(stem, name):
    """("memory", sweeps expression or None), ("matmul", flops expression)
    or ("compute", None)."""
    key = "%s:%s" % (stem, name)
    if key in MATMUL:
        return "matmul", MATMUL[key]
    if key in MEMORY:
        return "memory", MEMORY[key]
    return "compute", None
