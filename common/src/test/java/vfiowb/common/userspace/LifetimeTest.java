package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PageTable.Level;

/** A file lives while a descriptor or a mapping holds it; fork shares both. */
class LifetimeTest {
    private static final long MIB = 1L << 20;
    private static final int RW = PROT_READ | PROT_WRITE;

    private final FakeHost host = new FakeHost(Arch.X86_64);
    private final RamDevice dev = host.addRam("bar", 2 * MIB, 2 * MIB, RamDevice.Mode.LAZY);
    private final Process p = new Process(host);

    @Nested
    class Release {
        @Test
        void closingTheFdFirstKeepsTheFileUntilMunmap() {
            int fd = p.open("bar");
            Mapping m = p.mmap(0, MIB, RW, MAP_SHARED, fd, 0);
            assertEquals(2, p.file(fd).fileCount());
            p.close(fd);
            assertEquals(0, dev.releases.get());
            m.store(0, 4, 5);
            assertEquals(5, m.load(0, 4), "the mapping still works without the fd");
            p.munmap(m);
            assertEquals(1, dev.releases.get());
            assertEquals(1, dev.vmCloses.get());
            assertFalse(dev.mapping.mapped());
            assertTrue(p.mappings().isEmpty());
        }

        @Test
        void munmapFirstThenCloseReleases() {
            int fd = p.open("bar");
            Mapping m = p.mmap(0, MIB, RW, MAP_SHARED, fd, 0);
            p.munmap(m.addr(), m.length());
            assertEquals(0, dev.releases.get());
            p.close(fd);
            assertEquals(1, dev.releases.get());
        }

        @Test
        void eachOpenIsItsOwnFile() {
            int a = p.open("bar");
            int b = p.open("bar");
            assertEquals(List.of(3, 4), p.openFds());
            p.close(a);
            assertEquals(1, dev.releases.get());
            assertEquals(3, p.open("bar"), "the lowest free descriptor is reused");
            p.close(b);
            assertEquals(2, dev.releases.get());
        }

        @Test
        void badDescriptorsAreEbadf() {
            int fd = p.open("bar");
            p.close(fd);
            assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> p.close(fd)).errno());
            assertEquals(Errno.EBADF, assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, RamFile.IOCTL_INFO, new byte[16])).errno());
            assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class,
                    () -> p.open("nope")).errno());
        }

        @Test
        void exitUnmapsThenCloses() {
            int fd = p.open("bar");
            p.mmap(0, MIB, RW, MAP_SHARED, fd, 0);
            p.exit();
            assertEquals(1, dev.releases.get());
            assertEquals(0, p.mm().mapCount());
            assertTrue(p.openFds().isEmpty());
        }
    }

    @Nested
    class Fork {
        @Test
        void theChildSharesFilesAndCopiesPfnmapEntries() {
            int fd = p.open("bar");
            Mapping m = p.mmap(0, 2 * MIB, RW, MAP_SHARED, fd, 0);
            m.store(16, 4, 77);
            Process child = p.fork();
            assertEquals(1, dev.vmOpens.get());
            assertEquals(2, dev.mapping.vmas().size());
            assertEquals(4, p.file(fd).fileCount(), "two fds and two VMAs");
            Mapping cm = child.mappings().get(0);
            assertEquals(m.addr(), cm.addr());
            assertEquals(1L, cm.pageTableEntries().get(Level.PMD), "copied at fork");
            long faults = dev.totalFaults();
            assertEquals(77, cm.load(16, 4));
            assertEquals(faults, dev.totalFaults());

            p.munmap(m);
            p.close(fd);
            assertEquals(0, dev.releases.get(), "the child still holds the file");
            child.exit();
            assertEquals(1, dev.releases.get());
        }

        @Test
        void aDriverWhoseOpenZapsMakesTheChildRefault() {
            dev.zapOnOpen = true;
            int fd = p.open("bar");
            Mapping m = p.mmap(0, 2 * MIB, RW, MAP_SHARED, fd, 0);
            m.store(0, 4, 9);
            Process child = p.fork();
            Mapping cm = child.mappings().get(0);
            assertEquals(0L, child.mm().pageTable().totalEntries());
            assertEquals(1L, p.mm().pageTable().totalEntries(), "the parent keeps its entries");
            assertEquals(9, cm.load(0, 4));
            assertEquals(1L, cm.pageTableEntries().get(Level.PMD));
        }
    }
}
