package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static vfiowb.common.mm.Mman.MAP_ANONYMOUS;
import static vfiowb.common.mm.Mman.MAP_FIXED;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.MAP_SHARED_VALIDATE;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.EnumSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.Device;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFlag;

/** Every errno the mmap syscall path gives before (and when) the driver is called. */
class MmapErrnoTest {
    private static final int RW = PROT_READ | PROT_WRITE;

    /** A process with one device whose file is a Mockito mock that accepts every mmap. */
    private static final class Rig {
        final KernelFile file = mock(KernelFile.class);
        final Process p;
        final int fd;
        final AddressSpace mapping;

        Rig(Arch arch) {
            FakeHost host = new FakeHost(arch);
            mapping = new AddressSpace(arch, "mock");
            when(file.mapping()).thenReturn(mapping);
            when(file.name()).thenReturn("/dev/mock");
            when(file.mmap(any())).thenReturn(0);
            Device d = () -> "mock";
            host.add(d, dev -> file);
            p = new Process(host);
            fd = p.open("mock");
        }

        int errno(Executable call) {
            return assertThrows(ErrnoException.class, call).errno();
        }

        void assertDriverNotCalled() {
            verify(file, never()).mmap(any());
            assertEquals(0, p.mm().mapCount());
            assertFalse(mapping.mapped());
            assertEquals(0, p.mm().pageTable().totalEntries());
        }
    }

    @Nested
    class BeforeTheDriver {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void lengthZeroIsEinval(Arch arch) {
            Rig r = new Rig(arch);
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 0, RW, MAP_SHARED, r.fd, 0)));
            r.assertDriverNotCalled();
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void anUnalignedOffsetIsEinvalEvenBeforeTheFdIsLookedUp(Arch arch) {
            Rig r = new Rig(arch);
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd, 0x10)));
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, 99, 0x10)));
            assertEquals(Errno.EBADF, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, 99, 0)));
            r.assertDriverNotCalled();
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void aMappingTypeOtherThanSharedOrPrivateIsEinval(Arch arch) {
            Rig r = new Rig(arch);
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, 0, r.fd, 0)));
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, 0x04, r.fd, 0)));
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_FIXED, r.fd, 0)));
            r.assertDriverNotCalled();
        }

        @Test
        void sharedPlusPrivateIsMapSharedValidateWhichChecksFlags() {
            Rig r = new Rig(Arch.X86_64);
            int mapSync = 0x80000;
            assertEquals(Errno.EOPNOTSUPP, r.errno(() -> r.p.mmap(0, 4096, RW,
                    MAP_SHARED_VALIDATE | mapSync, r.fd, 0)));
            r.assertDriverNotCalled();
            r.p.mmap(0, 4096, RW, MAP_SHARED | mapSync, r.fd, 0);
            Mapping m = r.p.mmap(0, 4096, RW, MAP_SHARED | MAP_PRIVATE, r.fd, 0);
            assertTrue(m.vma().hasFlag(VmFlag.VM_SHARED));
        }

        @Test
        void pageAlignOverflowIsEnomem() {
            Rig x86 = new Rig(Arch.X86_64);
            assertEquals(Errno.ENOMEM, x86.errno(() -> x86.p.mmap(0, -1L, RW, MAP_SHARED, x86.fd, 0)));
            Rig i386 = new Rig(Arch.I386);
            assertEquals(Errno.ENOMEM, i386.errno(() -> i386.p.mmap(0, 0xFFFF_F001L, RW, MAP_SHARED,
                    i386.fd, 0)));
            assertEquals(Errno.ENOMEM, i386.errno(() -> i386.p.mmap(0, 1L << 32, RW, MAP_SHARED,
                    i386.fd, 0)));
            x86.assertDriverNotCalled();
            i386.assertDriverNotCalled();
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void moreThanTheAddressSpaceIsEnomem(Arch arch) {
            Rig r = new Rig(arch);
            long tooBig = r.p.mm().taskSize() + 4096;
            assertEquals(Errno.ENOMEM, r.errno(() -> r.p.mmap(0, tooBig, RW, MAP_SHARED, r.fd, 0)));
            r.assertDriverNotCalled();
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void fixedAddressesMustBeAlignedAndInsideUserSpace(Arch arch) {
            Rig r = new Rig(arch);
            long top = r.p.mm().taskSize();
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0x1000_0800L, 4096, RW,
                    MAP_SHARED | MAP_FIXED, r.fd, 0)));
            assertEquals(Errno.ENOMEM, r.errno(() -> r.p.mmap(top - 4096, 8192, RW,
                    MAP_SHARED | MAP_FIXED, r.fd, 0)));
            r.assertDriverNotCalled();
            assertEquals(top - 4096, r.p.mmap(top - 4096, 4096, RW, MAP_SHARED | MAP_FIXED, r.fd, 0)
                    .addr());
        }
    }

    @Nested
    class ThirtyTwoBit {
        private final Rig r = new Rig(Arch.I386);

        @Test
        void offsetsPast4GibAreEoverflowFromFileMmapOk() {
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    7L << 40)));
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    1L << 32)));
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    0xFFFF_F000L)), "the last page would end at 4 GiB, one past ULONG_MAX");
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 8192, RW, MAP_SHARED, r.fd,
                    0xFFFF_E000L)));
            r.assertDriverNotCalled();
            Mapping m = r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd, 0xFFFF_E000L);
            assertEquals(0xFFFFEL, m.vma().vmPgoff());
        }

        @Test
        void offsetsPastMmap2sReachAreRefusedByTheCLibraryWithEinval() {
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    1L << 44)));
            assertEquals(Errno.EINVAL, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, -1,
                    16L << 40)), "before the fd is looked up");
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    15L << 40)), "the last page number that fits reaches the kernel");
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 8192, RW, MAP_SHARED, r.fd,
                    0xFFFF_FFFFL << 12)), "pgoff + pages wraps a 32-bit unsigned long");
            r.assertDriverNotCalled();
        }

        @Test
        void fopUnsignedOffsetWouldLiftTheLimit() {
            when(r.file.fopUnsignedOffset()).thenReturn(true);
            Mapping m = r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd, 7L << 40);
            assertEquals(7L << 28, m.vma().vmPgoff());
        }
    }

    @Nested
    class SixtyFourBit {
        private final Rig r = new Rig(Arch.X86_64);

        @Test
        void theFortyBitLayoutFitsAndTheDriverSeesThePgoff() {
            Mapping m = r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd, 7L << 40);
            ArgumentCaptor<VmArea> vma = ArgumentCaptor.forClass(VmArea.class);
            verify(r.file, times(1)).mmap(vma.capture());
            assertEquals(7L << 28, vma.getValue().vmPgoff());
            assertEquals(m.addr(), vma.getValue().vmStart());
            assertEquals(EnumSet.of(VmFlag.VM_READ, VmFlag.VM_WRITE, VmFlag.VM_SHARED,
                    VmFlag.VM_MAYSHARE), vma.getValue().vmFlags());
            assertTrue(r.mapping.mapped());
        }

        @Test
        void aNegativeOffsetIsAHugeUnsignedOneAndOverflows() {
            assertEquals(Errno.EOVERFLOW, r.errno(() -> r.p.mmap(0, 4096, RW, MAP_SHARED, r.fd,
                    -4096)));
            r.assertDriverNotCalled();
        }

        @Test
        void anonymousMappingsNeedNoFile() {
            Mapping m = r.p.mmap(0, 8192, 0, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            assertTrue(m.vma().isAnonymous());
            assertEquals(-1, m.fd());
            assertThrows(SegvException.class, () -> m.load(0, 4), "PROT_NONE");
            verify(r.file, never()).mmap(any());
            assertFalse(r.mapping.mapped());
        }
    }

    @Nested
    class AtTheDriver {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
        void mapPrivateReachesTheDriverWithoutVmShared(Arch arch) {
            FakeHost host = new FakeHost(arch);
            RamDevice dev = host.addRam("ram", 1 << 20, 1 << 20, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            int fd = p.open("ram");
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> p.mmap(0, 4096, RW, MAP_PRIVATE, fd, 0));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(1, dev.mmapCalls.get());
            assertEquals(EnumSet.of(VmFlag.VM_READ, VmFlag.VM_WRITE), dev.lastMmapFlags);
            assertEquals(0, p.mm().mapCount());
            assertFalse(dev.mapping.mapped());
        }

        @Test
        void aDriverThatFailsAfterInstallingEntriesLeavesNothingBehind() {
            FakeHost host = new FakeHost(Arch.X86_64);
            RamDevice dev = host.addRam("bad", 4 << 20, 1 << 20, RamDevice.Mode.FAILING);
            Process p = new Process(host);
            int fd = p.open("bad");
            assertEquals(Errno.ENOMEM, assertThrows(ErrnoException.class,
                    () -> p.mmap(0, 4 << 20, RW, MAP_SHARED, fd, 0)).errno());
            assertEquals(0, p.mm().mapCount());
            assertFalse(dev.mapping.mapped());
            assertEquals(0, p.mm().pageTable().totalEntries());
            assertEquals(0, p.mm().pageTable().pteTableCount());
            assertEquals(0, p.mm().pageTable().pmdTableCount());
            assertEquals(1, p.file(fd).fileCount(), "the VMA's file reference was dropped");
            assertTrue(p.mappings().isEmpty());
        }

        @Test
        void mapFixedOverAMappingThatThenFailsLeavesAHole() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("ram", 1 << 20, 1 << 20, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            int fd = p.open("ram");
            Mapping m = p.mmap(0, 8192, RW, MAP_SHARED, fd, 0);
            m.store(0, 4, 1);
            assertThrows(ErrnoException.class,
                    () -> p.mmap(m.addr(), 4096, RW, MAP_PRIVATE | MAP_FIXED, fd, 0));
            assertThrows(SegvException.class, () -> m.load(0, 4));
            assertEquals(1, m.load(4096, 4) + 1, "the second page survives");
        }
    }
}
