package vfiowb.common.hw;

import vfiowb.common.hw.PciConfigSpace.Command;
import vfiowb.common.hw.PciConfigSpace.Register;

/**
 * Builds the 256-byte type-0 configuration space an mdev sample or vGPU presents: IDs, class,
 * BAR type bits with size masks (so BAR sizing works) and a writable command register. The
 * BAR address bits start at 0: the guest, not firmware, assigns them.
 */
final class EmulatedConfig {
    private EmulatedConfig() {}

    static PciConfigSpace build(int vendor, int device, int subVendor, int subDevice,
            int classCode, int revision, PciBar... bars) {
        PciConfigSpace c = new PciConfigSpace(256);
        c.set(Register.VENDOR_ID, vendor);
        c.set(Register.DEVICE_ID, device);
        c.set(Register.REVISION_ID, revision);
        c.set(0x09, 1, classCode & 0xFF);
        c.set(Register.CLASS_DEVICE, classCode >> 8);
        c.set(Register.SUBSYSTEM_VENDOR_ID, subVendor);
        c.set(Register.SUBSYSTEM_ID, subDevice);
        c.set(Register.INTERRUPT_PIN, 1);
        c.setWritable(Register.COMMAND.offset(), 2, Command.IO.mask() | Command.MEMORY.mask()
                | Command.BUS_MASTER.mask() | Command.INTX_DISABLE.mask());
        c.setWritable(Register.INTERRUPT_LINE.offset(), 1, 0xFF);
        for (PciBar b : bars) {
            int reg = Register.bar(b.index()).offset();
            c.set(reg, 4, b.registerTypeBits());
            long mask = ~(b.size() - 1);
            c.setWritable(reg, 4, (b.isIo() ? 0xFFFF_FFFCL : 0xFFFF_FFF0L) & mask);
            if (b.isMem64()) {
                c.setWritable(reg + 4, 4, mask >>> 32);
            }
        }
        return c;
    }
}
