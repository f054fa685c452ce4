# tests/scenarios/boot-stub/boot_stub.cmake
# Included by the arm64 build: assembles stub.S into a raw binary,
# ${CMAKE_BINARY_DIR}/boot-stub.bin (where tests/scenarios/run.sh looks), for the malformed-DT scenarios
# (tools/make-bad-dtbs.sh makes the DTBs). BOOT_STUB_DTB_ADDR / BOOT_STUB_KEEL_ADDR
# override where the stub expects the DTB and keel.
set(BOOT_STUB_DTB_ADDR 0x48000000 CACHE STRING "DTB address the boot stub passes in x0")
set(BOOT_STUB_KEEL_ADDR 0x40200000 CACHE STRING "address the boot stub jumps to")
set(BOOT_STUB_SRC ${CMAKE_SOURCE_DIR}/tests/scenarios/boot-stub/stub.S)
set(BOOT_STUB_DIR ${CMAKE_BINARY_DIR}/boot-stub)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/boot-stub.bin
    COMMAND ${CMAKE_COMMAND} -E make_directory ${BOOT_STUB_DIR}
    COMMAND ${CMAKE_ASM_COMPILER} -c -DDTB_ADDR=${BOOT_STUB_DTB_ADDR} -DKEEL_ADDR=${BOOT_STUB_KEEL_ADDR}
            -o ${BOOT_STUB_DIR}/stub.o ${BOOT_STUB_SRC}
    COMMAND ${CMAKE_OBJCOPY} -O binary ${BOOT_STUB_DIR}/stub.o ${CMAKE_BINARY_DIR}/boot-stub.bin
    DEPENDS ${BOOT_STUB_SRC}
    COMMENT "boot-stub.bin")
add_custom_target(boot_stub ALL DEPENDS ${CMAKE_BINARY_DIR}/boot-stub.bin)
