package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmOperations;

/**
 * A kernel bug inside a call becomes what the thread sees (EFAULT for a system call, SIGSEGV for
 * an access through a mapping), carries the bug, is logged in the process's dmesg, and the
 * process goes on.
 */
class KernelBugBoundaryTest {
    private static final KernelBug READ_BUG = new KernelBug("drivers/x/y.c:y_read",
            KernelBug.Kind.OUT_OF_BOUNDS, "read past an array");
    private static final KernelBug FAULT_BUG = new KernelBug("mm/memory.c:vmf_insert_pfn_prot",
            KernelBug.Kind.BUG_ON, "private PFN map");

    private static Process buggy() {
        FakeHost host = new FakeHost(Arch.X86_64);
        VmOperations oops = new VmOperations() {
            @Override
            public VmFaultResult fault(VmFault vmf) {
                throw new KernelBugException(FAULT_BUG);
            }

            @Override
            public String name() {
                return "oops_ops";
            }
        };
        KernelFile file = mock(KernelFile.class);
        when(file.mapping()).thenReturn(new AddressSpace(Arch.X86_64, "buggy"));
        when(file.name()).thenReturn("buggy");
        when(file.read(any(), anyLong(), anyLong())).thenThrow(new KernelBugException(READ_BUG));
        when(file.write(any(), anyLong(), anyLong())).thenReturn(4L);
        when(file.unlockedIoctl(anyInt(), any())).thenThrow(new IllegalStateException("model bug"));
        when(file.mmap(any())).thenAnswer(inv -> {
            inv.getArgument(0, VmArea.class).setVmOps(oops);
            return 0;
        });
        host.add(() -> "buggy", d -> file);
        return new Process(host);
    }

    @Test
    void aSystemCallFailsWithEfaultCarryingTheBug() {
        Process p = buggy();
        int fd = p.open("buggy");
        ErrnoException e = assertThrows(ErrnoException.class, () -> p.pread(fd, new byte[4], 0));
        assertEquals(Errno.EFAULT, e.errno());
        assertEquals(READ_BUG, e.kernelBug().orElseThrow());
        assertEquals(List.of(READ_BUG), p.kernelBugs());
        assertEquals(4, p.pwrite(fd, new byte[4], 0), "the process goes on");
        p.close(fd);
    }

    @Test
    void aFaultGetsSigsegvCarryingTheBug() {
        Process p = buggy();
        Mapping m = p.mmap(0, 4096, PROT_READ, MAP_SHARED, p.open("buggy"), 0);
        SegvException e = assertThrows(SegvException.class, () -> m.load(0, 4));
        assertEquals(FAULT_BUG, e.kernelBug().orElseThrow());
        assertEquals(m.addr(), e.address());
        assertThrows(SegvException.class, () -> m.touchAll());
        assertEquals(List.of(FAULT_BUG, FAULT_BUG), p.kernelBugs());
        assertFalse(assertThrows(SegvException.class, () -> m.load(8192, 4)).kernelBug().isPresent(),
                "an ordinary SIGSEGV carries no bug");
    }

    @Test
    void aModelBugIsNeitherAnErrnoNorAKernelBug() {
        Process p = buggy();
        int fd = p.open("buggy");
        assertThrows(IllegalStateException.class, () -> p.ioctl(fd, 1, 0L));
        assertTrue(p.kernelBugs().isEmpty());
    }

    @Test
    void theObserverSeesTheConvertedFailure() {
        Process p = buggy();
        int fd = p.open("buggy");
        List<RuntimeException> seen = new ArrayList<>();
        p.setObserver(new SyscallObserver() {
            @Override
            public void enter(Process pr, String name, List<Object> args) {}

            @Override
            public void exit(Process pr, String name, List<Object> args, Object result,
                    RuntimeException failure) {
                seen.add(failure);
            }
        });
        ErrnoException e = assertThrows(ErrnoException.class, () -> p.pread(fd, new byte[4], 0));
        assertSame(e, seen.get(0));
        assertTrue(p.fork().kernelBugs().isEmpty(), "a child starts with its own log");
    }
}
