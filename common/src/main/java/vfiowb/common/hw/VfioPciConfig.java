package vfiowb.common.hw;

import static vfiowb.common.errno.Errno.EFAULT;

import vfiowb.common.Models;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.common.trace.KernelProbe;

/**
 * The config-space virtualisation of drivers/vfio/pci/vfio_pci_config.c, the part the series
 * never touches: every stage calls it with a position already inside config space.
 *
 * <p>Modelled: {@code vconfig}, the virtualised command bits (MEMORY, IO, INTX_DISABLE read
 * back from vconfig, the rest from the device), BAR and ROM BAR sizing through vconfig
 * ({@code vfio_bar_fixup}), the zap of every BAR mapping before memory decode is turned off,
 * the aligned chunking and the {@code -EFAULT} range check of {@code vfio_config_do_rw}.
 * Simplified: every other register reads through from the device and writes to it are dropped
 * (the kernel's per-capability permission tables allow a few more, e.g. MSI-X enable, which
 * userspace here configures through SET_IRQS anyway).
 */
@Models("drivers/vfio/pci/vfio_pci_config.c")
public final class VfioPciConfig {
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int PCI_BASE_ADDRESS_5_END = 0x28;
    private static final int PCI_ROM_ADDRESS = 0x30;
    private static final int CMD_IO = 0x1;
    private static final int CMD_MEMORY = 0x2;
    private static final int CMD_INTX_DISABLE = 0x400;
    private static final int CMD_VIRT = CMD_IO | CMD_MEMORY | CMD_INTX_DISABLE;

    /**
     * The driver's side of memory-enable changes: {@code vfio_pci_zap_and_down_write_memory_lock}
     * before decode goes off, {@code down_write} before it goes on, {@code up_write} after.
     */
    public interface MemoryLock {
        void zapAndDownWrite();

        void downWrite();

        void upWrite();
    }

    private final PciFunction pdev;
    private final MemoryLock memoryLock;
    private final byte[] vconfig;
    /** {@code vdev->bardirty}: BAR registers written since the last fixup. */
    private boolean bardirty;

    /** {@code vfio_config_init}: vconfig starts as a copy of the device's config space. */
    @Models("drivers/vfio/pci/vfio_pci_config.c:vfio_config_init")
    public VfioPciConfig(PciFunction pdev, MemoryLock memoryLock) {
        KernelProbe.here();
        this.pdev = pdev;
        this.memoryLock = memoryLock;
        this.vconfig = new byte[pdev.cfgSize()];
        for (int i = 0; i < vconfig.length; i += 4) {
            long v = pdev.configRead(i, 4);
            for (int b = 0; b < 4; b++) {
                vconfig[i + b] = (byte) (v >>> (8 * b));
            }
        }
        if (pdev.isVirtfn()) {
            // VFs have no working memory enable in their own command register: start virtual
            // decode as the PF's SR-IOV MSE gives it, on.
            vconfig[PCI_COMMAND] |= CMD_MEMORY;
        }
        bardirty = true;
    }

    /**
     * {@code __vfio_pci_memory_enabled}: decode as the user configured it in vconfig; always
     * on for an SR-IOV VF ({@code no_command_memory}).
     */
    @Models("drivers/vfio/pci/vfio_pci_config.c:__vfio_pci_memory_enabled")
    public boolean memoryEnabled() {
        KernelProbe.here();
        return pdev.isVirtfn() || (vcmd() & CMD_MEMORY) != 0;
    }

    private int vcmd() {
        return (vconfig[PCI_COMMAND] & 0xff) | (vconfig[PCI_COMMAND + 1] & 0xff) << 8;
    }

    /**
     * {@code vfio_pci_config_rw} after the caller has stripped the region offset: loops over
     * {@code vfio_config_do_rw} in naturally aligned chunks of 4, 2 or 1 bytes.
     *
     * @return bytes transferred, or {@code -EFAULT} when the access leaves config space or the
     *     user buffer faults
     */
    @Models({"drivers/vfio/pci/vfio_pci_config.c:vfio_pci_config_rw",
            "drivers/vfio/pci/vfio_pci_config.c:vfio_config_do_rw"})
    public long rw(UserBuffer buf, long count, long pos, boolean iswrite) {
        KernelProbe.here();
        long done = 0;
        while (count > 0) {
            if (pos < 0 || pos >= vconfig.length || pos + count > vconfig.length) {
                return -EFAULT;
            }
            int size;
            if (count >= 4 && pos % 4 == 0) {
                size = 4;
            } else if (count >= 2 && pos % 2 == 0) {
                size = 2;
            } else {
                size = 1;
            }
            byte[] b = new byte[size];
            if (iswrite) {
                if (buf.copyFromUser(b, 0, done, size) != 0) {
                    return -EFAULT;
                }
                long val = 0;
                for (int i = 0; i < size; i++) {
                    val |= (b[i] & 0xffL) << (8 * i);
                }
                write((int) pos, size, val);
            } else {
                long val = read((int) pos, size);
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) (val >>> (8 * i));
                }
                if (buf.copyToUser(done, b, 0, size) != 0) {
                    return -EFAULT;
                }
            }
            count -= size;
            done += size;
            pos += size;
        }
        return done;
    }

    /** One aligned config read as userspace sees it. */
    public long read(int pos, int size) {
        if (isBarRegister(pos)) {
            barFixup();
            return vread(pos, size);
        }
        long phys = pdev.configRead(pos, size);
        if (overlaps(pos, size, PCI_COMMAND, 2)) {
            long mask = shiftedMask(pos, size, PCI_COMMAND, CMD_VIRT);
            return (phys & ~mask) | (vread(pos, size) & mask);
        }
        return phys;
    }

    /** One aligned config write as userspace makes it. */
    public void write(int pos, int size, long val) {
        if (isBarRegister(pos)) {
            vwrite(pos, size, val);
            bardirty = true;
            return;
        }
        if (overlaps(pos, size, PCI_COMMAND, 2)) {
            writeCommand(pos, size, val);
        }
    }

    /**
     * {@code vfio_basic_config_write} for PCI_COMMAND: zap every BAR mapping before memory
     * decode turns off (so no stale PTE survives), update vconfig and the device.
     */
    @Models("drivers/vfio/pci/vfio_pci_config.c:vfio_basic_config_write")
    private void writeCommand(int pos, int size, long val) {
        KernelProbe.here();
        byte[] next = vconfig.clone();
        for (int i = 0; i < size; i++) {
            next[pos + i] = (byte) (val >>> (8 * i));
        }
        int newCmd = (next[PCI_COMMAND] & 0xff) | (next[PCI_COMMAND + 1] & 0xff) << 8;
        boolean newMem = (newCmd & CMD_MEMORY) != 0;
        if (!newMem) {
            memoryLock.zapAndDownWrite();
        } else {
            memoryLock.downWrite();
        }
        try {
            vconfig[PCI_COMMAND] = next[PCI_COMMAND];
            vconfig[PCI_COMMAND + 1] = next[PCI_COMMAND + 1];
            int phys = (int) pdev.configRead(PCI_COMMAND, 2);
            int wanted = newCmd;
            if (pdev.isVirtfn()) {
                wanted = (wanted & ~CMD_MEMORY) | (phys & CMD_MEMORY);
            }
            pdev.configWrite(PCI_COMMAND, 2, wanted & 0xffff);
        } finally {
            memoryLock.upWrite();
        }
    }

    /**
     * {@code vfio_bar_fixup}: after a write, every BAR register reads back its address bits
     * masked by the BAR size plus the type bits, so sizing by writing all-ones works.
     */
    @Models("drivers/vfio/pci/vfio_pci_config.c:vfio_bar_fixup")
    private void barFixup() {
        KernelProbe.here();
        if (!bardirty) {
            return;
        }
        for (int i = 0; i < 6; i++) {
            int off = PCI_BASE_ADDRESS_0 + 4 * i;
            long len = pdev.pciResourceLen(i);
            if (pdev.isUpperHalf(i)) {
                long lowerLen = pdev.pciResourceLen(i - 1);
                long mask = ~(lowerLen - 1) >>> 32;
                vwrite(off, 4, vread(off, 4) & mask);
                continue;
            }
            if (len == 0) {
                vwrite(off, 4, 0);
                continue;
            }
            long flags = pdev.configRead(off, 4) & (pdev.isIoBar(i) ? 0x3 : 0xf);
            long mask = ~(len - 1) & 0xffff_fffcL;
            if (!pdev.isIoBar(i)) {
                mask &= 0xffff_fff0L;
            }
            vwrite(off, 4, (vread(off, 4) & mask) | flags);
        }
        long romLen = pdev.romSize();
        if (romLen == 0) {
            vwrite(PCI_ROM_ADDRESS, 4, 0);
        } else {
            long mask = (~(romLen - 1) & 0xffff_f800L) | 0x1;
            vwrite(PCI_ROM_ADDRESS, 4, vread(PCI_ROM_ADDRESS, 4) & mask);
        }
        bardirty = false;
    }

    private static boolean isBarRegister(int pos) {
        return (pos >= PCI_BASE_ADDRESS_0 && pos < PCI_BASE_ADDRESS_5_END)
                || (pos >= PCI_ROM_ADDRESS && pos < PCI_ROM_ADDRESS + 4);
    }

    private static boolean overlaps(int pos, int size, int reg, int regSize) {
        return pos < reg + regSize && reg < pos + size;
    }

    private static long shiftedMask(int pos, int size, int reg, long regMask) {
        int shift = (reg - pos) * 8;
        long m = shift >= 0 ? regMask << shift : regMask >>> -shift;
        return size == 8 ? m : m & ((1L << (8 * size)) - 1);
    }

    private long vread(int pos, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (vconfig[pos + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    private void vwrite(int pos, int size, long val) {
        for (int i = 0; i < size; i++) {
            vconfig[pos + i] = (byte) (val >>> (8 * i));
        }
    }
}
