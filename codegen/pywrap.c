/* codegen/pywrap.c — the Python module k.py that calls libk.so.
 *
 * The module needs only NumPy and ctypes. Each program becomes a function
 * with the source kernel's name and parameters (p->args order), plus
 * keyword-only parameters for the size symbols no argument carries. The
 * function checks every argument before the call, so a wrong call raises
 * TypeError/ValueError naming the argument instead of crashing:
 *   arrays    ndarray, exact dtype (no conversion), rank, C-contiguous,
 *             aligned, writeable when the program writes it;
 *   shapes    each symbol is bound from its CgSig source, then every other
 *             dimension is compared with the value of its expression,
 *             evaluated in Python from sym_print's text (valid Python);
 *   scalars   converted with float()/complex()/operator.index() to the
 *             ctypes type; bool only for bool; integers range-checked;
 *   symbols   integers >= 0;
 *   assumes   each precondition of p->assumes (EXPR >= 0 over the bound
 *             symbols, again sym_print's text) holds, else ValueError
 *             naming the source construct that needs it and the values.
 * Returns are allocated with _dfc_empty: np.empty, after the import has
 * made the C library keep freed blocks of up to 32 MiB for reuse
 * (dfcrt_malloc_keep), and for 32 MiB or more a block of the library's
 * pool (runtime/pool.c, dfcrt_result_alloc) held by a _DfcBlock, the
 * array's base, which gives it back to the pool when the array goes: a
 * large return does not land on fresh pages at every call; a 0-d return comes
 * back as a NumPy scalar, several as a tuple. A return of run-time size (CgSig.dynamic)
 * is allocated by the kernel: it comes back through a c_void_p and an
 * int64 extents array, and _dfc_take copies it into a new NumPy array and
 * frees the kernel's block (dfcrt_free), so nothing leaks. The call goes to kern_with on this thread's
 * handle of kern (a _DfcHandle in the threading.local _dfc_local, made by
 * the thread's first call, destroyed with the thread's locals): ctypes
 * releases the GIL, and a handle must never serve two threads at once.
 * The generated text is meant to be read.
 */
#include <string.h>

#include "codegen.h"

/* The comment and helpers at the top of every module; @MODULE@ and @LIB@
 * stand for the module name and the library's file name (a Python string
 * literal). */
static const char prelude[] =
"#\n"
"# Calls the kernels compiled into @LIBNAME@ (in this module's directory)\n"
"# through ctypes. Each function has the name and the parameters of its\n"
"# source kernel and returns what it returns; `import @MODULE@` is the only\n"
"# change a NumPy program needs. Before calling the compiled code, each\n"
"# function checks its arguments and raises, naming the argument:\n"
"#   - arrays must be numpy.ndarray objects of exactly the declared dtype\n"
"#     (TypeError; nothing is converted) and rank (ValueError), C-contiguous\n"
"#     and aligned (ValueError). Arrays a kernel writes are updated in place,\n"
"#     as in NumPy; they must be writeable and must not overlap another\n"
"#     array argument (ValueError);\n"
"#   - size symbols (N, M, ...) are bound from the first array dimension that\n"
"#     is exactly the symbol; every other dimension must agree (ValueError).\n"
"#     Symbols that no argument carries are keyword-only parameters;\n"
"#   - scalars are converted with float(), complex() or operator.index()\n"
"#     (TypeError if that fails; ValueError when out of the dtype's range);\n"
"#     bool parameters take only bools, other parameters no bools;\n"
"#   - symbol arguments are integers >= 0;\n"
"#   - the sizes meet the kernel's preconditions, such as N - 2 >= 0 for a\n"
"#     slice A[1:-1] (ValueError naming the construct that needs it).\n"
"# Returned arrays are new; a 0-d result is returned as a NumPy scalar,\n"
"# several results as a tuple. Calls release the GIL while the kernel runs.\n"
"# Each thread calls a kernel on a handle of its own, which keeps the\n"
"# kernel's temporary arrays between its calls (allocated once, grown when\n"
"# a call needs more), so threads may call the same kernel concurrently.\n"
"\n"
"import ctypes as _ct\n"
"import operator as _op\n"
"import os as _os\n"
"import threading as _threading\n"
"\n"
"import numpy as _np\n"
"\n"
"# libgomp, the OpenMP runtime that @LIBNAME@ loads with it, reads\n"
"# GOMP_SPINCOUNT then: how many rounds (pause instructions) a thread of a\n"
"# parallel loop spins at its end, waiting for the next loop, before it\n"
"# sleeps. Its default of 300000 keeps a core busy long after a loop, one\n"
"# that OpenBLAS's threads (NumPy's products, the kernels' own BLAS calls)\n"
"# then fight it for; 30000 rounds still span the gaps between a kernel's\n"
"# loops and between back-to-back calls. A value the user set\n"
"# (GOMP_SPINCOUNT, OMP_WAIT_POLICY) stands, and the environment is left as\n"
"# it was once the library is loaded (docs/cli.md).\n"
"_dfc_spin = not any(k in _os.environ for k in (\"GOMP_SPINCOUNT\", \"OMP_WAIT_POLICY\"))\n"
"if _dfc_spin:\n"
"    _os.environ[\"GOMP_SPINCOUNT\"] = \"30000\"\n"
"try:\n"
"    _lib = _ct.CDLL(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), @LIB@))\n"
"finally:\n"
"    if _dfc_spin:\n"
"        del _os.environ[\"GOMP_SPINCOUNT\"]\n"
"# Returned arrays must not land on fresh pages at every call (their page\n"
"# faults would cost more than many kernels): the C library keeps freed\n"
"# blocks of up to 32 MiB for reuse, and larger results come from the\n"
"# library's pool of kept blocks (runtime/pool.c).\n"
"_lib.dfcrt_malloc_keep.restype = None\n"
"_lib.dfcrt_malloc_keep()\n"
"_lib.dfcrt_result_alloc.argtypes = [_ct.c_size_t, _ct.POINTER(_ct.c_size_t)]\n"
"_lib.dfcrt_result_alloc.restype = _ct.c_void_p\n"
"_lib.dfcrt_result_free.argtypes = [_ct.c_void_p, _ct.c_size_t]\n"
"_lib.dfcrt_result_free.restype = None\n"
"_DFC_POOL_MIN = 32 << 20\n"
"# The dtypes of the checks, made once (numpy.dtype(\"float64\") takes\n"
"# 0.3 us a call).\n"
"_DFC_DT = {n: _np.dtype(n) for n in (\"bool\", \"int8\", \"int16\", \"int32\", \"int64\",\n"
"                                   \"uint8\", \"uint16\", \"uint32\", \"uint64\", \"float32\",\n"
"                                   \"float64\", \"complex64\", \"complex128\")}\n"
"\n"
"\n"
"class _c_complex64(_ct.Structure):\n"
"    # float _Complex is passed like this struct on x86-64 and AArch64\n"
"    _fields_ = [(\"re\", _ct.c_float), (\"im\", _ct.c_float)]\n"
"\n"
"\n"
"class _c_complex128(_ct.Structure):\n"
"    _fields_ = [(\"re\", _ct.c_double), (\"im\", _ct.c_double)]\n"
"\n"
"\n"
"class _DfcHandle:\n"
"    # One thread's handle of a kernel k (k_handle_create in @LIBNAME@): it\n"
"    # keeps the buffers of k's temporaries from one call to the next.\n"
"    # Destroyed with the thread's _dfc_local (when the thread ends) or at\n"
"    # exit.\n"
"    __slots__ = (\"ptr\", \"_destroy\")\n"
"\n"
"    def __init__(self, create, destroy):\n"
"        self.ptr = None\n"
"        self._destroy = destroy\n"
"        self.ptr = create()\n"
"\n"
"    def __del__(self):\n"
"        if self.ptr:\n"
"            self._destroy(self.ptr)\n"
"            self.ptr = None\n"
"\n"
"\n"
"# One handle per kernel and thread: calls release the GIL, so two threads\n"
"# must never share one.\n"
"_dfc_local = _threading.local()\n"
"\n"
"\n"
"def _dfc_handle(key, create, destroy):\n"
"    \"\"\"This thread's handle of a kernel (made by its first call here).\"\"\"\n"
"    h = getattr(_dfc_local, key, None)\n"
"    if h is None:\n"
"        h = _DfcHandle(create, destroy)\n"
"        setattr(_dfc_local, key, h)\n"
"    return h.ptr\n"
"\n"
"\n"
"class _DfcBlock:\n"
"    # A block of the library's pool holding one returned array, which has\n"
"    # it as its base: given back to the pool, for the next call's result,\n"
"    # when the array and its views are gone.\n"
"    __slots__ = (\"ptr\", \"cap\", \"_free\", \"__array_interface__\")\n"
"\n"
"    def __init__(self, shape, dtype, nbytes):\n"
"        self.ptr = None\n"
"        self._free = _lib.dfcrt_result_free\n"
"        cap = _ct.c_size_t()\n"
"        self.ptr = _lib.dfcrt_result_alloc(nbytes, _ct.byref(cap))\n"
"        if not self.ptr:\n"
"            raise MemoryError(f\"cannot allocate {nbytes} bytes for a result\")\n"
"        self.cap = cap.value\n"
"        self.__array_interface__ = {\"shape\": shape, \"typestr\": dtype.str,\n"
"                                    \"data\": (self.ptr, False), \"version\": 3}\n"
"\n"
"    def __del__(self):\n"
"        if self.ptr:\n"
"            self._free(self.ptr, self.cap)\n"
"            self.ptr = None\n"
"\n"
"\n"
"def _dfc_empty(shape, dtype):\n"
"    \"\"\"A new array, uninitialized as numpy.empty's; one of 32 MiB or more\n"
"    lives in a block of the library's pool.\"\"\"\n"
"    nbytes = dtype.itemsize\n"
"    for d in shape:\n"
"        nbytes *= d\n"
"    if not _DFC_POOL_MIN <= nbytes < 1 << 62:  # np.empty raises for absurd sizes\n"
"        return _np.empty(shape, dtype)\n"
"    return _np.asarray(_DfcBlock(shape, dtype, nbytes))\n"
"\n"
"\n"
"def _dfc_array(fn, name, a, dtype, ndim, sig, written):\n"
"    \"\"\"Checks array argument `name`; returns its data pointer.\"\"\"\n"
"    if not isinstance(a, _np.ndarray):\n"
"        raise TypeError(f\"{fn}(): argument '{name}' must be a numpy.ndarray \"\n"
"                        f\"of {dtype}, got {type(a).__name__}\")\n"
"    if a.dtype != dtype:\n"
"        raise TypeError(f\"{fn}(): argument '{name}' must have dtype {dtype} \"\n"
"                        f\"({sig}), got {a.dtype}\")\n"
"    if a.ndim != ndim:\n"
"        raise ValueError(f\"{fn}(): argument '{name}' must have {ndim} \"\n"
"                         f\"dimension{'s' if ndim != 1 else ''} ({sig}), \"\n"
"                         f\"got {a.ndim}\")\n"
"    flags = a.flags\n"
"    if not flags.c_contiguous:\n"
"        raise ValueError(f\"{fn}(): argument '{name}' must be C-contiguous \"\n"
"                         f\"(use numpy.ascontiguousarray)\")\n"
"    if not flags.aligned:\n"
"        raise ValueError(f\"{fn}(): argument '{name}' must be aligned\")\n"
"    if written and not flags.writeable:\n"
"        raise ValueError(f\"{fn}(): argument '{name}' is updated in place by \"\n"
"                         f\"{fn}() but is read-only\")\n"
"    return _dfc_addr(a)\n"
"\n"
"\n"
"_dfc_view = _ct.c_char.from_buffer\n"
"_dfc_addressof = _ct.addressof\n"
"\n"
"\n"
"def _dfc_addr(a):\n"
"    \"\"\"The address of the data of a, a C-contiguous ndarray: through ctypes's\n"
"    view of its buffer (0.5 us), which takes a writable array of one byte\n"
"    or more, else a.ctypes.data (1.6 us).\"\"\"\n"
"    try:\n"
"        return _dfc_addressof(_dfc_view(a))\n"
"    except (TypeError, ValueError, BufferError):\n"
"        return a.ctypes.data\n"
"\n"
"\n"
"def _dfc_overlap(fn, name, pa, a, other, pb, b):\n"
"    # a and b are C-contiguous: each spans nbytes from its address (pa, pb),\n"
"    # so this is numpy.may_share_memory(a, b), in 0.1 us instead of 0.6\n"
"    na, nb = a.nbytes, b.nbytes\n"
"    if na and nb and pa < pb + nb and pb < pa + na:\n"
"        raise ValueError(f\"{fn}(): argument '{name}' is updated in place and \"\n"
"                         f\"overlaps argument '{other}' (pass a copy)\")\n"
"\n"
"\n"
"def _dfc_shape_error(fn, name, shape, want, syms):\n"
"    with_ = \", \".join(f\"{s}={v} ({src})\" for s, v, src in syms)\n"
"    return ValueError(f\"{fn}(): argument '{name}' has shape {shape}, expected \"\n"
"                      f\"{want}\" + (f\" with {with_}\" if with_ else \"\"))\n"
"\n"
"\n"
"def _dfc_is_bool(v):\n"
"    return isinstance(v, (bool, _np.bool_))\n"
"\n"
"\n"
"def _dfc_bool(fn, name, v):\n"
"    if not _dfc_is_bool(v):\n"
"        raise TypeError(f\"{fn}(): argument '{name}' must be a bool, \"\n"
"                        f\"got {type(v).__name__}\")\n"
"    return bool(v)\n"
"\n"
"\n"
"def _dfc_int(fn, name, v, dtype, lo, hi):\n"
"    if not _dfc_is_bool(v):\n"
"        try:\n"
"            i = _op.index(v)\n"
"        except TypeError:\n"
"            pass\n"
"        else:\n"
"            if lo <= i <= hi:\n"
"                return i\n"
"            raise ValueError(f\"{fn}(): argument '{name}' = {i} is out of \"\n"
"                             f\"range for {dtype}\")\n"
"    raise TypeError(f\"{fn}(): argument '{name}' must be an integer ({dtype}), \"\n"
"                    f\"got {type(v).__name__}\")\n"
"\n"
"\n"
"def _dfc_float(fn, name, v, dtype):\n"
"    if type(v) is float:\n"
"        return v\n"
"    if not isinstance(v, (str, bytes, bytearray)) and not _dfc_is_bool(v):\n"
"        try:\n"
"            return float(v)\n"
"        except (TypeError, ValueError):\n"
"            pass\n"
"    raise TypeError(f\"{fn}(): argument '{name}' must be a real number \"\n"
"                    f\"({dtype}), got {type(v).__name__}\")\n"
"\n"
"\n"
"def _dfc_complex(fn, name, v, ctype):\n"
"    if not isinstance(v, (str, bytes, bytearray)) and not _dfc_is_bool(v):\n"
"        try:\n"
"            z = complex(v)\n"
"        except (TypeError, ValueError):\n"
"            pass\n"
"        else:\n"
"            return ctype(z.real, z.imag)\n"
"    raise TypeError(f\"{fn}(): argument '{name}' must be a number, \"\n"
"                    f\"got {type(v).__name__}\")\n"
"\n"
"\n"
"def _dfc_symbol(fn, what, v):\n"
"    \"\"\"A size symbol: an int >= 0 that fits int64.\"\"\"\n"
"    if not _dfc_is_bool(v):\n"
"        try:\n"
"            i = _op.index(v)\n"
"        except TypeError:\n"
"            pass\n"
"        else:\n"
"            if 0 <= i < 2**63:\n"
"                return i\n"
"            raise ValueError(f\"{fn}(): {what} must be >= 0 (and < 2**63), \"\n"
"                             f\"got {i}\")\n"
"    raise TypeError(f\"{fn}(): {what} must be an integer, got {type(v).__name__}\")\n"
"\n"
"\n"
"def _dfc_assume_error(fn, cond, where, syms):\n"
"    \"\"\"A precondition cond of fn, needed by the construct at where, fails.\"\"\"\n"
"    vals = \", \".join(f\"{s}={v}\" for s, v in syms)\n"
"    return ValueError(f\"{fn}(): this kernel was compiled for {cond}\"\n"
"                      + (f\" (needed by {where})\" if where else \"\")\n"
"                      + (f\", but {vals}\" if vals else \", which never holds\"))\n";

/* A Python string literal for s. */
static char *
py_string(Ctx *ctx, const char *s)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_putc(&sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_printf(&sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(&sb, "\\x%02x", c);
		else
			sb_putc(&sb, (char)c);
	}
	sb_putc(&sb, '"');
	return (char *)sb_str(&sb);
}

/* The prelude with its placeholders replaced. */
static void
put_prelude(Ctx *ctx, StrBuf *sb, const char *module, const char *libname)
{
	static const char *const keys[] = { "@MODULE@", "@LIBNAME@", "@LIB@" };
	const char *val[3] = { cg_safe_text(ctx, module), cg_safe_text(ctx, libname),
			       py_string(ctx, libname) };
	for (const char *q = prelude; *q;) {
		int k = -1;
		for (int i = 0; i < 3 && k < 0; i++)
			if (strncmp(q, keys[i], strlen(keys[i])) == 0)
				k = i;
		if (k < 0) {
			sb_putc(sb, *q++);
			continue;
		}
		sb_puts(sb, val[k]);
		q += strlen(keys[k]);
	}
}

/* The ctypes type of a scalar of dtype t. */
static const char *
ctypes_name(DType t)
{
	static const char *const names[DT_COUNT] = {
		[DT_BOOL] = "_ct.c_bool",       [DT_INT8] = "_ct.c_int8",
		[DT_INT16] = "_ct.c_int16",     [DT_INT32] = "_ct.c_int32",
		[DT_INT64] = "_ct.c_int64",     [DT_UINT8] = "_ct.c_uint8",
		[DT_UINT16] = "_ct.c_uint16",   [DT_UINT32] = "_ct.c_uint32",
		[DT_UINT64] = "_ct.c_uint64",   [DT_FLOAT32] = "_ct.c_float",
		[DT_FLOAT64] = "_ct.c_double",  [DT_COMPLEX64] = "_c_complex64",
		[DT_COMPLEX128] = "_c_complex128",
	};
	if ((unsigned)t >= DT_COUNT)
		ICE("bad dtype %d", (int)t);
	return names[t];
}

/* Python expression converting scalar argument `name` of dtype t. */
static char *
scalar_convert(Ctx *ctx, const char *fn, const char *name, DType t)
{
	Arena *A = ctx->arena;
	const char *dn = dtype_name(t);
	if (t == DT_BOOL)
		return arena_printf(A, "_dfc_bool(\"%s\", \"%s\", %s)", fn, name, name);
	if (dtype_is_float(t))
		return arena_printf(A, "_dfc_float(\"%s\", \"%s\", %s, \"%s\")", fn, name,
				    name, dn);
	if (dtype_is_complex(t))
		return arena_printf(A, "_dfc_complex(\"%s\", \"%s\", %s, %s)", fn, name, name,
				    ctypes_name(t));
	int bits = 8 * dtype_size(t);
	if (dtype_is_unsigned(t))
		return arena_printf(A, "_dfc_int(\"%s\", \"%s\", %s, \"%s\", 0, 2**%d - 1)", fn,
				    name, name, dn, bits);
	return arena_printf(A, "_dfc_int(\"%s\", \"%s\", %s, \"%s\", -2**%d, 2**%d - 1)", fn,
			    name, name, dn, bits - 1, bits - 1);
}

/* The ctypes prototypes of kern's handle API, then kern_with.argtypes =
 * [handle, ...] in ABI order. */
static void
put_argtypes(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const char *fn = s->p->name;
	sb_printf(sb, "_lib.%s_handle_create.argtypes = []\n"
		  "_lib.%s_handle_create.restype = _ct.c_void_p\n"
		  "_lib.%s_handle_destroy.argtypes = [_ct.c_void_p]\n"
		  "_lib.%s_handle_destroy.restype = None\n", fn, fn, fn, fn);
	sb_printf(sb, "_lib.%s_with.argtypes = [_ct.c_void_p", fn);
	int n = 1;
	for (int i = 0; i < s->nargs; i++, n++) {
		const IrContainer *c = s->arg[i];
		sb_printf(sb, "%s%s", n ? ", " : "",
			  !c ? "_ct.c_int64" : c->ndim ? "_ct.c_void_p" : ctypes_name(c->dtype));
	}
	for (int i = 0; i < s->nret; i++, n++)
		sb_puts(sb, s->dynamic[i] ? ", _ct.POINTER(_ct.c_void_p), _ct.POINTER(_ct.c_int64)"
					  : ", _ct.c_void_p");
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, "%s_ct.c_int64", n++ ? ", " : "");
	sb_printf(sb, "]\n_lib.%s_with.restype = None\n", fn);
}

/* def kern(A, x, alpha, *, N): and the docstring. */
static void
put_def(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const IrProgram *p = s->p;
	sb_printf(sb, "\n\ndef %s(", p->name);
	for (int i = 0; i < s->nargs; i++)
		sb_printf(sb, "%s%s", i ? ", " : "", p->args.data[i].name);
	bool star = false;
	for (int i = 0; i < s->nbind; i++) {
		if (s->bind[i].kind != CG_BIND_KEYWORD)
			continue;
		sb_printf(sb, "%s%s", s->nargs || star ? ", " : "", star ? "" : "*, ");
		sb_puts(sb, s->bind[i].name);
		star = true;
	}
	sb_printf(sb, "):\n    \"\"\"%s", cg_sig_text(ctx, s));
	if (p->loc.file && p->loc.line > 0)
		sb_printf(sb, "\n\n    Compiled from %s:%d.", cg_safe_text(ctx, p->loc.file),
			  p->loc.line);
	for (int i = 0; i < s->nargs; i++)
		if (s->written[i])
			sb_printf(sb, "\n    Updates '%s' in place.", p->args.data[i].name);
	if (star)
		sb_puts(sb, "\n    Keyword-only: size symbols no argument's shape gives.");
	sb_puts(sb, "\n    \"\"\"\n");
}

/* Checks and converts each argument, in order. */
static void
put_arg_checks(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const char *fn = s->p->name;
	for (int i = 0; i < s->nargs; i++) {
		const char *name = s->p->args.data[i].name;
		const IrContainer *c = s->arg[i];
		if (!c)
			sb_printf(sb, "    %s = _dfc_symbol(\"%s\", \"argument '%s'\", %s)\n", name,
				  fn, name, name);
		else if (c->ndim == 0)
			sb_printf(sb, "    %s = %s\n", name, scalar_convert(ctx, fn, name, c->dtype));
		else
			sb_printf(sb, "    _dfc_%s = _dfc_array(\"%s\", \"%s\", %s, _DFC_DT[\"%s\"], "
				  "%d, \"%s\", %s)\n", name, fn, name, name, dtype_name(c->dtype),
				  c->ndim, cg_sig_type(ctx, c), s->written[i] ? "True" : "False");
	}
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind == CG_BIND_KEYWORD)
			sb_printf(sb, "    %s = _dfc_symbol(\"%s\", \"size symbol '%s'\", %s)\n",
				  s->bind[i].name, fn, s->bind[i].name, s->bind[i].name);
}

/* N, M = A.shape when every dimension of A binds a symbol; else one
 * assignment per binding dimension. */
static void
put_bindings(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	for (int i = 0; i < s->nargs; i++) {
		const IrContainer *c = s->arg[i];
		if (!c || c->ndim == 0)
			continue;
		const char *name = s->p->args.data[i].name;
		if (c->ndim > 1 && !cg_sig_checks_arg(s, i)) {
			sb_puts(sb, "    ");
			for (int d = 0; d < c->ndim; d++)
				sb_printf(sb, "%s%s", d ? ", " : "", c->shape[d]->name);
			sb_printf(sb, " = %s.shape\n", name);
			continue;
		}
		for (int d = 0; d < c->ndim; d++)
			if (cg_sig_binds_dim(s, i, d))
				sb_printf(sb, "    %s = %s.shape[%d]\n", c->shape[d]->name, name, d);
	}
}

typedef struct VarList {
	Ctx *ctx;
	const CgSig *s;
	StrBuf *sb;
	int n;
	const char **seen;
} VarList;

/* Adds ("N", N, "from argument 'A'") for each new variable. */
static void
put_var(const char *name, void *ud)
{
	VarList *v = ud;
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->seen[i], name) == 0)
			return;
	v->seen[v->n++] = name;
	sb_printf(v->sb, "(\"%s\", %s, \"%s\"), ", name, name,
		  cg_sig_source(v->ctx, v->s, cg_sig_bind(v->s, name)));
}

/* if x.shape != (M,): raise ... */
static void
put_shape_check(Ctx *ctx, StrBuf *sb, const CgSig *s, int i)
{
	const IrContainer *c = s->arg[i];
	const char *name = s->p->args.data[i].name, *want = cg_sig_shape(ctx, c);
	sb_printf(sb, "    if %s.shape != %s:\n", name, want);
	sb_printf(sb, "        raise _dfc_shape_error(\"%s\", \"%s\", %s.shape, \"%s\", (", s->p->name,
		  name, name, want);
	VarList v = { ctx, s, sb, 0, arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nbind + 1)) };
	for (int d = 0; d < c->ndim; d++)
		sym_foreach_var(c->shape[d], put_var, &v);
	if (v.n)
		sb->len -= 2, sb->buf[sb->len] = '\0';
	sb_puts(sb, v.n == 1 ? ",))\n" : "))\n");
}

/* Adds the variable name to the list v (v->seen has room for v->s->nbind
 * names: assumptions mention only bound symbols). */
static void
add_var(const char *name, void *ud)
{
	VarList *v = ud;
	if (!cg_sig_bind(v->s, name))
		ICE("precondition of '%s' over unbound symbol '%s'", v->s->p->name, name);
	v->seen[v->n++] = name;
}

/* if N - 2 < 0: raise _dfc_assume_error(...), for each precondition, in
 * the order the frontend recorded them. */
static void
put_assume_checks(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	const IrProgram *p = s->p;
	for (int i = 0; i < p->assumes.len; i++) {
		const IrAssume *a = &p->assumes.data[i];
		const char *e = sym_print(ctx->arena, a->expr);
		sb_printf(sb, "    if %s < 0:\n        raise _dfc_assume_error(\"%s\", %s, %s, (", e,
			  p->name, py_string(ctx, arena_printf(ctx->arena, "%s >= 0", e)),
			  py_string(ctx, cg_loc_text(ctx, a->loc, true)));
		VarList v = { ctx, s, sb, 0,
			      arena_alloc(ctx->arena, sizeof(char *) * (size_t)(s->nbind + 1)) };
		sym_foreach_var(a->expr, add_var, &v);
		for (int k = 0; k < v.n; k++)
			sb_printf(sb, "%s(\"%s\", %s)", k ? ", " : "", v.seen[k], v.seen[k]);
		sb_puts(sb, v.n == 1 ? ",))\n" : "))\n");
	}
}

/* A written array must not share memory with another array argument: the
 * C code takes them as restrict pointers. */
static void
put_overlap_checks(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	for (int i = 0; i < s->nargs; i++) {
		if (!s->written[i])
			continue;
		for (int j = 0; j < s->nargs; j++) {
			if (j == i || !s->arg[j] || s->arg[j]->ndim == 0 || (s->written[j] && j < i))
				continue;
			const char *a = s->p->args.data[i].name, *b = s->p->args.data[j].name;
			sb_printf(sb, "    _dfc_overlap(\"%s\", \"%s\", _dfc_%s, %s, \"%s\", _dfc_%s, %s)\n",
				  s->p->name, a, a, a, b, b, b);
		}
	}
}

/* After each call, the query of what the library recorded since the
 * last one (<module>_<kind>_error, codegen/openmp/emit.c):
 * _dfc_<kind>_check(fn) runs `raise`, a statement over fn and the record
 * e, when there was something. */
static void
put_fail_check(StrBuf *sb, const IrModule *m, const char *kind, const char *raise)
{
	sb_printf(sb, "\n_lib.%s_%s_error.argtypes = [_ct.POINTER(_ct.c_int64)]\n"
		  "_lib.%s_%s_error.restype = _ct.c_int64\n\n\n"
		  "def _dfc_%s_check(fn):\n"
		  "    e = (_ct.c_int64 * 5)()\n"
		  "    if _lib.%s_%s_error(e):\n%s", m->name, kind, m->name, kind, kind, m->name,
		  kind, raise);
}

/* --boundscheck: the first data-dependent index out of bounds raises
 * IndexError as NumPy would; a module with FITS tests (ops.def): the
 * first integer that did not fit the dtype the kernel was compiled for
 * raises ValueError, as the wrapper's own checks of sizes do. */
static void
put_fail_checks(Ctx *ctx, StrBuf *sb, const IrModule *m)
{
	const char *src = py_string(ctx, m->source && *m->source ? m->source : m->name);
	if (ctx->opt.boundscheck)
		put_fail_check(sb, m, "index", arena_printf(ctx->arena,
			"        raise IndexError(\"%%s(): index %%d is out of bounds for axis %%d with \"\n"
			"                         \"size %%d (%%s:%%d:%%d)\" %% (fn, e[2], e[3], e[4], %s, "
			"e[0], e[1]))\n", src));
	if (ir_module_uses_op(m, OP_FITS))
		put_fail_check(sb, m, "value", arena_printf(ctx->arena,
			"        raise ValueError(\"%%s(): this kernel was compiled for an integer in \"\n"
			"                         \"[%%d, %%d] at %%s:%%d:%%d, the range of the array's \"\n"
			"                         \"dtype (NumPy would type the result by the value), \"\n"
			"                         \"but it was %%d\" %% (fn, e[3], e[4], %s, e[0], e[1], "
			"e[2]))\n", src));
}

/* --instrument: dfc_trace_flush() writes the timings recorded so far to
 * the trace file (libdfcrt writes them at exit in any case). */
static void
put_trace_flush(StrBuf *sb)
{
	sb_puts(sb, "\n_lib.dfcrt_trace_flush.argtypes = [_ct.c_char_p, _ct.c_size_t]\n"
		"_lib.dfcrt_trace_flush.restype = _ct.c_int\n"
		"_lib.dfcrt_trace_path.argtypes = []\n"
		"_lib.dfcrt_trace_path.restype = _ct.c_char_p\n\n\n"
		"def dfc_trace_flush():\n"
		"    \"\"\"Writes the timings of --instrument recorded so far to the trace\n"
		"    file (DFC_TRACE, default dfc_trace.json; they are also written at\n"
		"    exit) and returns its path; OSError when it cannot be written.\"\"\"\n"
		"    err = _ct.create_string_buffer(512)\n"
		"    if _lib.dfcrt_trace_flush(err, len(err)) != 0:\n"
		"        raise OSError(err.value.decode(\"utf-8\", \"replace\"))\n"
		"    return _os.fsdecode(_lib.dfcrt_trace_path())\n");
}

/* The helper of returns of run-time size: the block the kernel allocated
 * (ptr, a c_void_p) copied into a new array, then freed. */
static const char take_helper[] =
"\n_lib.dfcrt_free.argtypes = [_ct.c_void_p]\n"
"_lib.dfcrt_free.restype = None\n"
"\n\n"
"def _dfc_take(ptr, shape, dtype):\n"
"    \"\"\"A new array of dtype and shape (an int64 ctypes array) holding the\n"
"    block ptr that a kernel allocated for a result; frees the block.\"\"\"\n"
"    try:\n"
"        a = _dfc_empty(tuple(shape), dtype)\n"
"        if a.nbytes:\n"
"            _ct.memmove(a.ctypes.data, ptr.value, a.nbytes)\n"
"    finally:\n"
"        _lib.dfcrt_free(ptr)\n"
"    return a\n";

/* Allocation of the returns (the out-parameters of those of run-time
 * size), the call, and the return statement. */
static void
put_call(Ctx *ctx, StrBuf *sb, const CgSig *s)
{
	for (int i = 0; i < s->nret; i++) {
		const char *n = s->ret[i]->name;
		if (s->dynamic[i])
			sb_printf(sb, "    _dfc_%s = _ct.c_void_p()\n    _dfcshape_%s = "
				  "(_ct.c_int64 * %d)()\n", n, n, s->ret[i]->ndim);
		else
			sb_printf(sb, "    %s = _dfc_empty(%s, _DFC_DT[\"%s\"])\n", n,
				  cg_sig_shape(ctx, s->ret[i]), dtype_name(s->ret[i]->dtype));
	}
	const char *fn = s->p->name;
	sb_printf(sb, "    _lib.%s_with(_dfc_handle(\"h_%s\", _lib.%s_handle_create, "
		  "_lib.%s_handle_destroy)", fn, fn, fn, fn);
	int n = 1;
	for (int i = 0; i < s->nargs; i++, n++) {
		const char *name = s->p->args.data[i].name;
		bool arr = s->arg[i] && s->arg[i]->ndim > 0;
		sb_printf(sb, "%s%s%s", n ? ", " : "", arr ? "_dfc_" : "", name);
	}
	for (int i = 0; i < s->nret; i++, n++) {
		const char *r = s->ret[i]->name;
		if (s->dynamic[i])
			sb_printf(sb, ", _ct.byref(_dfc_%s), _dfcshape_%s", r, r);
		else
			sb_printf(sb, ", _dfc_addr(%s)", r);
	}
	for (int i = 0; i < s->nbind; i++)
		if (s->bind[i].kind != CG_BIND_ARG)
			sb_printf(sb, "%s%s", n++ ? ", " : "", s->bind[i].name);
	sb_puts(sb, ")\n");
	for (int i = 0; i < s->nret; i++)
		if (s->dynamic[i])
			sb_printf(sb, "    %s = _dfc_take(_dfc_%s, _dfcshape_%s, _DFC_DT[\"%s\"])\n",
				  s->ret[i]->name, s->ret[i]->name, s->ret[i]->name,
				  dtype_name(s->ret[i]->dtype));
	if (ctx->opt.boundscheck)
		sb_printf(sb, "    _dfc_index_check(\"%s\")\n", s->p->name);
	if (s->fits)
		sb_printf(sb, "    _dfc_value_check(\"%s\")\n", s->p->name);
	if (s->nret == 0)
		return;
	sb_puts(sb, "    return ");
	for (int i = 0; i < s->nret; i++)
		sb_printf(sb, "%s%s%s", i ? ", " : "", s->ret[i]->name,
			  s->ret[i]->ndim == 0 ? "[()]" : "");
	sb_putc(sb, '\n');
}

static void
put_program(Ctx *ctx, StrBuf *sb, const IrProgram *p)
{
	CgSig *s = cg_sig_new(ctx, p);
	sb_puts(sb, "\n\n");
	put_argtypes(ctx, sb, s);
	put_def(ctx, sb, s);
	put_arg_checks(ctx, sb, s);
	put_bindings(ctx, sb, s);
	for (int i = 0; i < s->nargs; i++)
		if (s->arg[i] && cg_sig_checks_arg(s, i))
			put_shape_check(ctx, sb, s, i);
	put_assume_checks(ctx, sb, s);
	put_overlap_checks(ctx, sb, s);
	put_call(ctx, sb, s);
}

char *
cg_pywrap_emit(Ctx *ctx, const IrModule *m, const char *libname)
{
	StrBuf sb;
	sb_init(&sb, ctx->arena);
	sb_printf(&sb, "# %s.py — generated by dfc %s%s%s; do not edit.\n",
		  cg_safe_text(ctx, m->name), DFC_VERSION, m->source && *m->source ? " from " : "",
		  cg_safe_text(ctx, m->source ? m->source : ""));
	put_prelude(ctx, &sb, m->name, libname);
	put_fail_checks(ctx, &sb, m);
	if (ctx->opt.instrument)
		put_trace_flush(&sb);
	bool dynamic = false;
	for (int i = 0; i < m->programs.len; i++)
		dynamic |= cg_sig_new(ctx, m->programs.data[i])->any_dynamic;
	if (dynamic)
		sb_puts(&sb, take_helper);
	sb_puts(&sb, "\n__all__ = [");
	for (int i = 0; i < m->programs.len; i++)
		sb_printf(&sb, "%s\"%s\"", i ? ", " : "", m->programs.data[i]->name);
	sb_puts(&sb, "]\n");
	for (int i = 0; i < m->programs.len; i++)
		put_program(ctx, &sb, m->programs.data[i]);
	return (char *)sb_str(&sb);
}
