// SPDX-License-Identifier: MIT
//
// core/memory/boot_memory.cpp
// Owns carrying out the boot memory plan on the target (frame table, pools,
// EL2 stage-1 tables, MMU on, controls for secondaries) and the transient map
// slots. Runs on the boot CPU with the MMU off until mmu_enable(): every store
// before it goes straight to memory (Device-type accesses, keel is built
// -mstrict-align), and nothing here takes a lock before the MMU is on.
#include "core/memory/boot_memory.hpp"

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/cpu_local.hpp"
#include "arch/arm64/regs/el2_mmu.hpp"
#include "core/console/log.hpp"
#include "core/percpu.hpp"
#include "lib/check.hpp"
#include "lib/errno.hpp"

extern "C" {
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
}

namespace keel {

namespace {

PhysRange section(const char* start, const char* end)
{
    const uint64_t lo = reinterpret_cast<uint64_t>(start);
    return PhysRange{PhysAddr{lo}, reinterpret_cast<uint64_t>(end) - lo};
}

// Table pages for keel's own stage-1 tables, from the heap pool, reached by the
// identity map. While booting (one CPU, MMU off) the pool is used without its
// lock and no TLB maintenance is needed; once live, broken entries are flushed
// from every CPU's TLB (a whole flush: it covers any range, and keel's stage-1
// changes after boot are rare).
class Stage1Context final : public arm64::TableContext {
public:
    void attach(FramePool& pool) { pool_ = &pool; }
    void set_live() { live_ = true; }

    Result<PhysAddr> alloc_table() override
    {
        const Mfn m = KEEL_TRY(live_ ? pool_->alloc(0) : pool_->unlocked().alloc(0));
        uint64_t* p = table_ptr(m.addr());
        for (uint64_t i = 0; i < kPageSize / sizeof(uint64_t); ++i) p[i] = 0;
        return m.addr();
    }
    void free_table(PhysAddr table) override
    {
        if (live_) {
            pool_->free(Mfn::of(table), 0);
        } else {
            pool_->unlocked().free(Mfn::of(table), 0);
        }
    }
    uint64_t* table_ptr(PhysAddr table) override
    {
        return reinterpret_cast<uint64_t*>(table.raw());
    }
    void entry_broken(uint64_t, unsigned) override
    {
        if (live_) arm64::tlb_flush_all();
    }
    void before_link() override
    {
        if (live_) arm64::dsb_ishst();
    }

private:
    FramePool* pool_ = nullptr;
    bool live_ = false;
};

constinit MemoryManager g_memory;
constinit Stage1Context g_stage1_context;

[[noreturn]] void memory_fatal(const char* what, Errno e)
{
    log("keel: FATAL: memory: {}: {}\n", what, errno_name(e));
    KEEL_PANIC("memory setup failed");
}

template <typename T>
T must(Result<T> r, const char* what)
{
    if (!r.ok()) memory_fatal(what, r.error());
    return r.value();
}
void must(Result<void> r, const char* what)
{
    if (!r.ok()) memory_fatal(what, r.error());
}

uint64_t highest_address(const MemoryLayout& layout, const arm64::El2MapSpec& spec)
{
    uint64_t top = 0;
    auto see = [&top](const PhysRange& r) {
        if (!r.empty() && r.end().raw() > top) top = r.end().raw();
    };
    for (size_t i = 0; i < layout.bank_count; ++i) see(layout.banks[i]);
    for (size_t i = 0; i < spec.device_count; ++i) see(spec.devices[i]);
    see(spec.dtb);
    return top;
}

unsigned current_cpu()
{
    // Before percpu_attach() only the boot CPU (index 0) runs keel code.
    return arm64::cpu_local() == nullptr ? 0 : this_cpu().index;
}

}  // namespace

MemoryManager& memory() { return g_memory; }

void memory_init(const BootInfo& info, PhysRange image, uint64_t heap_extra_bytes,
                 PhysRange console)
{
    MemoryManager& m = g_memory;
    must(plan_memory(info, image, heap_extra_bytes, m.layout_), "cannot plan RAM");
    const MemoryLayout& layout = m.layout_;

    // Frame table at the start of the heap region; every frame starts Reserved.
    auto* storage = reinterpret_cast<FrameInfo*>(layout.heap.base.raw());
    m.frames_.init({layout.banks, layout.bank_count}, storage,
                   layout.frame_table_bytes / sizeof(FrameInfo));

    FrameAllocator& heap = m.heap_.unlocked();
    heap.init(m.frames_, kHeapPoolId);
    const PhysAddr heap_free = layout.heap.base + layout.frame_table_bytes;
    heap.add_free(Mfn::of(heap_free), (layout.heap.end() - heap_free) >> kPageShift);

    FrameAllocator& domain = m.domain_.unlocked();
    domain.init(m.frames_, kDomainPoolId);
    for (size_t i = 0; i < layout.free_count; ++i)
        domain.add_free(Mfn::of(layout.free[i].base), layout.free[i].size >> kPageShift);

    // keel's stage-1 map.
    arm64::El2MapSpec& spec = m.spec_;
    spec = arm64::El2MapSpec{};
    spec.text = section(__text_start, __text_end);
    spec.rodata = section(__rodata_start, __rodata_end);
    spec.data = section(__data_start, __data_end);
    spec.dtb = info.dtb;
    spec.heap = layout.heap;
    spec.add_devices(info);
    if (!console.empty() && info.uart.empty() && spec.device_count < spec.kMaxDevices)
        spec.devices[spec.device_count++] = console;

    const uint8_t pa_range = arm64::Mmfr0::PaRange::get(arm64::IdAa64Mmfr0El1::read());
    const unsigned pa_bits = arm64::pa_bits_of(pa_range < arm64::kPaRange48 ? pa_range
                                                                            : arm64::kPaRange48);
    if (highest_address(layout, spec) > (uint64_t{1} << pa_bits))
        memory_fatal("RAM or a device lies above the CPU's physical address size", Errno::Range);

    g_stage1_context.attach(m.heap_);
    m.stage1_ = must(arm64::Stage1Table::create(g_stage1_context), "stage-1 root table");
    must(arm64::build_el2_identity_map(m.stage1_, spec), "stage-1 identity map");
    must(arm64::prepare_transient_window(m.stage1_, m.transient_), "transient map window");
    must(arm64::prepare_transient_blocks(m.stage1_, m.transient_block_), "transient block window");

    m.controls_ = arm64::MmuControls{
        .mair = arm64::kMairEl2,
        .tcr = arm64::tcr_el2_value(pa_range),
        .ttbr0 = m.stage1_.root().raw(),
        .sctlr = arm64::sctlr_el2_mmu_on(arm64::SctlrEl2::read()),
    };

    // Everything keel wrote with the caches off must not be shadowed by stale
    // lines from an earlier boot stage once they are on.
    arm64::dcache_invalidate_range(layout.heap.base.raw(), layout.heap.size);
    arm64::dcache_invalidate_range(spec.data.base.raw(), spec.data.size);
    arm64::mmu_enable(m.controls_);
    g_stage1_context.set_live();

    // Secondaries read this with their MMU off: clean it to the point of coherency.
    g_secondary_mmu = arm64::SecondaryMmu{m.controls_.mair, m.controls_.tcr,
                                          m.controls_.ttbr0, m.controls_.sctlr};
    arm64::dcache_clean_inval_range(&g_secondary_mmu, sizeof g_secondary_mmu);

    log("memory: RAM {} MiB in {} bank(s), PA size {} bits\n", layout.total_ram_bytes >> 20,
        layout.bank_count, pa_bits);
    log("memory: heap pool [{}, {}) {} KiB (frame table {} KiB), {} frames free\n",
        layout.heap.base, layout.heap.end(), layout.heap.size >> 10,
        layout.frame_table_bytes >> 10, m.heap_.free_frames());
    log("memory: domain pool {} frames free ({} MiB) in {} range(s)\n", m.domain_.free_frames(),
        m.domain_.free_frames() >> (20 - kPageShift), layout.free_count);
    log("memory: EL2 stage-1 on (TCR_EL2 {:#x}, SCTLR_EL2 {:#x}, root {:#x})\n",
        m.controls_.tcr, m.controls_.sctlr, m.controls_.ttbr0);
}

void* MemoryManager::heap_ptr(PhysAddr pa) const
{
    KEEL_CHECK(layout_.heap.contains(pa));
    return reinterpret_cast<void*>(pa.raw());
}

uint64_t* MemoryManager::slot_entry(unsigned slot, unsigned cpu) const
{
    KEEL_CHECK(slot < arm64::kTransientSlotsPerCpu);
    KEEL_CHECK(cpu < config::kMaxCpus);
    return transient_[cpu * arm64::kTransientSlotsPerCpu + slot];
}

VirtAddr MemoryManager::map_transient(PhysAddr frame, unsigned slot, unsigned cpu)
{
    KEEL_CHECK(frame.aligned(kPageSize));
    uint64_t* entry = slot_entry(slot, cpu);
    KEEL_CHECK(__atomic_load_n(entry, __ATOMIC_RELAXED) == 0);  // slot already in use
    __atomic_store_n(entry, arm64::Stage1Table::page_descriptor(frame, arm64::kTransientAttrs),
                     __ATOMIC_RELAXED);
    // The old entry was invalid, and invalid entries are never held in a TLB: no
    // TLBI. The dsb makes the store visible to the table walker, the isb keeps
    // later accesses from being translated before it.
    arm64::dsb_ishst();
    arm64::isb();
    return arm64::transient_va(cpu, slot);
}

void MemoryManager::unmap_transient(unsigned slot, unsigned cpu)
{
    uint64_t* entry = slot_entry(slot, cpu);
    __atomic_store_n(entry, uint64_t{0}, __ATOMIC_RELAXED);
    arm64::tlb_flush_va_local(arm64::transient_va(cpu, slot));
}

VirtAddr MemoryManager::map_transient_block(PhysAddr block, unsigned cpu)
{
    KEEL_CHECK(block.aligned(arm64::kTransientBlockSize));
    KEEL_CHECK(cpu < config::kMaxCpus);
    uint64_t* entry = transient_block_[cpu];
    KEEL_CHECK(__atomic_load_n(entry, __ATOMIC_RELAXED) == 0);  // slot already in use
    __atomic_store_n(entry,
                     arm64::Stage1Table::block_descriptor(block, arm64::kTransientBlockLevel,
                                                          arm64::kTransientAttrs),
                     __ATOMIC_RELAXED);
    arm64::dsb_ishst();  // as map_transient: an invalid entry is never in a TLB
    arm64::isb();
    return arm64::transient_block_va(cpu);
}

void MemoryManager::unmap_transient_block(unsigned cpu)
{
    KEEL_CHECK(cpu < config::kMaxCpus);
    __atomic_store_n(transient_block_[cpu], uint64_t{0}, __ATOMIC_RELAXED);
    // A TLB entry for a block matches any address in it: one TLBI by VA.
    arm64::tlb_flush_va_local(arm64::transient_block_va(cpu));
}

uint64_t free_domain_frames() { return g_memory.domain().free_frames(); }
uint64_t free_heap_frames() { return g_memory.heap().free_frames(); }
uint64_t total_ram_bytes() { return g_memory.layout().total_ram_bytes; }

VirtAddr map_transient(PhysAddr frame, unsigned slot)
{
    return g_memory.map_transient(frame, slot, current_cpu());
}

void unmap_transient(unsigned slot) { g_memory.unmap_transient(slot, current_cpu()); }

VirtAddr map_transient_block(PhysAddr block)
{
    return g_memory.map_transient_block(block, current_cpu());
}

void unmap_transient_block() { g_memory.unmap_transient_block(current_cpu()); }

}  // namespace keel
