package vfiowb.workbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.PhysicalMemory;
import vfiowb.common.mm.VmArea;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * Test stages added to what ServiceLoader finds, through the thread's context class loader
 * (which {@link Stages#all()} uses): a "next" stage after the last real one that behaves like it
 * except that it refuses to mmap anything but BAR0 (ENXIO), and a stage whose package root is
 * the common test-jar's rule fixture full of violations.
 */
final class ExtraStages implements AutoCloseable {
    /** The stage after the last real one: like it, but mmap of any offset but 0..BAR0 fails. */
    public static final class NextStage implements Stage {
        static volatile Stage base;
        /** Throw a model bug instead of refusing with ENXIO. */
        static volatile boolean buggy;
        /** Run into a (test) kernel bug instead of refusing with ENXIO. */
        static volatile boolean kernelBug;

        @Override
        public int number() {
            return base.number() + 1;
        }

        @Override
        public String module() {
            return "test-next-stage";
        }

        @Override
        public String title() {
            return "Test: the last stage, refusing mmap beyond BAR0";
        }

        @Override
        public List<String> patchSubjects() {
            return List.of("test: refuse mmap beyond BAR0");
        }

        @Override
        public String packageRoot() {
            return base.packageRoot();
        }

        @Override
        public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
            VfioHost h = base.boot(arch, devices);
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
                    return new Refusing(h.open(deviceName), arch);
                }

                @Override
                public List<String> deviceNames() {
                    return h.deviceNames();
                }

                @Override
                public Device device(String name) {
                    return h.device(name);
                }
            };
        }
    }

    /**
     * The stage after the last real one, whose device files carry a maple tree as stage 3's
     * will: a public method returning a type named like one. The "tree" lists the file offsets
     * mapped through the file.
     */
    public static final class MapleStage implements Stage {
        @Override
        public int number() {
            return NextStage.base.number() + 1;
        }

        @Override
        public String module() {
            return "test-maple-stage";
        }

        @Override
        public String title() {
            return "Test: device files with a maple tree";
        }

        @Override
        public List<String> patchSubjects() {
            return List.of();
        }

        @Override
        public String packageRoot() {
            return NextStage.base.packageRoot();
        }

        @Override
        public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
            VfioHost h = NextStage.base.boot(arch, devices);
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
                    return new TreeFile(h.open(deviceName));
                }

                @Override
                public List<String> deviceNames() {
                    return h.deviceNames();
                }

                @Override
                public Device device(String name) {
                    return h.device(name);
                }
            };
        }
    }

    /** What {@link MapleStage}'s files hold: the page offsets mapped, in order. */
    public static final class TestMapleTree {
        private final List<Long> pgoffs = new java.util.ArrayList<>();

        @Override
        public String toString() {
            return "maple" + pgoffs;
        }
    }

    /** A device file with a tree, which it renders through {@link KernelFile#mmapTreeDump()}. */
    public static final class TreeFile implements KernelFile {
        private final KernelFile f;
        private final TestMapleTree tree = new TestMapleTree();

        TreeFile(KernelFile f) {
            this.f = f;
        }

        public TestMapleTree mapleTree() {
            return tree;
        }

        @Override
        public String mmapTreeDump() {
            return tree.toString();
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
            return f.unlockedIoctl(cmd, arg);
        }

        @Override
        public int mmap(VmArea vma) {
            int ret = f.mmap(vma);
            if (ret == 0) {
                tree.pgoffs.add(vma.vmPgoff());
            }
            return ret;
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
    }

    /**
     * A stage whose "classes" are common's: they keep the stage-1 rules (no core, pci or driver
     * packages) and break the stage-2 rule, since the uAPI codecs decode vfio_region_info
     * outside any core package.
     */
    public static final class BadStage implements Stage {
        @Override
        public int number() {
            return 40;
        }

        @Override
        public String module() {
            return "test-bad-stage";
        }

        @Override
        public String title() {
            return "Test: classes that break the rules";
        }

        @Override
        public List<String> patchSubjects() {
            return List.of();
        }

        @Override
        public String packageRoot() {
            return "vfiowb.common";
        }

        @Override
        public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
            throw new IllegalArgumentException("the bad stage models no driver");
        }
    }

    private record Refusing(KernelFile f, Arch arch) implements KernelFile {
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
            return f.unlockedIoctl(cmd, arg);
        }

        @Override
        public int mmap(VmArea vma) {
            if (vma.vmPgoff() < (1L << (40 - arch.pageShift()))) {
                return f.mmap(vma);
            }
            if (NextStage.buggy) {
                throw new IllegalStateException("test driver bug");
            }
            if (NextStage.kernelBug) {
                throw new KernelBugException("drivers/vfio/pci/test.c:test_mmap",
                        KernelBug.Kind.NULL_DEREFERENCE, "test: no region past BAR0");
            }
            return -Errno.ENXIO;
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
    }

    private final ClassLoader saved;
    private final Path dir;

    private ExtraStages(ClassLoader saved, Path dir) {
        this.saved = saved;
        this.dir = dir;
    }

    /** Adds the given stage classes until {@link #close()}. */
    @SafeVarargs
    static ExtraStages with(Class<? extends Stage>... stages) {
        List<Stage> real = Stages.all();
        NextStage.base = real.get(real.size() - 1);
        try {
            Path dir = Files.createTempDirectory("stages");
            Path svc = dir.resolve("META-INF/services/" + Stage.class.getName());
            Files.createDirectories(svc.getParent());
            StringBuilder sb = new StringBuilder();
            for (Class<? extends Stage> c : stages) {
                sb.append(c.getName()).append('\n');
            }
            Files.writeString(svc, sb, StandardCharsets.UTF_8);
            Thread t = Thread.currentThread();
            ClassLoader saved = t.getContextClassLoader();
            t.setContextClassLoader(new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    ExtraStages.class.getClassLoader()));
            return new ExtraStages(saved, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last real stage's number. */
    static int last() {
        List<Stage> real = Stages.all();
        return real.get(real.size() - 1).number();
    }

    @Override
    public void close() {
        NextStage.buggy = false;
        NextStage.kernelBug = false;
        Thread.currentThread().setContextClassLoader(saved);
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
