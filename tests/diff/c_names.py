"""Python names that collide with C keywords, C library names, size symbols
and the compiler's own temporaries."""
import numpy as np

# dfc-test: sizes N=6 | N=1


# dfc: cnames(x: float64[N])
def cnames(x):
    """Locals named like C keywords, libm functions and libc macros."""
    double = x * 2.0
    exp = np.exp(x)
    sqrt = 3.0
    auto = double + exp * sqrt
    static = np.sum(auto)
    NULL = 1
    errno = 2
    main = NULL + errno
    restrict = x.copy()
    restrict[0] = static
    printf = restrict * main
    return printf, np.sqrt(static)


# dfc: cnames2(a: float64[N], b: float64[N])
def cnames2(a, b):
    """Locals named int, char, long, unsigned (a loop variable)."""
    int = a
    char = b
    long = int + char
    for unsigned in range(3):
        long = long * 0.5
    return long


# dfc: local_names(x: float64[N])
def local_names(x):
    """Locals named like the temporaries dfc makes (tmp, ret, ret0, _)."""
    dfc_tmp = x + 1.0
    tmp = dfc_tmp * 2.0
    tmp_1 = tmp + 1.0
    ret = tmp_1 + tmp
    ret0 = ret * 2.0
    _ = 5.0
    __x = x * _
    return ret0, ret, __x, tmp


# dfc: N_names(x: float64[N])
def N_names(x):
    """Locals named like size symbols (N, M) of the signature."""
    N = x.shape[0]
    M = N + 1
    y = np.zeros(M)
    y[:N] = x
    return y
