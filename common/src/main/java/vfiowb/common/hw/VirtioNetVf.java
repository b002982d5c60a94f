package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * A virtio-net virtual function (modern device ID 0x1041) whose PF offers the virtio admin
 * commands virtio-vfio-pci uses: live migration ("device parts") and/or legacy I/O access.
 *
 * <p>Legacy access is offered only when the VF has no BAR0 of its own; the driver then emulates
 * a legacy I/O BAR0 of {@code bar0_virtual_buf_size} = {@code VIRTIO_PCI_CONFIG_OFF(true)} (24:
 * legacy common registers with the MSI-X vectors) + {@code offsetofend(struct virtio_net_config,
 * status)} (8: MAC and status) = 0x20 bytes, a power of two as the driver insists. The device
 * side of that emulation - the legacy registers the admin commands read and write, and the
 * notify location reported by the "notify info" command - is here.
 */
@Models("drivers/vfio/pci/virtio/legacy_io.c:virtiovf_init_legacy_io")
public class VirtioNetVf extends PciFunction {
    private static final int LEGACY_COMMON_SIZE = 24;
    private static final int NET_CONFIG_STATUS_END = 8;
    private static final int QUEUE_NUM = 0x0C;
    private static final int QUEUE_NOTIFY = 0x10;
    private static final int DEVICE_STATUS = 0x12;
    private static final long FEATURES = (1L << 5) | (1L << 16);

    private final boolean legacyIo;
    private final boolean liveMigration;
    private final int notifyBar;
    private final long notifyOffset;
    private final SparseMemory legacy;
    private long notifies;

    public VirtioNetVf(PciFunctionSpec spec, SystemBus bus, boolean legacyIo, boolean liveMigration,
            int notifyBar, long notifyOffset) {
        super(spec, bus);
        if (legacyIo && !bar(0).isEmpty()) {
            throw new IllegalArgumentException(name() + ": legacy I/O needs BAR0 unimplemented");
        }
        if (bar(notifyBar).isEmpty() || notifyOffset + 2 > bar(notifyBar).size()) {
            throw new IllegalArgumentException(name() + ": notify location outside BAR" + notifyBar);
        }
        this.legacyIo = legacyIo;
        this.liveMigration = liveMigration;
        this.notifyBar = notifyBar;
        this.notifyOffset = notifyOffset;
        this.legacy = new SparseMemory(legacyIoBarSize());
        initLegacy();
    }

    private void initLegacy() {
        legacy.clear();
        legacy.write(0, 4, FEATURES);
        legacy.write(QUEUE_NUM, 2, 256);
        legacy.writeBytes(LEGACY_COMMON_SIZE, new byte[] {0x02, 0, 0, 0, 0, 0x01, 0x01, 0});
    }

    /** Whether the PF answers the legacy common/device config admin commands. */
    public boolean supportsLegacyIo() {
        return legacyIo;
    }

    /** Whether the PF answers the device-parts (live migration) admin commands. */
    public boolean supportsLiveMigration() {
        return liveMigration;
    }

    /** Whether the VF implements a BAR0 of its own (legacy emulation then impossible). */
    public boolean bar0Exists() {
        return !bar(0).isEmpty();
    }

    /** {@code bar0_virtual_buf_size}: 24 + 8 = 0x20 bytes. */
    public long legacyIoBarSize() {
        return LEGACY_COMMON_SIZE + NET_CONFIG_STATUS_END;
    }

    /** BAR holding the queue notify address the driver writes legacy notifications to. */
    public int notifyBar() {
        return notifyBar;
    }

    public long notifyOffset() {
        return notifyOffset;
    }

    /** A legacy register read carried out by the PF on the VF's behalf. */
    public synchronized long legacyIoRead(long offset, int width) {
        return legacy.read(offset, width);
    }

    /**
     * A legacy register write carried out by the PF. The queue size is read-only, writing the
     * queue-notify register counts a notification, writing device status 0 resets the device.
     */
    public synchronized void legacyIoWrite(long offset, int width, long value) {
        if (offset <= QUEUE_NUM + 1 && offset + width > QUEUE_NUM) {
            return;
        }
        if (offset == QUEUE_NOTIFY) {
            notifies++;
            return;
        }
        legacy.write(offset, width, value);
        if (offset == DEVICE_STATUS && width == 1 && value == 0) {
            initLegacy();
        }
    }

    /** Legacy queue notifications seen. */
    public synchronized long legacyNotifyCount() {
        return notifies;
    }
}
