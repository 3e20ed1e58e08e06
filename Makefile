# dfc — build, test, demo. `make` builds build/dfc and build/libdfcrt.a.
CC      ?= cc
PYTHON  ?= /usr/bin/python3
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -MMD -MP
LDLIBS  = -lyaml -lisl -lm
PREFIX  ?= /usr/local
B       = build

# SAN=1: dfc itself (not the runtime that generated kernels link) built with
# AddressSanitizer and UndefinedBehaviorSanitizer, in a tree of its own;
# `make test SAN=1` runs the whole suite with that dfc, and with the
# kernels it generates built by gcc with the same sanitizers ($DFC_CFLAGS)
# and gcc's ASan runtime preloaded into every process (Python included).
SANFLAGS =
SANENV   =
KSAN_CFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g
ifeq ($(SAN),1)
B        = build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SANENV   = CC=gcc DFC_CFLAGS="$(KSAN_CFLAGS)" LD_PRELOAD=$$(gcc -print-file-name=libasan.so)
endif

SRCS    = $(wildcard compiler/*.c ir/*.c passes/*.c codegen/*.c codegen/*/*.c frontends/python/*.c)
OBJS    = $(SRCS:%.c=$(B)/%.o)
LIBOBJS = $(filter-out $(B)/compiler/main.o,$(OBJS))
RTSRCS  = $(wildcard runtime/*.c)
RTOBJS  = $(RTSRCS:%.c=$(B)/%.o)
UNITS   = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/*.c))

all: $(B)/dfc $(B)/libdfcrt.a

$(B)/dfc: $(OBJS) $(B)/libdfcrt.a
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(B)/libdfcrt.a: $(RTOBJS)
	ar rcs $@ $^

$(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -O3 -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

units: $(UNITS)

# libFuzzer harnesses (tests/fuzz/fuzz.c), built with clang and sanitizers
# from their own objects; `make fuzz FUZZ_SECONDS=N` runs each for N seconds.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = parse frontend yaml recipe prof
FUZZ_CC      = clang
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -g -O1 -MMD -MP -fno-omit-frame-pointer \
	       -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJS    = $(filter-out $(B)/fuzz/obj/compiler/main.o,$(SRCS:%.c=$(B)/fuzz/obj/%.o))

$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

FUZZ_BINS    = $(FUZZ_TARGETS:%=$(B)/fuzz/%)
.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_BINS): $(B)/fuzz/%: tests/fuzz/fuzz.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_$(shell echo $* | tr a-z A-Z) \
		-o $@ $< $(FUZZ_OBJS) $(LDLIBS)

# Random programs against NumPy (tests/stress): N kernels, a random seed
# (printed first) unless SEED= is given, at N=SIZE, M=SIZE+SIZE/4 when
# SIZE= is given (the generator's small sizes otherwise).
N ?= 1000
stress: all
	@$(PYTHON) tests/stress/run.py --dfc $(B)/dfc --count $(N) $(if $(SEED),--seed $(SEED)) \
		$(if $(SIZE),--size $(SIZE))

fuzz-build: $(FUZZ_BINS)

fuzz: all fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# CI's fuzzing: a fixed seed and number of inputs per harness (reproducible).
fuzz-ci: all fuzz-build
	@sh tests/fuzz/run.sh --ci $(FUZZ_TARGETS)

test: all units
	@$(SANENV) PYTHON=$(PYTHON) DFC=$(B)/dfc UNITS=$(B)/tests ASAN_OPTIONS=detect_leaks=0 \
		sh tests/run.sh

# What CI runs: the core suite, the fuzzers, the suite with dfc and its
# kernels under ASan/UBSan, the kernels under ThreadSanitizer; one closing
# line sums them all (tests/check.sh, docs/reliability.md).
test-all: all units
	@PYTHON=$(PYTHON) MAKE="$(MAKE)" sh tests/check.sh

# Data races: the differential kernels built with -fsanitize=thread and run
# on LLVM's OpenMP runtime with Archer (tests/check.sh race).
race: all
	@PYTHON=$(PYTHON) MAKE="$(MAKE)" sh tests/check.sh race

# The benchmark (bench/README.md): dfc against NumPy, Numba, Pythran and
# DaCe; BENCH=pattern runs the kernels whose FILE:KERNEL contains pattern,
# BENCH_QUICK=1 a smoke run. Writes bench/RESULTS.md and bench/results.png.
bench: all
	@sh scripts/install-bench-deps.sh
	@BENCH="$(BENCH)" BENCH_QUICK="$(BENCH_QUICK)" $(PYTHON) bench/bench.py --dfc $(B)/dfc

demo: deps all
	@PYTHON=$(PYTHON) sh scripts/demo.sh

deps:
	@sh scripts/install-deps.sh

install: all
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/include/dfc" "$(DESTDIR)$(PREFIX)/lib/dfc"
	install -m 755 $(B)/dfc "$(DESTDIR)$(PREFIX)/bin/dfc"
	install -m 644 runtime/dfcrt.h "$(DESTDIR)$(PREFIX)/include/dfc/dfcrt.h"
	install -m 644 $(B)/libdfcrt.a "$(DESTDIR)$(PREFIX)/lib/dfc/libdfcrt.a"

clean:
	rm -rf build build-san out

.PHONY: all units test demo deps install clean fuzz fuzz-build fuzz-ci stress test-all race bench
-include $(OBJS:.o=.d) $(RTOBJS:.o=.d) $(wildcard $(B)/fuzz/obj/*/*.d $(B)/fuzz/obj/*/*/*.d)
