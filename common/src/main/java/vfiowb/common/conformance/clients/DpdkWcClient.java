package vfiowb.common.conformance.clients;

import java.util.Objects;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * A DPDK-style poll-mode driver for an ENA-like NIC with low-latency queues (issue 14): BAR0's
 * registers mapped uncached for doorbells, BAR2's LLQ memory mapped write-combined through the
 * stage's WC uAPI ({@link WcMapper}), then a burst: {@value #DESCRIPTORS} 64-byte descriptors
 * written to BAR2 as 8-byte stores, and one 4-byte doorbell store to BAR0 with the new tail.
 * The burst is checked by reading BAR2 back through the device file. The doorbell offset is
 * plausible, not ENA's.
 */
public final class DpdkWcClient implements Client {
    /** Descriptors per burst. */
    public static final int DESCRIPTORS = 16;
    private static final int DESCRIPTOR_BYTES = 64;
    private static final long DOORBELL = 0x100;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;
    private static final int BAR_DOORBELLS = 0;
    private static final int BAR_LLQ = 2;

    /**
     * What the run found.
     *
     * @param passed every step worked and the burst landed
     * @param failure why not, or null
     * @param llq the write-combined BAR2 mapping as the uAPI gave it, or null
     * @param llqProbe what BAR2's mapping got after the burst, or null
     * @param doorbellProbe what BAR0's mapping got after the doorbell, or null
     */
    public record Report(boolean passed, String failure, WcMapper.Result llq, WcProbe llqProbe,
            WcProbe doorbellProbe) {}

    private final WcMapper mapper;

    public DpdkWcClient(WcUapi uapi) {
        this.mapper = WcMapper.of(Objects.requireNonNull(uapi, "uapi"));
    }

    @Override
    public String name() {
        return "dpdk-wc";
    }

    @Override
    public void run(Process p, String device, Transcript t) {
        report(p, device, t);
    }

    /** Runs the client and says what it found. */
    public Report report(Process p, String device, Transcript t) {
        DeviceFile f = DeviceFile.open(p, device, t);
        DeviceFile.RegionInfoCall regs = f.requireRegionInfo(BAR_DOORBELLS);
        DeviceFile.RegionInfoCall llq = f.requireRegionInfo(BAR_LLQ);
        if (!regs.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)
                || !llq.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP)) {
            return fail(t, "BAR0 and BAR2 must both be mappable");
        }
        f.requireRegionInfo(7);
        long cmd = f.readValue(7, PCI_COMMAND, 2).orElse(0L);
        f.writeValue(7, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY);
        DeviceFile.MmapCall doorbells = f.mmap(0, regs.head().size(), Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_SHARED, BAR_DOORBELLS, 0);
        if (!doorbells.ok()) {
            return fail(t, "BAR0 mmap failed: " + Errno.name(doorbells.errno()));
        }
        long llqLen = llq.head().size();
        WcMapper.Result wc;
        try {
            wc = mapper.mapWc(p, f.fd(), BAR_LLQ, 0, llqLen);
        } catch (ErrnoException e) {
            return fail(t, "write-combined BAR2 refused: " + Errno.name(e.errno()));
        }
        t.add("BAR2 write-combined via " + String.join(", ", wc.steps()) + ": " + wc.region());
        byte[] expected = new byte[DESCRIPTORS * DESCRIPTOR_BYTES];
        try {
            for (int d = 0; d < DESCRIPTORS; d++) {
                for (int w = 0; w < DESCRIPTOR_BYTES; w += 8) {
                    long v = 0x4c4c510000000000L | (long) d << 16 | w;
                    wc.mapping().store((long) d * DESCRIPTOR_BYTES + w, 8, v);
                    for (int b = 0; b < 8; b++) {
                        expected[d * DESCRIPTOR_BYTES + w + b] = (byte) (v >>> (8 * b));
                    }
                }
            }
            doorbells.mapped().mapping().store(DOORBELL, 4, DESCRIPTORS);
        } catch (SigbusException e) {
            return fail(t, "SIGBUS during the burst");
        }
        WcProbe llqProbe = WcProbe.of(wc.mapping(), 0);
        WcProbe dbProbe = WcProbe.of(doorbells.mapped().mapping(), DOORBELL);
        t.add("burst of " + DESCRIPTORS + " descriptors stored; doorbell rung; BAR2 " + llqProbe
                + "; BAR0 " + dbProbe);
        DeviceFile.Rw back = f.pread(BAR_LLQ, 0, expected.length);
        if (!back.ok() || !java.util.Arrays.equals(back.data(), expected)) {
            return fail(t, "the burst did not land in BAR2");
        }
        DeviceFile.Rw bell = f.pread(BAR_DOORBELLS, DOORBELL, 4);
        if (!bell.ok() || bell.value(4) != DESCRIPTORS) {
            return fail(t, "the doorbell did not land in BAR0");
        }
        t.add("burst read back through the device file; doorbell holds the tail");
        return new Report(true, null, wc, llqProbe, dbProbe);
    }

    private static Report fail(Transcript t, String why) {
        t.add("DPDK: " + why);
        return new Report(false, why, null, null, null);
    }
}
