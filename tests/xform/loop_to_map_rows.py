"""loop-to-map of a loop over rows whose body is one state holding a map
over the columns: the loop becomes the outer parallel map, the row map
nests inside it, and the memlets at the new boundary cover every row."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_rows.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=1,M=3 | N=0,M=4


# dfc: rows(A: float64[N, M], B: float64[N, M])
def rows(A, B):
    for i in range(A.shape[0]):
        B[i, :] = A[i, :] * 2.0
