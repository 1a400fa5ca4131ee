# securebase: the two quick-start commands and a few conveniences.
#   make run    install missing Debian packages, build (release), run the seed scenarios
#   make test   the same setup, then the whole suite, plain and under ASan+UBSan (+ fuzz)

JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
BUILD     ?= build
ASAN      ?= build-asan
CMAKE_GEN  = -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: all bootstrap build run test test-plain test-asan bench fuzz valgrind clean

all: build

bootstrap:
	@sh scripts/bootstrap

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_GEN)

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/securebase simulate seed --out out/seed --trajectories 20 --plot

test: test-plain test-asan

test-plain: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN)/CMakeCache.txt: | bootstrap
	CC=clang cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_SANITIZE=ON -DSB_FUZZ=ON $(CMAKE_GEN)

test-asan: bootstrap $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run

valgrind: build
	scripts/valgrind-tests $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) out
