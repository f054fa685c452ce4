# keel — front door. `make run` boots keel on QEMU with Debian Linux as dom0 (Xen 4.17's tools)
# and two dom0less domUs, as a Xen user would write it, and leaves you at dom0's console; `make test` runs the host
# unit tests, then the QEMU scenario tests. Everything installs its own
# dependencies through tools/deps.sh (idempotent).
.PHONY: all deps build image host run run-dom0less run-dom0 run-dom0-xen run-bare test unit scenarios tcb clean bench fuzz fuzz-long

BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
QEMU_SMP   ?= 2
QEMU_MEM   ?= 1G
QEMU_CPU   ?= cortex-a57
RUN_APPEND ?= keel.exit_when_idle
RUN_DOMU_MEM_KB ?= 262144
RUN_DOMU_CPUS ?= 2
RUN_DOMU_ARGS ?= console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init keel.action=shell
# -nic none: no default NIC, so QEMU needs no NIC option ROM (ipxe-qemu, a Recommends we skip).
RUN_MACHINE = -machine virt,virtualization=on,gic-version=3 -cpu $(QEMU_CPU) -smp $(QEMU_SMP) -m $(QEMU_MEM) -nic none

# Build steps run quietly (tools/step.sh): their output goes to $(BUILD)/logs/*.log and only a
# failure is shown — the step, its command, the first lines of its error. V=1 shows everything.
# STEP_OK=-v prints one "<step>: ok" line per step; `make run` leaves it empty so that
# the first thing on the terminal is keel's console.
V       ?= 0
STEP_OK ?= -v
STEP     = @KEEL_VERBOSE=$(V) tools/step.sh $(STEP_OK)

all: build

deps:
	@tools/deps.sh

$(BUILD)/arm64/Makefile: CMakeLists.txt | deps
	$(STEP) "configure (arm64)" $(BUILD)/logs/configure-arm64.log -- cmake -S . -B $(BUILD)/arm64 \
	    -DKEEL_TARGET=arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake -DCMAKE_BUILD_TYPE=Release

$(BUILD)/host/Makefile: CMakeLists.txt | deps
	$(STEP) "configure (host)" $(BUILD)/logs/configure-host.log -- cmake -S . -B $(BUILD)/host \
	    -DKEEL_TARGET=host -DCMAKE_BUILD_TYPE=Debug

image: deps $(BUILD)/arm64/Makefile
	$(STEP) "build keel image and test guests ($(BUILD)/arm64)" $(BUILD)/logs/build-arm64.log -- \
	    cmake --build $(BUILD)/arm64 -j$(JOBS)
	@cp $(BUILD)/arm64/keel.bin $(BUILD)/keel.bin
	@cp $(BUILD)/arm64/hypervisor/keel.elf $(BUILD)/keel.elf

host: deps $(BUILD)/host/Makefile
	$(STEP) "build host unit tests ($(BUILD)/host)" $(BUILD)/logs/build-host.log -- \
	    cmake --build $(BUILD)/host -j$(JOBS)

build: image host

# Boots keel on QEMU virt with two Debian arm64 Linux domUs (tools/fetch-guest.sh:
# kernel + busybox initramfs, each domain a shell on its vPL011) from a dom0less
# device tree (tools/make-dom0less-dtb.sh). keel prints each domain's output as
# "(d1) ..."; CTRL-a three times moves console input keel -> d1 -> d2 -> keel.
# QEMU's own escape key is moved to CTRL-] (-echr 0x1d) so CTRL-a reaches keel:
# CTRL-] x quits QEMU. With keel.exit_when_idle (the default RUN_APPEND) QEMU
# also ends once both domains have powered off.
# `make run` boots dom0 (`make run-dom0`); RUN_DEFAULT=dom0less makes it the dom0-less demo.
RUN_DEFAULT ?= dom0
run: run-$(RUN_DEFAULT)

run-dom0less: STEP_OK =
run-dom0less: image
	$(STEP) "make run: the Debian guest (tools/fetch-guest.sh)" $(BUILD)/logs/run-fetch-guest.log -- \
	    tools/fetch-guest.sh --quiet
	@set -e; eval "$$(sed -n 's/^\(kernel\|initrd\) /\1=/p' $(BUILD)/logs/run-fetch-guest.log)"; \
	mkdir -p $(BUILD)/dtbs; \
	tools/make-dom0less-dtb.sh -o $(BUILD)/dtbs/run.dtb -q "$(RUN_MACHINE)" -b "$(RUN_APPEND)" \
	    --domain domU1 --memory $(RUN_DOMU_MEM_KB) --cpus $(RUN_DOMU_CPUS) --kernel "$$kernel" \
	    --ramdisk "$$initrd" --bootargs "$(RUN_DOMU_ARGS) keel.role=domu1" \
	    --domain domU2 --memory $(RUN_DOMU_MEM_KB) --cpus $(RUN_DOMU_CPUS) --kernel "$$kernel" \
	    --ramdisk "$$initrd" --bootargs "$(RUN_DOMU_ARGS) keel.role=domu2" > $(BUILD)/dtbs/run.loaders; \
	echo "make run: CTRL-a CTRL-a CTRL-a switches console input (keel, d1, d2); CTRL-] x quits QEMU"; \
	qemu-system-aarch64 $(RUN_MACHINE) -nographic -echr 0x1d -kernel $(BUILD)/keel.bin \
	    -dtb $(BUILD)/dtbs/run.dtb $$(cat $(BUILD)/dtbs/run.loaders)

# Debian's arm64 Linux as dom0 with Debian's Xen 4.17 tools (toolstack/run-dom0.sh: dom0's
# initramfs from toolstack/make-dom0-initramfs.sh, a virtio-blk disk and a virtio-net NIC on
# QEMU's user network with restrict=on) and two dom0less domUs beside it; dom0 starts
# xenstored, xen-init-dom0, xenconsoled and leaves a shell on its console (xl list, xl info).
# CTRL-a three times switches console input; CTRL-] x quits QEMU. run-dom0-xen: the same
# on Debian's Xen 4.17 (the reference).
RUN_DOM0_MEM    ?= 2G
RUN_DOM0_APPEND ?= console=dtuart dtuart=/pl011@9000000 dom0_mem=768M dom0_max_vcpus=2 bootscrub=0 keel.exit_when_idle
RUN_DOM0_DOMUS  ?= 2
RUN_DOM0_ENV = BUILD=$(BUILD) QEMU_SMP=$(QEMU_SMP) QEMU_CPU=$(QEMU_CPU) QEMU_MEM=$(RUN_DOM0_MEM) \
    RUN_APPEND="$(RUN_DOM0_APPEND)" RUN_DOMUS=$(RUN_DOM0_DOMUS)
run-dom0: STEP_OK =
run-dom0: image
	@$(RUN_DOM0_ENV) toolstack/run-dom0.sh

run-dom0-xen:
	@$(RUN_DOM0_ENV) toolstack/run-dom0.sh --xen

# keel alone on QEMU virt, no domains (CTRL-a x quits QEMU).
run-bare: image
	qemu-system-aarch64 $(RUN_MACHINE) -nographic -kernel $(BUILD)/keel.bin \
	    $(if $(RUN_APPEND),-append "$(RUN_APPEND)")

unit: host
	cd $(BUILD)/host && ctest --output-on-failure -j$(JOBS)

scenarios: image
	tests/scenarios/run.sh

test: build
	@tests/run-all.sh

tcb:
	@tools/tcb.sh

# Every benchmark of docs/perf.md on keel, real Xen 4.17 and bare QEMU, interleaved, both
# clocks (wall and -icount): $(BUILD)/bench/results.{txt,json}, logs in $(BUILD)/bench/logs.
# Not part of `make test` (about 20 minutes). BENCH_ARGS: e.g. "-r 3 -b boot" (bench/run.sh -h).
BENCH_ARGS ?=
bench: image
	BUILD=$(BUILD) bench/run.sh $(BENCH_ARGS)

# libFuzzer harnesses (tests/fuzz/, clang + ASan/UBSan over keel's pure sources),
# each run FUZZ_SECONDS (default 60); fails on any crash. Not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) tests/fuzz/run.sh

# The long run: every harness FUZZ_LONG_SECONDS (default 300; ~45 min for all), its corpus
# kept between runs in $${XDG_CACHE_HOME:-~/.cache}/keel/fuzz/corpus/ (merged back with
# -merge=1, so coverage grows); a failure is classified as a harness or a keel bug.
FUZZ_LONG_SECONDS ?= 300
fuzz-long: deps
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_LONG_SECONDS) FUZZ_KEEP_CORPUS=1 FUZZ_JOBS=$(JOBS) tests/fuzz/run.sh

clean:
	rm -rf $(BUILD)
