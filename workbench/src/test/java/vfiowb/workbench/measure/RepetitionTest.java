package vfiowb.workbench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.SeriesPolicy;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * The repetition measurement on a short run (the long one is {@code measure repeat}, a command,
 * never a unit test), and its verdicts shown to catch a growing tree and a growing heap.
 */
class RepetitionTest {
    private static final DeviceSpec NIC = DeviceCatalogue.byName("nic-vf").orElseThrow();

    static Stream<Stage> stages() {
        return Stages.all().stream();
    }

    @ParameterizedTest
    @MethodSource("stages")
    void aShortRunIsFlatOnEveryStageAndEveryCycleMapsAndCloses(Stage s) {
        Repetition.Result r = Repetition.run(s, Arch.X86_64, SeriesPolicy.DEFAULT, NIC, 3_000, 300,
                3, () -> 0L, Repetition.DEFAULT_HEAP_TOLERANCE);
        assertTrue(r.flat(), () -> "stage " + s.number() + ": " + r);
        assertEquals(4, r.regionInfo().samples().size());
        assertEquals(3_000, r.regionInfo().outcomes().values().stream().mapToLong(Long::longValue)
                .sum(), "every call counted once");
        assertEquals(300L, r.cycles().outcomes().get("mmap ok"));
        assertEquals(300L, r.cycles().outcomes().get("close ok"));
        Repetition.Sample last = r.cycles().samples().get(3);
        assertEquals(300, last.done());
        assertEquals(0, last.openFds());
        assertEquals(0, last.deviceVmas(), "the mapping went with its munmap");
        boolean tree = r.regionInfo().hasTree();
        assertEquals(s.number() >= 3, tree, "a tree from stage 3 on");
        if (tree) {
            assertEquals(3, r.regionInfo().samples().get(0).cookies(), "BAR0, BAR3 and config");
        }
    }

    @Test
    void aTreeThatGrowsWithTheCallsIsNotFlat() {
        Stage real = Stages.all().get(Stages.all().size() - 1);
        Repetition.Result r = Repetition.run(new Leaky(real), Arch.X86_64, SeriesPolicy.DEFAULT,
                NIC, 1_000, 50, 2, () -> 0L, Repetition.DEFAULT_HEAP_TOLERANCE);
        assertTrue(r.regionInfo().heapFlat());
        assertFalse(r.regionInfo().countsFlat(), r.regionInfo().samples().toString());
        assertFalse(r.flat());
    }

    @Test
    void aHeapThatGrowsPastTheToleranceIsNotFlatAndBelowItIs() {
        Stage real = Stages.all().get(0);
        AtomicLong heap = new AtomicLong();
        // Each sample sees 1 MiB more than the one before.
        Repetition.Result r = Repetition.run(real, Arch.X86_64, SeriesPolicy.DEFAULT, NIC, 100, 10,
                4, () -> heap.getAndAdd(1L << 20), 3L << 20);
        assertTrue(r.regionInfo().countsFlat());
        assertEquals(4L << 20, r.regionInfo().heapGrowth());
        assertFalse(r.regionInfo().heapFlat());
        assertEquals((4L << 20) / 100.0, r.regionInfo().heapGrowthPerOp());
        heap.set(0);
        Repetition.Result ok = Repetition.run(real, Arch.X86_64, SeriesPolicy.DEFAULT, NIC, 100, 10,
                4, () -> heap.getAndAdd(1L << 20), 4L << 20);
        assertTrue(ok.regionInfo().heapFlat());
    }

    /** A stage whose files report one more cookie after every ioctl: a leaking tree. */
    private static final class Leaky implements Stage {
        private final Stage real;

        Leaky(Stage real) {
            this.real = real;
        }

        @Override
        public int number() {
            return real.number();
        }

        @Override
        public String module() {
            return real.module();
        }

        @Override
        public String title() {
            return real.title();
        }

        @Override
        public List<String> patchSubjects() {
            return real.patchSubjects();
        }

        @Override
        public String packageRoot() {
            return real.packageRoot();
        }

        @Override
        public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
            return boot(arch, devices, SeriesPolicy.DEFAULT);
        }

        @Override
        public VfioHost boot(Arch arch, List<DeviceSpec> devices, SeriesPolicy policy) {
            VfioHost h = real.boot(arch, devices, policy);
            return new VfioHost() {
                @Override
                public Arch arch() {
                    return h.arch();
                }

                @Override
                public PhysicalMemory physicalMemory() {
                    return h.physicalMemory();
                }

                @Override
                public KernelFile open(String deviceName) {
                    return new Growing(h.open(deviceName));
                }

                @Override
                public List<String> deviceNames() {
                    return new ArrayList<>(h.deviceNames());
                }

                @Override
                public Device device(String name) {
                    return h.device(name);
                }
            };
        }
    }

    private static final class Growing implements KernelFile {
        private final KernelFile f;
        private long ioctls;

        Growing(KernelFile f) {
            this.f = f;
        }

        @Override
        public long read(UserBuffer buf, long count, long pos) {
            return f.read(buf, count, pos);
        }

        @Override
        public long write(UserBuffer buf, long count, long pos) {
            return f.write(buf, count, pos);
        }

        @Override
        public long unlockedIoctl(int cmd, UserBuffer arg) {
            ioctls++;
            return f.unlockedIoctl(cmd, arg);
        }

        @Override
        public int mmap(VmArea vma) {
            return f.mmap(vma);
        }

        @Override
        public void release() {
            f.release();
        }

        @Override
        public AddressSpace mapping() {
            return f.mapping();
        }

        @Override
        public String name() {
            return f.name();
        }

        @Override
        public long mmapCookieCount() {
            return ioctls / 100;
        }
    }
}
