package vfiowb.common.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Readers never block and see a whole tree; writers are serialised by the tree lock. */
class MapleTreeConcurrencyTest {

    @Nested
    class Locking {
        @Test
        void readersDoNotWaitForTheTreeLock() throws Exception {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            t.insertRange(0, 99, "a");
            t.lock();
            try {
                CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
                    String seen = t.load(50);
                    t.entries();
                    t.emptyArea(0, 1000, 10);
                    return seen;
                });
                assertEquals("a", reader.get(10, TimeUnit.SECONDS));
            } finally {
                t.unlock();
            }
        }

        @Test
        void writersWaitForTheTreeLock() throws Exception {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            CountDownLatch started = new CountDownLatch(1);
            t.lock();
            CompletableFuture<Integer> writer;
            try {
                writer = CompletableFuture.supplyAsync(() -> {
                    started.countDown();
                    return t.insertRange(5, 9, "w");
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Thread.sleep(100);
                assertFalse(writer.isDone(), "the writer must wait for the lock");
                assertNull(t.load(5));
            } finally {
                t.unlock();
            }
            assertEquals(0, writer.get(10, TimeUnit.SECONDS));
            assertEquals("w", t.load(7));
        }

        @Test
        void theLockIsReentrantForCallersThatHoldIt() {
            MapleTree<String> t = new MapleTree<>(64, MapleTree.Flag.ALLOC_RANGE);
            t.lock();
            try {
                assertTrue(t.isLockHeldByCurrentThread());
                MapleArea a = t.allocRange(4, 0, 100, "x");
                assertEquals(0, a.ret());
                assertEquals("x", t.erase(a.first()));
            } finally {
                t.unlock();
            }
            assertFalse(t.isLockHeldByCurrentThread());
        }
    }

    @Nested
    class Publication {
        /**
         * Every tree the writer publishes covers [0, 1023] without a hole, though a store over it
         * goes through states with holes (it erases the old ranges one by one before inserting).
         * A reader must therefore never find a hole.
         */
        @Test
        void aReaderSeesTheOldOrTheNewTreeNeverAMix() throws Exception {
            MapleTree<String> t = new MapleTree<>(64, 3, 4, MapleTree.Flag.ALLOC_RANGE);
            for (int i = 0; i < 64; i++) {
                t.insertRange(i * 16L, i * 16L + 15, "piece");
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                long seed = k;
                Thread reader = new Thread(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    while (!stop.get() && failure.get() == null) {
                        long x = r.nextInt(1024);
                        if (t.load(x) == null) {
                            failure.set("load(" + x + ") found a hole");
                        }
                        long next = 0;
                        for (MapleTree.Entry<String> e : t.range(0, 1023)) {
                            if (e.first() != next) {
                                failure.set("iteration found a hole at " + next);
                            }
                            next = e.last() + 1;
                        }
                        if (next != 1024) {
                            failure.set("iteration ended at " + next);
                        }
                        reads.incrementAndGet();
                    }
                });
                reader.start();
                readers.add(reader);
            }
            SplittableRandom r = new SplittableRandom(42);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            int writes = 0;
            while (System.nanoTime() < deadline && failure.get() == null) {
                assertEquals(0, t.storeRange(0, 1023, "whole"));
                for (int i = 0; i < 64; i++) {
                    long first = i * 16L;
                    assertEquals(0, t.storeRange(first, first + 15, "piece" + r.nextInt(4)));
                }
                writes += 65;
            }
            stop.set(true);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            assertNull(failure.get(), failure.get());
            assertTrue(reads.get() > 0 && writes > 0);
            t.validate();
        }
    }
}
