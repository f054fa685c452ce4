// SPDX-License-Identifier: MIT
//
// guests/hostile/insns.hpp
// Owns the C++ view of insns.S: the loads/stores, conduits, DC set/way
// operations and the table of system-register accessors (generated from the
// RW/RD/WR lines there; keep the two in step).
#pragma once
#include <cstdint>

extern "C" {
uint64_t hostile_ld8(uint64_t);
uint64_t hostile_ld16(uint64_t);
uint64_t hostile_ld32(uint64_t);
uint64_t hostile_ld64(uint64_t);
void hostile_st8(uint64_t, uint64_t);
void hostile_st16(uint64_t, uint64_t);
void hostile_st32(uint64_t, uint64_t);
void hostile_st64(uint64_t, uint64_t);
uint64_t hostile_ldp(uint64_t);
void hostile_stp(uint64_t, uint64_t);
uint64_t hostile_ld_post(uint64_t);
void hostile_call(uint64_t);
uint64_t hostile_hvc0(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_hvc1(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_hvc_ea0(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_hvc_ea2(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_hvc_ffff(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_smc0(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_smc1(uint64_t, uint64_t, uint64_t, uint64_t);
uint64_t hostile_smc_ffff(uint64_t, uint64_t, uint64_t, uint64_t);
void hostile_dc_isw(uint64_t);
void hostile_dc_csw(uint64_t);
void hostile_dc_cisw(uint64_t);
void hostile_sync_icache();
void hostile_set_vbar(uint64_t);
uint64_t hostile_rd_impdef_0_c15_c0_0();
void hostile_wr_impdef_0_c15_c0_0(uint64_t);
uint64_t hostile_rd_impdef_1_c15_c2_0();
void hostile_wr_impdef_1_c15_c2_0(uint64_t);
uint64_t hostile_rd_impdef_1_c15_c2_1();
void hostile_wr_impdef_1_c15_c2_1(uint64_t);
uint64_t hostile_rd_impdef_1_c11_c0_2();
void hostile_wr_impdef_1_c11_c0_2(uint64_t);
uint64_t hostile_rd_impdef_1_c11_c0_3();
void hostile_wr_impdef_1_c11_c0_3(uint64_t);
uint64_t hostile_rd_impdef_7_c15_c7_7();
void hostile_wr_impdef_7_c15_c7_7(uint64_t);
uint64_t hostile_rd_impdef_4_c15_c0_0();
void hostile_wr_impdef_4_c15_c0_0(uint64_t);
uint64_t hostile_rd_actlr_el1();
void hostile_wr_actlr_el1(uint64_t);
uint64_t hostile_rd_pmcr_el0();
void hostile_wr_pmcr_el0(uint64_t);
uint64_t hostile_rd_pmccntr_el0();
void hostile_wr_pmccntr_el0(uint64_t);
uint64_t hostile_rd_pmcntenset_el0();
void hostile_wr_pmcntenset_el0(uint64_t);
uint64_t hostile_rd_pmuserenr_el0();
void hostile_wr_pmuserenr_el0(uint64_t);
uint64_t hostile_rd_pmselr_el0();
void hostile_wr_pmselr_el0(uint64_t);
uint64_t hostile_rd_pmxevtyper_el0();
void hostile_wr_pmxevtyper_el0(uint64_t);
uint64_t hostile_rd_pmovsclr_el0();
void hostile_wr_pmovsclr_el0(uint64_t);
uint64_t hostile_rd_pmintenclr_el1();
void hostile_wr_pmintenclr_el1(uint64_t);
uint64_t hostile_rd_mdccint_el1();
void hostile_wr_mdccint_el1(uint64_t);
uint64_t hostile_rd_dbgbvr0_el1();
void hostile_wr_dbgbvr0_el1(uint64_t);
uint64_t hostile_rd_dbgbcr0_el1();
void hostile_wr_dbgbcr0_el1(uint64_t);
uint64_t hostile_rd_dbgwvr0_el1();
void hostile_wr_dbgwvr0_el1(uint64_t);
uint64_t hostile_rd_dbgwcr0_el1();
void hostile_wr_dbgwcr0_el1(uint64_t);
uint64_t hostile_rd_dbgclaimset_el1();
void hostile_wr_dbgclaimset_el1(uint64_t);
uint64_t hostile_rd_osdlr_el1();
void hostile_wr_osdlr_el1(uint64_t);
uint64_t hostile_rd_oseccr_el1();
void hostile_wr_oseccr_el1(uint64_t);
uint64_t hostile_rd_cntp_ctl_el0();
void hostile_wr_cntp_ctl_el0(uint64_t);
uint64_t hostile_rd_cntp_cval_el0();
void hostile_wr_cntp_cval_el0(uint64_t);
uint64_t hostile_rd_cntp_tval_el0();
void hostile_wr_cntp_tval_el0(uint64_t);
uint64_t hostile_rd_icc_sgi1r_el1();
void hostile_wr_icc_sgi1r_el1(uint64_t);
uint64_t hostile_rd_icc_asgi1r_el1();
void hostile_wr_icc_asgi1r_el1(uint64_t);
uint64_t hostile_rd_icc_sgi0r_el1();
void hostile_wr_icc_sgi0r_el1(uint64_t);
uint64_t hostile_rd_mdccsr_el0();
uint64_t hostile_rd_mdrar_el1();
uint64_t hostile_rd_oslsr_el1();
uint64_t hostile_rd_dbgauthstatus_el1();
uint64_t hostile_rd_id_aa64dfr0_el1();
uint64_t hostile_rd_id_aa64isar0_el1();
uint64_t hostile_rd_id_aa64mmfr0_el1();
uint64_t hostile_rd_id_aa64pfr0_el1();
uint64_t hostile_rd_ccsidr_el1();
uint64_t hostile_rd_clidr_el1();
uint64_t hostile_rd_ctr_el0();
uint64_t hostile_rd_pmceid0_el0();
uint64_t hostile_rd_cntpct_el0();
void hostile_wr_oslar_el1(uint64_t);
void hostile_wr_pmswinc_el0(uint64_t);
void hostile_wr_csselr_el1(uint64_t);
}

namespace hostile {

struct SysregAccessor {
    const char* name;
    uint64_t (*read)();
    void (*write)(uint64_t);
};
inline constexpr SysregAccessor kSysregs[] = {
    {"impdef_0_c15_c0_0", hostile_rd_impdef_0_c15_c0_0, hostile_wr_impdef_0_c15_c0_0},
    {"impdef_1_c15_c2_0", hostile_rd_impdef_1_c15_c2_0, hostile_wr_impdef_1_c15_c2_0},
    {"impdef_1_c15_c2_1", hostile_rd_impdef_1_c15_c2_1, hostile_wr_impdef_1_c15_c2_1},
    {"impdef_1_c11_c0_2", hostile_rd_impdef_1_c11_c0_2, hostile_wr_impdef_1_c11_c0_2},
    {"impdef_1_c11_c0_3", hostile_rd_impdef_1_c11_c0_3, hostile_wr_impdef_1_c11_c0_3},
    {"impdef_7_c15_c7_7", hostile_rd_impdef_7_c15_c7_7, hostile_wr_impdef_7_c15_c7_7},
    {"impdef_4_c15_c0_0", hostile_rd_impdef_4_c15_c0_0, hostile_wr_impdef_4_c15_c0_0},
    {"actlr_el1", hostile_rd_actlr_el1, hostile_wr_actlr_el1},
    {"pmcr_el0", hostile_rd_pmcr_el0, hostile_wr_pmcr_el0},
    {"pmccntr_el0", hostile_rd_pmccntr_el0, hostile_wr_pmccntr_el0},
    {"pmcntenset_el0", hostile_rd_pmcntenset_el0, hostile_wr_pmcntenset_el0},
    {"pmuserenr_el0", hostile_rd_pmuserenr_el0, hostile_wr_pmuserenr_el0},
    {"pmselr_el0", hostile_rd_pmselr_el0, hostile_wr_pmselr_el0},
    {"pmxevtyper_el0", hostile_rd_pmxevtyper_el0, hostile_wr_pmxevtyper_el0},
    {"pmovsclr_el0", hostile_rd_pmovsclr_el0, hostile_wr_pmovsclr_el0},
    {"pmintenclr_el1", hostile_rd_pmintenclr_el1, hostile_wr_pmintenclr_el1},
    {"mdccint_el1", hostile_rd_mdccint_el1, hostile_wr_mdccint_el1},
    {"dbgbvr0_el1", hostile_rd_dbgbvr0_el1, hostile_wr_dbgbvr0_el1},
    {"dbgbcr0_el1", hostile_rd_dbgbcr0_el1, hostile_wr_dbgbcr0_el1},
    {"dbgwvr0_el1", hostile_rd_dbgwvr0_el1, hostile_wr_dbgwvr0_el1},
    {"dbgwcr0_el1", hostile_rd_dbgwcr0_el1, hostile_wr_dbgwcr0_el1},
    {"dbgclaimset_el1", hostile_rd_dbgclaimset_el1, hostile_wr_dbgclaimset_el1},
    {"osdlr_el1", hostile_rd_osdlr_el1, hostile_wr_osdlr_el1},
    {"oseccr_el1", hostile_rd_oseccr_el1, hostile_wr_oseccr_el1},
    {"cntp_ctl_el0", hostile_rd_cntp_ctl_el0, hostile_wr_cntp_ctl_el0},
    {"cntp_cval_el0", hostile_rd_cntp_cval_el0, hostile_wr_cntp_cval_el0},
    {"cntp_tval_el0", hostile_rd_cntp_tval_el0, hostile_wr_cntp_tval_el0},
    {"icc_sgi1r_el1", hostile_rd_icc_sgi1r_el1, hostile_wr_icc_sgi1r_el1},
    {"icc_asgi1r_el1", hostile_rd_icc_asgi1r_el1, hostile_wr_icc_asgi1r_el1},
    {"icc_sgi0r_el1", hostile_rd_icc_sgi0r_el1, hostile_wr_icc_sgi0r_el1},
    {"mdccsr_el0", hostile_rd_mdccsr_el0, nullptr},
    {"mdrar_el1", hostile_rd_mdrar_el1, nullptr},
    {"oslsr_el1", hostile_rd_oslsr_el1, nullptr},
    {"dbgauthstatus_el1", hostile_rd_dbgauthstatus_el1, nullptr},
    {"id_aa64dfr0_el1", hostile_rd_id_aa64dfr0_el1, nullptr},
    {"id_aa64isar0_el1", hostile_rd_id_aa64isar0_el1, nullptr},
    {"id_aa64mmfr0_el1", hostile_rd_id_aa64mmfr0_el1, nullptr},
    {"id_aa64pfr0_el1", hostile_rd_id_aa64pfr0_el1, nullptr},
    {"ccsidr_el1", hostile_rd_ccsidr_el1, nullptr},
    {"clidr_el1", hostile_rd_clidr_el1, nullptr},
    {"ctr_el0", hostile_rd_ctr_el0, nullptr},
    {"pmceid0_el0", hostile_rd_pmceid0_el0, nullptr},
    {"cntpct_el0", hostile_rd_cntpct_el0, nullptr},
    {"oslar_el1", nullptr, hostile_wr_oslar_el1},
    {"pmswinc_el0", nullptr, hostile_wr_pmswinc_el0},
    {"csselr_el1", nullptr, hostile_wr_csselr_el1},
};

}  // namespace hostile
