package vfiowb.common.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vfiowb.common.mm.Arch;

/**
 * The named device instances clients, tests and the CLI refer to: at least one for each of the
 * 23 {@code vfio_device_ops} tables (kernel-facts §C), plus the PCI shapes the conformance
 * scenarios need (B0, BM, sub-page BARs, I/O BAR0, ROMs, odd MSI-X placements, huge BARs).
 *
 * <p>Where a description says "plausible", the numbers are chosen to look like the real part
 * but were not read from one; IDs of real parts are given where known.
 */
public final class DeviceCatalogue {
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;

    /** GH200 device memory: 95.75 GiB + 12 MiB, deliberately not a 512 MiB multiple (plausible). */
    private static final long GH200_MEMORY = 0x17_F0C0_0000L;
    /** GB200 device memory: 184.75 GiB (plausible). */
    private static final long GB200_MEMORY = 0x2E_3000_0000L;

    private static final List<DeviceSpec> ALL;
    private static final Map<Arch, List<DeviceSpec>> ON = new EnumMap<>(Arch.class);

    static {
        List<DeviceSpec> l = new ArrayList<>();
        addPlainPci(l);
        addVariantPci(l);
        addNonPci(l);
        ALL = Collections.unmodifiableList(l);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (DeviceSpec s : ALL) {
            if (!names.add(s.name())) {
                throw new IllegalStateException("catalogue name used twice: " + s.name());
            }
        }
    }

    private DeviceCatalogue() {}

    /** Every entry, in a stable order: plain vfio-pci shapes, variant drivers, non-PCI. */
    public static List<DeviceSpec> all() {
        return ALL;
    }

    /**
     * The entries that can exist on {@code arch}: every resource fits below its physical
     * address limit ({@link #absentOn}). Today every entry on every arch (ISM's 256 TiB BAR0 is
     * in s390's zPCI I/O map, not in physical memory); a test keeps that so.
     */
    public static synchronized List<DeviceSpec> on(Arch arch) {
        return ON.computeIfAbsent(arch, a -> ALL.stream().filter(s -> absentOn(s, a).isEmpty())
                .toList());
    }

    /**
     * Why {@code spec} cannot exist on {@code arch}: one of its resources has no room below the
     * arch's physical address limit ({@link SystemBus}, {@link Arch#physAddrBits()}); empty when
     * it can. Found by building the hardware on a fresh bus of that arch.
     */
    public static Optional<String> absentOn(DeviceSpec spec, Arch arch) {
        try {
            spec.create(new SystemBus(arch));
            return Optional.empty();
        } catch (NoPhysicalSpaceException e) {
            return Optional.of("device '" + spec.name() + "' cannot exist on " + arch.cliName()
                    + ": " + e.getMessage());
        }
    }

    public static Optional<DeviceSpec> byName(String name) {
        for (DeviceSpec s : ALL) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The distinct ops tables the catalogue covers, in catalogue order. */
    public static List<String> opsTables() {
        LinkedHashSet<String> t = new LinkedHashSet<>();
        for (DeviceSpec s : ALL) {
            t.add(s.opsTable());
        }
        return List.copyOf(t);
    }

    private static byte[] optionRom(int length) {
        byte[] r = new byte[length];
        r[0] = 0x55;
        r[1] = (byte) 0xAA;
        r[2] = (byte) (length / 512);
        for (int i = 3; i < length; i++) {
            r[i] = (byte) (i * 7);
        }
        return r;
    }

    private static void addPlainPci(List<DeviceSpec> l) {
        l.add(PciFunctionSpec.builder("nic-vf")
                .description("Intel X710-class Ethernet VF (8086:154c): BAR0 64 KiB 64-bit prefetchable with the "
                        + "MSI-X table at 0x8000 (64 entries, PBA 0x9000) = scenario BM; BAR3 16 KiB 64-bit without "
                        + "MSI-X; PCIe. Layout plausible, table placement as the issue asks")
                .ids(0x8086, 0x154C).subsystem(0x8086, 0x0000).classCode(0x020000).revision(0x02).virtfn()
                .bar(PciBar.mem64(0, 64 * KIB, true)).bar(PciBar.mem64(3, 16 * KIB, true))
                .msix(new MsixCapability(0, 0x8000, 64, 0, 0x9000))
                .build());
        l.add(PciFunctionSpec.builder("ena-llq")
                .description("Amazon ENA-style Ethernet VF (1d0f:ec20) with low-latency queues: BAR0 16 KiB "
                        + "32-bit registers (doorbells; not prefetchable) holding the MSI-X table at 0x2000 "
                        + "(9 entries, PBA 0x3000), BAR2 1 MiB 64-bit prefetchable LLQ memory that the "
                        + "driver fills with write-combined bursts; layout plausible")
                .ids(0x1D0F, 0xEC20).subsystem(0x1D0F, 0x0000).classCode(0x020000).virtfn()
                .bar(PciBar.mem32(0, 16 * KIB, false)).bar(PciBar.mem64(2, 1024 * KIB, true))
                .msix(new MsixCapability(0, 0x2000, 9, 0, 0x3000))
                .build());
        l.add(PciFunctionSpec.builder("legacy-b0")
                .description("Conventional PCI function (config 256 bytes): BAR0 16 KiB 32-bit memory without "
                        + "MSI-X = scenario B0; IDs invented")
                .ids(0x1B36, 0x00F0).classCode(0x058000).conventional()
                .bar(PciBar.mem32(0, 16 * KIB, false))
                .build());
        l.add(PciFunctionSpec.builder("e1000e")
                .description("Intel 82574L Gigabit NIC (8086:10d3) as QEMU's e1000e presents it: BAR0 and BAR1 "
                        + "128 KiB 32-bit memory, BAR2 32-byte I/O, BAR3 16 KiB holding MSI-X (5 entries at 0, "
                        + "PBA 0x2000), 256 KiB ROM BAR with a 64 KiB image; PCI Express without FLR, Power "
                        + "Management with No_Soft_Reset clear (the PCI core resets it through D3hot), MSI "
                        + "64-bit with 1 vector, on the root bus. The real part has PM at 0xc8, MSI 0xd0, PCIe "
                        + "0xe0, MSI-X 0xa0; the model lays the capabilities out from 0x40; image plausible")
                .ids(0x8086, 0x10D3).subsystem(0x8086, 0x0000).classCode(0x020000).noFlr()
                .bar(PciBar.mem32(0, 128 * KIB, false)).bar(PciBar.mem32(1, 128 * KIB, false))
                .bar(PciBar.io(2, 32)).bar(PciBar.mem32(3, 16 * KIB, false))
                .rom(PciRom.bar(256 * KIB, optionRom(64 * (int) KIB)))
                .msix(new MsixCapability(3, 0, 5, 3, 0x2000))
                .pm(new PmCapability(false))
                .msi(new MsiCapability(1, true, false))
                .build());
        l.add(PciFunctionSpec.builder("gpu-64g")
                .description("Discrete GPU, VGA class (10de:2204 IDs): BAR0 16 MiB 32-bit, BAR1 64 GiB 64-bit "
                        + "prefetchable (resizable-BAR size, larger than the real card), BAR3 32 MiB 64-bit "
                        + "prefetchable, BAR5 128-byte I/O, 512 KiB ROM BAR with a 64 KiB image; plausible")
                .ids(0x10DE, 0x2204).subsystem(0x10DE, 0x1454).classCode(0x030000).revision(0xA1)
                .bar(PciBar.mem32(0, 16 * MIB, false)).bar(PciBar.mem64(1, 64 * GIB, true))
                .bar(PciBar.mem64(3, 32 * MIB, true)).bar(PciBar.io(5, 128))
                .rom(PciRom.bar(512 * KIB, optionRom(64 * (int) KIB)))
                .build());
        l.add(PciFunctionSpec.builder("cxl-2t")
                .description("CXL type-2 style accelerator: BAR0 64 KiB 64-bit registers with MSI-X (16 entries at "
                        + "0x2000), BAR2 2 TiB 64-bit prefetchable device memory (LG-02); IDs invented")
                .ids(0x8086, 0x0D93).classCode(0x050210)
                .bar(PciBar.mem64(0, 64 * KIB, false)).bar(PciBar.mem64(2, 2 * TIB, true))
                .msix(new MsixCapability(0, 0x2000, 16, 0, 0x3000))
                .build());
        l.add(PciFunctionSpec.builder("igd")
                .description("Intel Haswell HD 4600 IGD (8086:0412), boot VGA: BAR0 4 MiB GTTMMADR, BAR2 256 MiB "
                        + "aperture, BAR4 64-byte I/O, shadow ROM 0x20000; OpRegion (8 KiB, ASLS), host bridge "
                        + "8086:0c00 and LPC bridge 8086:8c4e config for the three IGD regions; conventional "
                        + "config space; register values plausible")
                .ids(0x8086, 0x0412).subsystem(0x8086, 0x2010).classCode(0x030000).revision(0x06).conventional()
                .bar(PciBar.mem64(0, 4 * MIB, false)).bar(PciBar.mem64(2, 256 * MIB, true)).bar(PciBar.io(4, 64))
                .rom(PciRom.shadow(optionRom(0x8000)))
                .factory(IgdFunction::new)
                .build());
        l.add(PciFunctionSpec.builder("subpage-bar")
                .description("Function with a 0x100-byte 32-bit BAR0 placed at a page-aligned address "
                        + "(mmappable after the sub-page reservation); IDs invented")
                .ids(0x1B36, 0x00F1).classCode(0x070002)
                .bar(PciBar.mem32(0, 0x100, false)).alignBar(0, 4096)
                .build());
        l.add(PciFunctionSpec.builder("subpage-offpage")
                .description("Function with a 0x100-byte 32-bit BAR0 whose start is not page aligned "
                        + "(never mmappable); IDs invented")
                .ids(0x1B36, 0x00F2).classCode(0x070002)
                .bar(PciBar.mem32(0, 0x100, false)).offPage(0)
                .build());
        l.add(PciFunctionSpec.builder("subpage-msix")
                .description("MSIX-05: 0x100-byte BAR0, page aligned, holding a one-entry (16-byte) MSI-X table "
                        + "at 0 and its PBA at 0x80; IDs invented")
                .ids(0x1B36, 0x00F3).classCode(0x020000)
                .bar(PciBar.mem32(0, 0x100, false)).alignBar(0, 4096)
                .msix(new MsixCapability(0, 0, 1, 0, 0x80))
                .build());
        l.add(PciFunctionSpec.builder("ioport-bar0")
                .description("RW-10: transitional virtio-net (1af4:1000) with a 32-byte I/O BAR0, BAR1 4 KiB "
                        + "holding MSI-X (3 entries), BAR4 16 KiB 64-bit prefetchable; layout plausible")
                .ids(0x1AF4, 0x1000).subsystem(0x1AF4, 0x0001).classCode(0x020000)
                .bar(PciBar.io(0, 32)).bar(PciBar.mem32(1, 4 * KIB, false)).bar(PciBar.mem64(4, 16 * KIB, true))
                .msix(new MsixCapability(1, 0, 3, 1, 0x800))
                .build());
        l.add(PciFunctionSpec.builder("hba-rom64k")
                .description("SAS HBA (1000:0097 IDs) with a 64 KiB ROM BAR holding a 40 KiB image, BAR0 256-byte "
                        + "I/O, BAR1 64 KiB 64-bit with MSI-X (16 entries at 0xE000), BAR3 1 MiB; plausible")
                .ids(0x1000, 0x0097).subsystem(0x1000, 0x30E0).classCode(0x010700).revision(0x02)
                .bar(PciBar.io(0, 256)).bar(PciBar.mem64(1, 64 * KIB, false)).bar(PciBar.mem64(3, MIB, false))
                .rom(PciRom.bar(64 * KIB, optionRom(40 * (int) KIB)))
                .msix(new MsixCapability(1, 0xE000, 16, 1, 0xF000))
                .build());
        l.add(PciFunctionSpec.builder("chelsio-t5-vf")
                .description("MSIX-04: Chelsio T5 VF (1425:5803): BAR0 4 KiB, BAR2 8 KiB holding the MSI-X table "
                        + "(64 entries at 0) whose capability reports the PBA at 0x8000, beyond the BAR "
                        + "(QEMU quirk uses 0x1000); BAR sizes plausible")
                .ids(0x1425, 0x5803).classCode(0x020000).virtfn()
                .bar(PciBar.mem64(0, 4 * KIB, true)).bar(PciBar.mem64(2, 8 * KIB, true))
                .msix(new MsixCapability(2, 0, 64, 2, 0x8000))
                .build());
        l.add(PciFunctionSpec.builder("msix-16k")
                .description("MSIX-03: 16 KiB BAR0 with the MSI-X table at 0x2000 (8 entries, PBA 0x3000), not "
                        + "aligned to a 64 KiB page; IDs invented")
                .ids(0x1B36, 0x00F4).classCode(0x020000).virtfn()
                .bar(PciBar.mem64(0, 16 * KIB, true))
                .msix(new MsixCapability(0, 0x2000, 8, 0, 0x3000))
                .build());
        l.add(PciFunctionSpec.builder("large-bars")
                .description("LG-01: accelerator with 4 GiB (BAR0) and 8 GiB (BAR2) 64-bit prefetchable BARs and "
                        + "16 MiB registers (BAR4); IDs invented")
                .ids(0x1B36, 0x00F5).classCode(0x120000)
                .bar(PciBar.mem64(0, 4 * GIB, true)).bar(PciBar.mem64(2, 8 * GIB, true))
                .bar(PciBar.mem64(4, 16 * MIB, false))
                .build());
        l.add(PciFunctionSpec.builder("ivshmem-1t")
                .description("ivshmem-plain (1af4:1110) with a 1 TiB 64-bit prefetchable BAR2 (sparse "
                        + "backend) and 256-byte BAR0 registers, as recorded on Linux 6.12 in the oracle: a "
                        + "region that fills the whole 40-bit index window")
                .ids(0x1AF4, 0x1110).subsystem(0x1AF4, 0x1100).classCode(0x050000).revision(0x01)
                .bar(PciBar.mem32(0, 256, false)).bar(PciBar.mem64(2, 1024 * GIB, true))
                .build());
    }

    private static void addVariantPci(List<DeviceSpec> l) {
        l.add(PciFunctionSpec.builder("mlx5-vf")
                .description("NVIDIA ConnectX VF (15b3:101e): BAR0 32 MiB 64-bit prefetchable, MSI-X table at "
                        + "0x2000 (12 entries, PBA 0x3000); plausible")
                .driver("mlx5-vfio-pci", "mlx5vf_pci_ops")
                .ids(0x15B3, 0x101E).subsystem(0x15B3, 0x0047).classCode(0x020000).virtfn()
                .bar(PciBar.mem64(0, 32 * MIB, true))
                .msix(new MsixCapability(0, 0x2000, 12, 0, 0x3000))
                .build());
        PciFunctionSpec hisiMigrn = PciFunctionSpec.builder("hisi-acc-migrn")
                .description("HiSilicon ZIP VF (19e5:a251) on QM_HW_V3 (revision 0x30): BAR2 64 KiB 64-bit "
                        + "prefetchable whose upper half holds the migration registers; MSI only, 64-bit, "
                        + "4 vectors (the queue manager uses 3); BAR size plausible")
                .driver("hisi-acc-vfio-pci", "hisi_acc_vfio_pci_migrn_ops")
                .ids(0x19E5, 0xA251).classCode(0x120000).revision(0x30).virtfn()
                .bar(PciBar.mem64(2, 64 * KIB, true))
                .msi(new MsiCapability(4, true, false))
                .factory(HisiAccVf::new)
                .build();
        l.add(hisiMigrn);
        l.add(hisiMigrn.toBuilder("hisi-acc")
                .description("HiSilicon SEC VF (19e5:a256) on QM_HW_V2 (revision 0x21, no migration): BAR2 64 KiB "
                        + "reported whole; BAR size plausible")
                .driver("hisi-acc-vfio-pci", "hisi_acc_vfio_pci_ops")
                .ids(0x19E5, 0xA256).revision(0x21)
                .build());
        PciFunctionSpec gh200 = PciFunctionSpec.builder("nvgrace-gh200")
                .description("Grace Hopper GH200 GPU (10de:2342), 3D class: BAR0 16 MiB 64-bit; 95.76 GiB of "
                        + "coherent device memory (0x17f0c00000, plausible) with the MIG hardware bug: usemem "
                        + "94.5 GiB (fake BAR4 128 GiB, cacheable), resmem 1.26 GiB (fake BAR2 2 GiB, WC)")
                .driver("nvgrace-gpu-vfio-pci", "nvgrace_gpu_pci_ops")
                .ids(0x10DE, 0x2342).subsystem(0x10DE, 0x16EB).classCode(0x030200).revision(0xA1)
                .bar(PciBar.mem64(0, 16 * MIB, false))
                .factory((s, b) -> new NvgraceGpu(s, b, GH200_MEMORY, true))
                .build();
        l.add(gh200);
        l.add(gh200.toBuilder("nvgrace-gb200")
                .description("Grace Blackwell GB200 GPU (10de:2941): 184.75 GiB coherent memory (plausible), no "
                        + "MIG bug so no resmem; usemem fake BAR4 256 GiB")
                .ids(0x10DE, 0x2941)
                .factory((s, b) -> new NvgraceGpu(s, b, GB200_MEMORY, false))
                .build());
        l.add(gh200.toBuilder("nvgrace-gh200-nomem")
                .description("GH200 whose firmware describes no coherent memory: only the real BAR0; bound with "
                        + "the core ops")
                .driver("nvgrace-gpu-vfio-pci", "nvgrace_gpu_pci_core_ops")
                .factory((s, b) -> new NvgraceGpu(s, b, 0, true))
                .build());
        l.add(PciFunctionSpec.builder("pds-vf")
                .description("AMD/Pensando DSC Ethernet VF (1dd8:1003): BAR0 32 KiB 64-bit prefetchable with "
                        + "MSI-X (32 entries at 0x4000, PBA 0x5000); plausible")
                .driver("pds-vfio-pci", "pds_vfio_ops")
                .ids(0x1DD8, 0x1003).classCode(0x020000).virtfn()
                .bar(PciBar.mem64(0, 32 * KIB, true))
                .msix(new MsixCapability(0, 0x4000, 32, 0, 0x5000))
                .build());
        l.add(PciFunctionSpec.builder("qat-vf")
                .description("Intel QAT 4xxx VF (8086:4941): BAR0 16 KiB and BAR2 8 KiB, 64-bit prefetchable; "
                        + "MSI only, 64-bit, 1 vector; plausible")
                .driver("qat-vfio-pci", "qat_vf_pci_ops")
                .ids(0x8086, 0x4941).classCode(0x0B4000).virtfn()
                .bar(PciBar.mem64(0, 16 * KIB, true)).bar(PciBar.mem64(2, 8 * KIB, true))
                .msi(new MsiCapability(1, true, false))
                .build());
        PciFunctionSpec virtio = PciFunctionSpec.builder("virtio-net-lm")
                .description("virtio-net VF (1af4:1041), no BAR0; BAR2 32 KiB 64-bit prefetchable: common 0x0, "
                        + "ISR 0x1000, device 0x2000, notify 0x3000, MSI-X 0x4000 (9 entries, PBA 0x5000); PF "
                        + "offers live migration only; layout plausible")
                .driver("virtio-vfio-pci", "virtiovf_vfio_pci_lm_ops")
                .ids(0x1AF4, 0x1041).subsystem(0x1AF4, 0x1100).classCode(0x020000).revision(0x01).virtfn()
                .bar(PciBar.mem64(2, 32 * KIB, true))
                .msix(new MsixCapability(2, 0x4000, 9, 2, 0x5000))
                .factory((s, b) -> new VirtioNetVf(s, b, false, true, 2, 0x3000))
                .build();
        l.add(virtio);
        l.add(virtio.toBuilder("virtio-net-transitional")
                .description("The same virtio-net VF whose PF also offers legacy I/O: the driver emulates a "
                        + "0x20-byte legacy I/O BAR0 (24 + 8, bar0_virtual_buf_size)")
                .driver("virtio-vfio-pci", "virtiovf_vfio_pci_tran_lm_ops")
                .factory((s, b) -> new VirtioNetVf(s, b, true, true, 2, 0x3000))
                .build());
        l.add(virtio.toBuilder("virtio-net")
                .description("The same virtio-net VF with neither migration nor legacy I/O: plain virtio-vfio-pci")
                .driver("virtio-vfio-pci", "virtiovf_vfio_pci_ops")
                .factory((s, b) -> new VirtioNetVf(s, b, false, false, 2, 0x3000))
                .build());
        l.add(PciFunctionSpec.builder("xe-vf")
                .description("Intel Xe (Battlemage) SR-IOV VF (8086:e20b): BAR0 16 MiB 64-bit registers, BAR2 "
                        + "4 GiB 64-bit prefetchable local-memory slice; MSI only, 64-bit, 1 vector; plausible")
                .driver("xe-vfio-pci", "xe_vfio_pci_ops")
                .ids(0x8086, 0xE20B).classCode(0x038000).virtfn()
                .bar(PciBar.mem64(0, 16 * MIB, false)).bar(PciBar.mem64(2, 4 * GIB, true))
                .msi(new MsiCapability(1, true, false))
                .build());
        l.add(PciFunctionSpec.builder("ism")
                .description("IBM s390 ISM (1014:04ed): BAR0 256 TiB (sparse), store blocks up to maxstbl 4096 "
                        + "bytes (maxstbl plausible); class invented")
                .driver("ism-vfio-pci", "ism_pci_ops")
                .ids(0x1014, 0x04ED).classCode(0x028000)
                .bar(PciBar.mem64(0, 256 * TIB, false))
                .factory((s, b) -> new IsmFunction(s, b, 4096))
                .build());
    }

    private static void addNonPci(List<DeviceSpec> l) {
        l.add(new SimpleDeviceSpec("platform-xgmac", "vfio-platform", "vfio_platform_ops",
                "Calxeda XGMAC platform device (calxeda,hb-xgmac, has a reset handler): 4 KiB registers "
                        + "(page aligned and sized), a 0x100 statistics block, a read-only 0x100 info block and "
                        + "an 8-byte port resource; 3 IRQs; sizes plausible",
                bus -> new PlatformDevice("platform-xgmac", "calxeda,hb-xgmac", List.of(
                        PlatformResource.mmio("regs", 4 * KIB, true),
                        PlatformResource.mmio("stats", 0x100, true),
                        PlatformResource.mmio("info", 0x100, false),
                        PlatformResource.pio("legacy", 8)), 3, true, bus)));
        l.add(new SimpleDeviceSpec("amba-pl011", "vfio-amba", "vfio_amba_ops",
                "ARM PL011 UART primecell (periphid 0x00041011): one 4 KiB MMIO resource, 1 IRQ",
                bus -> new AmbaDevice("amba-pl011", 0x0004_1011, PlatformResource.mmio("uart", 4 * KIB, true), 1,
                        bus)));
        l.add(new SimpleDeviceSpec("fsl-mc-dprc", "vfio-fsl-mc", "vfio_fsl_mc_ops",
                "DPAA2 container dprc.2: region 0 a 64 KiB MC portal (uncached) whose first 64 bytes are the "
                        + "command area; 1 IRQ",
                bus -> new FslMcDevice("fsl-mc-dprc", "dprc", 2, List.of(FslMcRegion.uncached(64 * KIB)), 1, bus)));
        l.add(new SimpleDeviceSpec("fsl-mc-dpio", "vfio-fsl-mc", "vfio_fsl_mc_ops",
                "DPAA2 I/O portal dpio.1: region 0 a 64 KiB cache-enabled portal (cacheable, shareable), "
                        + "region 1 a 64 KiB cache-inhibited portal; 1 IRQ; sizes plausible",
                bus -> new FslMcDevice("fsl-mc-dpio", "dpio", 1, List.of(FslMcRegion.cached(64 * KIB, true),
                        FslMcRegion.uncached(64 * KIB)), 1, bus)));
        l.add(new SimpleDeviceSpec("cdx-dev", "vfio-cdx", "vfio_cdx_ops",
                "AMD CDX function (10ee:8084 IDs invented): 64 KiB MMIO and a read-only 4 KiB MMIO resource in "
                        + "high memory, 4 MSIs",
                bus -> new CdxDevice("cdx-dev", 0x10EE, 0x8084, List.of(PlatformResource.mmio("bar0", 64 * KIB, true),
                        PlatformResource.mmio("rom", 4 * KIB, false)), 4, bus)));
        l.add(new SimpleDeviceSpec("ccw-subchannel", "vfio_ccw", "vfio_ccw_dev_ops",
                "s390 I/O subchannel 0.0.0013 with device 0.0.1234: io_region 124, async cmd 8, schib 52, "
                        + "crw 8 bytes (uAPI struct sizes)",
                bus -> new CcwDevice("ccw-subchannel", 0, 0, 0x13, 0x1234)));
        l.add(new SimpleDeviceSpec("ap-matrix", "vfio_ap", "vfio_ap_matrix_dev_ops",
                "s390 crypto matrix mdev: adapters 3 and 4, usage and control domain 0x47; no regions",
                bus -> new ApDevice("ap-matrix", List.of(3, 4), List.of(0x47), List.of(0x47))));
        l.add(new SimpleDeviceSpec("kvmgt-vgpu", "kvmgt", "intel_vgpu_dev_ops",
                "GVT-g vGPU i915-GVTg_V5_8 on a Skylake host: 64 MiB slice at 64 MiB of a 256 MiB aperture, "
                        + "16 MiB MMIO BAR0, OpRegion, EDID 1024x768; plausible",
                bus -> new KvmgtVgpu("kvmgt-vgpu", bus)));
        l.add(new SimpleDeviceSpec("mtty", "mtty", "mtty_dev_ops",
                "mtty sample, 2 ports: 8-byte I/O BAR0 and BAR1, 16550A loopback UARTs, config region 0xff bytes",
                bus -> new MttyDevice("mtty", 2)));
        l.add(new SimpleDeviceSpec("mdpy", "mdpy", "mdpy_dev_ops",
                "mdpy sample, type xga: 1024x768 XRGB8888, framebuffer 4 MiB (roundup_pow_of_two(3 MiB)) in RAM",
                bus -> new MdpyDevice("mdpy", MdpyDevice.Type.XGA, bus)));
        l.add(new SimpleDeviceSpec("mbochs", "mbochs", "mbochs_dev_ops",
                "mbochs sample, type medium: 16 MiB page-backed video memory, 4 KiB MMIO BAR2, one-page EDID "
                        + "region",
                bus -> new MbochsDevice("mbochs", MbochsDevice.Type.MEDIUM, bus)));
    }
}
