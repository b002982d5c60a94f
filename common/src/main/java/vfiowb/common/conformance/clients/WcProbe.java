package vfiowb.common.conformance.clients;

import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.PgProt;
import vfiowb.common.userspace.Mapping;

/**
 * What a mapping really got, read the way a debugger reads it: the protection the driver put in
 * the VMA, and the memory type of the page-table entry a fault installed (on x86 the PAT
 * memtype wins over the VMA's: {@link vfiowb.common.mm.PatMemtype}).
 *
 * @param vma the VMA's {@code vm_page_prot}
 * @param pte the entry's protection, or null while nothing is faulted in at that offset
 * @param memoryType the entry's hardware memory type on the arch ({@code WC}, {@code UC-},
 *     {@code Normal-NC}, ...), or the VMA's when nothing is faulted in
 */
public record WcProbe(PgProt vma, PgProt pte, String memoryType) {
    /** The mapping's protections at {@code offset}. */
    public static WcProbe of(Mapping m, long offset) {
        Arch arch = m.process().arch();
        PageTable.Entry e = m.process().mm().pageTable().lookup(m.addr() + offset);
        PgProt pte = e == null ? null : e.prot();
        return new WcProbe(m.pgprot(), pte, (pte == null ? m.pgprot() : pte).memoryType(arch));
    }

    /** Whether stores through the entry combine: WC on x86, Normal-NC on arm64. */
    public boolean combines() {
        return pte == PgProt.WC;
    }

    @Override
    public String toString() {
        return "vm_page_prot " + vma + ", pte " + (pte == null ? "-" : pte) + " (" + memoryType + ")";
    }
}
