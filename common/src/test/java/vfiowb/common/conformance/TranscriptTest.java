package vfiowb.common.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.KernelBug;

class TranscriptTest {

    @Nested
    class Recording {
        @Test
        void expectationsAreLinesAndFailures() {
            Transcript t = new Transcript("RI-04 dev x86_64");
            assertTrue(t.expect(true, "argsz 8 fails with EINVAL", "EINVAL"));
            assertFalse(t.expect(false, "buffer untouched", "kernel wrote [0, 32)"));
            assertEquals(List.of("expect argsz 8 fails with EINVAL: ok",
                    "expect buffer untouched: FAILED (kernel wrote [0, 32))"), t.lines());
            assertEquals(List.of("buffer untouched (observed kernel wrote [0, 32))"), t.failures());
            assertFalse(t.passed());
        }

        @Test
        void expectEqualsShowsTheExpectedValue() {
            Transcript t = new Transcript("x");
            t.expectEquals(32L, 40L, "argsz");
            assertEquals("expect argsz = 32: FAILED (40)", t.lines().get(0));
        }

        @Test
        void beginIndentsUntilEnd() {
            Transcript t = new Transcript("x");
            t.begin("BAR0").add("mmap -> ok").end().add("done");
            assertEquals(List.of("BAR0", "  mmap -> ok", "done"), t.lines());
            assertThrows(IllegalStateException.class, t::end);
        }

        @Test
        void failIsAFailure() {
            Transcript t = new Transcript("x");
            t.fail("model error: boom");
            assertEquals(List.of("FAILED: model error: boom"), t.lines());
            assertFalse(t.passed());
        }

        @Test
        void equalityIsTitleAndLines() {
            Transcript a = new Transcript("t").add("one");
            Transcript b = new Transcript("t").add("one");
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotEquals(a, new Transcript("u").add("one"));
            assertNotEquals(a, new Transcript("t").add("two"));
            assertEquals("# t\none\n", a.text());
        }
    }

    @Nested
    class Outcomes {
        private final KernelBug bug = new KernelBug("samples/vfio-mdev/mtty.c:mdev_access",
                KernelBug.Kind.OUT_OF_BOUNDS, "past vconfig");

        @Test
        void aKernelBugBeforeAnyFailureIsTheOutcome() {
            Transcript t = new Transcript("x");
            t.expect(true, "first", "");
            t.kernelBug(bug);
            t.expect(false, "after the bug", "garbage");
            assertEquals(Outcome.KERNEL_BUG, t.outcome());
            assertEquals(List.of("kernel bug: " + bug, "after the bug (observed garbage)"), t.messages());
            assertEquals("KERNEL BUG: out-of-bounds in samples/vfio-mdev/mtty.c:mdev_access: past vconfig",
                    t.lines().get(1));
        }

        @Test
        void aFailureBeforeTheBugStaysAFailure() {
            Transcript t = new Transcript("x");
            t.expect(false, "before the bug", "no");
            t.kernelBug(bug);
            assertEquals(Outcome.FAIL, t.outcome());
        }

        @Test
        void aModelErrorIsAlwaysAFailure() {
            Transcript t = new Transcript("x");
            t.kernelBug(bug);
            t.modelError("IllegalStateException");
            assertEquals(Outcome.FAIL, t.outcome());
            assertEquals(Outcome.PASS, new Transcript("y").outcome());
        }
    }

    @Nested
    class Diff {
        @Test
        void equalTranscriptsHaveNoDiff() {
            assertEquals("", new Transcript("t").add("a").diff(new Transcript("t").add("a")));
        }

        @Test
        void aChangedLine() {
            String d = TranscriptDiff.unified("A", List.of("a", "b", "c"), "B", List.of("a", "x", "c"), 0);
            assertEquals("--- A\n+++ B\n@@ -2 +2 @@\n-b\n+x\n", d);
        }

        @Test
        void anInsertionAndADeletion() {
            assertEquals("--- A\n+++ B\n@@ -1,0 +2 @@\n+b\n",
                    TranscriptDiff.unified("A", List.of("a", "c"), "B", List.of("a", "b", "c"), 0));
            assertEquals("--- A\n+++ B\n@@ -2 +1,0 @@\n-b\n",
                    TranscriptDiff.unified("A", List.of("a", "b", "c"), "B", List.of("a", "c"), 0));
        }

        @Test
        void contextAroundAChange() {
            List<String> a = List.of("1", "2", "3", "4", "5", "6", "7");
            List<String> b = List.of("1", "2", "3", "X", "5", "6", "7");
            assertEquals("--- A\n+++ B\n@@ -3,3 +3,3 @@\n 3\n-4\n+X\n 5\n",
                    TranscriptDiff.unified("A", a, "B", b, 1));
        }

        @Test
        void distantChangesMakeTwoHunksCloseOnesOne() {
            List<String> a = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                a.add("l" + i);
            }
            List<String> far = new ArrayList<>(a);
            far.set(2, "X");
            far.set(25, "Y");
            assertEquals(2, count(TranscriptDiff.unified("A", a, "B", far, 3), "@@ -"));
            List<String> near = new ArrayList<>(a);
            near.set(2, "X");
            near.set(6, "Y");
            assertEquals(1, count(TranscriptDiff.unified("A", a, "B", near, 3), "@@ -"));
        }

        @Test
        void titlesAreCompared() {
            String d = new Transcript("qemu nic-vf x86_64").add("a").diff(new Transcript("qemu nic-vf i386").add("a"));
            assertTrue(d.contains("-# qemu nic-vf x86_64\n+# qemu nic-vf i386\n"), d);
        }

        /** Seeded property: the edit script rebuilds both sides and keeps only common lines. */
        @Test
        void editScriptsRebuildBothSides() {
            long seed = 0xD1FFL;
            Random rnd = new Random(seed);
            for (int round = 0; round < 200; round++) {
                List<String> a = random(rnd);
                List<String> b = random(rnd);
                List<TranscriptDiff.Edit> edits = TranscriptDiff.edits(a, b);
                List<String> ra = new ArrayList<>();
                List<String> rb = new ArrayList<>();
                for (TranscriptDiff.Edit e : edits) {
                    if (e.op() != '+') {
                        ra.add(e.line());
                    }
                    if (e.op() != '-') {
                        rb.add(e.line());
                    }
                }
                assertEquals(a, ra, "seed " + seed + " round " + round);
                assertEquals(b, rb, "seed " + seed + " round " + round);
            }
        }

        @Test
        void hugeInputsFallBackToOneReplacedBlock() {
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                a.add("a" + i);
                b.add("b" + i);
            }
            List<TranscriptDiff.Edit> edits = TranscriptDiff.edits(a, b);
            assertEquals(5000, edits.size());
            assertEquals('-', edits.get(0).op());
            assertEquals('+', edits.get(4999).op());
        }

        private List<String> random(Random rnd) {
            List<String> l = new ArrayList<>();
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                l.add(String.valueOf((char) ('a' + rnd.nextInt(4))));
            }
            return l;
        }

        private int count(String s, String needle) {
            int n = 0;
            for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
                n++;
            }
            return n;
        }
    }

    @Nested
    class Formatting {
        @Test
        void bytesInlineOrSummarised() {
            assertEquals("[01 ff]", Fmt.bytes(new byte[] {1, (byte) 0xff}, 2));
            byte[] big = new byte[32];
            assertTrue(Fmt.bytes(big, 32).startsWith("[00 00 00 00 00 00 00 00 ...] 32 bytes crc32 "));
        }

        @Test
        void offsetsAreRecordedAsPageProperties() {
            assertEquals("page-aligned", DeviceFile.offsetProperty(vfiowb.common.mm.Arch.X86_64, 7L << 40));
            assertEquals("page+0x400", DeviceFile.offsetProperty(vfiowb.common.mm.Arch.X86_64, 1L << 10));
            assertEquals("page+0x1000", DeviceFile.offsetProperty(vfiowb.common.mm.Arch.ARM64_64K, 0x1000));
        }
    }
}
