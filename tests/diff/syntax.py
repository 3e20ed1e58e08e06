"""Lexical and syntactic forms: integer literals in hex/binary/octal with
underscores, float literals without digits on one side, semicolons,
one-line if/else, backslash continuations, comments inside parentheses,
double negation, power precedence, a non-ASCII identifier, conditional
expressions."""
import numpy as np

# dfc-test: sizes N=5 | N=3


# dfc: lex(x: float64[N])
def lex(x):
    """Every form at once; the values only need to match NumPy's."""
    a = 0xFF + 0b101 + 0o17 + 1_000; b = 1. + .5 + 1E-3
    c = x * a + \
        b
    if a > 3: d = - - c
    else: d = c
    e = 2 ** -x ** 2 + (not not (a > 1))
    f = (x  # comment
         + 1.0)
    π = 3.0
    g = x * π
    h = x[  1  :  -1  ]
    pass
    return d, e, f, g, h, c if a > 0 else b
