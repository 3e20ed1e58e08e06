/* frontends/python/py.h — the Python frontend: NumPy-style kernels to IR.
 *
 * Sections (one .c file each):
 *   lex.c     tokens, with Python's INDENT/DEDENT/NEWLINE rules, implicit
 *             line joining inside brackets, backslash continuation, comments
 *             (the text of "# dfc: ..." comments is kept for signatures).
 *   parse.c   recursive descent over the tokens into the AST below; the full
 *             expression grammar with Python's precedence.
 *   sig.c     kernel signatures (DESIGN §3): --sig, "# dfc:" comment, string
 *             annotations.
 *   lower.c   AST to IR (one IrProgram per kernel).
 *
 * Every AST node carries the SrcLoc of its first token; errors are reported
 * with diag_error/diag_fatal at that location.
 */
#ifndef DFC_PY_H
#define DFC_PY_H

#include "../../ir/ir.h"

/* ---- lex.c ---- */

typedef enum PyTokKind {
	PT_EOF,
	PT_NEWLINE,
	PT_INDENT,
	PT_DEDENT,
	PT_NAME,      /* identifiers and keywords (keywords are checked by text) */
	PT_INT,       /* integer literal; ival */
	PT_FLOAT,     /* float literal (also 1e3, 1.); fval */
	PT_IMAG,      /* imaginary literal 2j; fval */
	PT_STRING,    /* string literal, quotes removed, escapes decoded; text */
	PT_OP,        /* operator or delimiter; text: "+", "**=", "(", ... */
} PyTokKind;

typedef struct PyTok {
	PyTokKind kind;
	SrcLoc loc;
	const char *text;     /* the token's text (decoded for strings) */
	int64_t ival;
	double fval;
	SrcLoc end;           /* just past the token's last character */
	const char *prefix;   /* PT_STRING: "b" bytes, "f" f-string, "" otherwise
	                       * (r/u dropped; f-strings keep their text undecoded
	                       * of {}, only escapes are decoded) */
} PyTok;

typedef struct PyComment {
	SrcLoc loc;           /* of the first character of text */
	const char *text;     /* text after '#', leading spaces stripped */
} PyComment;

typedef struct PyTokens {
	VEC(PyTok) toks;      /* ends with PT_EOF */
	VEC(PyComment) comments;
} PyTokens;

/* Tokenizes text. Errors (bad character, bad indentation, unterminated
 * string, inconsistent dedent, NUL bytes) are reported through diag_fatal. */
PyTokens *py_lex(Ctx *ctx, const char *file, const char *text, size_t len);

/* ---- parse.c: the AST ---- */

typedef enum PyExprKind {
	PE_NAME,      /* id */
	PE_INT,       /* ival */
	PE_FLOAT,     /* fval */
	PE_IMAG,      /* fval (imaginary part) */
	PE_STR,       /* str */
	PE_BOOL,      /* ival 0/1 (True/False) */
	PE_NONE,      /* None */
	PE_ELLIPSIS,  /* ... */
	PE_BINOP,     /* lhs op rhs; op: "+","-","*","/","//","%","**","@","&","|","^","<<",">>" */
	PE_UNARY,     /* op operand(lhs); op: "-","+","~","not" */
	PE_BOOLOP,    /* lhs op rhs; op: "and","or" */
	PE_COMPARE,   /* chain: lhs ops[0] items[0] ops[1] items[1] ...; ops: "<",">","==",">=","<=","!=","is","is not","in","not in" */
	PE_CALL,      /* func(items..., kw names=values) */
	PE_ATTR,      /* lhs.attr */
	PE_SUBSCRIPT, /* lhs[items...] (one item per comma-separated index) */
	PE_SLICE,     /* lo:hi:step inside a subscript; each may be NULL */
	PE_TUPLE,     /* (a, b) or a, b */
	PE_LIST,      /* [a, b] */
	PE_IFEXP,     /* body(lhs) if cond else orelse(rhs) */
	PE_LAMBDA,    /* parsed so it can be rejected by name; items: parameter
	               * names (PE_NAME), kwvalues: their defaults (NULL if
	               * none), lhs: the body */
	PE_COMP,      /* list comprehension / generator: rejected by name; op:
	               * "list comprehension", "generator expression", "set
	               * comprehension", "dict comprehension"; lhs: element (dict:
	               * key, rhs value); items: target, iter of each 'for';
	               * kwvalues: the 'if' conditions */
	PE_DICT,      /* rejected by name; op: "dict" or "set"; items: keys or
	               * elements, kwvalues: values (dict) */
	PE_STARRED,   /* *x (op "*"); **x (op "**", in calls and dicts); lhs: x */
} PyExprKind;

typedef struct PyExpr PyExpr;
typedef VEC(PyExpr *) PyExprList;

struct PyExpr {
	PyExprKind kind;
	SrcLoc loc;
	const char *id;       /* PE_NAME; PE_ATTR attribute name */
	const char *op;       /* PE_BINOP, PE_UNARY, PE_BOOLOP; PE_STR: "f" for
	                       * f-strings, "b" for bytes, NULL otherwise */
	const char *str;      /* PE_STR */
	int64_t ival;
	double fval;
	PyExpr *lhs, *rhs;    /* operands; PE_ATTR/PE_SUBSCRIPT/PE_CALL: lhs is the object/function */
	PyExpr *cond;         /* PE_IFEXP */
	PyExpr *lo, *hi, *step;                    /* PE_SLICE (NULL when omitted) */
	PyExprList items;     /* tuple/list elements, call positional args, subscript indices, compare operands */
	VEC(const char *) ops;/* PE_COMPARE operators */
	VEC(const char *) kwnames;   /* PE_CALL keyword names */
	PyExprList kwvalues;         /* PE_CALL keyword values */
	bool parenthesized;   /* written inside ( ) */
	int height;           /* of the subtree, 1 for a leaf; the parser keeps
	                       * it <= 1000 so that walks may recurse */
};

typedef enum PyStmtKind {
	PS_EXPR,      /* value */
	PS_ASSIGN,    /* targets[0] = targets[1] = ... = value (chained: several targets) */
	PS_AUGASSIGN, /* targets[0] op= value; op without '=' ("+", "//", ...) */
	PS_ANNASSIGN, /* targets[0]: annotation [= value] */
	PS_FOR,       /* for target in iter: body else: orelse */
	PS_WHILE,     /* while test: body else: orelse */
	PS_IF,        /* if test: body else: orelse (elif is an PS_IF alone in orelse, with is_elif) */
	PS_RETURN,    /* return [value] */
	PS_BREAK,
	PS_CONTINUE,
	PS_PASS,
	PS_DEF,       /* def name(params): body */
	PS_IMPORT,    /* import a.b as c / from a import b as c: module, names, asnames */
	PS_GLOBAL,    /* global/nonlocal: rejected by name; names: the declared names */
	PS_OTHER,     /* with, try, class, raise, assert, del, ...: kw names it; rejected by lowering.
	               * Parsed fully; parts kept: "with": targets = context
	               * expressions, body; "try": body, orelse = clauses, each a
	               * PS_OTHER "except" (value = type or NULL, name = as-name),
	               * "else" or "finally" with its body; "class": name, targets =
	               * bases, decorators, body; "raise": value, test = 'from'
	               * cause; "assert": test, value = message; "del": targets;
	               * "yield"/"yield from" statements: value */
} PyStmtKind;

typedef struct PyStmt PyStmt;
typedef VEC(PyStmt *) PyStmtList;

typedef struct PyParam {
	const char *name;
	SrcLoc loc;
	PyExpr *annotation;   /* NULL if none */
	PyExpr *defval;       /* default value or NULL */
	int star;             /* 1 for *args, 2 for **kwargs, 0 otherwise */
} PyParam;

struct PyStmt {
	PyStmtKind kind;
	SrcLoc loc;
	PyExprList targets;
	PyExpr *value;        /* assigned value, expression statement, return value, annotation's value */
	PyExpr *annotation;   /* PS_ANNASSIGN */
	const char *op;       /* PS_AUGASSIGN */
	PyExpr *target;       /* PS_FOR */
	PyExpr *iter;         /* PS_FOR */
	PyExpr *test;         /* PS_WHILE, PS_IF */
	PyStmtList body;
	PyStmtList orelse;
	bool is_elif;         /* PS_IF written as elif */
	/* PS_DEF */
	const char *name;
	VEC(PyParam) params;
	PyExpr *returns;      /* -> annotation or NULL */
	VEC(PyExpr *) decorators;
	const char *docstring;/* NULL if none */
	/* PS_IMPORT */
	const char *module;   /* "numpy" for both forms */
	VEC(const char *) names;    /* imported names ("from m import a, b"); empty for "import m" */
	VEC(const char *) asnames;  /* alias per name (or for the module), NULL if none */
	const char *kw;       /* PS_OTHER, PS_GLOBAL: the leading keyword ("with", "try", ...) */
};

typedef struct PyModule {
	const char *file;
	PyStmtList body;
	PyTokens *tokens;     /* kept for "# dfc:" comments */
} PyModule;

/* Parses a whole file. Syntax errors go through diag_fatal with the
 * location and what was expected ("expected ':' after 'if' condition"). */
PyModule *py_parse(Ctx *ctx, const char *file, const char *text, size_t len);

/* ---- sig.c ---- */

typedef struct PySigParam {
	const char *name;
	SrcLoc loc;
	DType dtype;
	int ndim;             /* 0 for scalars */
	const char **dims;    /* ndim size-symbol names or decimal integers ("N", "3") */
} PySigParam;

typedef struct PySig {
	const char *func;
	SrcLoc loc;
	int nparams;
	PySigParam *params;
} PySig;

/* Parses "kern(alpha: float64, A: float64[N, M])" written at loc (column of
 * the first character). NULL after a located error. */
PySig *py_sig_parse(Ctx *ctx, const char *text, SrcLoc loc);
/* Parses a dtype[dims] annotation string, e.g. "float64[N, M]". */
bool py_sig_parse_type(Ctx *ctx, const char *text, SrcLoc loc, PySigParam *out);

/* ---- lower.c ---- */

/* Parses, checks and lowers a kernel file. Kernels are the functions with a
 * signature (cli_sig, a "# dfc:" comment above the def, or string
 * annotations on every parameter); others are helpers, inlined at calls.
 * Returns NULL after reporting errors. */
IrModule *py_lower_file(Ctx *ctx, const char *path, const char *cli_sig);
/* py_lower_file for `dfc check`: an error abandons only its statement (and
 * the statements that use what it would have defined), so that every
 * construct dfc cannot compile is reported, each once. */
IrModule *py_check_file(Ctx *ctx, const char *path, const char *cli_sig);

#endif
