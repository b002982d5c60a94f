package vfiowb.common.userspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.errno.Errno;
import vfiowb.common.userspace.UserBuffer.Range;

class UserBufferTest {

    @Nested
    class CopyToUser {
        @Test
        void returnsBytesNotCopiedAndStopsAtTheFault() {
            UserBuffer ub = UserBuffer.allocate(40);
            byte[] src = new byte[16];
            java.util.Arrays.fill(src, (byte) 7);
            assertEquals(0, ub.copyToUser(0, src, 0, 16));
            assertEquals(6, ub.copyToUser(30, src, 0, 16), "bytes 40.. are not mapped");
            assertEquals(16, ub.copyToUser(40, src, 0, 16));
            assertEquals(16, ub.copyToUser(-1, src, 0, 16));
            assertEquals(List.of(new Range(0, 16), new Range(30, 40)), ub.writtenRanges());
            assertEquals(7, ub.array()[39]);
            assertEquals(0, ub.array()[20]);
        }

        @Test
        void recordsSoTestsCanSayNothingWasWrittenPastByte32() {
            UserBuffer ub = UserBuffer.allocate(64);
            ub.copyToUser(0, new byte[32], 0, 32);
            assertFalse(ub.wroteAny(32, 64));
            assertEquals(32, ub.writtenEnd());
            ub.putUser(32, 4, 1);
            assertTrue(ub.wroteAny(32, 64));
            assertEquals(List.of(new Range(0, 36)), ub.writtenRanges());
        }

        @Test
        void aKernelSideOverrunIsAModelBug() {
            UserBuffer ub = UserBuffer.allocate(64);
            assertThrows(IllegalStateException.class, () -> ub.copyToUser(0, new byte[4], 0, 8));
        }
    }

    @Nested
    class UnmappedOnceFilled {
        @Test
        void everyAccessAfterTheLastByteIsWrittenFaults() {
            UserBuffer ub = UserBuffer.unmappedOnceFilled(8);
            assertEquals(0, ub.copyToUser(4, new byte[] {1, 2, 3, 4}, 0, 4));
            assertFalse(ub.unmapped(), "bytes 0..3 not written yet");
            byte[] back = new byte[4];
            assertEquals(0, ub.copyFromUser(back, 0, 4, 4));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, back);
            assertEquals(0, ub.putUser(0, 4, 0x0a0b0c0dL));
            assertTrue(ub.unmapped());
            assertEquals(4, ub.copyFromUser(new byte[4], 0, 0, 4));
            assertEquals(2, ub.copyToUser(0, new byte[2], 0, 2));
            assertEquals(1, ub.clearUser(7, 1));
            assertTrue(ub.getUser(0, 4).isEmpty());
            assertEquals(-Errno.EFAULT, ub.putUser(0, 1, 0));
            assertFalse(ub.accessOk(0, 1));
            assertEquals(0x0d, ub.array()[0], "what the kernel wrote before stays");
        }
    }

    @Nested
    class CopyFromUser {
        @Test
        void copiesWhatIsMappedAndZeroesNothingElse() {
            byte[] user = {1, 2, 3, 4};
            UserBuffer ub = UserBuffer.wrap(user);
            byte[] to = new byte[8];
            assertEquals(2, ub.copyFromUser(to, 0, 2, 4));
            assertArrayEquals(new byte[] {3, 4, 0, 0, 0, 0, 0, 0}, to);
            assertEquals(List.of(new Range(2, 4)), ub.readRanges());
            assertTrue(ub.writtenRanges().isEmpty());
        }
    }

    @Nested
    class GetPutUser {
        @Test
        void littleEndianAndFaulting() {
            UserBuffer ub = UserBuffer.allocate(8);
            assertEquals(0, ub.putUser(0, 8, 0x1122_3344_5566_7788L));
            assertEquals(0x5566_7788L, ub.getUser(0, 4).getAsLong());
            assertEquals(0x1122_3344_5566_7788L, ub.getUser(0, 8).getAsLong());
            assertEquals(0x88, ub.array()[0] & 0xff);
            assertTrue(ub.getUser(6, 4).isEmpty());
            assertEquals(-Errno.EFAULT, ub.putUser(6, 4, 0));
            assertEquals(0x11, ub.array()[7], "a faulting put_user writes nothing");
        }

        @Test
        void byValueArgumentsHaveNoMemory() {
            UserBuffer ub = UserBuffer.ofValue(5);
            assertEquals(5, ub.argValue());
            assertEquals(0, ub.length());
            assertTrue(ub.getUser(0, 4).isEmpty());
            assertEquals(4, ub.clearUser(0, 4));
        }
    }

    /** A read-only user mapping: the kernel reads it, every store faults, access_ok passes. */
    @Nested
    class ReadOnly {
        @Test
        void readsWorkAndEveryStoreFaultsAtTheFirstByte() {
            byte[] mem = {1, 2, 3, 4, 5, 6, 7, 8};
            UserBuffer ub = UserBuffer.readOnly(mem);
            byte[] in = new byte[8];
            assertEquals(0, ub.copyFromUser(in, 0, 0, 8));
            assertArrayEquals(mem, in);
            assertEquals(0x04030201L, ub.getUser(0, 4).getAsLong());
            assertTrue(ub.accessOk(0, 8));
            assertEquals(4, ub.copyToUser(0, new byte[4], 0, 4));
            assertEquals(8, ub.clearUser(0, 8));
            assertEquals(-Errno.EFAULT, ub.putUser(0, 4, 0));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, mem, "nothing written");
            assertTrue(ub.writtenRanges().isEmpty());
            assertEquals(List.of(new Range(0, 8)), ub.readRanges().subList(0, 1));
        }
    }

    @Nested
    class StallingFirstCopy {
        /**
         * The first copy waits, on the copying thread, until the fault is resolved, then copies
         * as usual; later copies do not wait.
         */
        @Test
        void theFirstCopyWaitsForTheReleaseThenCompletes() throws InterruptedException {
            java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            UserBuffer ub = UserBuffer.stallingFirstCopy(new byte[] {1, 2, 3, 4}, reached, release);
            byte[] to = new byte[4];
            int[] notCopied = {-1};
            Thread kernel = new Thread(() -> notCopied[0] = ub.copyFromUser(to, 0, 0, 4));
            kernel.start();
            assertTrue(reached.await(10, java.util.concurrent.TimeUnit.SECONDS));
            kernel.join(100);
            assertTrue(kernel.isAlive(), "still waiting for the fault");
            assertEquals(-1, notCopied[0]);
            release.countDown();
            kernel.join(10_000);
            assertFalse(kernel.isAlive());
            assertEquals(0, notCopied[0]);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, to);
            assertEquals(0, ub.copyToUser(0, new byte[] {9}, 0, 1), "no second wait");
            assertEquals(9, ub.array()[0]);
        }
    }
}
