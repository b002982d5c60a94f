package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmOperations;

/** Loads, stores, pread/pwrite and ioctl through the boundary. */
class AccessTest {
    private static final long MIB = 1L << 20;
    private static final int RW = PROT_READ | PROT_WRITE;

    @Nested
    class ThroughAMapping {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void storesReachTheDeviceAndPreadSeesThem(Arch arch) {
            FakeHost host = new FakeHost(arch);
            host.addRam("bar", 4 * MIB, 4 * MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            int fd = p.open("bar");
            Mapping m = p.mmap(0, 4 * MIB, RW, MAP_SHARED, fd, 0);
            m.store(3 * MIB + 8, 8, 0x0102_0304_0506_0708L);
            byte[] buf = new byte[4];
            assertEquals(4, p.pread(fd, buf, 3 * MIB + 8));
            assertArrayEquals(new byte[] {8, 7, 6, 5}, buf);
            p.pwrite(fd, new byte[] {(byte) 0xee}, 100);
            assertEquals(0xee, m.load(100, 1));
            assertEquals(PgProt.UC, m.pgprot());
            assertEquals("UC-", m.pgprot().memoryType(Arch.X86_64));
        }

        @Test
        void protectionIsEnforcedBySigsegv() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", MIB, MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            int fd = p.open("bar");
            Mapping ro = p.mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
            assertEquals(0, ro.load(0, 4));
            SegvException e = assertThrows(SegvException.class, () -> ro.store(0, 4, 1));
            assertEquals(ro.addr(), e.address());
            assertThrows(SegvException.class, () -> ro.load(4096, 4), "past the end");
            p.munmap(ro);
            assertThrows(SegvException.class, () -> ro.load(0, 4), "after munmap");
            assertNull(ro.vma());
        }

        @Test
        void aHandlerThatClaimsSuccessWithoutMappingIsAModelBug() {
            FakeHost host = new FakeHost(Arch.X86_64);
            VmOperations liar = new VmOperations() {
                @Override
                public VmFaultResult fault(VmFault vmf) {
                    return VmFaultResult.NOPAGE;
                }

                @Override
                public String name() {
                    return "liar_ops";
                }
            };
            KernelFile file = mock(KernelFile.class);
            when(file.mapping()).thenReturn(new AddressSpace(Arch.X86_64, "liar"));
            when(file.mmap(any())).thenAnswer(inv -> {
                inv.getArgument(0, VmArea.class).setVmOps(liar);
                return 0;
            });
            host.add(() -> "liar", d -> file);
            Process p = new Process(host);
            Mapping m = p.mmap(0, 4096, RW, MAP_SHARED, p.open("liar"), 0);
            assertThrows(IllegalStateException.class, () -> m.load(0, 4));
        }

        @Test
        void accessesMustBeNaturalSizedAndInOnePage() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", MIB, MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            Mapping m = p.mmap(0, 8192, RW, MAP_SHARED, p.open("bar"), 0);
            assertThrows(IllegalArgumentException.class, () -> m.load(0, 3));
            assertThrows(IllegalArgumentException.class, () -> m.load(4094, 4));
        }
    }

    @Nested
    class ReadWrite {
        private final FakeHost host = new FakeHost(Arch.I386);
        private final RamDevice dev = host.addRam("bar", MIB, MIB, RamDevice.Mode.LAZY);
        private final Process p = new Process(host);
        private final int fd = p.open("bar");

        @Test
        void negativeOffsetsAreEinvalBeforeTheFd() {
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> p.pread(99, new byte[4], -1)).errno());
            assertEquals(Errno.EBADF, assertThrows(ErrnoException.class,
                    () -> p.pread(99, new byte[4], 0)).errno());
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> p.pwrite(fd, new byte[4], Long.MAX_VALUE - 1)).errno());
        }

        @Test
        void shortTransfersAndDriverErrnos() {
            assertEquals(2, p.pread(fd, new byte[8], MIB - 2));
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> p.pread(fd, new byte[8], MIB)).errno());
            assertEquals(0, dev.releases.get());
        }
    }

    @Nested
    class Ioctl {
        private final FakeHost host = new FakeHost(Arch.X86_64);
        private final RamDevice dev = host.addRam("bar", MIB, MIB, RamDevice.Mode.LAZY);
        private final Process p = new Process(host);
        private final int fd = p.open("bar");

        @Test
        void theReplyLandsInTheCallersBufferAndNothingPastIt() {
            byte[] arg = new byte[64];
            arg[0] = 64;
            UserBuffer ub = UserBuffer.wrap(arg);
            assertEquals(0, p.ioctl(fd, RamFile.IOCTL_INFO, ub));
            assertEquals(16, ub.writtenEnd());
            assertEquals(0x10, arg[4 + 2], "size 1 MiB, little-endian");
            assertTrue(ub.readRanges().get(0).end() <= 4);
        }

        @Test
        void errnosSurfaceAsExceptions() {
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, RamFile.IOCTL_INFO, new byte[] {8, 0, 0, 0})).errno());
            assertEquals(Errno.EFAULT, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, RamFile.IOCTL_INFO, (byte[]) null)).errno());
            assertEquals(Errno.EFAULT, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, RamFile.IOCTL_INFO, 0x1000L)).errno());
            assertEquals(Errno.ENOTTY, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, 0x1234, new byte[4])).errno());
            assertEquals(Errno.EFAULT, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, RamFile.IOCTL_INFO, new byte[] {16, 0, 0, 0})).errno(),
                    "argsz says 16 but only 4 bytes are mapped");
            assertEquals(1, dev.opens.get());
        }
    }
}
