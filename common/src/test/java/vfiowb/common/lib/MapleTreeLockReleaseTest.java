package vfiowb.common.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every writer of the tree gives its lock back, on success and on error: after each one,
 * called on this thread, another thread must be able to write. A single-threaded test cannot
 * see a lock that is never released (the lock is reentrant, so the same thread goes on), which
 * is how a removed {@code unlock()} survived mutation testing (issue 9).
 */
class MapleTreeLockReleaseTest {
    /** A guard only: a healthy second writer takes microseconds. */
    private static final long JOIN_MILLIS = 10_000;

    private record Writer(String name, Consumer<MapleTree<String>> call) {}

    private static final List<Writer> WRITERS = List.of(
            new Writer("insert", t -> t.insert(10, "x")),
            new Writer("insert over a taken index (-EEXIST)", t -> {
                t.insert(10, "x");
                assertEquals(-17, t.insert(10, "y"));
            }),
            new Writer("insertRange with first > last (-EINVAL before the lock)",
                    t -> t.insertRange(5, 4, "x")),
            new Writer("insertRange", t -> t.insertRange(100, 200, "x")),
            new Writer("store", t -> t.store(7, "x")),
            new Writer("storeRange", t -> t.storeRange(1000, 2000, "x")),
            new Writer("erase", t -> {
                t.insert(3, "x");
                t.erase(3);
            }),
            new Writer("erase of nothing", t -> t.erase(42)),
            new Writer("allocRange", t -> t.allocRange(16, 0, 1 << 20, "x")),
            new Writer("allocRange with no room", t -> t.allocRange(1L << 40, 0, 1 << 20, "x")),
            new Writer("allocRRange", t -> t.allocRRange(16, 0, 1 << 20, "x")),
            new Writer("allocRangeAligned", t -> t.allocRangeAligned(16, 64, 0, 1 << 20, "x")),
            new Writer("allocRangeOversizeAligned",
                    t -> t.allocRangeOversizeAligned(16, 64, 0, 1 << 20, "x")),
            new Writer("destroy", t -> {
                t.insert(1, "x");
                t.destroy();
            }),
            new Writer("lock then unlock", t -> {
                t.lock();
                t.unlock();
            }));

    @Test
    void anotherThreadCanWriteAfterEveryWriter() throws InterruptedException {
        for (Writer w : WRITERS) {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            w.call().accept(t);
            Thread other = new Thread(() -> t.store(1L << 30, "other"), "second-writer");
            other.setDaemon(true);
            other.start();
            other.join(JOIN_MILLIS);
            if (other.isAlive()) {
                fail(w.name() + " kept the tree lock: a second thread's store never got it");
            }
            assertEquals("other", t.load(1L << 30), w.name());
        }
    }
}
