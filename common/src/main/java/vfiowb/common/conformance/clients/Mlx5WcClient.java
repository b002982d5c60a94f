package vfiowb.common.conformance.clients;

import java.util.Objects;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SigbusException;

/**
 * An mlx5-style userspace driver (issue 14; the thread's reason a WC uAPI must allow WC and UC
 * mappings of one BAR at the same time): in BAR0, one UAR page mapped uncached for the doorbell
 * register and the next UAR page mapped write-combined for BlueFlame, both alive together; a
 * doorbell record through the first, a 64-byte BlueFlame copy through the second, each read back
 * through the device file. UAR pages start at {@value #UAR_BASE} here (plausible: the real
 * offset comes from the device's initialisation segment).
 */
public final class Mlx5WcClient implements Client {
    /** Where the UAR pages start in BAR0. */
    public static final long UAR_BASE = 8L << 20;
    private static final long DOORBELL = 0x20;
    private static final long BLUEFLAME = 0x800;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;

    /**
     * What the run found.
     *
     * @param passed both mappings worked at once and both writes landed
     * @param failure why not, or null
     * @param uc the doorbell page's protections, or null
     * @param wc the BlueFlame page's protections, or null
     * @param wcResult how the WC page was reached, or null
     */
    public record Report(boolean passed, String failure, WcProbe uc, WcProbe wc,
            WcMapper.Result wcResult) {}

    private final WcMapper mapper;

    public Mlx5WcClient(WcUapi uapi) {
        this.mapper = WcMapper.of(Objects.requireNonNull(uapi, "uapi"));
    }

    @Override
    public String name() {
        return "mlx5-wc";
    }

    @Override
    public void run(Process p, String device, Transcript t) {
        report(p, device, t);
    }

    /** Runs the client and says what it found. */
    public Report report(Process p, String device, Transcript t) {
        DeviceFile f = DeviceFile.open(p, device, t);
        f.requireRegionInfo(0);
        long page = p.arch().pageSize();
        f.requireRegionInfo(7);
        long cmd = f.readValue(7, PCI_COMMAND, 2).orElse(0L);
        f.writeValue(7, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY);
        DeviceFile.MmapCall uc = f.mmap(0, page, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED,
                0, UAR_BASE);
        if (!uc.ok()) {
            return fail(t, "doorbell UAR mmap failed: " + Errno.name(uc.errno()));
        }
        WcMapper.Result wc;
        try {
            wc = mapper.mapWc(p, f.fd(), 0, UAR_BASE + page, page);
        } catch (ErrnoException e) {
            return fail(t, "BlueFlame UAR write-combined refused: " + Errno.name(e.errno()));
        }
        t.add("BlueFlame UAR write-combined via " + String.join(", ", wc.steps()) + ": " + wc.region());
        try {
            uc.mapped().mapping().store(DOORBELL, 4, 0x1234);
            for (int w = 0; w < 64; w += 8) {
                wc.mapping().store(BLUEFLAME + w, 8, 0xb1f1000000000000L | w);
            }
        } catch (SigbusException e) {
            return fail(t, "SIGBUS writing the doorbell or BlueFlame");
        }
        WcProbe ucProbe = WcProbe.of(uc.mapped().mapping(), DOORBELL);
        WcProbe wcProbe = WcProbe.of(wc.mapping(), BLUEFLAME);
        t.add("doorbell page " + ucProbe + "; BlueFlame page " + wcProbe
                + "; both mapped at once");
        DeviceFile.Rw bell = f.pread(0, UAR_BASE + DOORBELL, 4);
        DeviceFile.Rw bf = f.pread(0, UAR_BASE + page + BLUEFLAME + 56, 8);
        if (!bell.ok() || bell.value(4) != 0x1234 || !bf.ok() || bf.value(8) != (0xb1f1000000000000L | 56)) {
            return fail(t, "the doorbell or the BlueFlame copy did not land in BAR0");
        }
        t.add("doorbell and BlueFlame read back through the device file");
        return new Report(true, null, ucProbe, wcProbe, wc);
    }

    private static Report fail(Transcript t, String why) {
        t.add("mlx5: " + why);
        return new Report(false, why, null, null, null);
    }
}
