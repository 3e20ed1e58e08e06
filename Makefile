# dfc — build, test, demo. `make` builds build/dfc and build/libdfcrt.a.
CC      ?= cc
PYTHON  ?= /usr/bin/python3
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -MMD -MP
LDLIBS  = -lyaml -lisl -lm
PREFIX  ?= /usr/local
B       = build

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

SRCS    = $(wildcard compiler/*.c ir/*.c passes/*.c codegen/*.c codegen/*/*.c frontends/python/*.c)
OBJS    = $(SRCS:%.c=$(B)/%.o)
LIBOBJS = $(filter-out $(B)/compiler/main.o,$(OBJS))
RTSRCS  = $(wildcard runtime/*.c)
RTOBJS  = $(RTSRCS:%.c=$(B)/%.o)
UNITS   = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/*.c))

all: $(B)/dfc $(B)/libdfcrt.a

$(B)/dfc: $(OBJS) $(B)/libdfcrt.a
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(B)/libdfcrt.a: $(RTOBJS)
	ar rcs $@ $^

$(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -O3 -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

units: $(UNITS)

test: all units
	@PYTHON=$(PYTHON) sh tests/run.sh

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
	rm -rf $(B) out

.PHONY: all units test demo deps install clean
-include $(OBJS:.o=.d) $(RTOBJS:.o=.d)
