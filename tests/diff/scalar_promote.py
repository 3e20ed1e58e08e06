"""Scalar-scalar promotion in NumPy 1.24: elements of float32/int32 arrays
combined with Python scalars use ordinary promotion (float32 element + 1.0
is float64, int32 element + 1 is int64), while a 0-d value combined with an
array keeps the array's dtype."""
import numpy as np

# dfc-test: sizes N=5 | N=2


# dfc: f32_elem_plus(x: float32[N])
def f32_elem_plus(x):
    """float32 element + 1.0 is float64."""
    return x[0] + 1.0


# dfc: f32_elem_times_int(x: float32[N])
def f32_elem_times_int(x):
    """float32 element * 2 is float64."""
    return x[0] * 2


# dfc: f32_sum_plus(x: float32[N])
def f32_sum_plus(x):
    """A float32 sum + 1.0 is float64."""
    return np.sum(x) + 1.0


# dfc: f32_acc(x: float32[N])
def f32_acc(x):
    """0.0 accumulating float32 elements stays float64."""
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
    return s


# dfc: f32_elem_elem(x: float32[N])
def f32_elem_elem(x):
    """float32 element * float32 element stays float32."""
    return x[0] * x[1]


# dfc: i32_elem_plus(a: int32[N])
def i32_elem_plus(a):
    """int32 element + 1 is int64."""
    return a[0] + 1


# dfc: i32_elem_float(a: int32[N])
def i32_elem_float(a):
    """int32 element * 1.5 is float64."""
    return a[0] * 1.5


# dfc: i32_sum(a: int32[N])
def i32_sum(a):
    """An int32 max + 1 is int64."""
    return np.max(a) + 1


# dfc: f32_store_scalar(x: float32[N])
def f32_store_scalar(x):
    """A float64 scalar stored into a float32 array is rounded."""
    y = np.zeros_like(x)
    y[0] = x[0] + 1.0
    return y


# dfc: f32_scalar_in_array_expr(x: float32[N])
def f32_scalar_in_array_expr(x):
    """A float64 0-d value times a float32 array stays float32."""
    s = x[0] + 1.0
    return x * s
