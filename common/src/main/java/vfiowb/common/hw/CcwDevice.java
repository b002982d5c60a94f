package vfiowb.common.hw;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import vfiowb.common.Models;

/**
 * An s390 I/O subchannel with a device behind it, as vfio-ccw drives it. It has no MMIO: the
 * "regions" are the uAPI structures vfio-ccw exchanges with userspace, whose sizes come from
 * include/uapi/linux/vfio_ccw.h - ccw_io_region 124 bytes (ORB 12 + SCSW 12 + IRB 96 +
 * ret_code 4, packed), ccw_cmd_region 8, ccw_schib_region 52, ccw_crw_region 8 (crw + pad).
 *
 * <p>The device side modelled: the subchannel-information block STORE SUBCHANNEL returns, and a
 * queue of channel report words.
 */
@Models("drivers/s390/cio/vfio_ccw_private.h:struct vfio_ccw_private")
public class CcwDevice implements Device {
    private static final int IO_REGION = 12 + 12 + 96 + 4;
    private static final int CMD_REGION = 8;
    private static final int SCHIB_REGION = 52;
    private static final int CRW_REGION = 8;

    private final String name;
    private final int cssid;
    private final int ssid;
    private final int schno;
    private final int devno;
    private final Deque<Integer> crws = new ArrayDeque<>();

    public CcwDevice(String name, int cssid, int ssid, int schno, int devno) {
        if (ssid < 0 || ssid > 3 || schno < 0 || schno > 0xFFFF || devno < 0 || devno > 0xFFFF
                || cssid < 0 || cssid > 0xFF) {
            throw new IllegalArgumentException("bad subchannel id");
        }
        this.name = name;
        this.cssid = cssid;
        this.ssid = ssid;
        this.schno = schno;
        this.devno = devno;
    }

    @Override
    public String name() {
        return name;
    }

    /** The subchannel's bus ID, e.g. {@code 0.0.0013}. */
    public String subchannelId() {
        return String.format("%x.%x.%04x", cssid, ssid, schno);
    }

    /** The device number behind the subchannel, e.g. {@code 0.0.1234}. */
    public String deviceBusId() {
        return String.format("%x.%x.%04x", cssid, ssid, devno);
    }

    public static int ioRegionSize() {
        return IO_REGION;
    }

    public static int asyncCmdRegionSize() {
        return CMD_REGION;
    }

    public static int schibRegionSize() {
        return SCHIB_REGION;
    }

    public static int crwRegionSize() {
        return CRW_REGION;
    }

    /**
     * STORE SUBCHANNEL: the 52-byte SCHIB - PMCW (device number valid and enabled, all eight
     * paths installed and available), zeroed SCSW and model-dependent area.
     */
    public byte[] storeSubchannel() {
        byte[] s = new byte[SCHIB_REGION];
        s[4] = (byte) 0x01;
        s[5] = (byte) 0x80;
        s[6] = (byte) (devno >> 8);
        s[7] = (byte) devno;
        s[8] = (byte) 0xFF;
        s[10] = (byte) 0xFF;
        s[11] = (byte) 0xFF;
        return s;
    }

    /** The channel subsystem reports an event for this subchannel. */
    public synchronized void queueCrw(int crw) {
        crws.addLast(crw);
    }

    /** The next pending channel report word, if any. */
    public synchronized OptionalInt nextCrw() {
        Integer c = crws.pollFirst();
        return c == null ? OptionalInt.empty() : OptionalInt.of(c);
    }
}
