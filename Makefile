# keel — front door. `make run` boots keel on QEMU; `make test` runs the host
# unit tests, then the QEMU scenario tests. Everything installs its own
# dependencies through tools/deps.sh (idempotent).
.PHONY: all deps build image host run test unit scenarios tcb clean

BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
QEMU_SMP   ?= 2
QEMU_MEM   ?= 1G
QEMU_CPU   ?= cortex-a57
RUN_APPEND ?=

all: build

deps:
	@tools/deps.sh

$(BUILD)/arm64/Makefile: CMakeLists.txt | deps
	cmake -S . -B $(BUILD)/arm64 -DKEEL_TARGET=arm64 \
	    -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake -DCMAKE_BUILD_TYPE=Release >/dev/null

$(BUILD)/host/Makefile: CMakeLists.txt | deps
	cmake -S . -B $(BUILD)/host -DKEEL_TARGET=host -DCMAKE_BUILD_TYPE=Debug >/dev/null

image: deps $(BUILD)/arm64/Makefile
	cmake --build $(BUILD)/arm64 -j$(JOBS)
	@cp $(BUILD)/arm64/keel.bin $(BUILD)/keel.bin
	@cp $(BUILD)/arm64/hypervisor/keel.elf $(BUILD)/keel.elf

host: deps $(BUILD)/host/Makefile
	cmake --build $(BUILD)/host -j$(JOBS)

build: image host

# Boots keel on QEMU virt and leaves you at its console (Ctrl-A X quits QEMU).
run: image
	qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu $(QEMU_CPU) \
	    -smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -kernel $(BUILD)/keel.bin \
	    $(if $(RUN_APPEND),-append "$(RUN_APPEND)")

unit: host
	cd $(BUILD)/host && ctest --output-on-failure -j$(JOBS)

scenarios: image
	tests/scenarios/run.sh

test: build
	@tests/run-all.sh

tcb:
	@tools/tcb.sh

clean:
	rm -rf $(BUILD)
