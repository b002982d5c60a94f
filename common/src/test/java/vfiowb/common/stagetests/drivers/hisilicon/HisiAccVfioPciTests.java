package vfiowb.common.stagetests.drivers.hisilicon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import vfiowb.common.hw.HisiAccVf;
import vfiowb.common.hw.MsixCapability;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.testing.DeviceLockHolder;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;

/**
 * hisi_acc_vfio_pci_migrn_ops (QM_HW_V3: BAR2's upper half is the VF's migration registers) and
 * hisi_acc_vfio_pci_ops (QM_HW_V2: plain), through the syscall boundary.
 */
public abstract class HisiAccVfioPciTests {
    private static final int RWM = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ
            | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;

    private final StageAdapter stage;

    /** One booted host with the device open. */
    private record Booted(Process p, int fd, HisiAccVf hw) {
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

        long bar2() {
            return offset(2);
        }

        long ioeventfd(long offset) {
            return p.ioctl(fd, VfioIoctl.VFIO_DEVICE_IOEVENTFD, VfioDeviceIoeventfd.of(
                    VfioDeviceIoeventfd.VFIO_DEVICE_IOEVENTFD_32, offset, 1, 5).encode());
        }
    }

    private final Booted migrn;
    private final Booted plain;

    protected HisiAccVfioPciTests(StageAdapter stage) {
        this.stage = stage;
        migrn = on(Arch.X86_64, "hisi-acc-migrn");
        plain = on(Arch.X86_64, "hisi-acc");
    }

    private Booted on(Arch arch, String name) {
        Process p = new Process(stage.stage().boot(arch,
                List.of(DeviceCatalogue.byName(name).orElseThrow())));
        return new Booted(p, p.open(name), (HisiAccVf) p.host().device(name));
    }

    static int errno(Executable call) {
        return assertThrows(ErrnoException.class, call).errno();
    }

    /** Whether the migration table is on the mmap cookie path at this stage. */
    private boolean cookiePath() {
        return stage.opsTables().get("hisi_acc_vfio_pci_migrn_ops").membersSet()
                .contains("mmap_obj");
    }

    /**
     * What an mmap leaving BAR2's usable pages gets: -EINVAL from hisi_acc_vfio_pci_mmap, or
     * on the cookie path -ENXIO from the core, the cookie being exactly that long.
     */
    private int pastTheUsablePages() {
        return cookiePath() ? Errno.ENXIO : Errno.EINVAL;
    }

    /**
     * hisi_acc_vfio_pci_open_device: vfio_pci_core_enable first, whose -EAGAIN (the device
     * lock held elsewhere during pci_try_reset_function) fails the open;
     * hisi_acc_vfio_pci_close_device ends in vfio_pci_core_close_device, which drops the
     * ioeventfds.
     */
    @Nested
    class OpenAndClose {
        @Test
        void theOpenFailsWhileAnotherPathHoldsTheDeviceLock() {
            Process q = new Process(stage.stage().boot(Arch.X86_64,
                    List.of(DeviceCatalogue.byName("hisi-acc-migrn").orElseThrow())));
            HisiAccVf f = (HisiAccVf) q.host().device("hisi-acc-migrn");
            int err = DeviceLockHolder.whileHeldElsewhere(f, () -> {
                try {
                    q.close(q.open("hisi-acc-migrn"));
                    return 0;
                } catch (ErrnoException e) {
                    return e.errno();
                }
            });
            assertEquals(f.pciResetSupported() ? Errno.EAGAIN : 0, err);
            assertEquals(3, q.open("hisi-acc-migrn"));
        }

        @Test
        void theLastCloseDropsTheIoeventfds() {
            assertEquals(0, migrn.ioeventfd(migrn.bar2() + 0x20));
            migrn.p().close(migrn.fd());
            int again = migrn.p().open("hisi-acc-migrn");
            assertEquals(0, stage.driverLong(migrn.p().file(again).kernelFile(), "ioeventfds_nr"));
        }
    }

    @Nested
    class Probe {
        @Test
        void qmV3VfGetsTheMigrationTableWithRegistersInTheVf() {
            assertEquals("hisi_acc_vfio_pci_migrn_ops", stage.opsTableOf(migrn.file()));
            assertEquals("HW_ACC_MIG_VF_CTRL", stage.driverState(migrn.file(), "drv_mode"));
        }

        @Test
        void qmV2GetsThePlainTable() {
            assertEquals("hisi_acc_vfio_pci_ops", stage.opsTableOf(plain.file()));
        }

        /**
         * The members but {@code get_region_mmap}, which the wc-cookie variant gives only the
         * tables that map BARs through vfio-pci-core (not the migration table's halved BAR2).
         */
        private static java.util.List<String> withoutWc(java.util.List<String> members) {
            return members.stream().filter(x -> !x.equals("get_region_mmap")).toList();
        }

        @Test
        void tablesSetTheSameMembers() {
            StageAdapter.OpsTable m = stage.opsTables().get("hisi_acc_vfio_pci_migrn_ops");
            assertEquals(withoutWc(stage.opsTables().get("hisi_acc_vfio_pci_ops").membersSet()),
                    withoutWc(m.membersSet()));
            assertEquals("hisi-acc-vfio-pci-migration", m.name());
        }
    }

    @Nested
    class RegionInfo {
        @ParameterizedTest
        @EnumSource(Arch.class)
        void migrationTableReportsHalfOfBar2AlwaysMmap(Arch a) {
            Booted b = on(a, "hisi-acc-migrn");
            RegionInfoReply r = b.regionInfo(2);
            assertEquals(b.hw().bar2Size() / 2, r.info().size());
            assertEquals(32 * 1024, r.info().size());
            assertEquals(RWM, r.info().flags());
            assertEquals(List.of(), r.caps());
        }

        @Test
        void plainTableReportsAllOfBar2() {
            RegionInfoReply r = plain.regionInfo(2);
            assertEquals(plain.hw().bar2Size(), r.info().size());
            assertEquals(RWM, r.info().flags());
        }

        /**
         * hisi_acc_vfio_pci_ioctl's own REGION_INFO (stage 1) places vfio-pci-core's capability
         * chain as the core does from stage 2: at 32 when argsz holds it, else argsz grown to
         * fit, cap_offset 0 and CAPS set; a reply into read-only memory is -EFAULT. No catalogue
         * hisi_acc function has a region with a capability, so this is the migration VF with an
         * MSI-X table in a BAR0 of its own (invented for the test), which carries MSIX_MAPPABLE.
         */
        @Test
        void aCoreRegionsCapabilityChainIsPlacedAsTheCoreDoes() {
            PciFunctionSpec spec = ((PciFunctionSpec) DeviceCatalogue.byName("hisi-acc-migrn")
                    .orElseThrow()).toBuilder("hisi-acc-msix")
                    .bar(PciBar.mem64(0, 16 * 1024, false))
                    .msix(new MsixCapability(0, 0, 4, 0, 0x800)).build();
            Process p = new Process(stage.stage().boot(Arch.X86_64, List.of(spec)));
            int fd = p.open("hisi-acc-msix");
            byte[] fits = VfioRegionInfo.request(0, 64);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, fits);
            RegionInfoReply r = RegionInfoReply.decode(fits);
            assertTrue(r.msixMappable(), r.toString());
            assertEquals(32, r.info().capOffset());
            assertEquals(64, r.info().argsz());
            byte[] small = new byte[32];
            new VfioRegionInfo(32, 0, 0, 0x5a5a_5a5aL, 0, 0).encodeInto(small, 0);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, small);
            VfioRegionInfo tooSmall = VfioRegionInfo.decode(small, 0);
            assertEquals(32 + 8, tooSmall.argsz(), "room for the 8-byte MSIX_MAPPABLE header");
            assertEquals(0, tooSmall.capOffset(), "not the request's junk");
            assertEquals(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS,
                    tooSmall.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS);
            assertEquals(r.info().flags(), tooSmall.flags());
            byte[] ro = VfioRegionInfo.request(0, 64);
            assertEquals(Errno.EFAULT, errno(() -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO,
                    UserBuffer.readOnly(ro))));
        }

        @Test
        void otherIndexesComeFromTheCore() {
            assertEquals(0, migrn.regionInfo(0).info().size());
            assertEquals(0, migrn.regionInfo(0).info().flags());
            assertEquals(4096, migrn.regionInfo(7).info().size());
            assertEquals(Errno.EINVAL, errno(() -> migrn.regionInfo(8)));
            assertEquals(Errno.EINVAL, errno(() -> migrn.regionInfo(9)));
        }
    }

    @Nested
    class ReadWrite {
        @Test
        void theFunctionalHalfReadsAndWritesTheBar() {
            byte[] data = {9, 8, 7, 6};
            long bar2 = migrn.bar2();
            assertEquals(4, migrn.p().pwrite(migrn.fd(), data, bar2 + 0x100));
            assertEquals(0x06070809L, migrn.hw().barMemory(2).orElseThrow().read(0x100, 4));
            byte[] back = new byte[4];
            assertEquals(4, migrn.p().pread(migrn.fd(), back, bar2 + 0x100));
            assertArrayEquals(data, back);
        }

        @Test
        void theMigrationHalfIsEinval() {
            long half = migrn.hw().migrationRegistersOffset();
            long bar2 = migrn.bar2();
            assertEquals(Errno.EINVAL, errno(() -> migrn.p().pread(migrn.fd(), new byte[4], bar2 + half)));
            assertEquals(Errno.EINVAL, errno(() -> migrn.p().pwrite(migrn.fd(), new byte[4], bar2 + half)));
        }

        @Test
        void anAccessReachingTheMigrationHalfIsClipped() {
            long half = migrn.hw().migrationRegistersOffset();
            long bar2 = migrn.bar2();
            migrn.hw().barMemory(2).orElseThrow().write(half, 4, 0xdeadbeefL);
            assertEquals(4, migrn.p().pread(migrn.fd(), new byte[8], bar2 + half - 4));
            assertEquals(4, migrn.p().pwrite(migrn.fd(), new byte[8], bar2 + half - 4));
            assertEquals(0xdeadbeefL, migrn.hw().barMemory(2).orElseThrow().read(half, 4));
        }

        @Test
        void thePlainTableReadsTheWholeBar() {
            long half = plain.hw().bar2Size() / 2;
            assertEquals(8, plain.p().pread(plain.fd(), new byte[8], plain.bar2() + half - 4));
        }

        @Test
        void otherRegionsPassUnchecked() {
            byte[] id = new byte[2];
            assertEquals(2, migrn.p().pread(migrn.fd(), id, migrn.offset(7)));
            assertEquals(0x19e5, (id[0] & 0xff) | (id[1] & 0xff) << 8);
            assertEquals(Errno.EINVAL, errno(() -> migrn.p().pread(migrn.fd(), new byte[4],
                    migrn.offset(0))), "BAR0 has no bytes");
        }
    }

    @Nested
    class Ioeventfd {
        @Test
        void theFunctionalHalfTakesOne() {
            assertEquals(0, migrn.ioeventfd(migrn.bar2() + 0x100));
            assertEquals(1, stage.driverLong(migrn.file(), "ioeventfds_nr"));
        }

        /**
         * The migration registers are hidden from read, write and mmap but not from
         * vfio_pci_ioctl_ioeventfd, which checks only the BAR; on the cookie path
         * vfio_pci_core_ioeventfd_obj checks the object, whose length is the usable half.
         */
        @Test
        void theMigrationHalfOnlyOnTheCookiePath() {
            long at = migrn.bar2() + migrn.hw().migrationRegistersOffset();
            if (cookiePath()) {
                assertEquals(Errno.EINVAL, errno(() -> migrn.ioeventfd(at)));
                assertEquals(0, stage.driverLong(migrn.file(), "ioeventfds_nr"));
            } else {
                assertEquals(0, migrn.ioeventfd(at));
                assertEquals(1, stage.driverLong(migrn.file(), "ioeventfds_nr"));
            }
            assertEquals(0, plain.ioeventfd(plain.bar2() + plain.hw().bar2Size() / 2));
        }
    }

    @Nested
    class Mmap {
        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K"})
        void theFunctionalHalfMapsUncached(Arch a) {
            Booted b = on(a, "hisi-acc-migrn");
            Mapping m = b.p().mmap(0, 32 * 1024, RW, Mman.MAP_SHARED, b.fd(), b.bar2());
            assertEquals(PgProt.UC, m.pgprot());
            m.store(0x10, 4, 0x5a5a5a5aL);
            assertEquals(0x5a5a5a5aL, b.hw().barMemory(2).orElseThrow().read(0x10, 4));
        }

        @ParameterizedTest
        @EnumSource(value = Arch.class, names = {"X86_64", "ARM64_4K", "ARM64_64K"})
        void aRangeReachingTheMigrationHalfIsEinval(Arch a) {
            Booted b = on(a, "hisi-acc-migrn");
            long page = a.pageSize();
            long bar2 = b.bar2();
            // With 64 KiB pages the cookie's one page holds the whole 32 KiB: the core lets a
            // one-page VMA through and the driver refuses the bytes past the usable length.
            int wholeBar = page > 32 * 1024 ? Errno.EINVAL : pastTheUsablePages();
            assertEquals(wholeBar, errno(() -> b.p().mmap(0, 64 * 1024, RW, Mman.MAP_SHARED,
                    b.fd(), bar2)));
            assertEquals(pastTheUsablePages(), errno(() -> b.p().mmap(0, page, RW,
                    Mman.MAP_SHARED, b.fd(), bar2 + 32 * 1024 + (page > 32 * 1024 ? 32 * 1024 : 0))));
        }

        @Test
        void thePlainTableMapsTheUpperHalfTheMigrationTableRefuses() {
            Mapping m = plain.p().mmap(0, 4096, RW, Mman.MAP_SHARED, plain.fd(),
                    plain.bar2() + 32 * 1024);
            assertEquals(PgProt.UC, m.pgprot());
            assertEquals(pastTheUsablePages(), errno(() -> migrn.p().mmap(0, 4096, RW,
                    Mman.MAP_SHARED, migrn.fd(), migrn.bar2() + 32 * 1024)));
        }

        @Test
        void with64kPagesBar2CannotBeMappedAtAll() {
            Booted b = on(Arch.ARM64_64K, "hisi-acc-migrn");
            assertEquals(RWM, b.regionInfo(2).info().flags());
            assertEquals(Errno.EINVAL, errno(() -> b.p().mmap(0, 64 * 1024, RW, Mman.MAP_SHARED,
                    b.fd(), b.bar2())));
            Booted p64 = on(Arch.ARM64_64K, "hisi-acc");
            Mapping m = p64.p().mmap(0, 64 * 1024, RW, Mman.MAP_SHARED, p64.fd(), p64.bar2());
            assertEquals(PgProt.UC, m.pgprot());
        }

        @Test
        void theCoreChecksStillApplyAfterTheBar2Check() {
            assertEquals(Errno.EINVAL, errno(() -> migrn.p().mmap(0, 4096, RW, Mman.MAP_PRIVATE,
                    migrn.fd(), migrn.bar2())));
            assertEquals(cookiePath() ? Errno.ENXIO : Errno.EINVAL, errno(() -> migrn.p().mmap(0,
                    4096, RW, Mman.MAP_SHARED, migrn.fd(), migrn.offset(0))),
                    "BAR0 has no bytes: no cookie, or vfio_pci_core_mmap's -EINVAL");
        }

        @Test
        void i386CannotReachBar2() {
            Booted b = on(Arch.I386, "hisi-acc-migrn");
            long bar2 = b.bar2();
            assertTrue(bar2 > 0xffff_ffffL, "the default layout's offset");
            assertEquals(Errno.EOVERFLOW, errno(() -> b.p().mmap(0, 4096, RW, Mman.MAP_SHARED,
                    b.fd(), bar2)));
        }
    }
}
