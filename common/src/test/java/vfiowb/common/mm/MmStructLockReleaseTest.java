package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static vfiowb.common.mm.Mman.MAP_SHARED;
import static vfiowb.common.mm.Mman.PROT_READ;
import static vfiowb.common.mm.Mman.PROT_WRITE;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;

/**
 * Every operation of the mm gives {@code mmap_lock} back: after each one, called on this
 * thread, another thread must take it for writing (an mmap) and for reading (a lookup). A
 * single-threaded test cannot see a read or write side that is never released (the lock is
 * reentrant for its holder), which is how a removed {@code unlock()} survived mutation testing
 * (issue 9).
 */
class MmStructLockReleaseTest {
    private static final long JOIN_MILLIS = 10_000;
    private static final long LEN = 1L << 21;

    private record Op(String name, Consumer<MmStruct> call) {}

    private static long map(MmStruct mm) {
        TestFile f = TestFile.pfnmap(Arch.X86_64, new RecordingOps(0));
        long addr = mm.doMmap(f, 0, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
        assertFalse(Errno.isError(addr), () -> Errno.name((int) -addr));
        return addr;
    }

    private static final List<Op> OPS = List.of(
            new Op("vmas", MmStruct::vmas),
            new Op("mapCount", MmStruct::mapCount),
            new Op("vmaLookup", mm -> mm.vmaLookup(map(mm))),
            new Op("findVma", mm -> mm.findVma(0)),
            new Op("getUnmappedArea", mm -> mm.getUnmappedArea(
                    TestFile.pfnmap(Arch.X86_64, new RecordingOps(0)), 0, LEN, 0, MAP_SHARED)),
            new Op("doMmap", MmStructLockReleaseTest::map),
            new Op("doMmap refused (EINVAL)", mm -> mm.doMmap(
                    TestFile.pfnmap(Arch.X86_64, new RecordingOps(0)), 1, LEN, PROT_READ,
                    MAP_SHARED | Mman.MAP_FIXED, 0)),
            new Op("doMunmap", mm -> mm.doMunmap(map(mm), LEN)),
            new Op("handleMmFault", mm -> mm.handleMmFault(map(mm), false)),
            new Op("handleMmFault outside any VMA", mm -> mm.handleMmFault(0x1000, false)),
            new Op("dupMmap", mm -> {
                map(mm);
                mm.dupMmap();
            }),
            new Op("exitMmap", mm -> {
                map(mm);
                mm.exitMmap();
            }));

    /** dup_mmap takes the child's mmap_lock too, and gives it back. */
    @Test
    void forkGivesTheChildsLockBack() throws InterruptedException {
        MmStruct mm = new MmStruct(Arch.X86_64);
        map(mm);
        MmStruct child = mm.dupMmap();
        Thread other = new Thread(() -> {
            map(child);
            child.vmas();
        }, "child-caller");
        other.setDaemon(true);
        other.start();
        other.join(JOIN_MILLIS);
        if (other.isAlive()) {
            fail("dupMmap kept the child's mmap_lock");
        }
    }

    @Test
    void anotherThreadCanWriteAndReadAfterEveryOperation() throws InterruptedException {
        for (Op op : OPS) {
            MmStruct mm = new MmStruct(Arch.X86_64);
            op.call().accept(mm);
            Thread other = new Thread(() -> {
                map(mm);
                mm.vmas();
            }, "second-caller");
            other.setDaemon(true);
            other.start();
            other.join(JOIN_MILLIS);
            if (other.isAlive()) {
                fail(op.name() + " kept mmap_lock: a second thread's mmap never got it");
            }
        }
    }
}
