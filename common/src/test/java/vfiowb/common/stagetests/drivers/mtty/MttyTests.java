package vfiowb.common.stagetests.drivers.mtty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.assertShortBarRegisterWritesAreKernelBugs;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.errno;
import static vfiowb.common.stagetests.drivers.nonpci.NonPci.kernelBug;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.MttyDevice;
import vfiowb.common.hw.SimpleDeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.stagetests.drivers.nonpci.NonPci.Dev;
import vfiowb.common.stagetests.drivers.nonpci.NonPci;
import vfiowb.common.stagetests.drivers.nonpci.UserFaults;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;

/**
 * mtty_dev_ops through the syscall boundary: the sample serial ports, no mmap. Offsets come from
 * REGION_INFO: the sample's own {@code index << 40} before stage 4, the core's cookies after.
 */
public abstract class MttyTests {
    private static final int RW = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int CONFIG_INDEX = 7;

    private final StageAdapter stage;

    protected MttyTests(StageAdapter stage) {
        this.stage = stage;
    }

    static List<Arch> arches() {
        return NonPci.arches();
    }

    private Dev mtty() {
        return NonPci.open(stage, Arch.X86_64, "mtty");
    }

    /** The file offset REGION_INFO gives region {@code index}. */
    private static long offset(Dev d, int index) {
        return d.region(index).info().offset();
    }

    /** Whether the file keeps a tree of cookies: the core resolves every offset. */
    private static boolean onCookiePath(Dev d) {
        return d.file().mmapCookieCount() >= 0;
    }

    private Dev onePort() {
        return NonPci.open(stage, Arch.X86_64, new SimpleDeviceSpec("mtty1", "mtty", "mtty_dev_ops", "one port",
                bus -> new MttyDevice("mtty1", 1)));
    }

    @Nested
    class OpsTable {
        @Test
        void noMmapNoOpen() {
            List<String> members = stage.opsTables().get("mtty_dev_ops").membersSet();
            assertFalse(members.contains("mmap"), members.toString());
            assertFalse(members.contains("open_device"), members.toString());
            assertEquals("vfio-mtty", stage.opsTables().get("mtty_dev_ops").name());
            assertEquals("mtty_dev_ops", stage.opsTableOf(mtty().file()));
        }
    }

    @Nested
    class GetInfo {
        @Test
        void pciNineRegionsFiveIrqs() {
            VfioDeviceInfo info = mtty().info();
            assertEquals(VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI, info.flags());
            assertEquals(9, info.numRegions());
            assertEquals(5, info.numIrqs());
        }

        @Test
        void irqInfoNeedsAnEarlierGetInfo() {
            Dev d = mtty();
            assertEquals(Errno.EINVAL, errno(() -> d.irq(0)));
            d.info();
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_MASKABLE
                    | VfioIrqInfo.VFIO_IRQ_INFO_AUTOMASKED, d.irq(0).flags());
            assertEquals(VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD | VfioIrqInfo.VFIO_IRQ_INFO_NORESIZE, d.irq(1).flags());
            assertEquals(1, d.irq(1).count());
            assertEquals(Errno.EINVAL, errno(() -> d.irq(2)));
            assertEquals(Errno.EINVAL, errno(() -> d.irq(5)));
        }

        @Test
        void resetAnswersZeroAndOthersEnotty() {
            Dev d = mtty();
            assertEquals(0, d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_RESET, 0));
            assertEquals(Errno.ENOTTY, errno(() -> d.p().ioctl(d.fd(), VfioIoctl.VFIO_DEVICE_QUERY_GFX_PLANE,
                    new byte[64])));
        }
    }

    @Nested
    class RegionInfo {
        /**
         * {@code index << 40} for every index: the sample's layout, then (stage 4) the core's
         * legacy policy, which keeps each region in its fixed slot and reports the slot for a
         * region without bytes.
         */
        @ParameterizedTest
        @MethodSource("vfiowb.common.stagetests.drivers.mtty.MttyTests#arches")
        void everyFixedIndexIsReadWriteEvenWhenEmpty(Arch arch) {
            Dev d = NonPci.open(stage, arch, "mtty");
            long[] sizes = {8, 8, 0, 0, 0, 0, 0, 0xff, 0};
            for (int i = 0; i < 9; i++) {
                RegionInfoReply r = d.region(i);
                assertEquals(RW, r.info().flags(), "flags of " + i);
                assertEquals(sizes[i], r.info().size(), "size of " + i);
                assertEquals((long) i << 40, r.info().offset());
                assertTrue(r.caps().isEmpty());
            }
            assertEquals(Errno.EINVAL, errno(() -> d.region(9)));
        }

        @Test
        void onePortCardHasAnEmptyBar1() {
            assertEquals(0, onePort().region(1).info().size());
            assertEquals(8, onePort().region(0).info().size());
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void configSpaceReadsTheCard() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            assertEquals(0x4348, d.readLe(config, 2));
            assertEquals(0x3253, d.readLe(config + 2, 2));
            assertEquals(0x07, d.read(config + 0xb, 1)[0]);
            assertEquals(1, d.read(config + 0xfe, 1).length, "the last byte of vconfig");
        }

        /**
         * mdev_access memcpys from vconfig + offset without a bound: KASAN's report. On the
         * cookie path too: config space's cookie holds its whole slot (legacy policy), so the
         * offsets past vconfig still reach the sample.
         */
        @Test
        void aConfigReadPastVconfigIsAKernelBug() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            for (long off : new long[] {0xfc, 0xff, 0x1000}) {
                KernelBug b = kernelBug(() -> d.read(config + off, 4));
                assertEquals("samples/vfio-mdev/mtty.c:mdev_access", b.function());
                assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, b.kind());
            }
            assertEquals(1, d.write(config + 0x1000, new byte[1]), "writes are bounded by the switch");
            assertEquals(3, d.p().kernelBugs().size());
            assertEquals(0x4348, d.readLe(config, 2), "the process goes on");
        }

        /**
         * mdev_state->s[] has two ports; mdev_access lets BAR2 to BAR5 index it. On the cookie
         * path those regions have no bytes, so no cookie: the core refuses them (-EINVAL) before
         * mdev_access sees them, as it does a one-port card's BAR1 (which was in bounds).
         */
        @Test
        void barsTwoToFiveIndexPastTheSerialPortsUntilTheCookiePath() {
            Dev d = mtty();
            Dev one = onePort();
            if (onCookiePath(d)) {
                for (int bar = 2; bar <= 5; bar++) {
                    long at = offset(d, bar);
                    assertEquals(Errno.EINVAL, errno(() -> d.read(at, 1)), "BAR" + bar);
                    assertEquals(Errno.EINVAL, errno(() -> d.write(at + 3, new byte[] {1})), "BAR" + bar);
                }
                assertTrue(d.p().kernelBugs().isEmpty());
                assertEquals(Errno.EINVAL, errno(() -> one.read(offset(one, 1), 1)));
                assertEquals(1, one.read(offset(one, 0), 1).length);
                return;
            }
            for (int bar = 2; bar <= 5; bar++) {
                long base = offset(d, bar);
                KernelBug r = kernelBug(() -> d.read(base, 1));
                assertEquals("samples/vfio-mdev/mtty.c:handle_bar_read", r.function());
                KernelBug w = kernelBug(() -> d.write(base + 3, new byte[] {1}));
                assertEquals("samples/vfio-mdev/mtty.c:handle_bar_write", w.function());
                assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, w.kind());
                assertEquals(1, d.write(base + 5, new byte[] {1}), "an LSR write touches nothing");
                assertEquals(1, d.read(base + 8, 1).length, "past the eight registers: nothing");
            }
            assertEquals(1, one.read(offset(one, 1), 1).length, "s[1] exists on a one-port card");
        }

        @Test
        void barSizingAndTheRegistersTheSampleHandles() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            d.writeLe(config + 0x10, 4, 0xffffffffL);
            assertEquals(0xfffffff9L, d.readLe(config + 0x10, 4));
            d.writeLe(config + 0x10, 4, 0xc000);
            assertEquals(0xc001L, d.readLe(config + 0x10, 4));
            d.writeLe(config + 0x18, 4, 0x12345678);
            assertEquals(0, d.readLe(config + 0x18, 4));
            long cmd = d.readLe(config + 4, 2);
            d.writeLe(config + 4, 2, 0x7);
            assertEquals(cmd, d.readLe(config + 4, 2), "command writes are ignored");
            d.write(config + 0x3c, new byte[] {0x0b});
            assertEquals(0x0b, d.read(config + 0x3c, 1)[0]);
        }

        @Test
        void configWriteOffsetIsSixteenBits() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            d.write(config + 0x1003c, new byte[] {0x2a});
            assertEquals(0x2a, d.read(config + 0x3c, 1)[0]);
        }

        @Test
        void uartLoopsBackPerPort() {
            Dev d = mtty();
            long bar0 = offset(d, 0);
            long bar1 = offset(d, 1);
            assertEquals(1, d.write(bar0, new byte[] {'A'}));
            assertEquals(1, d.write(bar1, new byte[] {'B'}));
            assertEquals(0x01, d.read(bar0 + 5, 1)[0] & 0x01, "LSR data ready");
            assertEquals('A', d.read(bar0, 1)[0]);
            assertEquals('B', d.read(bar1, 1)[0]);
            assertEquals(0, d.read(bar0 + 5, 1)[0] & 0x01);
        }

        @Test
        void wideAccessUsesTheFirstByteOnly() {
            Dev d = mtty();
            long bar0 = offset(d, 0);
            assertEquals(4, d.writeLe(bar0, 4, 0x44434241L));
            assertEquals(1, ((MttyDevice) d.hw()).port(0).rxLevel());
            assertEquals(0x41, d.readLe(bar0, 4));
        }

        /**
         * ROM, VGA and indexes past 8: mdev_access refuses them (-EFAULT from the read); on the
         * cookie path they have no cookie and the core refuses them first (-EINVAL). The offsets
         * are REGION_INFO's, and {@code index << 40} past the last region.
         */
        @Test
        void romVgaAndUnknownIndexesAreRefused() {
            Dev d = mtty();
            int expected = onCookiePath(d) ? Errno.EINVAL : Errno.EFAULT;
            for (long i : new long[] {6, 8, 9, 100}) {
                long at = i < 9 ? offset(d, (int) i) : i << 40;
                assertEquals(expected, errno(() -> d.read(at, 1)), "index " + i);
                assertEquals(expected, errno(() -> d.write(at, new byte[1])), "index " + i);
            }
            assertTrue(d.p().kernelBugs().isEmpty(), "refused before any out-of-bounds access");
        }

        @Test
        void noMmap() {
            Dev d = mtty();
            assertEquals(Errno.EINVAL, errno(() -> d.mmapShared(0x1000, 0)));
        }
    }

    /**
     * The pieces mtty_read and mtty_write cut an access into, the one-port card's BAR1, and
     * the clients that pass a buffer too short or a register past the UART's eight.
     */
    @Nested
    class Pieces {
        /**
         * mtty_write: an aligned u16 is one mdev_access, and handle_bar_write uses its first
         * byte only ({@code u8 data = *buf}); cut into bytes, the second would land in IER.
         */
        @Test
        void anAlignedHalfwordIsOnePieceOfWhichTheUartSeesOneByte() {
            Dev d = mtty();
            long bar1 = offset(d, 1);
            assertEquals(2, d.write(bar1, new byte[] {0x41, 0x0f}));
            assertEquals(1, ((MttyDevice) d.hw()).port(1).rxLevel());
            assertEquals(0, d.read(bar1 + 1, 1)[0], "IER untouched");
            assertEquals(2, d.write(bar1 + 2, new byte[] {0x06, 0x41}), "FCR: clear the FIFOs");
            assertEquals(0, ((MttyDevice) d.hw()).port(1).rxLevel(), "the 0x41 went nowhere");
        }

        /** mtty_read/mtty_write advance *ppos by each piece: 8 bytes are two u32 pieces. */
        @Test
        void eightBytesAreTwoConsecutivePieces() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            assertEquals(d.readLe(config, 4) | d.readLe(config + 4, 4) << 32, d.readLe(config, 8));
            byte[] ones = new byte[8];
            java.util.Arrays.fill(ones, (byte) 0xff);
            assertEquals(8, d.write(config + 0x10, ones));
            assertEquals(0xfffffff9L, d.readLe(config + 0x10, 4), "BAR0 sized");
            assertEquals(0xfffffff9L, d.readLe(config + 0x14, 4), "BAR1 sized by the second piece");
        }

        /**
         * handle_pci_cfg_write: on a one-port card a BAR1 write stores 0 (no such BAR), BAR0
         * still sizes.
         */
        @Test
        void aOnePortCardKeepsBar1AtZero() {
            Dev d = onePort();
            long config = offset(d, CONFIG_INDEX);
            d.writeLe(config + 0x14, 4, 0xffffffffL);
            assertEquals(0, d.readLe(config + 0x14, 4));
            d.writeLe(config + 0x10, 4, 0xffffffffL);
            assertEquals(0xfffffff9L, d.readLe(config + 0x10, 4));
            d.writeLe(config + 0x10, 4, 0xc000);
            assertEquals(0xc001L, d.readLe(config + 0x10, 4));
        }

        /**
         * mtty_write passes a u16 or u8 piece on its stack, and handle_pci_cfg_write loads a
         * u32 from it at BAR0 and BAR1 (KASAN stack-out-of-bounds); a one-port card's BAR1 is
         * zeroed before the load, and other registers never load. The process goes on, BAR0
         * as it was.
         */
        @Test
        void aShortBarRegisterWriteIsAKernelBug() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            assertShortBarRegisterWritesAreKernelBugs(d, config + 0x10, 0xc000,
                    "samples/vfio-mdev/mtty.c:handle_pci_cfg_write");
            assertEquals(2, d.p().kernelBugs().size());
            assertEquals(0x1L, d.readLe(config + 0x10, 4) & 0x3, "BAR0 keeps its I/O bit");
            assertEquals(2, d.writeLe(config + 0x3c, 2, 0x0b), "interrupt line: no load");
            assertEquals(4, d.writeLe(config + 0x10, 4, 0xc000), "a whole dword is fine");
            assertEquals(2, d.p().kernelBugs().size());
        }

        /**
         * handle_bar_read/handle_bar_write switch on the register: past UART_SCR (7) nothing
         * is touched, a read gives 0 and the piece still counts, on a port that exists and
         * (before the cookie path, where BAR2 has no bytes) on BAR2.
         */
        @Test
        void registerEightIsNoRegister() {
            Dev d = mtty();
            long bar0 = offset(d, 0);
            assertEquals(1, d.write(bar0 + 8, new byte[] {0x41}));
            assertEquals(0, d.read(bar0 + 8, 1)[0]);
            assertEquals(0, ((MttyDevice) d.hw()).port(0).rxLevel());
            if (!onCookiePath(d)) {
                assertEquals(1, d.write(offset(d, 2) + 8, new byte[] {0x41}));
            }
            assertTrue(d.p().kernelBugs().isEmpty());
        }

        /**
         * mtty_write hands a 2-byte aligned write to handle_bar_write as one u16 piece, which
         * stores only its first byte: a halfword at FCR (2) leaves LCR (3) alone.
         */
        @Test
        void aHalfwordBarWriteStoresOnlyItsFirstByte() {
            Dev d = mtty();
            long bar0 = offset(d, 0);
            assertEquals(1, d.write(bar0 + 3, new byte[] {0x03}), "LCR: 8 data bits");
            assertEquals(2, d.write(bar0 + 2, new byte[] {0x00, 0x1b}));
            assertEquals(0x03, d.read(bar0 + 3, 1)[0], "the second byte was not a piece of its own");
        }

        /**
         * A region's offset is the same for every file of the device: the sample's
         * {@code MTTY_VFIO_PCI_INDEX_TO_OFFSET(index)} upstream, and on the cookie path the
         * default policy (legacy layout, cookies made at open for the {@code nr_regions}
         * mtty_init_dev sets) places each file's cookies alike. So a second file reaches the
         * UART at the offset the first was told, without asking REGION_INFO.
         */
        @Test
        void aSecondFileReachesTheUartWithoutAskingForItsOffset() {
            Dev d = mtty();
            long bar0 = offset(d, 0);
            long config = offset(d, CONFIG_INDEX);
            Dev second = d.withFd(d.p().open(d.name()));
            assertEquals(0x4348, second.readLe(config, 2));
            assertEquals(1, second.write(bar0, new byte[] {0x41}));
            assertEquals(1, ((MttyDevice) d.hw()).port(0).rxLevel());
        }

        /**
         * mtty_read/mtty_write: a copy_to_user or copy_from_user that faults, on the first
         * piece or a later one, makes the call -EFAULT (not a short count), and a faulted
         * write's piece never reaches the card.
         */
        @Test
        void aFaultingUserBufferIsEfault() {
            Dev d = mtty();
            long config = offset(d, CONFIG_INDEX);
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 2, 4, config));
            assertEquals(-Errno.EFAULT, UserFaults.readInto(d, 4, 8, config));
            d.write(config + 0x3c, new byte[] {0x0b});
            assertEquals(-Errno.EFAULT, UserFaults.writeFrom(d, 0, 1, config + 0x3c));
            assertEquals(0x0b, d.read(config + 0x3c, 1)[0]);
        }

        /** mtty_ioctl copies the GET_INFO and GET_IRQ_INFO heads in: a short buffer is -EFAULT. */
        @Test
        void shortIoctlBuffersAreEfault() {
            Dev d = mtty();
            d.info();
            UserFaults.assertShortInfoHeadsEfault(d);
        }

        /**
         * mtty_ioctl_get_region_info fills size, offset and flags whatever the request held
         * (the core copies the whole head in).
         */
        @Test
        void regionInfoOverwritesAJunkRequest() {
            Dev d = mtty();
            UserFaults.assertRegionInfoOverwritesJunk(d, 256, 0, 2, CONFIG_INDEX);
        }

        /**
         * mtty_get_device_info and mtty_get_irq_info: the head is read, then the copy_to_user of the
         * answer into read-only user memory faults: -EFAULT.
         */
        @Test
        void answersIntoReadOnlyMemoryAreEfault() {
            Dev d = mtty();
            d.info();
            UserFaults.assertInfoIntoReadOnlyMemoryEfault(d);
        }
    }
}
