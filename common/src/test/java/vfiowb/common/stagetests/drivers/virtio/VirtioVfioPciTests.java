package vfiowb.common.stagetests.drivers.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.VirtioNetVf;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.testing.DeviceLockHolder;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * The three virtio-vfio-pci tables through the syscall boundary; most of it is the transitional
 * table's emulated legacy I/O BAR0.
 */
public abstract class VirtioVfioPciTests {
    private static final int RW_FLAGS = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
            | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private final StageAdapter stage;

    /** One booted host with the device open. */
    private record Booted(Process p, int fd, VirtioNetVf hw) {
        KernelFile file() {
            return p.file(fd).kernelFile();
        }

        RegionInfoReply regionInfo(int index) {
            byte[] buf = VfioRegionInfo.request(index, 64);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            return RegionInfoReply.decode(buf);
        }

        /** Where REGION_INFO says region {@code index} is in the file. */
        long offset(int index) {
            return regionInfo(index).info().offset();
        }

        /** Config space's offset. */
        long cfg() {
            return offset(7);
        }

        /** The (emulated, on the transitional table) BAR0's offset. */
        long bar0() {
            return offset(0);
        }

        long read(long off, int n) {
            byte[] b = new byte[8];
            byte[] x = new byte[n];
            assertEquals(n, p.pread(fd, x, off));
            System.arraycopy(x, 0, b, 0, n);
            return LE.getU64(b, 0);
        }

        long write(long off, int n, long v) {
            byte[] b = new byte[8];
            LE.putU64(b, 0, v);
            byte[] x = new byte[n];
            System.arraycopy(b, 0, x, 0, n);
            return p.pwrite(fd, x, off);
        }

        void enableIo() {
            long cmd = read(cfg() + 4, 2);
            assertEquals(2, write(cfg() + 4, 2, cmd | 1));
        }
    }

    private final Booted tran;

    protected VirtioVfioPciTests(StageAdapter stage) {
        this.stage = stage;
        tran = on(Arch.X86_64, "virtio-net-transitional");
    }

    private Booted on(Arch arch, String name) {
        Process p = new Process(stage.stage().boot(arch,
                List.of(DeviceCatalogue.byName(name).orElseThrow())));
        return new Booted(p, p.open(name), (VirtioNetVf) p.host().device(name));
    }

    /** A field of the driver's {@code virtiovf_pci_core_device}. */
    private long virtvdev(Booted b, String field) {
        return stage.driverLong(b.file(), field);
    }

    static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    @Nested
    class Probe {
        @Test
        void eachCatalogueVfGetsItsTable() {
            assertEquals("virtiovf_vfio_pci_tran_lm_ops", stage.opsTableOf(tran.file()));
            assertEquals("virtiovf_vfio_pci_lm_ops",
                    stage.opsTableOf(on(Arch.X86_64, "virtio-net-lm").file()));
            assertEquals("virtiovf_vfio_pci_ops",
                    stage.opsTableOf(on(Arch.X86_64, "virtio-net").file()));
        }

        @Test
        void theLegacyBarIsSizedAsTheDeviceExpectsAndNotifiesWhereItSays() {
            assertEquals(0x20, virtvdev(tran, "bar0_virtual_buf_size"));
            assertEquals(tran.hw().legacyIoBarSize(), virtvdev(tran, "bar0_virtual_buf_size"));
            assertEquals(tran.hw().notifyBar(), virtvdev(tran, "notify_bar"));
            assertEquals(tran.hw().notifyOffset(), virtvdev(tran, "notify_offset"));
            assertEquals(0, virtvdev(on(Arch.X86_64, "virtio-net-lm"), "bar0_virtual_buf_size"));
        }

        @Test
        void tableMembers() {
            StageAdapter.OpsTable tranLm = stage.opsTables().get("virtiovf_vfio_pci_tran_lm_ops");
            // get_region_mmap (variant wc-cookie) only where BARs map through vfio-pci-core,
            // not the transitional table's emulated legacy I/O BAR0.
            java.util.function.Function<java.util.List<String>, java.util.List<String>> noWc =
                    l -> l.stream().filter(x -> !x.equals("get_region_mmap")).toList();
            assertEquals(noWc.apply(tranLm.membersSet()),
                    noWc.apply(stage.opsTables().get("virtiovf_vfio_pci_lm_ops").membersSet()));
            assertEquals(noWc.apply(tranLm.membersSet()),
                    noWc.apply(stage.opsTables().get("virtiovf_vfio_pci_ops").membersSet()));
            assertEquals("virtio-vfio-pci-trans-lm", tranLm.name());
        }
    }

    /**
     * virtiovf_pci_open_device: vfio_pci_core_enable first, whose failure (-EAGAIN while another
     * path holds the device lock for pci_try_reset_function) fails the open;
     * virtiovf_pci_close_device: vfio_pci_core_close_device, which drops the ioeventfds.
     */
    @Nested
    class OpenAndClose {
        @Test
        void theOpenFailsWhileAnotherPathHoldsTheDeviceLock() {
            Process q = new Process(stage.stage().boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName("virtio-net-transitional").orElseThrow())));
            VirtioNetVf f = (VirtioNetVf) q.host().device("virtio-net-transitional");
            int err = DeviceLockHolder.whileHeldElsewhere(f, () -> {
                try {
                    q.close(q.open("virtio-net-transitional"));
                    return 0;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            assertEquals(f.pciResetSupported() ? Errno.EAGAIN : 0, err);
            assertEquals(3, q.open("virtio-net-transitional"));
        }

        @Test
        void theLastCloseDropsTheIoeventfds() {
            byte[] onBar2 = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16,
                    tran.offset(2) + 0x3000, 1, 5).encode();
            assertEquals(0, tran.p().ioctl(tran.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD, onBar2));
            tran.p().close(tran.fd());
            int again = tran.p().open("virtio-net-transitional");
            assertEquals(0, stage.driverLong(tran.p().file(again).kernelFile(), "ioeventfds_nr"));
            assertEquals(0, tran.p().ioctl(again, VfioIoctl.VFIO_DEVICE_IOEVENTFD, onBar2),
                    "not EEXIST: the old one is gone");
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void transitionalBar0IsTheEmulatedLegacyBarReadWriteOnly(Arch a) {
            RegionInfoReply r = on(a, "virtio-net-transitional").regionInfo(0);
            assertEquals(0x20, r.info().size());
            assertEquals(RW_FLAGS, r.info().flags());
            assertEquals(List.of(), r.caps());
        }

        /**
         * vfio_device_get_region_info copies the user's whole head in, offset included;
         * virtiovf_pci_ioctl_get_region_info sets BAR0's offset itself.
         */
        @Test
        void bar0sOffsetIsTheDriversWhateverTheUserPassedIn() {
            long expected = tran.bar0();
            byte[] buf = VfioRegionInfo.request(0, 64);
            LE.putU64(buf, 24, 0x5a5a_0000_1000L);
            tran.p().ioctl(tran.fd(), VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
            assertEquals(expected, RegionInfoReply.decode(buf).info().offset());
        }

        @Test
        void theOtherTablesHaveNoBar0() {
            for (String name : List.of("virtio-net-lm", "virtio-net")) {
                RegionInfoReply r = on(Arch.X86_64, name).regionInfo(0);
                assertEquals(0, r.info().size(), name);
                assertEquals(0, r.info().flags(), name);
            }
        }

        @Test
        void otherIndexesComeFromTheCore() {
            RegionInfoReply r = tran.regionInfo(2);
            assertEquals(32 * 1024, r.info().size());
            assertTrue(r.msixMappable());
            assertEquals(Errno.EINVAL, errno(() -> tran.regionInfo(8)));
        }
    }

    @Nested
    class LegacyBar0 {
        @Test
        void refusedUntilTheUserEnablesIoSpace() {
            long bar0 = tran.bar0();
            assertEquals(Errno.EIO, errno(() -> tran.p().pread(tran.fd(), new byte[4], bar0)));
            assertEquals(Errno.EIO, errno(() -> tran.p().pwrite(tran.fd(), new byte[4], bar0)));
            tran.enableIo();
            assertEquals(4, tran.p().pread(tran.fd(), new byte[4], bar0));
        }

        @Test
        void commonAndDeviceConfigComeFromThePf() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals((1L << 5) | (1L << 16), tran.read(bar0, 4));
            assertEquals(256, tran.read(bar0 + 0x0c, 2));
            assertEquals(0x010000000002L, tran.read(bar0 + 24, 6));
            byte[] all = new byte[0x20];
            assertEquals(0x20, tran.p().pread(tran.fd(), all, bar0));
            assertEquals(0x02, all[24]);
        }

        @Test
        void writesReachTheLegacyRegisters() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals(4, tran.write(bar0 + 0x04, 4, 0x20L));
            assertEquals(0x20L, tran.hw().legacyIoRead(0x04, 4));
            assertEquals(2, tran.write(bar0 + 0x0c, 2, 64));
            assertEquals(256, tran.read(bar0 + 0x0c, 2));
            assertEquals(1, tran.write(bar0 + 24, 1, 0x55));
            assertEquals(0x55, tran.read(bar0 + 24, 1));
            assertEquals(1, tran.write(bar0 + 0x12, 1, 0));
            assertEquals(0x02, tran.read(bar0 + 24, 1));
        }

        @Test
        void queueNotifyGoesToTheModernNotifyAddressAndMustBeTwoBytes() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals(2, tran.write(bar0 + 0x10, 2, 3));
            long notify = tran.hw().notifyOffset();
            assertEquals(3, tran.hw().barMemory(tran.hw().notifyBar()).orElseThrow().read(notify, 2));
            assertEquals(3, tran.read(bar0 + 0x10, 2));
            assertEquals(0, tran.hw().legacyNotifyCount());
            assertEquals(Errno.EINVAL, errno(() -> tran.p().pwrite(tran.fd(), new byte[4], bar0 + 0x10)));
            assertEquals(Errno.EINVAL, errno(() -> tran.p().pread(tran.fd(), new byte[1], bar0 + 0x10)));
        }

        /** Device-config admin commands take offsets from VIRTIO_PCI_CONFIG_OFF on. */
        @Test
        void deviceConfigOffsetsCountFromTheDeviceConfig() {
            tran.enableIo();
            long bar0 = tran.bar0();
            tran.hw().legacyIoWrite(26, 2, 0xbeefL);
            assertEquals(0xbeefL, tran.read(bar0 + 26, 2));
            assertEquals(1, tran.write(bar0 + 29, 1, 0x5a));
            assertEquals(0x5a, tran.hw().legacyIoRead(29, 1));
        }

        @Test
        void everyByteOfAWideOrOddWriteLands() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals(4, tran.write(bar0 + 0x04, 4, 0x12345678L));
            assertEquals(0x12345678L, tran.hw().legacyIoRead(0x04, 4));
            assertEquals(3, tran.write(bar0 + 24, 3, 0xa1b2c3L));
            assertEquals(0xa1b2c3L, tran.hw().legacyIoRead(24, 3 + 1) & 0xffffffL);
            assertEquals(0xa1b2c3L, tran.read(bar0 + 24, 3));
        }

        @Test
        void theNotifyRegisterCarriesBothBytes() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals(2, tran.write(bar0 + 0x10, 2, 0x1234));
            assertEquals(0x1234, tran.hw().barMemory(tran.hw().notifyBar()).orElseThrow()
                    .read(tran.hw().notifyOffset(), 2));
            assertEquals(0x1234, tran.read(bar0 + 0x10, 2));
        }

        /** virtiovf_pci_core_read/write: an empty access is 0 before any other check. */
        @Test
        void anEmptyAccessIsZeroEvenWithIoOff() {
            KernelFile v = tran.file();
            long bar0 = tran.bar0();
            assertEquals(0, v.read(UserBuffer.allocate(0), 0, bar0));
            assertEquals(0, v.write(UserBuffer.allocate(0), 0, bar0));
            assertEquals(0, v.read(UserBuffer.allocate(0), 0, tran.cfg() + 2));
        }

        @Test
        void pastTheEmulatedBarIsEinval() {
            tran.enableIo();
            long bar0 = tran.bar0();
            assertEquals(Errno.EINVAL, errno(() -> tran.p().pread(tran.fd(), new byte[4], bar0 + 0x1e)));
            assertEquals(Errno.EINVAL, errno(() -> tran.p().pwrite(tran.fd(), new byte[1], bar0 + 0x20)));
            assertEquals(0, tran.p().pread(tran.fd(), new byte[0], bar0 + 0x20));
        }

        /**
         * vfio_pci_ioeventfd needs a BAR of the VF's own; the emulated one is none, so the
         * transitional table refuses an ioeventfd there, and takes one on a real BAR.
         */
        @Test
        void ioeventfdsGoToRealBarsOnly() {
            byte[] onBar0 = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16,
                    tran.bar0() + 0x10, 1, 5).encode();
            assertEquals(Errno.EINVAL, errno(() -> tran.p().ioctl(tran.fd(),
                    VfioIoctl.VFIO_DEVICE_IOEVENTFD, onBar0)));
            byte[] onBar2 = VfioDeviceIoeventfd.of(VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_16,
                    tran.offset(2) + 0x3000, 1, 5).encode();
            assertEquals(0, tran.p().ioctl(tran.fd(), VfioIoctl.VFIO_DEVICE_IOEVENTFD, onBar2));
            assertEquals(1, virtvdev(tran, "ioeventfds_nr"));
        }

        @Test
        void theOtherTablesHaveNoBar0ToReadOrMap() {
            Booted lm = on(Arch.X86_64, "virtio-net-lm");
            lm.enableIo();
            assertEquals(Errno.EINVAL, errno(() -> lm.p().pread(lm.fd(), new byte[4], lm.bar0())));
        }
    }

    @Nested
    class ConfigEmulation {
        @Test
        void looksLikeATransitionalVirtioNet() {
            assertEquals(0x1041, tran.hw().deviceId());
            assertEquals(0x1000, tran.read(tran.cfg() + 2, 2));
            assertEquals(0x02000000L, tran.read(tran.cfg() + 8, 4), "revision 0, class unchanged");
            assertEquals(0x1af4, tran.read(tran.cfg() + 0x2c, 2));
            assertEquals(0x0001, tran.read(tran.cfg() + 0x2e, 2));
            assertEquals(0x10001af4L, tran.read(tran.cfg(), 4));
        }

        @Test
        void bar0IsAnIoBarSizedToTheEmulation() {
            assertEquals(1, tran.read(tran.cfg() + 0x10, 4));
            assertEquals(4, tran.write(tran.cfg() + 0x10, 4, 0xffffffffL));
            assertEquals(0xffffffe1L, tran.read(tran.cfg() + 0x10, 4));
            tran.write(tran.cfg() + 0x10, 4, 0xc05aL);
            assertEquals(0xc041L, tran.read(tran.cfg() + 0x10, 4));
            assertEquals(0xc05aL, virtvdev(tran, "pci_base_addr_0"));
        }

        @Test
        void theCommandShadowFollowsUserWrites() {
            assertEquals(0, virtvdev(tran, "pci_cmd") & 1);
            tran.enableIo();
            assertEquals(1, virtvdev(tran, "pci_cmd") & 1);
            assertEquals(1, tran.read(tran.cfg() + 4, 2) & 1);
        }

        /**
         * The command overlay only ORs PCI_COMMAND_IO in, once the user set it in the shadow;
         * the other bits are the core's.
         */
        @Test
        void theCommandOverlayOnlyAddsTheIoBit() {
            assertEquals(0, tran.read(tran.cfg() + 4, 2) & 1, "I/O off until the user sets it");
            long cmd = tran.read(tran.cfg() + 4, 2);
            assertEquals(2, tran.write(tran.cfg() + 4, 2, cmd | 0x7));
            long after = tran.read(tran.cfg() + 4, 2);
            assertEquals(1, after & 1);
            Booted plain = on(Arch.X86_64, "virtio-net");
            long pcmd = plain.read(plain.cfg() + 4, 2);
            assertEquals(2, plain.write(plain.cfg() + 4, 2, pcmd | 0x7));
            assertEquals(plain.read(plain.cfg() + 4, 2) | 1, after,
                    "the same register as the modern VF's, I/O enable added");
        }

        @Test
        void aLongReadGetsEveryOverlay() {
            byte[] hdr = new byte[0x30];
            assertEquals(0x30, tran.p().pread(tran.fd(), hdr, tran.cfg()));
            assertEquals(0x1000, LE.getU16(hdr, 2));
            assertEquals(0, hdr[8]);
            assertEquals(1, LE.getU32(hdr, 0x10));
            assertEquals(0x1af4, LE.getU16(hdr, 0x2c));
            assertEquals(1, LE.getU16(hdr, 0x2e));
        }

        @Test
        void theOtherTablesShowTheModernDevice() {
            Booted plain = on(Arch.X86_64, "virtio-net");
            assertEquals(0x1041, plain.read(plain.cfg() + 2, 2));
            assertEquals(0x1100, plain.read(plain.cfg() + 0x2e, 2));
            assertEquals(0, plain.read(plain.cfg() + 0x10, 4));
        }
    }

    @Nested
    class Mmap {
        @Test
        void theEmulatedBar0CannotBeMappedTheRealBar2Can() {
            assertEquals(Errno.EINVAL, errno(() -> tran.p().mmap(0, 4096, RW, Mman.MAP_SHARED,
                    tran.fd(), tran.bar0())));
            Mapping m = tran.p().mmap(0, 32 * 1024, RW, Mman.MAP_SHARED, tran.fd(),
                    tran.offset(2));
            assertEquals(PgProt.UC, m.pgprot());
            m.store(0x3000, 2, 9);
            assertEquals(9, tran.hw().barMemory(2).orElseThrow().read(0x3000, 2));
        }

        @Test
        void otherRegionsReadThroughTheCore() {
            tran.hw().barMemory(2).orElseThrow().write(0x100, 4, 0x01020304L);
            assertEquals(0x01020304L, tran.read(tran.offset(2) + 0x100, 4));
            assertEquals(4, tran.write(tran.offset(2) + 0x104, 4, 0x0a0b0c0dL));
            assertEquals(0x0a0b0c0dL, tran.hw().barMemory(2).orElseThrow().read(0x104, 4));
            assertEquals(Errno.EINVAL, errno(() -> tran.p().pread(tran.fd(), new byte[4],
                    9L << 40)), "the legacy layout's slot of index 9, which the VF does not have");
        }
    }

    /**
     * A user buffer that faults part-way (the syscall boundary cannot make one, so the file's
     * read and write are called directly): the legacy BAR and the config overlays are -EFAULT.
     */
    @Nested
    class UserFaults {
        @Test
        void legacyBarCopiesFault() {
            tran.enableIo();
            KernelFile v = tran.file();
            long bar0 = tran.bar0();
            assertEquals(-Errno.EFAULT, v.read(UserBuffer.allocate(2), 4, bar0));
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.allocate(2), 4, bar0));
            assertEquals(-Errno.EFAULT, v.read(UserBuffer.allocate(1), 2, bar0 + 0x10));
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.allocate(1), 2, bar0 + 0x10));
        }

        /**
         * virtiovf_pci_read_config returns -EFAULT when an overlay's copy_to_user (or the command
         * register's copy_from_user) faults after vfio_pci_core_read filled the buffer: here
         * the buffer is unmapped as soon as it is full. A range with no overlay is not touched
         * again and reads whole.
         */
        @Test
        void eachOverlayFaultsWhenTheBufferIsGoneAfterTheCoreRead() {
            KernelFile v = tran.file();
            long cfg = tran.cfg();
            tran.enableIo();
            long[][] overlays = {{2, 2}, {4, 2}, {8, 1}, {0x10, 4}, {0x2c, 2}, {0x2e, 2}};
            for (long[] o : overlays) {
                UserBuffer b = UserBuffer.unmappedOnceFilled((int) o[1]);
                assertEquals(-Errno.EFAULT, v.read(b, o[1], cfg + o[0]), "register 0x"
                        + Long.toHexString(o[0]));
                assertTrue(b.unmapped());
            }
            UserBuffer none = UserBuffer.unmappedOnceFilled(4);
            assertEquals(4, v.read(none, 4, cfg + 0x30));
        }

        /** A read vfio_pci_core_read fails is returned as it failed, with no overlay. */
        @Test
        void aFailedCoreReadIsReturnedAsIs() {
            assertEquals(-Errno.EFAULT, tran.file().read(UserBuffer.allocate(1), 4, tran.cfg() + 0x30));
        }

        /**
         * virtiovf_pci_write_config copies straight into pci_cmd / pci_base_addr_0, and
         * copy_from_user zero-fills what it could not copy: a faulting write has already
         * changed the shadow. A command write that faults after its first byte turns legacy
         * I/O off; a BAR0 write keeps the byte it reached.
         */
        @Test
        void aFaultingShadowWriteLandsWhatItReached() {
            KernelFile v = tran.file();
            tran.enableIo();
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.wrap(new byte[] {0}), 2, tran.cfg() + 4));
            assertEquals(0, virtvdev(tran, "pci_cmd"));
            assertEquals(Errno.EIO, errno(() -> tran.p().pread(tran.fd(), new byte[4], tran.bar0())));
            assertEquals(4, tran.write(tran.cfg() + 0x10, 4, 0xc05aL));
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.wrap(new byte[] {0x11}), 4, tran.cfg() + 0x10));
            assertEquals(0x11, virtvdev(tran, "pci_base_addr_0"));
        }

        /** The command copy faulting returns at once: BAR0's shadow, later in the write, stays. */
        @Test
        void aFaultOnTheCommandStopsBeforeBar0() {
            KernelFile v = tran.file();
            assertEquals(4, tran.write(tran.cfg() + 0x10, 4, 0xc05aL));
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.wrap(new byte[] {1}), 16, tran.cfg() + 4));
            assertEquals(1, virtvdev(tran, "pci_cmd"));
            assertEquals(0xc05aL, virtvdev(tran, "pci_base_addr_0"));
        }

        @Test
        void configShadowCopiesFault() {
            KernelFile v = tran.file();
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.allocate(1), 4, tran.cfg() + 0x10));
            assertEquals(-Errno.EFAULT, v.write(UserBuffer.allocate(1), 2, tran.cfg() + 0x04));
            assertEquals(0, virtvdev(tran, "pci_cmd") & 1);
        }
    }
}
