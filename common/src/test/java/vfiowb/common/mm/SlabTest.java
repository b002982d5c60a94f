package vfiowb.common.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fail-nth and kmemleak as {@link Slab} models them, per task. */
class SlabTest {
    @AfterEach
    void disarm() {
        Slab.setFailNth(0);
    }

    @Test
    void theNthPointFailsOnceAndTheCountReadsZeroAfterwards() {
        Slab.setFailNth(3);
        assertNotNull(Slab.kcalloc(2));
        assertEquals(2, Slab.failNth(), "one point reached, two to go");
        assertNotNull(Slab.kasprintf("vfio-irq[%d](%s)", 1, "x"));
        assertEquals(1, Slab.failNth());
        assertNull(Slab.kcalloc(2), "the third point fails");
        assertEquals(0, Slab.failNth(), "0: the fault was injected");
        assertEquals(List.of(), Slab.kcalloc(4), "once only, and empty");
        assertEquals("vfio-irq[7](dev)", Slab.kasprintf("vfio-irq[%d](%s)", 7, "dev"));
    }

    @Test
    void kasprintfFailsLikeAnyOtherAllocation() {
        Slab.setFailNth(1);
        assertNull(Slab.kasprintf("%s", "name"));
        assertEquals(0, Slab.failNth());
    }

    @Test
    void nothingFailsUnlessArmedAndZeroDisarms() {
        for (int i = 0; i < 100; i++) {
            assertFalse(Slab.shouldFailslab());
        }
        Slab.setFailNth(2);
        Slab.setFailNth(0);
        assertFalse(Slab.shouldFailslab());
        assertFalse(Slab.shouldFailslab());
        assertEquals(0, Slab.failNth());
        assertThrows(IllegalArgumentException.class, () -> Slab.setFailNth(-1));
        assertThrows(IllegalArgumentException.class, () -> Slab.kcalloc(-1));
    }

    @Test
    void theCountIsPerTask() throws InterruptedException {
        Slab.setFailNth(1);
        AtomicInteger other = new AtomicInteger(-1);
        Thread t = new Thread(() -> other.set(Slab.shouldFailslab() ? 1 : 0));
        t.start();
        t.join();
        assertEquals(0, other.get(), "another task's allocation does not consume this one's count");
        assertEquals(1, Slab.failNth());
        assertTrue(Slab.shouldFailslab());
    }

    @Test
    void kmemleakReportsWhatWasAllocatedAndNotFreedWithItsAllocator() {
        Object before = Slab.kcalloc(1);
        try (Slab.Kmemleak k = Slab.kmemleak()) {
            Slab.kfree(before); // allocated before recording: not known, nothing happens
            List<String> a = Slab.kcalloc(3);
            a.add("r0");
            a.add("r1");
            String name = Slab.kasprintf("vfio-irq[%d](%s)", 0, "pl011");
            String same = Slab.kasprintf("vfio-irq[%d](%s)", 0, "pl011");
            assertNotSame(name, same, "two allocations, even with the same text");
            assertEquals(List.of(), minus(k.scan(), 3), "three live");
            String site = getClass().getSimpleName()
                    + ".kmemleakReportsWhatWasAllocatedAndNotFreedWithItsAllocator";
            assertTrue(k.scan().contains(site + ": array of 3"), k.scan().toString());
            assertTrue(k.scan().contains(site + ": \"vfio-irq[0](pl011)\""), k.scan().toString());
            Slab.kfree(a);
            Slab.kfree(name);
            Slab.kfree(null);
            assertEquals(List.of(site + ": \"vfio-irq[0](pl011)\""), k.scan(), "only the copy");
            Slab.kfree(same);
            assertEquals(List.of(), k.scan());
            assertThrows(IllegalStateException.class, Slab::kmemleak, "scopes do not nest");
        }
        Slab.Kmemleak closed;
        try (Slab.Kmemleak k = Slab.kmemleak()) {
            closed = k;
            assertEquals(List.of(), k.scan(), "a new recording starts empty");
        }
        assertThrows(IllegalStateException.class, closed::scan);
    }

    @Test
    void aFailedAllocationIsNotRecorded() {
        try (Slab.Kmemleak k = Slab.kmemleak()) {
            Slab.setFailNth(1);
            assertNull(Slab.kcalloc(1));
            assertEquals(List.of(), k.scan());
        }
    }

    private static List<String> minus(List<String> scan, int expected) {
        return scan.size() == expected ? List.of() : scan;
    }
}
