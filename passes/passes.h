/* passes/passes.h — transformations of the IR, recipes and the -O pipelines
 * (DESIGN.md §5).
 *
 * A transformation (Xform) has a name, a one-line description, a matcher
 * that lists the sites where it could apply, a legality check that says
 * why it refuses, and an apply. Sites are named by the stable names of the
 * IR (maps "map_L7", loops "loop_L6", states "state_L8", ifs "if_L9"),
 * optionally qualified by the program ("kern/map_L7") when a module has
 * several programs.
 *
 * Sections:
 *   xform.c     the catalogue, site lookup, pass_apply (check, apply,
 *               ir_verify, history), the matcher driver and the small
 *               helpers every transformation shares (pass_streq, ...).
 *   recipe.c    YAML recipes (libyaml) and replaying a dump's history.
 *   pipeline.c  the fixed pipeline of each -O level.
 *   one file per transformation: map_interchange.c, map_tiling.c, ...
 *
 * Conventions: check never changes the IR; apply may assume check passed
 * and must leave the IR valid (pass_apply runs ir_verify after it and
 * reports an internal error otherwise). Everything is allocated in the
 * compilation's arena.
 */
#ifndef DFC_PASSES_H
#define DFC_PASSES_H

#include "../ir/ir.h"

enum { XSITE_MAX = 4, XPARAM_MAXV = 8 };

/* A recipe parameter: `tile: [32, 64]` (ints), `impl: blas` (str). */
typedef struct XParam {
	const char *key;
	int nint;                  /* number of integers; -1 when a string */
	int64_t ints[XPARAM_MAXV];
	const char *str;           /* the text as written */
	SrcLoc loc;                /* of the value, for diagnostics */
} XParam;

typedef struct XParams {
	int n;
	XParam *p;
} XParams;

/* Where a transformation applies: a program and 1..XSITE_MAX stable names
 * (one for most transformations, two for fusions: producer, consumer),
 * and, from a matcher, the parameters the site needs (params.n == 0 for
 * most; `array: NAME` for the layout transformations). */
typedef struct XSite {
	IrProgram *p;
	int n;
	const char *names[XSITE_MAX];
	XParams params;
} XSite;

typedef VEC(XSite) XSiteList;

typedef struct Xform {
	const char *name;          /* "map-tiling" */
	const char *desc;          /* one line for `dfc transform --list` */
	int nsites;                /* how many names `at` takes */
	const char *const *params; /* accepted parameter keys, NULL-terminated (may be NULL) */
	/* Appends to out every site of p where check passes with the
	 * site's params (none, or the ones a site cannot do without, e.g.
	 * `array: NAME`; every other parameter takes its default). */
	void (*match)(Ctx *ctx, IrProgram *p, XSiteList *out);
	/* NULL if the transformation is legal at site with params; otherwise
	 * the reason, a sentence without a final period ("the loop carries a
	 * dependence: A[i] is written in iteration i and read in iteration
	 * i + 1"). Bad parameter values are reasons too. */
	const char *(*check)(Ctx *ctx, const XSite *site, const XParams *params);
	void (*apply)(Ctx *ctx, const XSite *site, const XParams *params);
} Xform;

/* ---- xform.c ---- */

/* The catalogue, in a fixed order; *n gets its length. */
const Xform *const *pass_catalogue(int *n);
const Xform *pass_find(const char *name);

/* Applies x at site: check (a refusal is reported at loc with the reason
 * and returns false), apply, ir_verify (failure is an ICE), and a history
 * entry. */
bool pass_apply(Ctx *ctx, const Xform *x, const XSite *site, const XParams *params, SrcLoc loc);
/* pass_apply without the ir_verify: for the -O pipeline, which applies a
 * transformation at every site of a round and then calls
 * pass_verify_after once (ICE naming `what` if p is invalid). */
bool pass_apply_unverified(Ctx *ctx, const Xform *x, const XSite *site, const XParams *params,
			   SrcLoc loc);
void pass_verify_after(Ctx *ctx, IrProgram *p, const char *what);
/* Resolves a stable name ("map_L7" or "kern/map_L7") to its program in m;
 * NULL with *why set when it is unknown or ambiguous. */
IrProgram *pass_resolve(Ctx *ctx, IrModule *m, const char *name, const char **local,
			const char **why);
/* Prints "transformation site" lines for every site of every program
 * ("map-fusion map_L7,map_L8"), followed by " {array: t}" when the site
 * carries parameters. */
void pass_match_print(Ctx *ctx, IrModule *m, FILE *out);

/* Site lookup in a program, by stable name. */
typedef struct MapRef {
	IrState *state;            /* the state holding the map */
	int entry;                 /* id of its map entry */
	IrBlock *block;            /* the CF_STATE block of that state */
} MapRef;
bool pass_find_map(IrProgram *p, const char *label, MapRef *out);
/* The block named `name` (loop, if or state) and where it stands:
 * (*list)->data[*index] == the block. */
IrBlock *pass_find_block(IrProgram *p, const char *name, IrBlockList **list, int *index);
/* Resolves a site [first, last] naming the first and the last state of
 * a run of consecutive states of one block list: (*list)->data[*first
 * .. *last], all states; the reason when it is not one. */
const char *pass_find_run(Ctx *ctx, const XSite *site, IrBlockList **list, int *first,
			  int *last);
/* The matcher of the transformations whose site is a run [first, last]:
 * in every block list of p (inner lists first; not the bodies of parallel
 * loops unless in_parallel), from each state on, the longest run of at
 * most max states, each passing state_ok (when given), that x's check
 * accepts; the next run starts after it. */
typedef struct RunMatch {
	int max;
	bool in_parallel;
	bool (*state_ok)(Ctx *ctx, const IrState *s);
} RunMatch;
void pass_match_runs(Ctx *ctx, IrProgram *p, const Xform *x, const RunMatch *rm,
		     XSiteList *out);
/* Calls f for every state of p, in program order. */
void pass_foreach_state(IrProgram *p, void (*f)(IrState *s, IrBlock *b, void *ud), void *ud);
/* Parameter lookup: NULL when absent. */
const XParam *pass_param(const XParams *params, const char *key);
/* Matchers shared by the transformations whose site is one map, or one for
 * loop: every labelled map (every for loop) of p where x's check passes
 * with no parameters, in program order; for loops, where it fails, with
 * alt when alt is not NULL (the site then carries alt: loop-to-matmul's
 * `blocks: true`). */
void pass_match_maps(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out);
void pass_match_loops(Ctx *ctx, IrProgram *p, const Xform *x, const XParams *alt,
		      XSiteList *out);
/* The transformations whose site is a loop and one block of its body
 * (loop-to-matmul's product, rank-update-to-matmul's loop over k): the
 * first block of body, in order, that pick accepts and where attempt(ctx, its
 * index, ud) passes gives NULL; else the reason: none when pick accepts no
 * block, attempt's reason when it accepts one, and otherwise "none of its N
 * WHAT (name: reason; ...)". */
const char *pass_first_in_body(Ctx *ctx, const IrBlockList *body,
			       bool (*pick)(const IrBlock *b),
			       const char *(*attempt)(Ctx *ctx, int k, void *ud), void *ud,
			       const char *none, const char *what);
/* The matcher of the transformations whose site is two consecutive states
 * of one block list: every such pair of p (inner lists first, then in
 * order) where x's check passes with no parameters. A pair whose first
 * state an earlier site removes fails its check when its turn comes. */
void pass_match_state_pairs(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out);
/* Removes block i of l, keeping the order of the others. */
void pass_block_remove(IrBlockList *l, int i);
/* The matcher of the transformations of one container (`array: NAME`):
 * every transient of p, in declaration order, at the first state that
 * uses it (an access node or memlet names it), with params {array: NAME},
 * where x's check passes. */
void pass_match_arrays(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out);
/* Small helpers the transformations share. pass_streq: a and b are both
 * non-NULL and equal. pass_conn_suffix: "x" for connector "IN_x" and
 * prefix "IN_"; NULL when conn is NULL or does not start with prefix.
 * pass_map_entry, pass_map_label: m's map entry node and its label. */
bool pass_streq(const char *a, const char *b);
/* Is s one of the n strings of v? */
bool pass_in_names(const char *const *v, int n, const char *s);
/* The boolean parameter key (`true` or `false`; dflt when absent) in *on;
 * NULL, or the reason when it is something else. */
const char *pass_bool_param(Ctx *ctx, const XParams *params, const char *key, bool dflt,
			    bool *on);
const char *pass_conn_suffix(const char *conn, const char *prefix);
IrNode *pass_map_entry(const MapRef *m);
const char *pass_map_label(const MapRef *m);
/* base, or base_2, base_3...: a name that no container, symbol, block,
 * map label, map parameter, loop or assigned variable of p has, nor C. */
const char *pass_fresh_name(Ctx *ctx, const IrProgram *p, const char *base);
/* The first variable of s that is neither a size symbol of p nor one of
 * the n names of allowed; NULL when there is none (or s is NULL). */
const char *pass_sym_foreign(const IrProgram *p, const Sym *s, const char *const *allowed,
			     int n);
/* sweep_blocking.c: NULL when every node of s is an access node, a
 * top-level map (no map nested in another) or its exit, or a tasklet in
 * a map, and no memlet copies between access nodes: a state whose maps a
 * blocking can restrict to a block (sweep-blocking, loop-blocking). */
const char *pass_flat_state_check(Ctx *ctx, const IrState *s);
/* The state that site->names[0] names; NULL when it names no state. */
IrState *pass_site_state(const XSite *site);
/* Does node n compute (a tasklet or a library node)? */
bool pass_node_computes(const IrNode *n);
/* Are c's strides the row-major strides of its shape? */
bool pass_container_row_major(Arena *a, const IrContainer *c);
/* Is s the constant 1? Is r one index (step 1, end == begin + 1)? */
bool pass_sym_is_one(const Sym *s);
bool pass_range_is_index(Arena *a, const SymRange *r);
/* The memlet carrying data that enters node `node` of s on connector
 * conn; NULL when there is none. */
const IrMemlet *pass_data_memlet_into(const IrState *s, int node, const char *conn);

/* ---- scalar_uses.c: a 0-d transient written once ---- */

bool pass_is_access_of(const IrState *s, int node, const char *data);
void pass_tasklet_drop_input(IrNode *t, const char *conn);
/* Does memlet mi (leaving an access node, or a map entry on OUT_x) end
 * only at tasklet input connectors? */
bool pass_read_reaches_tasklets(const IrState *s, int mi);
/* NULL when the state `block` (list->data[index]) is the only write of
 * transient data in p and every read of it is a tasklet input (or a loop
 * or branch condition) in a block that runs only after the write: after
 * it in `list`, or nested in such a block. Else the reason. */
const char *pass_sole_write_check(Ctx *ctx, const IrProgram *p, const char *data,
				  const IrBlock *block, const IrBlockList *list, int index);
/* e with every EX_IN `name` replaced by val (unchanged subtrees shared). */
IrExpr *pass_expr_subst(Arena *a, IrExpr *e, const char *name, IrExpr *val);
/* Replaces every read of data in l (tasklet inputs, cast to the
 * connector's dtype; loop and branch conditions) by value and removes the
 * access nodes of data; the state `writer` (or NULL) is emptied whole. */
void pass_scalar_replace_reads(Ctx *ctx, IrBlockList *l, const char *data, IrExpr *value,
			       const IrState *writer);

/* ---- recipe.c ---- */

/* Runs a recipe file on m. Errors (malformed YAML, unknown transformation,
 * unknown or ambiguous site, bad parameter, illegal application) are
 * reported at their place in the recipe and make it return false. */
bool pass_run_recipe(Ctx *ctx, IrModule *m, const char *path);
/* Re-applies the history recorded in a dump to m, which must be the
 * program the history started from. */
bool pass_replay(Ctx *ctx, IrModule *m, const IrModule *from);

/* ---- pipeline.c ---- */

/* The fixed pipeline of -O level (0..3), applied to every program. */
bool pass_run_level(Ctx *ctx, IrModule *m, int level);

/* ---- elements.c: the elements of a container a map's tasklets touch ---- */

/* Do maps x and y touch container c at provably disjoint elements (no
 * element one writes is read or written by the other, over all their
 * iterations)? False when dfc cannot prove it (see elements.c). */
bool pass_elements_disjoint(Ctx *ctx, const MapRef *x, const MapRef *y, const char *c);
/* Is the last iteration of the one-parameter, step-1 map m apart from its
 * other iterations on container c (no element one writes is touched by
 * the other)? False when dfc cannot prove it. */
bool pass_last_iteration_apart(Ctx *ctx, const MapRef *m, const char *c);
/* horizontal-map-fusion's check of [a, b] but for the equality of their
 * ranges (the schedule, the hints, placement, capture, independence):
 * NULL when those pass (horizontal_fusion.c). */
const char *pass_hfuse_check_but_ranges(Ctx *ctx, IrProgram *p, const MapRef *a,
					const MapRef *b);

/* ---- the catalogue: one Xform per file ---- */

extern const Xform xform_map_interchange;
extern const Xform xform_stride_interchange;
extern const Xform xform_map_collapse;
extern const Xform xform_map_expansion;
extern const Xform xform_map_tiling;
extern const Xform xform_strip_mining;
extern const Xform xform_transpose_tiling;
extern const Xform xform_state_fusion;
extern const Xform xform_dead_dataflow;
extern const Xform xform_map_fusion;
extern const Xform xform_library_expansion;
extern const Xform xform_loop_to_map;
extern const Xform xform_loop_parallel;
extern const Xform xform_map_schedule;
extern const Xform xform_array_layout;
extern const Xform xform_padding;
extern const Xform xform_transient_allocation;
extern const Xform xform_transient_lifetime;
extern const Xform xform_copy_removal;
extern const Xform xform_horizontal_fusion;
extern const Xform xform_outer_fusion;
extern const Xform xform_map_peeling;
extern const Xform xform_reduction;
extern const Xform xform_constant_propagation;
extern const Xform xform_tasklet_fusion;
extern const Xform xform_reduction_fusion;
extern const Xform xform_reduction_into_producer;
extern const Xform xform_otf_fusion;
extern const Xform xform_vectorize;
extern const Xform xform_scalar_to_symbol;
extern const Xform xform_matmul_scaling;
extern const Xform xform_matvec_fusion;
extern const Xform xform_loop_to_matmul;
extern const Xform xform_rank_update_to_matmul;
extern const Xform xform_sweep_blocking;
extern const Xform xform_loop_blocking;
extern const Xform xform_run_blocking;
extern const Xform xform_transposed_copy;
extern const Xform xform_unroll_jam;

/* otf_fusion.c: the work of node e of an expression alone: a load or an
 * operator 1, a math function other than sqrt, abs and the roundings
 * (and pow) 8, constants, symbols and conversions 0. */
int pass_op_work(const IrExpr *e);

/* ---- map_fusion.c: vertical fusion, shared with reduction_fusion.c and otf_fusion.c ---- */

/* map-fusion's check, apply and matcher at site [producer, consumer];
 * with reduce, those of reduction-fusion: the consumer must write its
 * result with WCR and may stand in any later state of the producer's
 * block list with only states between (map_fusion.c says why each rule). */
const char *pass_fusion_check(Ctx *ctx, const XSite *site, bool reduce);
void pass_fusion_apply(Ctx *ctx, const XSite *site, bool reduce);
void pass_fusion_match(Ctx *ctx, IrProgram *p, bool reduce, XSiteList *out);
/* The pairs of maps [producer, consumer] of p, the consumer reading what
 * the producer writes, where x's check passes without parameters. */
void pass_fusion_match_with(Ctx *ctx, IrProgram *p, const Xform *x, XSiteList *out);
/* Helpers of map_fusion.c that otf_fusion.c shares: the single tasklet in
 * the scope of top-level map m, which must hold nothing else (else the
 * reason, naming m by its role); the single memlet leaving node id of s
 * (-1 when there are none or several); the memlet entering node dst on
 * connector conn (an ICE when there is none). */
const char *pass_fusion_sole_tasklet(Ctx *ctx, const MapRef *m, const char *role, int *task);
int pass_only_out(const IrState *s, int id);
const IrMemlet *pass_memlet_into(const IrState *s, int dst, const char *conn);
/* Is conn a connector of node id of s (a tasklet's, or on a memlet)? */
bool pass_conn_taken(const IrState *s, int id, const char *conn);
/* The suffix x of map c's entry connectors IN_x/OUT_x that bring memlet
 * `outer` (of another map) in from node `node`: an existing one moving the
 * same subset from node, or a new one. */
const char *pass_fusion_entry_conn(Ctx *ctx, const MapRef *c, int node, const IrMemlet *outer);
/* Marks dead (dead_node) each access node of s that feeds map entry
 * `entry` and keeps no memlet once the nodes and memlets already marked
 * dead are gone: the producer's orphaned inputs. */
void pass_fusion_mark_orphans(const IrState *s, int entry, bool *dead_node, const bool *dead_memlet);
/* A top-level access node of x in map c's state that nothing writes
 * (preferably one feeding c's entry), else a new one. */
int pass_fusion_reader_access(Ctx *ctx, const MapRef *c, const char *x, SrcLoc loc);
/* The name of a state of list->data[from..to] (states only; the first
 * holds producer map p) that writes x, in p's state at an access node p
 * does not read from; NULL when none does. */
const char *pass_fusion_written_between(const IrBlockList *list, int from, int to,
					const MapRef *p, const char *x);
/* The sites the fusions share (map-fusion and reduction-fusion fill one
 * reader, the consumer; otf-map-fusion one per map reading T), and the
 * steps written once in map_fusion.c over them. */
typedef struct FuseProducer {
	IrProgram *p;
	MapRef P;               /* the producer map */
	IrBlockList *list;      /* block list holding its state */
	int pindex;             /* its block in it */
	int ptask;              /* its single tasklet */
	int pwrite;             /* memlet: tasklet -> exit, writing T */
	int pout;               /* memlet: exit -> w */
	int w;                  /* T's access node in its state */
	const char *t;          /* the temporary T */
} FuseProducer;
typedef struct FuseReader {
	MapRef C;               /* a map reading T */
	int cindex;             /* its state's block in the producer's list */
	int ctask;              /* its single tasklet */
	int cin;                /* memlet: r -> its entry, bringing T in */
	int r;                  /* that access node of T */
	const char *tconn;      /* "OUT_x": its entry's connector of T */
} FuseReader;
/* The input connectors of a reader's tasklet while a producer is fused
 * into it: in[0..n), of which in[0..kept) are its own that do not read T;
 * new ones are named "in<next>", "in<next+1>", ... With per_read
 * (otf-map-fusion, which recomputes the producer once per read of T) a
 * producer input reuses any of in[0..n) already reading its element and
 * new names avoid every name the tasklet has now; without (map-fusion)
 * only in[0..kept) are reused and the names of the reads of T may be. */
typedef struct FuseConns {
	IrConn *in;
	int n, kept, next;
	bool per_read;
} FuseConns;
/* The producer's tasklet writes one element of T through its exit, then
 * one memlet into an access node of T, without WCR: fills pwrite, t,
 * pout and w, else the reason (a WCR one ending with wcr_note). */
const char *pass_fusion_producer_write(Ctx *ctx, FuseProducer *pr, const char *wcr_note);
/* T is a transient, else the reason. */
const char *pass_fusion_transient(Ctx *ctx, const FuseProducer *pr);
/* The producer's inputs come from access nodes of their containers, none
 * written by readers rd[0..n) nor between the producer and block `last`
 * of its list (pass_fusion_written_between); else the reason, the last
 * one ending with `tail`. */
const char *pass_fusion_producer_inputs(Ctx *ctx, const FuseProducer *pr, const FuseReader *rd,
					int n, int last, const char *tail);
/* Is memlet i of R's state one of R's reads of T (cin, or from its entry
 * on tconn)? */
bool pass_fusion_reads_t(const FuseReader *R, int i);
/* Subset s with the params of map entry e replaced by val[k], all at once. */
Subset pass_fusion_subset_at(Arena *a, const Subset *s, const IrNode *e, Sym **val);
/* R's tasklet's own connectors that do not read T, with room for `extra`
 * more (FuseConns says per_read). */
FuseConns pass_fusion_conns_kept(Ctx *ctx, const FuseReader *R, int extra, bool per_read);
/* The producer's expression at the iteration whose params are val[k] (in
 * R's), converted as the store into T converted it, over connectors of
 * R's tasklet: each producer input enters R's entry (pass_fusion_entry_conn)
 * and reaches the tasklet on a connector of k. A producer param used as a
 * value becomes the variable val[k] (an ICE when it is not one). */
IrExpr *pass_fusion_recompute(Ctx *ctx, const FuseProducer *pr, const FuseReader *R, Sym **val,
			      FuseConns *k);
/* Gives R's tasklet the connectors of k and replaces each read of T, on
 * its i-th connector, by with[i] converted to that connector's dtype. */
void pass_fusion_replace_reads(Ctx *ctx, const FuseReader *R, const FuseConns *k,
			       IrExpr **with);
/* Adds an empty memlet entry -> tasklet when R's tasklet would lose its
 * last one with its reads of T (a producer without inputs). */
void pass_fusion_keep_in_scope(Ctx *ctx, const FuseReader *R);
/* Removes the reads of T of rd[0..n), T's access nodes, the producer, its
 * inputs left without memlets, its state when emptied, and T. */
void pass_fusion_remove(Ctx *ctx, const FuseProducer *pr, const FuseReader *rd, int n);
/* reduction-fusion's analysis at site [producer, reduction] without its
 * rules on T's other uses (T may be an argument, a return value or a
 * transient read elsewhere) and on the producer's inputs: fills *pr and
 * *rd, else the reason (reduction-into-producer adds its own rules). */
const char *pass_fusion_analyse_kept(Ctx *ctx, const XSite *site, FuseProducer *pr,
				     FuseReader *rd);

/* ---- map_expansion.c, map_collapse.c: helpers of the map transformations ---- */

/* Recomputes the subsets of the memlets that join map entry `entry` to
 * the scope around it: each memlet entering the entry on IN_x gets the box
 * covering the subsets of the memlets leaving it on OUT_x, over every
 * value of the map's parameters; likewise each memlet leaving its exit on
 * OUT_x from those entering the exit on IN_x. Exact for affine subsets;
 * a dimension it cannot bound gets the container's full extent. */
void pass_map_cover_memlets(Ctx *ctx, IrProgram *p, IrState *s, int entry);
/* The map entry perfectly nested in map entry `entry` of s, with a
 * rectangular space: the scope of `entry` holds that map (its entry and
 * exit) and nothing else, every memlet leaving `entry` goes to it, every
 * memlet entering `entry`'s exit comes from its exit, its ranges do not
 * name the outer parameters and no parameter name is shared. -1 with
 * *why set otherwise. */
int pass_map_nested_inner(Ctx *ctx, const IrState *s, int entry, const char **why);

/* ---- loop_to_map.c, shared with loop_parallel.c and loop_to_matmul.c ---- */

/* In state s, a tasklet outside every map writes the 0-d container x
 * plainly (in every run of s), and every other access of x in s is by a
 * node such a write reaches: s writes x before it reads it. */
bool pass_state_writes_first(Ctx *ctx, const IrState *s, const char *x);
/* The same within one map of s: a tasklet directly in the scope of a map
 * writes x plainly, and every other access of x in s is by a node such a
 * write reaches: each iteration of the map writes x before it reads it,
 * and nothing outside the map touches it (xcorr's sum, when its loop is a
 * map inside another loop). */
bool pass_state_map_writes_first(Ctx *ctx, const IrState *s, const char *x);
/* Does s have an access node or a memlet of x? */
bool pass_state_touches(const IrState *s, const char *x);
/* Does a state of p that inside(s, ud) leaves out touch x? The loop
 * passes ask it of the states outside a loop's body (inside: the body's
 * states, e.g. pass_in_list). */
bool pass_touched_outside(const IrProgram *p, const char *x,
			  bool (*inside)(const IrState *s, const void *ud), const void *ud);
/* Is s the state of a CF_STATE block of block list `list` (an
 * IrBlockList, one level: no nested body)? */
bool pass_in_list(const IrState *s, const void *list);
/* The values of for loop `loop`, whose step is the constant step, in
 * increasing order: a range with a positive step. */
SymRange pass_loop_range_increasing(Arena *a, const IrBlock *loop, int64_t step);
/* Appends copies of the nodes and memlets of b to s (node ids, map links
 * and memlet ends shifted); returns the offset of b's node ids in s. */
int pass_state_append(Ctx *ctx, IrState *s, const IrState *b);

/* ---- dead_dataflow.c: removing nodes and containers ---- */

/* Removes from s the nodes with dead_nodes[id] and the memlets with
 * dead_memlets[id] (either array may be NULL), and every memlet joining a
 * removed node; the rest keep their order and are renumbered (ids stay
 * equal to indices, map entry/exit links follow). Removing one node of a
 * map's entry/exit pair without the other is an ICE. */
void pass_state_remove(Ctx *ctx, IrState *s, const bool *dead_nodes, const bool *dead_memlets);
/* Drops container `name` from p (the caller knows nothing mentions it). */
void pass_container_remove(IrProgram *p, const char *name);
/* Does a loop or branch condition of p, or a symbol assignment (CF_ASSIGN
 * from a container), read the scalar container `name`? */
bool pass_cond_reads(const IrProgram *p, const char *name);

#endif
