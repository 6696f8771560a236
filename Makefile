# Thin wrapper around CMake.  "make demo" and "make test" first install the
# build dependencies that are missing (apt-get, only when run as root).
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
DEPS := cmake pkg-config gcc make libpcre2-dev libxml2-dev zlib1g-dev libarchive-dev check
# Other EVTX readers the tests and benchmarks compare ours with, and the
# headless browser that loads the HTML report (tests skip those checks when
# they are missing).
CHECK_DEPS := libevtx-utils python3-evtx chromium

# libFuzzer (clang): every fuzz target for FUZZ_SECONDS each, one at a time.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_OUT ?= $(FUZZ_BUILD)/fuzz-out
FUZZ_TARGETS ?= evtx eventxml eventtext eventcsv svclog registry archive cmtrace smstrace \
	errorlog apptext plain textdrive sigdb machine w3c

.PHONY: all deps check-deps install-missing build test demo bench sanitize test-asan \
	test-valgrind fuzz clean

all: build

deps:
	@$(MAKE) --no-print-directory install-missing PKGS="$(DEPS)"

check-deps:
	@$(MAKE) --no-print-directory install-missing PKGS="$(CHECK_DEPS)" OPTIONAL=1

install-missing:
	@missing=""; \
	if command -v dpkg >/dev/null 2>&1; then \
	  for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    { apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } || \
	    { [ -n "$(OPTIONAL)" ] && \
	      echo "note: could not install$$missing; the tests that need them are skipped"; }; \
	  elif [ -n "$(OPTIONAL)" ]; then \
	    echo "note: tests that need$$missing are skipped (not root, not installed)"; \
	  else \
	    echo "missing build dependencies:$$missing"; \
	    echo "run 'make' as root, or: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

test: build check-deps
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# Diagnoses the bundled sample bundle; exit status 1 just means "findings".
demo: build
	@./$(BUILD)/tlsdiag samples/bundle; rc=$$?; [ $$rc -le 1 ] || exit $$rc

bench: build check-deps
	cmake --build $(BUILD) --target bench

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize test-asan: deps check-deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTD_SANITIZE=address,undefined $(CMAKE_FLAGS)
	cmake --build build-asan -j$(JOBS)
	ctest --test-dir build-asan --output-on-failure -j$(JOBS)

# The whole test suite under valgrind memcheck (TD_VALGRIND, tests/CMakeLists.txt):
# every tlsdiag, unit and fuzz-replay run; smaller hostile and corpus inputs.
test-valgrind: deps check-deps
	@command -v valgrind >/dev/null 2>&1 || $(MAKE) --no-print-directory install-missing PKGS=valgrind
	cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTD_VALGRIND=ON $(CMAKE_FLAGS)
	cmake --build build-valgrind -j$(JOBS)
	ctest --test-dir build-valgrind --output-on-failure --timeout 7200 -j$(JOBS)

# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan) and runs each
# on a scratch copy of its seed corpus; fails when any left a crash, leak,
# timeout or out-of-memory input in $(FUZZ_OUT)/crashes.  Not part of "test".
fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTD_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_OUT) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD) build-asan build-valgrind $(FUZZ_BUILD)
