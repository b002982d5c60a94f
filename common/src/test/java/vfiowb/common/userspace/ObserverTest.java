package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.mm.Mman.MAP_PRIVATE;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Arch;
import vfiowb.common.trace.KernelProbe;

/** The workbench's narration hooks: the syscall observer and the kernel probe. */
class ObserverTest {
    private static final long MIB = 1L << 20;

    /** Records "enter name" and "exit name=result|errno" lines. */
    private static final class Recorder implements SyscallObserver {
        final List<String> lines = new ArrayList<>();
        final List<List<Object>> args = new ArrayList<>();

        @Override
        public void enter(Process p, String name, List<Object> a) {
            lines.add("enter " + name);
            args.add(a);
        }

        @Override
        public void exit(Process p, String name, List<Object> a, Object result,
                RuntimeException failure) {
            String r = failure instanceof ErrnoException
                    ? ((ErrnoException) failure).errnoName()
                    : failure != null ? failure.getClass().getSimpleName() : String.valueOf(result);
            lines.add("exit " + name + "=" + r);
        }
    }

    @AfterEach
    void removeHook() {
        KernelProbe.install(null);
    }

    @Nested
    class SyscallObserverSeesEveryCall {
        @Test
        void inOrderWithArgumentsResultsAndErrnos() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", 2 * MIB, 2 * MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            Recorder r = new Recorder();
            p.setObserver(r);
            int fd = p.open("bar");
            Mapping m = p.mmap(0, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            m.store(8, 4, 0x1234);
            assertEquals(0x1234, m.load(8, 4));
            assertThrows(ErrnoException.class, () -> p.open("nothing"));
            byte[] buf = new byte[4];
            p.pread(fd, buf, 8);
            p.munmap(m);
            p.close(fd);
            assertThrows(ErrnoException.class, () -> p.ioctl(fd, 1, new byte[8]));
            assertEquals(List.of("enter open", "exit open=3", "enter mmap", "exit mmap=" + m,
                    "enter store", "exit store=null", "enter load", "exit load=4660",
                    "enter open", "exit open=ENOENT", "enter pread", "exit pread=4",
                    "enter munmap", "exit munmap=null", "enter close", "exit close=null",
                    "enter ioctl", "exit ioctl=EBADF"), r.lines);
            assertEquals(List.of(0L, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L),
                    r.args.get(1));
            assertSame(m, r.args.get(2).get(0));
            assertSame(buf, r.args.get(5).get(1));
            assertInstanceOf(UserBuffer.class, r.args.get(8).get(2));
        }

        @Test
        void removedObserverSeesNothing() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", 2 * MIB, 2 * MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            Recorder r = new Recorder();
            p.setObserver(r);
            p.setObserver(null);
            p.close(p.open("bar"));
            assertTrue(r.lines.isEmpty());
            assertNull(p.observer());
        }

        @Test
        void failedMmapIsReportedWithItsErrno() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", 2 * MIB, 2 * MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            Recorder r = new Recorder();
            p.setObserver(r);
            int fd = p.open("bar");
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> p.mmap(0, MIB, PROT_READ, MAP_SHARED, fd, 1));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("exit mmap=EINVAL", r.lines.get(r.lines.size() - 1));
            assertFalse(p.mappings().stream().anyMatch(x -> x.fd() == fd && x.offset() == 1));
            assertThrows(ErrnoException.class, () -> p.mmap(0, MIB, PROT_READ, MAP_PRIVATE, 99, 0));
        }
    }

    @Nested
    class KernelProbeRunsItsHookOnTheKernelPaths {
        @Test
        void faultsAndUserCopiesPassAProbe() {
            FakeHost host = new FakeHost(Arch.X86_64);
            host.addRam("bar", 2 * MIB, 2 * MIB, RamDevice.Mode.LAZY);
            Process p = new Process(host);
            int fd = p.open("bar");
            Mapping m = p.mmap(0, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            AtomicInteger hits = new AtomicInteger();
            KernelProbe.install(hits::incrementAndGet);
            assertTrue(KernelProbe.active());
            m.load(0, 4);
            int afterFault = hits.get();
            assertTrue(afterFault > 0, "the fault's insert passes a probe");
            UserBuffer.wrap(new byte[4]).copyToUser(0, new byte[4], 0, 4);
            assertTrue(hits.get() > afterFault, "copy_to_user passes a probe");
        }

        @Test
        void oneHookAtATime() {
            KernelProbe.install(() -> { });
            assertThrows(IllegalStateException.class, () -> KernelProbe.install(() -> { }));
            KernelProbe.install(null);
            assertFalse(KernelProbe.active());
        }
    }
}
