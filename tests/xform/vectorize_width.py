"""vectorize with and without a width: the elementwise map gets
`omp simd simdlen(8)` on its inner loop, and the one-dimensional sum
becomes `parallel for simd` with its reduction clause."""
import numpy as np

# dfc-test: script tests/xform/vectorize_width.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=37,M=29


# dfc: axpy2(a: float64[N, M], b: float64[N, M], x: float64[M])
def axpy2(a, b, x):
    c = 2.0 * a + b * x
    s = np.sum(x)
    return c, s
