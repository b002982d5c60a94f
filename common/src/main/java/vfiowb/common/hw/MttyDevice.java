package vfiowb.common.hw;

import java.util.ArrayDeque;
import java.util.Deque;
import vfiowb.common.Models;

/**
 * The mtty sample's emulated PCI serial card: one or two 16550A UARTs, each behind an 8-byte
 * I/O BAR (port 0 in BAR0, port 1 in BAR1), with the card's configuration space (4348:3253,
 * class 0x0700 serial 16550). The sample reports its config region as
 * {@code MTTY_CONFIG_SPACE_SIZE} = 0xff bytes, exposed here as {@link #configRegionSize()}.
 * Nothing is on the bus: the device exists only in the mdev driver, which calls these methods.
 */
@Models("samples/vfio-mdev/mtty.c:mtty_create_config_space")
public class MttyDevice implements Device {
    private static final int IO_BAR_SIZE = 8;
    private static final int CONFIG_REGION_SIZE = 0xFF;

    private final String name;
    private final Uart16550[] ports;
    private final PciConfigSpace config;

    public MttyDevice(String name, int portCount) {
        if (portCount != 1 && portCount != 2) {
            throw new IllegalArgumentException("mtty has 1 or 2 ports: " + portCount);
        }
        this.name = name;
        this.ports = new Uart16550[portCount];
        for (int i = 0; i < portCount; i++) {
            ports[i] = new Uart16550();
        }
        PciBar[] bars = portCount == 2
                ? new PciBar[] {PciBar.io(0, IO_BAR_SIZE), PciBar.io(1, IO_BAR_SIZE)}
                : new PciBar[] {PciBar.io(0, IO_BAR_SIZE)};
        config = EmulatedConfig.build(0x4348, 0x3253, 0x4348, 0x3253, 0x070002, 0x10, bars);
        config.set(PciConfigSpace.Register.COMMAND, PciConfigSpace.Command.IO.mask());
        config.set(PciConfigSpace.Register.STATUS, 0x0200);
    }

    @Override
    public String name() {
        return name;
    }

    public int portCount() {
        return ports.length;
    }

    /** The UART behind BAR {@code index} (0 or 1). */
    public Uart16550 port(int index) {
        return ports[index];
    }

    /** {@code MTTY_IO_BAR_SIZE}: 8 bytes per port. */
    public static int ioBarSize() {
        return IO_BAR_SIZE;
    }

    /** The config region size the sample reports: 0xff. */
    public static int configRegionSize() {
        return CONFIG_REGION_SIZE;
    }

    public PciConfigSpace config() {
        return config;
    }

    /** A 16550A with a 16-byte FIFO in loopback: bytes written to THR arrive in RBR. */
    public static final class Uart16550 {
        private static final int FIFO = 16;
        private static final int LCR_DLAB = 0x80;
        private static final int LSR_DR = 0x01;
        private static final int LSR_OE = 0x02;
        private static final int LSR_THRE = 0x20;
        private static final int LSR_TEMT = 0x40;

        private final Deque<Integer> rx = new ArrayDeque<>();
        private int ier;
        private int fcr;
        private int lcr;
        private int mcr;
        private int scr;
        private int dll = 0x0C;
        private int dlm;
        private boolean overrun;
        private long transmitted;

        /** An 8-bit read of register {@code offset} (0..7). */
        public synchronized int read(int offset) {
            switch (check(offset)) {
                case 0:
                    if ((lcr & LCR_DLAB) != 0) {
                        return dll;
                    }
                    return rx.isEmpty() ? 0 : rx.pollFirst();
                case 1:
                    return (lcr & LCR_DLAB) != 0 ? dlm : ier;
                case 2:
                    int fifo = (fcr & 1) != 0 ? 0xC0 : 0;
                    return fifo | ((ier & 1) != 0 && !rx.isEmpty() ? 0x04 : 0x01);
                case 3:
                    return lcr;
                case 4:
                    return mcr;
                case 5:
                    int lsr = LSR_THRE | LSR_TEMT | (rx.isEmpty() ? 0 : LSR_DR) | (overrun ? LSR_OE : 0);
                    overrun = false;
                    return lsr;
                case 6:
                    return 0xB0;
                default:
                    return scr;
            }
        }

        /** An 8-bit write of register {@code offset} (0..7). */
        public synchronized void write(int offset, int value) {
            int v = value & 0xFF;
            switch (check(offset)) {
                case 0:
                    if ((lcr & LCR_DLAB) != 0) {
                        dll = v;
                    } else {
                        transmitted++;
                        if (rx.size() < FIFO) {
                            rx.addLast(v);
                        } else {
                            overrun = true;
                        }
                    }
                    break;
                case 1:
                    if ((lcr & LCR_DLAB) != 0) {
                        dlm = v;
                    } else {
                        ier = v & 0x0F;
                    }
                    break;
                case 2:
                    fcr = v;
                    if ((v & 0x02) != 0) {
                        rx.clear();
                    }
                    break;
                case 3:
                    lcr = v;
                    break;
                case 4:
                    mcr = v & 0x1F;
                    break;
                case 7:
                    scr = v;
                    break;
                default:
                    break;
            }
        }

        /** Bytes written to the transmit register. */
        public synchronized long transmitted() {
            return transmitted;
        }

        public synchronized int rxLevel() {
            return rx.size();
        }

        private static int check(int offset) {
            if (offset < 0 || offset > 7) {
                throw new IllegalArgumentException("16550 register offset 0..7: " + offset);
            }
            return offset;
        }
    }
}
