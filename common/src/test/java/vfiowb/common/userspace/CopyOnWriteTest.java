package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.VmArea;

/**
 * A private mapping made with {@code remap_pfn_range} (vfio-cdx does not refuse MAP_PRIVATE):
 * the first store copies the page (do_wp_page, wp_page_copy), the device never sees it, fork
 * write-protects the copy in both processes, and only {@code even_cows} zaps it.
 */
class CopyOnWriteTest {
    private static final long MIB = 1L << 20;
    private static final int RW = PROT_READ | PROT_WRITE;

    private static RamDevice dev;

    /** A host whose one device is RAM mapped eagerly, private mappings allowed. */
    private static Process eagerPrivate(Arch arch) {
        FakeHost host = new FakeHost(arch);
        RamDevice d = new RamDevice("cow", arch, host.bus(), MIB, MIB, RamDevice.Mode.EAGER);
        KernelFile file = mock(KernelFile.class);
        when(file.mapping()).thenReturn(d.mapping);
        when(file.name()).thenReturn("cow");
        when(file.mmap(any())).thenAnswer(inv -> {
            VmArea vma = inv.getArgument(0, VmArea.class);
            return Memory.remapPfnRange(vma, vma.vmStart(), d.basePfn() + vma.vmPgoff(),
                    vma.length(), vma.pageProt());
        });
        host.add(d, x -> file);
        dev = d;
        return new Process(host);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theFirstStoreCopiesThePageAndTheDeviceNeverSeesIt(Arch arch) {
        Process p = eagerPrivate(arch);
        dev.ram.write(0, 4, 0x1111);
        dev.ram.write(arch.pageSize(), 4, 0x2222);
        Mapping m = p.mmap(0, 2 * arch.pageSize(), RW, MAP_PRIVATE, p.open("cow"), 0);
        assertEquals(0x1111, m.load(0, 4), "before the store the device page is mapped");
        PageTable.Entry before = p.mm().pageTable().lookup(m.addr());
        assertTrue(before.special() && !before.writable());
        m.store(4, 4, 0x5555);
        assertEquals(0x1111, m.load(0, 4), "the copy holds the old contents");
        assertEquals(0x5555, m.load(4, 4));
        assertEquals(0, dev.ram.read(4, 4), "the device never sees the store");
        PageTable.Entry after = p.mm().pageTable().lookup(m.addr());
        assertTrue(!after.special() && after.writable());
        assertNotEquals(before.pfn(), after.pfn());
        assertEquals(m.pgprot(), after.prot());
        assertEquals(0x2222, m.load(arch.pageSize(), 4), "the other page still maps the device");
        dev.ram.write(arch.pageSize(), 4, 0x3333);
        assertEquals(0x3333, m.load(arch.pageSize(), 4));
    }

    @Test
    void forkWriteProtectsTheCopyInBothProcesses() {
        Process parent = eagerPrivate(Arch.X86_64);
        Mapping m = parent.mmap(0, 4096, RW, MAP_PRIVATE, parent.open("cow"), 0);
        m.store(0, 4, 5);
        Process child = parent.fork();
        Mapping c = child.mappings().get(0);
        assertEquals(5, c.load(0, 4));
        assertFalse(parent.mm().pageTable().lookup(m.addr()).writable());
        c.store(0, 4, 6);
        assertEquals(5, m.load(0, 4), "the child's store stays in the child");
        m.store(0, 4, 7);
        assertEquals(6, c.load(0, 4), "the parent's store stays in the parent");
        assertEquals(7, m.load(0, 4));
        assertEquals(0, dev.ram.read(0, 4));
    }

    @Test
    void onlyEvenCowsZapsTheCopy() {
        Process p = eagerPrivate(Arch.X86_64);
        Mapping m = p.mmap(0, 2 * 4096, RW, MAP_PRIVATE, p.open("cow"), 0);
        m.store(0, 4, 5);
        assertEquals(1, Memory.unmapMappingRange(dev.mapping, 0, 0, false),
                "the device page goes, the private copy stays");
        assertEquals(5, m.load(0, 4));
        assertEquals(1, Memory.unmapMappingRange(dev.mapping, 0, 0, true));
        assertTrue(p.mm().pageTable().entries(m.addr(), m.end()).isEmpty());
    }
}
