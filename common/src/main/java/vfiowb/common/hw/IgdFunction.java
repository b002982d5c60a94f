package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * An Intel integrated GPU (vendor 0x8086, VGA class, the boot display): besides its BARs it
 * has what vfio-pci turns into the three IGD device-specific regions - the firmware OpRegion
 * (8 KiB in reserved RAM, address in the ASLS register at config 0xFC) and the configuration
 * spaces of the host bridge (00:00.0) and the LPC/ISA bridge (00:1f.0) that QEMU copies IDs
 * from - plus the graphics control (GMCH, 0x50) and stolen-memory base (BDSM, 0x5C) registers.
 *
 * <p>The OpRegion is placed below 2 GiB (ASLS is 32 bits) at the highest free 8 KiB slot under
 * 0x7FFF_E000; bridge IDs are Haswell-era parts; register values are plausible, not measured.
 */
@Models("drivers/vfio/pci/vfio_pci_igd.c:vfio_pci_igd_init")
public class IgdFunction extends PciFunction {
    private static final int ASLS = 0xFC;
    private static final int GMCH = 0x50;
    private static final int BDSM = 0x5C;
    private static final long OPREGION_TOP = 0x7FFF_E000L;

    private final SparseMemory opRegion;
    private final long opRegionAddress;
    private final byte[] hostBridgeConfig;
    private final byte[] lpcBridgeConfig;

    public IgdFunction(PciFunctionSpec spec, SystemBus bus) {
        super(spec, bus);
        byte[] image = OpRegion.build("HASWELL");
        opRegion = new SparseMemory(image.length);
        opRegion.writeBytes(0, image);
        long at = OPREGION_TOP;
        while (bus.isBacked(at) || bus.isBacked(at + image.length - 1)) {
            at -= image.length;
        }
        bus.placeAt(at, image.length, opRegion);
        opRegionAddress = at;
        config().set(ASLS, 4, at);
        config().set(GMCH, 2, 0x02C1);
        config().set(BDSM, 4, 0x7C00_0001L);
        hostBridgeConfig = bridgeConfig(0x0C00, 0x060000, 0x06);
        lpcBridgeConfig = bridgeConfig(0x8C4E, 0x060100, 0x05);
    }

    private static byte[] bridgeConfig(int device, int classCode, int revision) {
        PciConfigSpace c = new PciConfigSpace(256);
        c.set(PciConfigSpace.Register.VENDOR_ID, 0x8086);
        c.set(PciConfigSpace.Register.DEVICE_ID, device);
        c.set(PciConfigSpace.Register.COMMAND, 0x0006);
        c.set(PciConfigSpace.Register.STATUS, 0x0090);
        c.set(PciConfigSpace.Register.REVISION_ID, revision);
        c.set(0x09, 1, classCode & 0xFF);
        c.set(PciConfigSpace.Register.CLASS_DEVICE, classCode >> 8);
        c.set(PciConfigSpace.Register.HEADER_TYPE, classCode == 0x060100 ? 0x80 : 0x00);
        c.set(PciConfigSpace.Register.SUBSYSTEM_VENDOR_ID, 0x8086);
        c.set(PciConfigSpace.Register.SUBSYSTEM_ID, 0x2010);
        return c.bytes();
    }

    /** The OpRegion's current bytes (8 KiB), read from the memory firmware reserved. */
    public byte[] opRegion() {
        return opRegion.readBytes(0, (int) opRegion.size());
    }

    /** Physical address of the OpRegion, as in the ASLS register. */
    public long opRegionAddress() {
        return opRegionAddress;
    }

    /** The OpRegion's backing memory (firmware-reserved RAM on the bus). */
    public SparseMemory opRegionMemory() {
        return opRegion;
    }

    /** 256 bytes of the host bridge's configuration space (8086:0c00). */
    public byte[] hostBridgeConfig() {
        return hostBridgeConfig.clone();
    }

    /** 256 bytes of the LPC bridge's configuration space (8086:8c4e, ISA bridge class). */
    public byte[] lpcBridgeConfig() {
        return lpcBridgeConfig.clone();
    }
}
