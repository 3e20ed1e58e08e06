"""dead-dataflow-elimination of whole states, backwards: nothing reads the
column means m, so their state is emptied; then nothing reads the sums, so
the accumulation (a write with WCR is no read) and then the fill go too.
Both containers disappear; the emptied states stay."""
import numpy as np

# dfc-test: script tests/xform/dead_dataflow_state.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=9,M=20


# dfc: leftover(A: float64[N, M])
def leftover(A):
    m = np.mean(A, axis=0)
    return A * 2.0
