package vfiowb.wccookie.drivers.virtio;

import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.wccookie.core.VfioDeviceOps;
import vfiowb.wccookie.pci.VfioPciCoreDevice;

/**
 * {@code struct virtiovf_pci_core_device} (drivers/vfio/pci/virtio/common.h): vfio-pci-core's
 * device plus the state of the emulated legacy I/O BAR0 of the transitional table - the shadow
 * command and BAR0 registers, the emulated BAR's size and where the legacy queue notify goes.
 *
 * <p>Migration state is not modelled.
 */
@Models("drivers/vfio/pci/virtio/common.h:struct virtiovf_pci_core_device")
public final class VirtiovfPciCoreDevice extends VfioPciCoreDevice {
    private final Object barMutex = new Object();
    private int pciCmd;
    private long pciBaseAddr0;
    private long bar0VirtualBufSize;
    private int notifyBar;
    private long notifyOffset;

    VirtiovfPciCoreDevice(VfioDeviceOps ops, PciFunction pdev, Arch arch) {
        super(ops, pdev, arch);
    }

    /** {@code bar_mutex}: serialises legacy admin commands. */
    Object barMutex() {
        return barMutex;
    }

    /** {@code pci_cmd}: the command register as the user last wrote it (starts 0). */
    public synchronized int pciCmd() {
        return pciCmd;
    }

    synchronized void setPciCmd(int v) {
        pciCmd = v & 0xffff;
    }

    /** {@code pci_base_addr_0}: the emulated BAR0 register as the user last wrote it. */
    public synchronized long pciBaseAddr0() {
        return pciBaseAddr0;
    }

    synchronized void setPciBaseAddr0(long v) {
        pciBaseAddr0 = v & 0xffff_ffffL;
    }

    /** {@code bar0_virtual_buf_size}: 0 unless legacy I/O is emulated. */
    public synchronized long bar0VirtualBufSize() {
        return bar0VirtualBufSize;
    }

    synchronized void setBar0VirtualBufSize(long v) {
        bar0VirtualBufSize = v;
    }

    /** {@code notify_bar}. */
    public synchronized int notifyBar() {
        return notifyBar;
    }

    /** {@code notify_offset}. */
    public synchronized long notifyOffset() {
        return notifyOffset;
    }

    synchronized void setNotify(int bar, long offset) {
        notifyBar = bar;
        notifyOffset = offset;
    }
}
