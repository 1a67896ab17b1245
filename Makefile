# ssj — build, tests, demo, fuzzing, benchmarks. `make help` lists targets.
#
#   make demo     install missing Debian packages, build, run the demo
#   make check    install missing Debian packages, build, run every test
#   make asan     the whole suite under AddressSanitizer + UBSan
#   make fuzz     libFuzzer harnesses for every parser, FUZZ_TIME s each
#   make valgrind the demo and the draw's e2e files under valgrind
#
# DEV=1 turns warnings into errors (CI does this).

PREFIX	?= /usr/local
CC	?= cc
O	?= build
PKGS	 = libsodium sqlite3 yaml-0.1 jansson
VERSION	 = 0.1.0

WARN	 = -Wall -Wextra -Wpedantic -Wshadow -Wpointer-arith -Wcast-qual \
	   -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	   -Wold-style-definition -Wwrite-strings -Wformat=2 \
	   -Wformat-security -Wundef -Wvla -Wdeclaration-after-statement \
	   -fno-common
ifeq ($(DEV),1)
WARN	+= -Werror
endif
OPT	?= -O2 -g
HARDEN	 = -fstack-protector-strong
ifeq ($(SANITIZE),)
HARDEN	+= -D_FORTIFY_SOURCE=2
else
HARDEN	+= -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DSSJ_VERSION='"$(VERSION)"' \
	    -Ischeduler -Iconfig -Ireports
CFLAGS	 += -std=c11 -pthread $(OPT) $(WARN) $(HARDEN) $(PKG_CFLAGS) \
	    $(EXTRA_CFLAGS) -MMD -MP
LDFLAGS	 += -pthread $(if $(SANITIZE),-fsanitize=$(SANITIZE))
LDLIBS	 += $(PKG_LIBS) -lcsv

# The engine and its modules (everything but main and the commands).
LIB_SRCS += scheduler/beacon.c
LIB_SRCS += scheduler/bg.c
LIB_SRCS += scheduler/bls12381.c
LIB_SRCS += scheduler/buf.c
LIB_SRCS += scheduler/calendar.c
LIB_SRCS += scheduler/cell.c
LIB_SRCS += scheduler/crypto.c
LIB_SRCS += scheduler/csvfile.c
LIB_SRCS += scheduler/db.c
LIB_SRCS += scheduler/draw.c
LIB_SRCS += scheduler/dsr.c
LIB_SRCS += scheduler/file.c
LIB_SRCS += scheduler/frame.c
LIB_SRCS += scheduler/framestore.c
LIB_SRCS += scheduler/ident.c
LIB_SRCS += scheduler/jsonw.c
LIB_SRCS += scheduler/keys.c
LIB_SRCS += scheduler/ledger.c
LIB_SRCS += scheduler/log.c
LIB_SRCS += scheduler/merkle.c
LIB_SRCS += scheduler/num.c
LIB_SRCS += scheduler/registry.c
LIB_SRCS += scheduler/results.c
LIB_SRCS += scheduler/schema.c
LIB_SRCS += scheduler/sort.c
LIB_SRCS += scheduler/team.c
LIB_SRCS += scheduler/xmalloc.c
LIB_SRCS += config/config.c
LIB_SRCS += config/plan.c
LIB_SRCS += reports/bulletin.c
LIB_SRCS += reports/bundle.c
LIB_SRCS += reports/gsxt.c
LIB_SRCS += reports/minisig.c
LIB_SRCS += reports/pages.c
LIB_SRCS += reports/note.c
LIB_SRCS += reports/proof.c
LIB_SRCS += reports/site.c
LIB_SRCS += reports/svg.c
LIB_SRCS += reports/verify.c
LIB_SRCS += scheduler/schedule.c
LIB_SRCS += scheduler/daemon.c

# The program: the command table and one file per subcommand.
CMD_SRCS += scheduler/ssj.c
CMD_SRCS += scheduler/cmd-abort.c
CMD_SRCS += scheduler/cmd-beacon.c
CMD_SRCS += scheduler/cmd-check.c
CMD_SRCS += scheduler/cmd-commit.c
CMD_SRCS += scheduler/cmd-draw.c
CMD_SRCS += scheduler/cmd-export.c
CMD_SRCS += scheduler/cmd-help.c
CMD_SRCS += scheduler/cmd-import.c
CMD_SRCS += scheduler/cmd-init.c
CMD_SRCS += scheduler/cmd-keygen.c
CMD_SRCS += scheduler/cmd-ledger.c
CMD_SRCS += scheduler/cmd-notice.c
CMD_SRCS += scheduler/cmd-publish.c
CMD_SRCS += scheduler/cmd-replace.c
CMD_SRCS += scheduler/cmd-report.c
CMD_SRCS += scheduler/cmd-results.c
CMD_SRCS += scheduler/cmd-show.c
CMD_SRCS += scheduler/cmd-sign.c
CMD_SRCS += scheduler/cmd-snapshot.c
CMD_SRCS += scheduler/cmd-status.c
CMD_SRCS += scheduler/cmd-status-json.c
CMD_SRCS += scheduler/cmd-verify.c
CMD_SRCS += scheduler/cmd-verify-signature.c
CMD_SRCS += scheduler/cmd-witness.c
CMD_SRCS += scheduler/cmd-rehearse.c
CMD_SRCS += scheduler/cmd-daemon.c
CMD_SRCS += scheduler/cmd-run-due.c
# The schedule's engine, over the commands' steps.
CMD_SRCS += scheduler/engine.c

# Unit tests: tests/unit/test-<module>.c, one per module (cmocka).
UNIT_TESTS += beacon
UNIT_TESTS += bg
UNIT_TESTS += bls12381
UNIT_TESTS += buf
UNIT_TESTS += bundle
UNIT_TESTS += calendar
UNIT_TESTS += cell
UNIT_TESTS += config
UNIT_TESTS += crypto
UNIT_TESTS += csvfile
UNIT_TESTS += db
UNIT_TESTS += dsr
UNIT_TESTS += file
UNIT_TESTS += frame
UNIT_TESTS += framestore
UNIT_TESTS += ident
UNIT_TESTS += jsonw
UNIT_TESTS += keys
UNIT_TESTS += ledger
UNIT_TESTS += merkle
UNIT_TESTS += minisig
UNIT_TESTS += note
UNIT_TESTS += pages
UNIT_TESTS += num
UNIT_TESTS += proof
UNIT_TESTS += registry
UNIT_TESTS += results
UNIT_TESTS += team
UNIT_TESTS += verify
UNIT_TESTS += schedule
UNIT_TESTS += site
UNIT_TESTS += sort
UNIT_TESTS += svg
UNIT_TESTS += daemon

# Fuzz harnesses: tests/fuzz/fuzz-<input>.c, corpus in tests/fuzz/corpus/<input>/.
FUZZERS	+= plan
FUZZERS	+= csv
FUZZERS	+= import
FUZZERS	+= key
FUZZERS	+= minisig
FUZZERS	+= checkpoint
FUZZERS	+= proof
FUZZERS	+= beacon
FUZZERS	+= bundle
FUZZERS	+= team
FUZZERS	+= cell
FUZZERS	+= bls

LIB_OBJS  = $(LIB_SRCS:%.c=$(O)/%.o)
CMD_OBJS  = $(CMD_SRCS:%.c=$(O)/%.o)
UNIT_BINS = $(UNIT_TESTS:%=$(O)/tests/unit/test-%)
REPLAY_BINS = $(FUZZERS:%=$(O)/tests/fuzz/replay-%)
SSJ	  = $(O)/ssj

.PHONY: all deps demo check test unit e2e replay asan fuzz lint bench \
	valgrind install clean help oracle bench-bls bench-results
all: $(SSJ)

deps:
	@sh packaging/install-deps

# Rebuild everything when the flags change.
$(O)/.flags: FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' | \
	    cmp -s - $@ || echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' > $@
FORCE:

# V=1 shows the commands.
Q	 = $(if $(V),,@)
$(O)/%.o: %.c $(O)/.flags
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/libssj.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(LIB_OBJS)

$(SSJ): $(CMD_OBJS) $(O)/libssj.a
	$(if $(V),,@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(O)/libssj.a $(LDLIBS)

# The test chain's signer (tests/bls-sign.c): real records for the tests.
BLS_SIGN = $(O)/tests/bls-sign
$(BLS_SIGN): $(O)/tests/bls-sign.o $(O)/libssj.a
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(O)/libssj.a $(LDLIBS)

$(O)/tests/unit/test-%: $(O)/tests/unit/test-%.o $(O)/libssj.a
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(O)/libssj.a $(LDLIBS) -lcmocka

# A fuzz harness built with a plain main() that replays its corpus: keeps
# every harness compiling and every corpus file passing in `make check`.
$(O)/tests/fuzz/replay-%: $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/replay.o $(O)/libssj.a
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

check test: deps
	@$(MAKE) --no-print-directory $(SSJ) $(UNIT_BINS) $(REPLAY_BINS) \
	    $(BLS_SIGN)
	@O=$(O) SSJ=$(abspath $(SSJ)) sh tests/run $(UNIT_BINS:%=%) \
	    -- $(FUZZERS)

unit: $(UNIT_BINS)
	@O=$(O) sh tests/run $(UNIT_BINS) --unit-only

e2e: $(SSJ) $(BLS_SIGN)
	@SSJ=$(abspath $(SSJ)) bats tests/e2e

# The kill-point tests try 30 of each command's kill points here (every
# one in make check): the instrumented ssj is several times slower.
asan:
	@KILLPOINTS_MAX=30 $(MAKE) --no-print-directory O=build/asan \
	    SANITIZE=address,undefined OPT='-O1 -g' check

# ssj under valgrind (tests/valgrind/ssj): the demo and the e2e files of
# VALGRIND_E2E (default the draw's; "all" for every file that does not
# count ssj's system calls with strace). Clean means no report at all.
VALGRIND_E2E ?= t5000-draw t5100-teams
valgrind: deps
	@$(MAKE) --no-print-directory O=build/valgrind OPT='-O1 -g' \
	    build/valgrind/ssj build/valgrind/tests/bls-sign
	@logs=$(abspath build/valgrind/logs); rm -rf $$logs; mkdir -p $$logs; \
	export SSJ_VALGRIND_LOGS=$$logs \
	    SSJ_VALGRIND_BIN=$(abspath build/valgrind/ssj) \
	    BLS_SIGN=$(abspath build/valgrind/tests/bls-sign) \
	    SSJ=$(abspath tests/valgrind/ssj); \
	files=$$(if [ "$(VALGRIND_E2E)" = all ]; then \
	    grep -L strace tests/e2e/t*.bats; else \
	    for f in $(VALGRIND_E2E); do echo tests/e2e/$$f.bats; done; fi); \
	sh config/examples/demo.sh > $$logs/demo.out 2>&1 || \
	    { tail $$logs/demo.out; echo "valgrind: the demo failed"; \
	    exit 1; }; \
	bats $$files || exit 1; \
	find $$logs -name 'vg.*.log' -size +0 | grep . && \
	    { echo "valgrind: reports above"; exit 1; }; \
	echo "valgrind: clean ($$(ls $$logs | grep -c vg) runs of ssj)"

FUZZ_TIME ?= 60
FUZZ_O	   = build/fuzz
fuzz: deps
	@for f in $(FUZZERS); do \
		$(MAKE) --no-print-directory O=$(FUZZ_O) CC=clang OPT='-O1 -g' \
		    SANITIZE=address,undefined \
		    EXTRA_CFLAGS='-fsanitize=fuzzer-no-link' $(FUZZ_O)/libssj.a \
		    $(FUZZ_O)/tests/fuzz/fuzz-$$f.o || exit 1; \
		clang -fsanitize=fuzzer,address,undefined -o $(FUZZ_O)/fuzz-$$f \
		    $(FUZZ_O)/tests/fuzz/fuzz-$$f.o $(FUZZ_O)/libssj.a \
		    $(LDLIBS) || exit 1; \
		mkdir -p $(FUZZ_O)/corpus-$$f; \
		$(FUZZ_O)/fuzz-$$f -max_total_time=$(FUZZ_TIME) \
		    -close_fd_mask=2 -artifact_prefix=$(FUZZ_O)/ \
		    -dict=tests/fuzz/$$f.dict $(FUZZ_O)/corpus-$$f \
		    tests/fuzz/corpus/$$f || exit 1; \
	done

# The BLS oracle (tests/oracle): @noble/curves from npm, pinned, installed
# for the test only; then ssj's verdicts on generated records against it.
ORACLE_DIR = $(O)/oracle
NOBLE	   = @noble/curves@1.9.7
$(ORACLE_DIR)/node_modules/@noble/curves/package.json:
	npm install --no-audit --no-fund --prefix $(ORACLE_DIR) $(NOBLE)
oracle: $(SSJ) $(ORACLE_DIR)/node_modules/@noble/curves/package.json
	node tests/oracle/bls-oracle.mjs $(ORACLE_DIR) $(SSJ) . \
	    $(ORACLE_DIR)/work

demo: deps
	@$(MAKE) --no-print-directory $(SSJ) $(BLS_SIGN)
	@SSJ=$(abspath $(SSJ)) sh config/examples/demo.sh

lint:
	mandoc -Tlint -Wwarning man/ssj.1 man/ssj.yaml.5
	cppcheck --quiet --error-exitcode=1 --std=c11 -Ischeduler -Iconfig \
	    --suppress=missingIncludeSystem scheduler config reports
	@! grep -nE '^[[:space:]]*! ' tests/e2e/*.bats tests/e2e/lib.bash || \
	    { echo "lint: a negated command cannot fail a bats test;" \
	    "write 'refute CMD'" >&2; exit 1; }

bench: deps $(SSJ) $(BLS_SIGN)
	@SSJ=$(abspath $(SSJ)) O=$(O) sh bench/run

# One BLS verification, ssj against @noble/curves (bench/bls).
$(O)/bench/bls-bench: $(O)/bench/bls-bench.o $(O)/libssj.a
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(O)/libssj.a $(LDLIBS)
bench-bls: $(O)/bench/bls-bench $(ORACLE_DIR)/node_modules/@noble/curves/package.json
	@O=$(O) sh bench/bls

# Results (一公开): import and publish of 500 000 results against the
# sqlite3 shell (bench/results).
bench-results: $(SSJ) $(BLS_SIGN)
	@SSJ=$(abspath $(SSJ)) O=$(O) sh bench/results

install: $(SSJ)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/ssj/calendars
	install -m 755 $(SSJ) $(DESTDIR)$(PREFIX)/bin/ssj
	install -m 644 man/ssj.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/ssj.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 config/calendars/*.yaml \
	    $(DESTDIR)$(PREFIX)/share/ssj/calendars/

clean:
	rm -rf build

help:
	@sed -n '2,10s/^# \{0,1\}//p' Makefile

-include $(shell find $(O) -name '*.d' 2>/dev/null)
