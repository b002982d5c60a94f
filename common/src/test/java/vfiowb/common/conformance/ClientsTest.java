package vfiowb.common.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.common.conformance.FakeVfioPciStage.Extra;
import vfiowb.common.conformance.FakeVfioPciStage.Fault;
import vfiowb.common.conformance.clients.Client;
import vfiowb.common.conformance.clients.DpdkClient;
import vfiowb.common.conformance.clients.QemuClient;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;

/** The QEMU and DPDK clients against the fake vfio-pci, in the shapes their algorithms branch on. */
class ClientsTest {
    private static ClientRun run(Client c, String device, Arch arch, Set<Fault> faults, Set<Extra> extras) {
        DeviceSpec spec = DeviceCatalogue.byName(device).orElseThrow();
        return ConformanceSuite.runClient(new FakeVfioPciStage(faults, extras), arch, spec, c);
    }

    private static String text(Client c, String device, Set<Extra> extras) {
        ClientRun r = run(c, device, Arch.X86_64, Set.of(), extras);
        assertEquals(Outcome.PASS, r.outcome(), r.transcript().text());
        return r.transcript().text();
    }

    @Nested
    class Qemu {
        private final Client qemu = new QemuClient();

        @Test
        void keepsAnMsixMappableBarWhole() {
            String t = text(qemu, "nic-vf", Set.of());
            assertTrue(t.contains("BAR0: MSIX_MAPPABLE: whole BAR mapped, table emulated on top"), t);
            assertTrue(t.contains("mmap BAR0 + 0x0 len=0x10000 PROT_READ|PROT_WRITE MAP_SHARED|MAP_FIXED -> ok"
                    + " at the requested address"), t);
            assertTrue(t.contains("realize complete"), t);
        }

        @Test
        void carvesTheTableOutOfANonMappableBar() {
            String t = text(qemu, "nic-vf", Set.of(Extra.MSIX_NOT_MAPPABLE));
            assertTrue(t.contains("BAR0: table carved out: mmaps [0x0+0x8000, 0x9000+0x7000]"), t);
            assertTrue(t.contains("mmap BAR0 + 0x9000 len=0x7000"), t);
            String chelsio = text(qemu, "chelsio-t5-vf", Set.of(Extra.MSIX_NOT_MAPPABLE));
            assertTrue(chelsio.contains("BAR2: table carved out: mmaps [0x1000+0x1000]"), chelsio);
        }

        @Test
        void appliesThePbaQuirk() {
            String t = text(qemu, "chelsio-t5-vf", Set.of());
            assertTrue(t.contains("PBA beyond BAR2: device quirk moves it to 0x1000"), t);
        }

        @Test
        void keepsOnlyNonEmptySparseAreas() {
            String t = text(qemu, "legacy-b0", Set.of(Extra.SPARSE_BAR0));
            assertTrue(t.contains("BAR0: sparse mmap nr_areas 1, keeping the non-empty ones"), t);
            assertTrue(t.contains("mmap BAR0 + 0x0 len=0x2000 PROT_READ|PROT_WRITE MAP_SHARED|MAP_FIXED -> ok"), t);
        }

        @Test
        void fallsBackToTheSlowPathWhenMmapFails() {
            ClientRun r = run(qemu, "legacy-b0", Arch.I386, Set.of(), Set.of());
            String t = r.transcript().text();
            assertEquals(Outcome.PASS, r.outcome(), t);
            assertTrue(t.contains("-> EOVERFLOW"), t);
            assertTrue(t.contains("Failed to mmap BAR0. Performance may be slow"), t);
            assertTrue(t.contains("pread BAR0 + 0x0 len=4 -> 4"), t);
        }

        @Test
        void loadsTheRom() {
            String t = text(qemu, "hba-rom64k", Set.of());
            assertTrue(t.contains("ROM BAR of 0x10000"), t);
            assertTrue(t.contains("ROM loaded: 0x10000 of 0x10000 bytes, 0x55aa signature"), t);
        }

        @Test
        void walksEveryRegionOfANonPciDevice() {
            String t = text(qemu, "legacy-b0", Set.of(Extra.PLATFORM_FLAGS));
            assertTrue(t.contains("not a PCI device: every region set up as QEMU's vfio-platform does"), t);
            assertTrue(t.contains("GET_REGION_INFO region 0 argsz=32"), t);
        }

        @Test
        void failsInsteadOfLoopingOnACyclicChain() {
            ClientRun r = run(qemu, "nic-vf", Arch.X86_64, Set.of(Fault.LOOPING_CHAIN), Set.of());
            assertEquals(Outcome.FAIL, r.outcome());
            assertTrue(r.messages().stream().anyMatch(m -> m.contains("malformed")), r.messages().toString());
        }
    }

    @Nested
    class Dpdk {
        private final Client dpdk = new DpdkClient();

        @Test
        void forgetsAMappableTable() {
            String t = text(dpdk, "nic-vf", Set.of());
            assertTrue(t.contains("MSI-X table mappable: ignored for mapping"), t);
            assertTrue(t.contains("mmap BAR0 + 0x0 len=0x10000 PROT_READ|PROT_WRITE MAP_SHARED|MAP_FIXED -> ok"), t);
            assertTrue(t.contains("probe complete"), t);
        }

        @Test
        void mapsAroundANonMappableTable() {
            String t = text(dpdk, "nic-vf", Set.of(Extra.MSIX_NOT_MAPPABLE));
            assertTrue(t.contains("holds the MSI-X table: table_start 0x8000 table_end 0x9000"), t);
            assertTrue(t.contains("mmap BAR0 + 0x0 len=0x8000"), t);
            assertTrue(t.contains("mmap BAR0 + 0x9000 len=0x7000"), t);
        }

        @Test
        void skipsABarTheTableFills() {
            String t = text(dpdk, "subpage-msix", Set.of(Extra.MSIX_NOT_MAPPABLE));
            assertTrue(t.contains("Skipping BAR0"), t);
        }

        @Test
        void skipsIoBarsByTheirRegister() {
            String t = text(dpdk, "ioport-bar0", Set.of());
            assertTrue(t.contains("Ignore mapping IO port bar(0)"), t);
            assertTrue(t.contains("pread BAR0 + 0x0 len=1 -> 1"), t);
        }

        @Test
        void takesTheSparsePath() {
            String t = text(dpdk, "legacy-b0", Set.of(Extra.SPARSE_BAR0));
            assertTrue(t.contains("sparse mmap: areas [0x0+0x2000]"), t);
        }

        @Test
        void leavesNonPciDevicesAlone() {
            String t = text(dpdk, "legacy-b0", Set.of(Extra.PLATFORM_FLAGS));
            assertTrue(t.contains("DPDK: not a PCI device: the PCI bus does not probe it"), t);
        }

        @Test
        void failsTheProbeWhenAMappingFails() {
            ClientRun r = run(dpdk, "legacy-b0", Arch.I386, Set.of(), Set.of());
            String t = r.transcript().text();
            assertEquals(Outcome.PASS, r.outcome(), t);
            assertTrue(t.contains("Failed to map pci BAR0: probe fails"), t);
            assertFalse(t.contains("probe complete"), t);
        }
    }

    @Test
    void clientsNeverPrintAFileOffset() {
        for (Client c : List.of(new QemuClient(), new DpdkClient())) {
            String t = run(c, "nic-vf", Arch.X86_64, Set.of(), Set.of()).transcript().text();
            for (long i = 0; i < 9; i++) {
                assertFalse(t.contains(Fmt.hex(FakeVfioPciStage.offset(i))), c.name() + " printed region " + i
                        + "'s offset:\n" + t);
            }
        }
    }
}
