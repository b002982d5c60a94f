package vfiowb.common.kernelbugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.Stage;
import vfiowb.common.stagetests.StageAdapter;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;

/**
 * Every catalogue device a stage binds, on every architecture: for every region, its first byte,
 * its last byte and its first byte past the end are read and written with pread/pwrite, and the
 * page holding each is mapped shared and private and loaded from and stored to through the
 * mapping. Whatever the driver answers (data, an errno, a signal, or an upstream kernel bug the
 * model reproduces) is an outcome; a model bug ({@link IllegalStateException} or any other
 * exception escaping the syscall boundary) never is. Each kernel bug must be a known one
 * ({@link KnownKernelBugs}), and the known ones must show where userspace reaches them.
 *
 * <p>Written once; a stage module runs it through a one-line subclass handing it the stage's
 * {@link StageAdapter}, so later stages inherit it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RegionEdgeSweepTests {
    private static final int MAX_REGIONS = 64;

    /** One access and what came of it: {@code ok}, an errno or signal name, or a model bug. */
    public record Step(String device, long region, String edge, String op, String result,
            KernelBug kernelBug, Throwable modelBug) {
        @Override
        public String toString() {
            return device + " region " + region + " " + edge + " " + op + ": " + result
                    + (kernelBug == null ? "" : " (kernel bug: " + kernelBug + ")");
        }
    }

    private final Stage stage;
    private final Set<String> opsTables;
    /** The tables whose read and write the core resolves through the file's cookies. */
    private final Set<String> onCookiePath;
    private final Map<Arch, List<Step>> sweeps = new EnumMap<>(Arch.class);

    /** The stage of {@code adapter}; only catalogue devices its registry binds run. */
    protected RegionEdgeSweepTests(StageAdapter adapter) {
        this.stage = adapter.stage();
        this.opsTables = Set.copyOf(adapter.opsTables().keySet());
        this.onCookiePath = adapter.opsTables().entrySet().stream()
                .filter(e -> e.getValue().membersSet().contains("read_obj"))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    private List<DeviceSpec> devices() {
        return DeviceCatalogue.all().stream().filter(s -> opsTables.contains(s.opsTable())).toList();
    }

    /**
     * The sweep of {@code arch}, run by the first test that asks for it and kept for the others.
     * Not run in a {@code @BeforeAll}: a mutation tester credits a test only with the code run
     * inside it, and runs each test on its own, so each test must be able to sweep what it checks.
     */
    private List<Step> sweep(Arch arch) {
        List<Step> steps = sweeps.get(arch);
        if (steps == null) {
            steps = new ArrayList<>();
            for (DeviceSpec d : devices()) {
                sweepDevice(arch, d, steps);
            }
            sweeps.put(arch, steps);
        }
        return steps;
    }

    private void sweepDevice(Arch arch, DeviceSpec d, List<Step> out) {
        Process p = new Process(stage.boot(arch, List.of(d)));
        Sweeper s = new Sweeper(p, d.name(), out);
        Integer fd = s.call(-1, "-", "open", () -> p.open(d.name()));
        if (fd == null) {
            return;
        }
        byte[] di = VfioDeviceInfo.of(VfioDeviceInfo.SIZE, 0, 0, 0, 0).encode();
        if (s.call(-1, "-", "GET_INFO", () -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, di)) == null) {
            return;
        }
        long n = Math.min(MAX_REGIONS, VfioDeviceInfo.decode(di, 0).numRegions());
        for (long i = 0; i < n; i++) {
            long index = i;
            byte[] ri = VfioRegionInfo.request(index, VfioRegionInfo.SIZE);
            if (s.call(index, "-", "REGION_INFO",
                    () -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ri)) == null) {
                continue;
            }
            VfioRegionInfo info = VfioRegionInfo.decode(ri, 0);
            long size = info.size();
            long[] edges = size == 0 ? new long[] {0} : size == 1 ? new long[] {0, 1}
                    : new long[] {0, size - 1, size};
            String[] names = size == 0 ? new String[] {"past-the-end"}
                    : size == 1 ? new String[] {"first", "past-the-end"}
                    : new String[] {"first", "last", "past-the-end"};
            for (int e = 0; e < edges.length; e++) {
                s.edge(fd, index, info, edges[e], names[e]);
            }
        }
        s.call(-1, "-", "exit", () -> {
            p.exit();
            return 0;
        });
    }

    /** The accesses of one device, each recorded as a {@link Step}. */
    private static final class Sweeper {
        private final Process p;
        private final String device;
        private final List<Step> out;

        Sweeper(Process p, String device, List<Step> out) {
            this.p = p;
            this.device = device;
            this.out = out;
        }

        /** Runs {@code call}; returns its value, or null when it failed in any way. */
        <T> T call(long region, String edge, String op, Supplier<T> call) {
            try {
                T v = call.get();
                out.add(new Step(device, region, edge, op, "ok", null, null));
                return v;
            } catch (ErrnoException e) {
                out.add(new Step(device, region, edge, op, e.errnoName(), e.kernelBug().orElse(null),
                        null));
            } catch (SegvException e) {
                out.add(new Step(device, region, edge, op, "SIGSEGV", e.kernelBug().orElse(null),
                        null));
            } catch (SigbusException e) {
                out.add(new Step(device, region, edge, op, "SIGBUS", null, null));
            } catch (RuntimeException | AssertionError e) {
                out.add(new Step(device, region, edge, op, "model bug: " + e, null, e));
            }
            return null;
        }

        void edge(int fd, long index, VfioRegionInfo info, long delta, String edge) {
            long at = info.offset() + delta;
            byte[] b = new byte[1];
            Long got = call(index, edge, "pread", () -> p.pread(fd, b, at));
            byte[] w = {got != null && got == 1 ? b[0] : 0};
            call(index, edge, "pwrite", () -> p.pwrite(fd, w, at));
            long page = p.arch().pageSize();
            long base = delta & -page;
            int prot = Mman.PROT_READ
                    | ((info.flags() & VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE) != 0
                            ? Mman.PROT_WRITE : 0);
            for (int flags : new int[] {Mman.MAP_SHARED, Mman.MAP_PRIVATE}) {
                String kind = flags == Mman.MAP_SHARED ? " shared" : " private";
                Mapping m = call(index, edge, "mmap" + kind,
                        () -> p.mmap(0, page, prot, flags, fd, info.offset() + base));
                if (m == null) {
                    continue;
                }
                Long v = call(index, edge, "load" + kind, () -> m.load(delta - base, 1));
                if ((prot & Mman.PROT_WRITE) != 0) {
                    long value = v == null ? 0 : v;
                    call(index, edge, "store" + kind, () -> {
                        m.store(delta - base, 1, value);
                        return 0;
                    });
                }
                call(index, edge, "munmap" + kind, () -> {
                    p.munmap(m);
                    return 0;
                });
            }
        }
    }

    private List<Step> kernelBugs(Arch arch, String device) {
        return sweep(arch).stream()
                .filter(s -> s.kernelBug() != null && s.device().equals(device)).toList();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noAccessIsAModelBug(Arch arch) {
        List<String> bugs = sweep(arch).stream().filter(s -> s.modelBug() != null)
                .map(Step::toString).toList();
        assertTrue(bugs.isEmpty(), bugs.size() + " model bugs on " + arch.cliName() + ":\n"
                + String.join("\n", bugs));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyKernelBugIsAKnownOne(Arch arch) {
        List<String> unknown = sweep(arch).stream()
                .filter(s -> s.kernelBug() != null && !KnownKernelBugs.known(s.kernelBug()))
                .map(Step::toString).toList();
        assertTrue(unknown.isEmpty(), "add to KnownKernelBugs and docs/kernel-bugs.md, or fix:\n"
                + String.join("\n", unknown));
    }

    /**
     * mbochs' last two video-memory pages index {@code pages[]} past its end on every arch: the
     * last byte of BAR0 is read and written into the out-of-bounds page. On the cookie path the
     * offset inside the object is the offset into video memory, so the bug is gone and the last
     * byte is just the last byte.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void mbochsReadsPastItsPageArrayUntilTheCookiePath(Arch arch) {
        if (!opsTables.contains("mbochs_dev_ops")) {
            return;
        }
        List<Step> bugs = kernelBugs(arch, "mbochs");
        if (onCookiePath.contains("mbochs_dev_ops")) {
            assertTrue(bugs.isEmpty(), bugs.toString());
            assertEquals(List.of("ok", "ok"), sweep(arch).stream()
                    .filter(s -> s.device().equals("mbochs") && s.region() == 0
                            && s.edge().equals("last")
                            && (s.op().equals("pread") || s.op().equals("pwrite")))
                    .map(Step::result).toList(), "BAR0's last byte");
            return;
        }
        assertEquals(List.of("last pread", "last pwrite"), bugs.stream()
                .map(s -> s.edge() + " " + s.op()).toList(), bugs.toString());
        for (Step s : bugs) {
            assertEquals(0, s.region(), "BAR0");
            assertEquals("EFAULT", s.result());
            assertEquals("samples/vfio-mdev/mbochs.c:__mbochs_get_page", s.kernelBug().function());
            assertEquals(KernelBug.Kind.OUT_OF_BOUNDS, s.kernelBug().kind());
        }
    }

    /**
     * nvgrace-gpu accepts a private mapping of a fake BAR, whose first fault hits the
     * {@code BUG_ON} in {@code vmf_insert_pfn_prot}: SIGSEGV carrying the bug. On i386 the fake
     * BARs' offsets ({@code 2 << 40}, {@code 4 << 40}) do not fit mmap2, so nothing maps them
     * and the bug is out of reach.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void nvgracePrivateMappingsHitTheBugOn(Arch arch) {
        if (!opsTables.contains("nvgrace_gpu_pci_ops")) {
            return;
        }
        List<Step> bugs = kernelBugs(arch, "nvgrace-gh200");
        if (arch == Arch.I386) {
            assertTrue(bugs.isEmpty(), bugs.toString());
            assertTrue(sweep(arch).stream().anyMatch(s -> s.device().equals("nvgrace-gh200")
                    && s.region() == 4 && s.op().equals("mmap private")
                    && s.result().equals("EOVERFLOW")), "the fake BAR is out of mmap2's reach");
            return;
        }
        Set<String> where = new TreeSet<>();
        for (Step s : bugs) {
            assertTrue(Set.of("load private", "store private").contains(s.op()), s.toString());
            assertEquals("SIGSEGV", s.result());
            assertEquals("mm/memory.c:vmf_insert_pfn_prot", s.kernelBug().function());
            assertEquals(KernelBug.Kind.BUG_ON, s.kernelBug().kind());
            where.add("BAR" + s.region() + " " + s.edge() + " " + s.op());
        }
        assertEquals(Set.of("BAR2 first load private", "BAR2 first store private",
                "BAR4 first load private", "BAR4 first store private"), where,
                "each fault of the first page of each fake BAR; the others lie past the real "
                + "memory (EINVAL)");
        assertFalse(sweep(arch).stream().anyMatch(s -> s.device().equals("nvgrace-gh200")
                && s.op().equals("load shared") && s.kernelBug() != null));
    }

    /**
     * Every driver's VFIO_DEVICE_GET_INFO and VFIO_DEVICE_GET_IRQ_INFO copy in their 16-byte
     * head first (-EFAULT when the user buffer is shorter) and refuse an argsz short of it
     * (-EINVAL), before looking at anything else, and no IRQ index at or past GET_INFO's
     * num_irqs has an answer (-EINVAL), and an unknown command is -ENOTTY (-EOPNOTSUPP in
     * vfio-ap):
     * vfio_pci_ioctl_get_info and
     * vfio_pci_ioctl_get_irq_info, vfio_platform_ioctl, vfio_ccw_mdev_ioctl,
     * vfio_ap_mdev_ioctl, vfio_cdx_ioctl, vfio_fsl_mc_ioctl, intel_vgpu_ioctl and the mdev
     * samples' ioctls all begin so.
     */
    @Test
    void everyDriverChecksTheInfoHeadersFirst() {
        for (DeviceSpec d : devices()) {
            Process p = new Process(stage.boot(Arch.X86_64, List.of(d)));
            int fd = p.open(d.name());
            for (int cmd : new int[] {VfioIoctl.VFIO_DEVICE_GET_INFO,
                VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO}) {
                String what = d.name() + " " + VfioIoctl.name(cmd);
                byte[] shortArgsz = new byte[16];
                shortArgsz[0] = 15;
                ErrnoException e = org.junit.jupiter.api.Assertions.assertThrows(
                        ErrnoException.class, () -> p.ioctl(fd, cmd, shortArgsz), what);
                assertEquals(vfiowb.common.errno.Errno.EINVAL, e.errno(), what);
                ErrnoException f = org.junit.jupiter.api.Assertions.assertThrows(
                        ErrnoException.class, () -> p.ioctl(fd, cmd, new byte[12]), what);
                assertEquals(vfiowb.common.errno.Errno.EFAULT, f.errno(), what);
            }
            byte[] di = VfioDeviceInfo.of(16, 0, 0, 0, 0).encode();
            assertEquals(0, p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, di), "argsz 16 is enough");
            long numIrqs = VfioDeviceInfo.decode(di, 0).numIrqs();
            int unknown = VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO + 40;
            ErrnoException u = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, unknown, new byte[16]), d.name());
            // vfio_ap_mdev_ioctl's default case is -EOPNOTSUPP; every other driver's -ENOTTY
            assertEquals(d.opsTable().equals("vfio_ap_matrix_dev_ops")
                    ? vfiowb.common.errno.Errno.EOPNOTSUPP : vfiowb.common.errno.Errno.ENOTTY,
                    u.errno(), d.name() + ": the driver's answer to an unknown command");
            if (numIrqs > 0) {
                byte[] first = new vfiowb.common.uapi.VfioIrqInfo(16, 0, 0, 0).encode();
                assertEquals(0, p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, first), d.name());
                assertEquals(0, vfiowb.common.uapi.VfioIrqInfo.decode(first, 0).index(), d.name());
            }
            byte[] past = new vfiowb.common.uapi.VfioIrqInfo(16, 0, numIrqs, 0).encode();
            ErrnoException g = org.junit.jupiter.api.Assertions.assertThrows(ErrnoException.class,
                    () -> p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, past), d.name());
            assertEquals(vfiowb.common.errno.Errno.EINVAL, g.errno(),
                    d.name() + ": IRQ index num_irqs (" + numIrqs + ")");
        }
    }

    /** The sweep reached every device and region it should, so the checks above have teeth. */
    @Test
    void theSweepReachesEveryDevice() {
        for (Arch arch : Arch.values()) {
            Set<String> swept = new TreeSet<>();
            sweep(arch).stream().filter(s -> s.op().equals("pread")).forEach(s -> swept.add(s.device()));
            Set<String> expected = new TreeSet<>();
            devices().stream().filter(d -> !d.opsTable().equals("vfio_ap_matrix_dev_ops"))
                    .forEach(d -> expected.add(d.name()));
            assertEquals(expected, swept, arch.cliName());
            assertTrue(sweep(arch).stream().anyMatch(s -> s.op().startsWith("load")
                    && s.result().equals("ok")), "some loads succeed");
        }
    }
}
