package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.mm.Arch;

class DeviceCatalogueTest {

    /** kernel-facts.md §C.1 (13 PCI tables) and §C.2 (10 non-PCI tables), in the document's order. */
    static final List<String> OPS_TABLES = List.of(
            "vfio_pci_ops", "mlx5vf_pci_ops", "hisi_acc_vfio_pci_migrn_ops", "hisi_acc_vfio_pci_ops",
            "nvgrace_gpu_pci_ops", "nvgrace_gpu_pci_core_ops", "pds_vfio_ops", "qat_vf_pci_ops",
            "virtiovf_vfio_pci_lm_ops", "virtiovf_vfio_pci_tran_lm_ops", "virtiovf_vfio_pci_ops",
            "xe_vfio_pci_ops", "ism_pci_ops",
            "vfio_platform_ops", "vfio_amba_ops", "vfio_fsl_mc_ops", "vfio_cdx_ops", "vfio_ccw_dev_ops",
            "vfio_ap_matrix_dev_ops", "intel_vgpu_dev_ops", "mtty_dev_ops", "mdpy_dev_ops", "mbochs_dev_ops");

    static final Map<String, String> MODULE = Map.ofEntries(
            Map.entry("vfio_pci_ops", "vfio-pci"), Map.entry("mlx5vf_pci_ops", "mlx5-vfio-pci"),
            Map.entry("hisi_acc_vfio_pci_migrn_ops", "hisi-acc-vfio-pci"),
            Map.entry("hisi_acc_vfio_pci_ops", "hisi-acc-vfio-pci"),
            Map.entry("nvgrace_gpu_pci_ops", "nvgrace-gpu-vfio-pci"),
            Map.entry("nvgrace_gpu_pci_core_ops", "nvgrace-gpu-vfio-pci"),
            Map.entry("pds_vfio_ops", "pds-vfio-pci"), Map.entry("qat_vf_pci_ops", "qat-vfio-pci"),
            Map.entry("virtiovf_vfio_pci_lm_ops", "virtio-vfio-pci"),
            Map.entry("virtiovf_vfio_pci_tran_lm_ops", "virtio-vfio-pci"),
            Map.entry("virtiovf_vfio_pci_ops", "virtio-vfio-pci"), Map.entry("xe_vfio_pci_ops", "xe-vfio-pci"),
            Map.entry("ism_pci_ops", "ism-vfio-pci"), Map.entry("vfio_platform_ops", "vfio-platform"),
            Map.entry("vfio_amba_ops", "vfio-amba"), Map.entry("vfio_fsl_mc_ops", "vfio-fsl-mc"),
            Map.entry("vfio_cdx_ops", "vfio-cdx"), Map.entry("vfio_ccw_dev_ops", "vfio_ccw"),
            Map.entry("vfio_ap_matrix_dev_ops", "vfio_ap"), Map.entry("intel_vgpu_dev_ops", "kvmgt"),
            Map.entry("mtty_dev_ops", "mtty"), Map.entry("mdpy_dev_ops", "mdpy"),
            Map.entry("mbochs_dev_ops", "mbochs"));

    static Stream<DeviceSpec> specs() {
        return DeviceCatalogue.all().stream();
    }

    static PciFunction pci(String name) {
        return (PciFunction) DeviceCatalogue.byName(name).orElseThrow().create(new SystemBus());
    }

    @Nested
    class Coverage {
        @Test
        void namesAreUnique() {
            Set<String> seen = new HashSet<>();
            for (DeviceSpec s : DeviceCatalogue.all()) {
                assertTrue(seen.add(s.name()), "duplicate " + s.name());
            }
        }

        @Test
        void everyOpsTableOfKernelFactsSectionCIsPresentAndNoOther() {
            assertEquals(23, OPS_TABLES.size());
            assertEquals(new HashSet<>(OPS_TABLES), new HashSet<>(DeviceCatalogue.opsTables()));
        }

        @Test
        void driversAreTheModulesOfTheirOpsTables() {
            for (DeviceSpec s : DeviceCatalogue.all()) {
                assertEquals(MODULE.get(s.opsTable()), s.driver(), s.name());
            }
        }

        @Test
        void orderIsStable() {
            List<String> a = DeviceCatalogue.all().stream().map(DeviceSpec::name).toList();
            List<String> b = DeviceCatalogue.all().stream().map(DeviceSpec::name).toList();
            assertEquals(a, b);
            assertEquals("nic-vf", a.get(0));
        }

        @Test
        void namedInstancesTheIssueAsksFor() {
            for (String n : List.of("nic-vf", "gpu-64g", "cxl-2t", "igd", "mlx5-vf", "hisi-acc-migrn", "hisi-acc",
                    "nvgrace-gh200", "nvgrace-gh200-nomem", "pds-vf", "qat-vf", "virtio-net-lm",
                    "virtio-net-transitional", "virtio-net", "xe-vf", "ism", "platform-xgmac", "amba-pl011",
                    "fsl-mc-dprc", "cdx-dev", "ccw-subchannel", "ap-matrix", "kvmgt-vgpu", "mtty", "mdpy",
                    "mbochs")) {
                assertTrue(DeviceCatalogue.byName(n).isPresent(), n);
            }
            assertTrue(DeviceCatalogue.byName("no-such-device").isEmpty());
        }

        @Test
        void pciTablesBuildPciFunctions() {
            Set<String> pciTables = new LinkedHashSet<>(OPS_TABLES.subList(0, 13));
            for (DeviceSpec s : DeviceCatalogue.all()) {
                Device d = s.create(new SystemBus());
                assertEquals(pciTables.contains(s.opsTable()), d instanceof PciFunction, s.name());
            }
        }
    }

    @Nested
    class Creation {
        @ParameterizedTest(name = "{0}")
        @MethodSource("vfiowb.common.hw.DeviceCatalogueTest#specs")
        void createsOnAFreshBus(DeviceSpec spec) {
            Device d = spec.create(new SystemBus());
            assertEquals(spec.name(), d.name());
            assertFalse(spec.description().isBlank());
        }

        @Test
        void everyEntryFitsOnOneBusAndTwiceOver() {
            SystemBus bus = new SystemBus();
            Map<String, Device> seen = new HashMap<>();
            for (int round = 0; round < 2; round++) {
                for (DeviceSpec s : DeviceCatalogue.all()) {
                    seen.put(s.name() + round, s.create(bus));
                }
            }
            assertEquals(2 * DeviceCatalogue.all().size(), seen.size());
        }

        @Test
        void twoInstancesGetDistinctAddresses() {
            SystemBus bus = new SystemBus();
            DeviceSpec s = DeviceCatalogue.byName("nic-vf").orElseThrow();
            PciFunction a = (PciFunction) s.create(bus);
            PciFunction b = (PciFunction) s.create(bus);
            assertNotEquals(a.pciResourceStart(0), b.pciResourceStart(0));
            a.barWrite(0, 0, 4, 1);
            assertEquals(0, b.barRead(0, 0, 4));
        }
    }

    @Nested
    class Shapes {
        @Test
        void nicVfIsBm() {
            PciFunction f = pci("nic-vf");
            assertEquals(0x10000, f.pciResourceLen(0));
            assertTrue(f.isMem64(0));
            assertEquals(0, f.pciResourceLen(1));
            assertEquals(0, f.msixTableBar());
            assertEquals(0x8000, f.msixTableOffset());
            assertEquals(64 * 16, f.msixTableSize());
            assertEquals(4096, f.cfgSize());
            assertEquals(0x4000, f.pciResourceLen(3));
            assertTrue(f.isVirtfn());
        }

        @Test
        void legacyB0IsConventionalWith16KiBBar0() {
            PciFunction f = pci("legacy-b0");
            assertEquals(0x4000, f.pciResourceLen(0));
            assertFalse(f.hasMsix());
            assertEquals(256, f.cfgSize());
            assertFalse(f.isIoBar(0));
        }

        @Test
        void gpu64g() {
            PciFunction f = pci("gpu-64g");
            assertTrue(f.isVga());
            assertEquals(16L << 20, f.pciResourceLen(0));
            assertEquals(64L << 30, f.pciResourceLen(1));
            assertTrue(f.isMem64(1) && f.isPrefetch(1));
            assertEquals(0, f.pciResourceLen(2));
            assertEquals(512 << 10, f.romSize());
            assertEquals(0xAA55, f.romRead(0, 2));
            assertEquals(0xFF, f.romRead(64 << 10, 1));
        }

        @Test
        void cxl2tHasA2TiBBarThatStaysSparse() {
            PciFunction f = pci("cxl-2t");
            assertEquals(2L << 40, f.pciResourceLen(2));
            f.barWrite(2, (1L << 40) + 8, 8, 0x1234);
            assertEquals(0x1234, f.barRead(2, (1L << 40) + 8, 8));
            assertEquals(4096, f.barMemory(2).orElseThrow().allocatedBytes());
        }

        @Test
        void subPageBars() {
            PciFunction aligned = pci("subpage-bar");
            assertEquals(0x100, aligned.pciResourceLen(0));
            assertEquals(0, aligned.pciResourceStart(0) % 4096);
            PciFunction off = pci("subpage-offpage");
            assertEquals(0x100, off.pciResourceLen(0));
            assertNotEquals(0, off.pciResourceStart(0) % 4096);
            PciFunction msix = pci("subpage-msix");
            assertEquals(0, msix.msixTableOffset());
            assertEquals(16, msix.msixTableSize());
            assertEquals(0, msix.pciResourceStart(0) % 4096);
        }

        @Test
        void offPagePlacementHoldsOnABusInAnyState() {
            SystemBus bus = new SystemBus();
            DeviceSpec spec = DeviceCatalogue.byName("subpage-offpage").orElseThrow();
            for (int i = 0; i < 20; i++) {
                PciFunction f = (PciFunction) spec.create(bus);
                assertNotEquals(0, f.pciResourceStart(0) % 4096);
                bus.place(SystemBus.Window.MMIO32, 0x100 << (i % 5), 1, new SparseMemory(0x100 << (i % 5)));
            }
        }

        @Test
        void ioPortBar0() {
            PciFunction f = pci("ioport-bar0");
            assertTrue(f.isIoBar(0));
            assertEquals(32, f.pciResourceLen(0));
            assertEquals(1, f.configRead(0x10, 4) & 1);
        }

        @Test
        void rom64k() {
            PciFunction f = pci("hba-rom64k");
            assertEquals(64 << 10, f.pciResourceLen(6));
            assertEquals(0xFFFF_FFFFL, f.romRead((40 << 10), 4));
        }

        @Test
        void chelsioReportsItsPbaBeyondTheBar() {
            PciFunction f = pci("chelsio-t5-vf");
            assertEquals(8192, f.pciResourceLen(2));
            assertEquals(0x8000, f.msixPbaOffset());
            assertTrue(f.msixPbaOffset() >= f.pciResourceLen(f.msixPbaBar()));
            int cap = f.msixCapabilityOffset().getAsInt();
            assertEquals(0x8002, f.configRead(cap + 8, 4));
        }

        @Test
        void msix16k() {
            PciFunction f = pci("msix-16k");
            assertEquals(0x4000, f.pciResourceLen(0));
            assertEquals(0x2000, f.msixTableOffset());
        }

        @Test
        void largeBars() {
            PciFunction f = pci("large-bars");
            assertEquals(4L << 30, f.pciResourceLen(0));
            assertEquals(8L << 30, f.pciResourceLen(2));
        }

        @Test
        void ismHasA256TiBBar0() {
            PciFunction f = pci("ism");
            assertInstanceOf(IsmFunction.class, f);
            assertEquals(256L << 40, f.pciResourceLen(0));
        }
    }

    /**
     * The physical map respects each arch's physical address width: no catalogue device on any
     * arch has a byte where the arch cannot reach (on i386 a PFN past 32 bits would be
     * truncated in {@code vm_pgoff}, an {@code unsigned long}), and a device whose resources do
     * not fit at all is refused by name instead of being placed out of reach.
     */
    @Nested
    class PhysicalAddressWidth {
        @ParameterizedTest(name = "{0}")
        @EnumSource(Arch.class)
        void everyResourceOfEveryDeviceLiesBelowTheArchsLimit(Arch arch) {
            long limit = arch.physAddrLimit();
            int checked = 0;
            for (DeviceSpec s : DeviceCatalogue.on(arch)) {
                SystemBus bus = new SystemBus(arch);
                Device d = s.create(bus);
                for (SystemBus.Range r : bus.ranges()) {
                    assertTrue(r.start() >= 0 && r.size() > 0 && r.start() + r.size() <= limit,
                            () -> String.format("%s on %s: 0x%x+0x%x past 0x%x", s.name(),
                                    arch.cliName(), r.start(), r.size(), limit));
                    long lastPfn = (r.start() + r.size() - 1) >>> arch.pageShift();
                    assertEquals(lastPfn, lastPfn & arch.ulongMax(), s.name() + ": PFN fits");
                    checked++;
                }
                if (d instanceof PciFunction f) {
                    for (PciBar b : f.bars()) {
                        if (b != null && b.isMem() && b.size() > 0) {
                            if (b.start() >= bus.window(SystemBus.Window.ZPCI_IOMAP)[0]) {
                                // s390's I/O map, not physical memory: only zPCI functions.
                                assertInstanceOf(IsmFunction.class, d, s.name() + " " + b);
                                continue;
                            }
                            assertTrue(b.start() + b.size() <= limit, s.name() + " " + b);
                        }
                    }
                }
                if (d instanceof ResourceDevice rd) {
                    for (PlatformResource r : rd.resources()) {
                        if (r.isMmio()) {
                            assertTrue(r.start() + r.size() <= limit, s.name() + " " + r);
                        }
                    }
                }
            }
            assertTrue(checked > DeviceCatalogue.all().size(), "ranges checked: " + checked);
        }

        /** Every entry exists on every arch: nothing of the catalogue is out of any arch's reach. */
        @ParameterizedTest(name = "{0}")
        @EnumSource(Arch.class)
        void everyEntryExistsOnEveryArch(Arch arch) {
            assertEquals(DeviceCatalogue.all(), DeviceCatalogue.on(arch));
        }

        /** A 64-bit BAR larger than what follows 64-bit MMIO's start cannot exist, and says why. */
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = Arch.class, names = {"I386", "ARM64_4K", "ARM64_64K"})
        void aBarBeyondTheArchsReachIsRefusedByName(Arch arch) {
            DeviceSpec huge = PciFunctionSpec.builder("huge-bar").ids(0x1B36, 0x0010)
                    .classCode(0x120000).bar(PciBar.mem64(0, 256L << 40, true)).build();
            String why = DeviceCatalogue.absentOn(huge, arch).orElseThrow();
            assertTrue(why.contains("'huge-bar' cannot exist on " + arch.cliName())
                    && why.contains(arch.physAddrBits() + "-bit") && why.contains("256 TiB"), why);
            assertTrue(DeviceCatalogue.absentOn(huge, Arch.X86_64).isEmpty());
        }

        /** ISM's BARs live in s390's zPCI I/O map: 256 TiB apart, never in physical memory. */
        @ParameterizedTest(name = "{0}")
        @EnumSource(Arch.class)
        void ismBar0IsAnIomapEntryReachedByZpciLoadsOnly(Arch arch) {
            SystemBus bus = new SystemBus(arch);
            PciFunction ism = (PciFunction) DeviceCatalogue.byName("ism").orElseThrow().create(bus);
            long start = ism.bar(0).start();
            assertEquals(1L << 62, start);
            assertTrue(bus.ranges().stream().noneMatch(r -> r.start() == start));
            ism.setMemoryEnabled(true);
            ism.barWrite(0, 255L << 40, 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, ism.barRead(0, 255L << 40, 8));
            assertEquals(-1L, bus.read(start + (255L << 40), 8), "not physical memory");
        }

        @Test
        void cdxMmioSitsBelowSixteenTebibytesOnI386() {
            SystemBus bus = new SystemBus(Arch.I386);
            ResourceDevice cdx = (ResourceDevice) DeviceCatalogue.byName("cdx-dev").orElseThrow()
                    .create(bus);
            for (PlatformResource r : cdx.resources()) {
                assertTrue(r.start() >= bus.window(SystemBus.Window.MMIO64)[0]
                        && r.start() + r.size() <= 1L << 44, r.toString());
            }
        }

        @Test
        void x86_64KeepsItsWindows() {
            SystemBus bus = new SystemBus(Arch.X86_64);
            assertEquals(0x4000_0000_0000L, bus.window(SystemBus.Window.MMIO64)[0]);
            assertEquals(1L << 52, bus.window(SystemBus.Window.MMIO64)[1]);
            assertEquals(1L << 48, new SystemBus(Arch.ARM64_64K).window(SystemBus.Window.MMIO64)[1]);
        }

        @Test
        void aFixedRangeBeyondTheLimitIsRefused() {
            SystemBus bus = new SystemBus(Arch.I386);
            assertThrowsExactly(NoPhysicalSpaceException.class,
                    () -> bus.placeAt(1L << 44, 0x1000, SystemBus.reserved()));
            bus.placeAt((1L << 44) - 0x1000, 0x1000, SystemBus.reserved());
        }
    }
}
