package vfiowb.common.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vfiowb.common.errno.Errno;
import vfiowb.common.hw.PciConfigSpace.CapabilityId;
import vfiowb.common.hw.PciFunction.ResetMethod;
import vfiowb.common.mm.Arch;
import vfiowb.common.testing.DeviceLockHolder;

/** The PCI core's reset methods, MSI and PM capabilities and ROM mapping as common.hw models them. */
class PciResetAndCapabilitiesTest {
    private final SystemBus bus = new SystemBus();

    private static PciFunctionSpec.Builder base(String name) {
        return PciFunctionSpec.builder(name).ids(0x1B36, 0x00AA).classCode(0x020000)
                .bar(PciBar.mem32(0, 0x4000, false));
    }

    @Nested
    class ResetMethods {
        @Test
        void pmResetWithoutNoSoftResetIsTheOnlyMethodOfANoFlrDevice() {
            PciFunction f = base("pm").noFlr().pm(new PmCapability(false)).build().create(bus);
            assertEquals(List.of(ResetMethod.PM), f.resetMethods());
            f.barWrite(0, 0x10, 4, 0x1234);
            f.setBusMaster(true);
            int cmd = f.command();
            assertEquals(0, f.pciTryResetFunction());
            assertEquals(1, f.resetCount());
            assertEquals(0, f.barRead(0, 0x10, 4), "the D3hot->D0 transition reset the registers");
            assertEquals(cmd, f.command(), "config space restored");
            assertEquals(0, f.configRead(f.pmCap() + 4, 2) & 3, "back in D0");
        }

        @Test
        void noSoftResetSetLeavesARootBusDeviceWithoutReset() {
            PciFunction f = base("nosoft").noFlr().pm(new PmCapability(true)).build().create(bus);
            assertEquals(List.of(), f.resetMethods());
            assertFalse(f.pciResetSupported());
            assertEquals(-Errno.ENOTTY, f.pciTryResetFunction());
            assertEquals(0, f.resetCount());
            f.configWrite(f.pmCap() + 4, 2, 3);
            f.configWrite(f.pmCap() + 4, 2, 0);
            assertEquals(0, f.resetCount(), "D3hot->D0 keeps state with No_Soft_Reset set");
        }

        @Test
        void aBusResetNeedsTheFunctionAloneBehindABridge() {
            PciFunction alone = base("alone").noFlr().placement(BusPlacement.ALONE_BEHIND_BRIDGE)
                    .build().create(bus);
            assertEquals(List.of(ResetMethod.BUS), alone.resetMethods());
            assertEquals(0, alone.pciTryResetFunction());
            assertEquals(1, alone.resetCount());
            PciFunction shared = base("shared").noFlr().placement(BusPlacement.SHARED_BUS)
                    .build().create(bus);
            assertEquals(List.of(), shared.resetMethods());
            assertEquals(BusPlacement.SHARED_BUS, base("vf").virtfn().build().placement());
            assertEquals(BusPlacement.ROOT_BUS, base("plain").build().placement());
        }

        @Test
        void flrComesFirstAndAfFlrServesConventionalPci() {
            PciFunction flr = base("flr").pm(new PmCapability(false))
                    .placement(BusPlacement.ALONE_BEHIND_BRIDGE).build().create(bus);
            assertEquals(List.of(ResetMethod.FLR, ResetMethod.PM, ResetMethod.BUS), flr.resetMethods());
            PciFunction af = base("af").conventional().afFlr().build().create(bus);
            assertEquals(List.of(ResetMethod.AF_FLR), af.resetMethods());
            int at = af.afCap();
            assertEquals(CapabilityId.AF.id(), af.configRead(at, 1));
            af.configWrite(at + 4, 1, 1);
            assertEquals(1, af.resetCount(), "AF_CTRL FLR resets the function");
            assertEquals(0, af.pciTryResetFunction());
            assertEquals(2, af.resetCount());
        }

        /**
         * pci_try_reset_function takes the device lock with pci_dev_trylock: while another path
         * holds it (pci_dev_lock) the answer is -EAGAIN and nothing is reset; afterwards the
         * reset goes through.
         */
        @Test
        void aTryResetWhileTheDeviceIsLockedElsewhereIsEagain() throws Exception {
            PciFunction f = base("locked").build().create(bus);
            assertEquals(-Errno.EAGAIN, (int) DeviceLockHolder.whileHeldElsewhere(f, f::pciTryResetFunction));
            assertEquals(0, f.resetCount());
            f.pciDevLock();
            try {
                assertEquals(0, f.pciTryResetFunction(), "the holder's own thread may reset");
            } finally {
                f.pciDevUnlock();
            }
            assertEquals(1, f.resetCount());
        }

        @Test
        void theBoundDriversHooksRunAroundTheResetAfterTheRestore() {
            PciFunction f = base("hooks").build().create(bus);
            List<String> calls = new ArrayList<>();
            f.setDriverErrHandler(new PciErrorHandlers() {
                @Override
                public void resetPrepare(PciFunction pdev) {
                    calls.add("prepare resets=" + pdev.resetCount());
                }

                @Override
                public void resetDone(PciFunction pdev) {
                    calls.add("done resets=" + pdev.resetCount() + " mem=" + pdev.memoryEnabled());
                }
            });
            assertEquals(0, f.pciTryResetFunction());
            assertEquals(List.of("prepare resets=0", "done resets=1 mem=true"), calls);
            calls.clear();
            assertEquals(0, f.pciResetFunctionLockedAndRestore());
            assertEquals(List.of(), calls, "the close-time reset calls no hooks");
        }
    }

    @Nested
    class Msi {
        @Test
        void theCapabilityCarriesItsVectorCount() {
            PciFunction f = base("msi").msi(new MsiCapability(8, true, true)).build().create(bus);
            assertTrue(f.msiCap() != 0);
            long flags = f.configRead(f.msiCap() + 2, 2);
            assertEquals(3 << 1, flags & 0xE, "Multiple Message Capable = log2(8)");
            assertEquals(new MsiCapability(8, true, true), MsiCapability.ofFlags((int) flags));
            assertEquals(new MsiCapability(1, true, false), MsiCapability.ofFlags(0x0080));
            assertEquals(0, base("none").build().create(bus).msiCap());
            assertThrows(IllegalArgumentException.class, () -> new MsiCapability(3, false, false));
            assertThrows(IllegalArgumentException.class, () -> MsiCapability.ofFlags(6 << 1));
        }

        @Test
        void dynamicMsixNeedsMsixAndAnX86VectorDomain() {
            PciFunction msix = base("msix").msix(new MsixCapability(0, 0x2000, 4, 0, 0x3000))
                    .build().create(bus);
            PciFunction none = base("nomsix").build().create(bus);
            assertTrue(PciMsi.pciMsixCanAllocDyn(msix, Arch.X86_64));
            assertTrue(PciMsi.pciMsixCanAllocDyn(msix, Arch.I386));
            assertFalse(PciMsi.pciMsixCanAllocDyn(msix, Arch.ARM64_4K), "GICv3 ITS");
            assertFalse(PciMsi.pciMsixCanAllocDyn(none, Arch.X86_64));
        }
    }

    @Nested
    class Rom {
        @Test
        void mappingTheRomReadsItThroughTheBusSoMemoryDecodeMatters() {
            byte[] image = new byte[0x1000];
            image[0] = 0x55;
            image[1] = (byte) 0xAA;
            PciFunction f = base("rom").rom(PciRom.bar(0x8000, image)).build().create(bus);
            long romReg = f.configRead(0x30, 4);
            assertEquals(0x1000, f.pciMapRom());
            assertEquals(romReg, f.configRead(0x30, 4), "ROM enable restored by the unmap");
            f.setMemoryEnabled(false);
            assertEquals(0, f.pciMapRom(), "all ones instead of 0x55AA");
            assertEquals(0x1000, f.pciMapRomSize(), "the image itself is intact");
        }

        @Test
        void aShadowRomIsRamAndReadsWhateverTheDeviceDecodes() {
            PciFunction vga = PciFunctionSpec.builder("vga").ids(0x8086, 0x0412).classCode(0x030000)
                    .bar(PciBar.mem64(0, 0x40_0000, false)).rom(PciRom.shadow(new byte[] {0x55, (byte) 0xAA}))
                    .build().create(bus);
            vga.setMemoryEnabled(false);
            assertEquals(2, vga.pciMapRom());
        }
    }

    @Nested
    class NvgraceReadiness {
        @Test
        void theGpuIsReadyAtPowerOnAndAgainAfterAReset() {
            NvgraceGpu gpu = (NvgraceGpu) DeviceCatalogue.byName("nvgrace-gh200").orElseThrow().create(bus);
            SparseMemory bar0 = gpu.barMemory(0).orElseThrow();
            assertEquals(NvgraceGpu.statusReady(), bar0.read(NvgraceGpu.c2cLinkBar0Offset(), 4));
            assertEquals(NvgraceGpu.statusReady(), bar0.read(NvgraceGpu.hbmTrainingBar0Offset(), 4));
            bar0.write(NvgraceGpu.c2cLinkBar0Offset(), 4, 0);
            gpu.reset();
            assertEquals(NvgraceGpu.statusReady(), bar0.read(NvgraceGpu.c2cLinkBar0Offset(), 4));
        }
    }

    @Nested
    class Sysfs {
        @TempDir
        Path tmp;

        private Path copyAs(String fixture, String name) throws IOException {
            Path d = tmp.resolve(name);
            Files.createDirectories(d);
            try (Stream<Path> files = Files.list(SysfsPciSpecTest.fixture(fixture))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.copy(p, d.resolve(p.getFileName()));
                }
            }
            return d;
        }

        @Test
        void msiAndPmComeFromTheCapabilityList() throws Exception {
            PciFunctionSpec vga = SysfsPciSpec.load(SysfsPciSpecTest.fixture("rtx-vga"));
            assertEquals(new MsiCapability(1, true, false), vga.msi().orElseThrow());
            assertEquals(new PmCapability(false), vga.pm().orElseThrow());
            PciFunctionSpec vf = SysfsPciSpec.load(SysfsPciSpecTest.fixture("x710-vf"));
            assertTrue(vf.msi().isEmpty());
            assertTrue(vf.pm().isEmpty());
            PciFunction nic = SysfsPciSpec.load(SysfsPciSpecTest.fixture("legacy-nic")).create(bus);
            assertEquals(List.of(ResetMethod.PM), nic.resetMethods(), "its PMCSR has No_Soft_Reset clear");
        }

        @Test
        void placementIsGuessedFromTheAddress() throws Exception {
            assertEquals(BusPlacement.ROOT_BUS,
                    SysfsPciSpec.load(copyAs("legacy-nic", "0000:00:09.0")).placement());
            assertEquals(BusPlacement.ALONE_BEHIND_BRIDGE,
                    SysfsPciSpec.load(copyAs("legacy-nic", "0000:3b:00.0")).placement());
            assertEquals(BusPlacement.SHARED_BUS,
                    SysfsPciSpec.load(copyAs("rtx-vga", "0000:01:00.0")).placement(), "multi-function");
            assertEquals(BusPlacement.SHARED_BUS,
                    SysfsPciSpec.load(copyAs("x710-vf", "0000:3b:02.1")).placement(), "a VF");
            assertEquals(BusPlacement.ROOT_BUS, SysfsPciSpec.load(copyAs("legacy-nic", "nic")).placement());
        }
    }
}
