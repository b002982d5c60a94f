package vfiowb.common.conformance.scenarios;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import vfiowb.common.conformance.DeviceFile;
import vfiowb.common.conformance.DeviceProfile;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.conformance.MsixLocation;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.errno.Errno;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.userspace.Process;

/**
 * userspace-clients §3.8 FZ-03: seeded random aligned write/read pairs below 4 KiB of a BAR,
 * SPDK-fuzzer style. The seed is mixed with the device name so each device gets its own
 * sequence; the transcript prints both, so a failure replays with the same seed.
 */
final class FuzzScenarios {
    private static final int CONFIG = VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX;
    private static final int WINDOW_WORDS = 4096 / 4;

    private FuzzScenarios() {}

    static List<Scenario> all(int iterations, long seed) {
        return List.of(Scenario.of("FZ-03", "Random aligned BAR write/read pairs below 4 KiB",
                d -> d.region(CONFIG).isPresent() && Support.coreMemBar(d, 4, false).isPresent(),
                (p, d, t) -> fz03(p, d, t, iterations, seed)));
    }

    private static void fz03(Process p, DeviceProfile d, Transcript t, int iterations, long seed) {
        DeviceFile f = DeviceFile.open(p, d, t);
        DeviceProfile.Region r = Support.coreMemBar(d, 4, false).orElseThrow();
        long bar = r.index();
        DeviceFile.RegionInfoCall config = f.requireRegionInfo(CONFIG);
        DeviceFile.RegionInfoCall info = f.requireRegionInfo(bar);
        long size = info.head().size();
        long mixed = seed ^ d.name().hashCode();
        t.add("seed " + Fmt.hex(seed) + " mixed with the device name: " + Fmt.hex(mixed) + ", "
                + iterations + " iterations");
        Random rnd = new Random(mixed);
        int cfg = (int) config.head().size();
        byte[] before = f.pread(CONFIG, 0, cfg).data();
        Optional<MsixLocation> m = d.msix();
        for (int k = 0; k < iterations; k++) {
            long off = 4L * rnd.nextInt(WINDOW_WORDS);
            long v = rnd.nextInt() & 0xFFFF_FFFFL;
            DeviceFile.Rw w = f.pwrite(bar, off, Fmt.le(v, 4));
            DeviceFile.Rw back = f.pread(bar, off, 4);
            if (off + 4 > size) {
                t.expect(w.errno() == Errno.EINVAL && back.errno() == Errno.EINVAL,
                        "outside the region both fail with EINVAL", Fmt.ret(w.ret()) + ", " + Fmt.ret(back.ret()));
                continue;
            }
            t.expect(w.ret() == 4 && back.ret() == 4, "inside the region both transfer 4 bytes",
                    Fmt.ret(w.ret()) + ", " + Fmt.ret(back.ret()));
            if (back.ret() != 4) {
                continue;
            }
            boolean table = m.isPresent() && m.get().tableBar() == bar
                    && off < m.get().tableOffset() + m.get().tableSize() && m.get().tableOffset() < off + 4;
            if (table) {
                t.expectEquals(Fmt.hex(0xFFFF_FFFFL), Fmt.hex(back.value(4)), "the MSI-X table reads");
            } else if (m.isPresent() && m.get().overlaps(bar, off, 4)) {
                t.add("PBA: read-only to the device model; recorded");
            } else {
                t.expectEquals(Fmt.hex(v), Fmt.hex(back.value(4)), "the value reads back");
            }
        }
        byte[] after = f.pread(CONFIG, 0, cfg).data();
        t.expect(Arrays.equals(before, after), "config space is unchanged by BAR traffic", "it changed");
    }
}
