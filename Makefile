# truce — the two commands a new user needs:
#   make demo   set up (apt-get what is missing), build, run the Idlib 2020 demo
#   make test   set up, then the whole suite: clang-format check, a normal build and an
#               ASan+UBSan build through ctest, and a 10-second run of every fuzz target
# and a third to try the live service:
#   make serve  set up, build, a fresh store with the Idlib agreement and an admin token,
#               truce serve on LISTEN (127.0.0.1:8080) in the foreground until Ctrl-C
# Others: make build, make install, make bench, make bench-serve, make fuzz, make format, make clean.

JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
BUILD   ?= build
ASAN    ?= build-asan
FUZZB   ?= build-fuzz
WERROR  ?= ON
FUZZ_SECONDS ?= 20
BENCH_SECONDS ?= 10
CMAKE_FLAGS ?=
PREFIX  ?= /usr/local
LISTEN  ?= 127.0.0.1:8080
DESTDIR ?=

.PHONY: all setup build build-asan install demo serve test test-normal test-asan bench bench-serve fuzz fuzz-build fuzz-smoke format format-check clean

all: build

setup:
	@sh scripts/setup.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DTRUCE_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN)/CMakeCache.txt:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DTRUCE_SANITIZE=ON -DTRUCE_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null

build-asan: setup $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS)

# The library (shared and static), its headers, truce.pc, truce and its manual
# pages under PREFIX, staged under DESTDIR when given (cmake/install.cmake).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

demo: build
	@sh scripts/demo.sh $(BUILD)/truce

serve: build
	@sh scripts/serve.sh $(BUILD)/truce $(LISTEN)

test: format-check test-normal test-asan fuzz-smoke

test-normal: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build
	@sh scripts/setup.sh scripts/packages-bench.txt
	cmake --build $(BUILD) -j $(JOBS) --target bench_corridor
	sh bench/run.sh $(BUILD)

# truce serve under wrk against PostgreSQL + PostGIS under pgbench
# (docs/performance.md, "Live service").
bench-serve: build
	@sh scripts/setup.sh scripts/packages-bench.txt
	sh bench/bench_serve.sh $(BUILD) $(BENCH_SECONDS)

# libFuzzer targets with clang; each runs FUZZ_SECONDS on its corpus.
fuzz-build: setup
	CC=clang cmake -S . -B $(FUZZB) -DTRUCE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(FUZZB) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZB) $(FUZZ_SECONDS)

# A short run of every fuzz target, part of `make test`.
fuzz-smoke: fuzz-build
	sh fuzz/run.sh $(FUZZB) 10

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZB)
