package vfiowb.workbench.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import vfiowb.common.NotModelledException;
import vfiowb.common.conformance.Fmt;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.mm.VmArea;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.OpenFile;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;

/**
 * Runs generated operations against one process on one booted stage and checks, after every
 * operation, what no stage may ever do:
 * <ol>
 * <li>an outcome other than success, an errno, a signal or a named upstream kernel bug the model
 *     reproduces (an exception out of the model, which {@code serve} would call an internal
 *     error);</li>
 * <li>an errno the kernel does not give for that call and driver ({@link KernelErrnos});</li>
 * <li>a mapping that reaches memory outside its region's backing, or another part of it than
 *     its offset names ({@link Backing});</li>
 * <li>after a reset, or a write that clears memory enable, a page-table entry of a BAR mapping
 *     left in place; while memory is disabled on a physical function, a load or store through
 *     one that succeeds;</li>
 * <li>after a file is closed and its mappings are gone, the file not released, or its tree of
 *     mmap cookies (stage 3 on) not empty.</li>
 * </ol>
 * It stops at the first violation. Every system call is recorded as a {@link Step}: a line
 * that names regions by index, never by raw offset, so runs of one seed can be compared across
 * stages, and the statement of a scenario script that replays it with {@code run}.
 */
public final class Fuzzer {
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;
    private static final int FULL_CHECK_EVERY = 64;

    /**
     * One system call as it went.
     *
     * @param op the index of the operation it belongs to (0-based)
     * @param line the call and its outcome, regions by index ({@code mmap BAR0 + 0x0 len=0x1000
     *     PROT_READ MAP_SHARED -> ENXIO})
     * @param comparable whether another stage must give the same line (false where the outcome
     *     depends on where the address space put things)
     * @param script the statement replaying it, with what it got as its expectation
     */
    public static final class Step {
        private final int op;
        private final String line;
        private final boolean comparable;
        private Supplier<String> source;
        private String script;

        public Step(int op, String line, boolean comparable, String script) {
            this(op, line, comparable, () -> script);
        }

        /**
         * A step whose statement is made only when asked for: an ioctl's buffer of up to 64 KiB
         * in hex costs more than the call itself, and only a failing run's replay needs it.
         */
        Step(int op, String line, boolean comparable, Supplier<String> script) {
            this.op = op;
            this.line = line;
            this.comparable = comparable;
            this.source = script;
        }

        public int op() {
            return op;
        }

        public String line() {
            return line;
        }

        public boolean comparable() {
            return comparable;
        }

        public synchronized String script() {
            if (source != null) {
                script = source.get();
                source = null;
            }
            return script;
        }

        @Override
        public String toString() {
            return "Step[op=" + op + ", line=" + line + "]";
        }
    }

    /** The first invariant broken: at operation {@code op}, which one, and how. */
    public record Violation(int op, String invariant, String message, String trace) {}

    /**
     * What a run did; {@code kernelBugs} are the upstream kernel bugs it reached (an outcome,
     * not a failure: the model reproduces them on purpose, docs/kernel-bugs.md).
     */
    public record Run(long seed, String device, int ops, List<Step> steps, Violation violation,
            Map<String, Integer> outcomes, List<KernelBug> kernelBugs) {
        public boolean passed() {
            return violation == null;
        }
    }

    /** A region as the file's REGION_INFO probe reported it. */
    private record Region(long offset, long size, long flags) {}

    private static final class FileSlot {
        int fd = -1;
        OpenFile file;
        boolean pci;
        final Map<Long, Region> regions = new LinkedHashMap<>();
    }

    private static final class MapSlot {
        Mapping m;
        int file;
        long region = -1;
        long inRegion;
        boolean live;
        boolean anonymous;
    }

    private final Process p;
    private final Device hw;
    private final String device;
    private final KernelErrnos errnos;
    private final Arch arch;
    private final List<FileSlot> files = new ArrayList<>();
    private final List<MapSlot> maps = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Integer> outcomes = new LinkedHashMap<>();
    private final java.util.Set<KernelBug> kernelBugs = new java.util.LinkedHashSet<>();
    private int op;
    private Violation violation;
    private long seed;
    private Generator generator;

    private Fuzzer(Process p, String device) {
        this.p = p;
        this.device = device;
        this.hw = p.host().device(device);
        this.arch = p.arch();
        this.errnos = KernelErrnos.forDevice(hw);
    }

    /** Runs {@code ops} operations of {@code seed} on {@code device} in process {@code p}. */
    public static Run run(Process p, String device, long seed, int ops) {
        Fuzzer f = start(p, device, seed);
        while (f.op < ops && f.violation == null) {
            f.step();
        }
        return f.result();
    }

    /** A fuzzer ready to run {@code seed}'s operations, one {@link #step} at a time. */
    public static Fuzzer start(Process p, String device, long seed) {
        return start(p, device, seed, false);
    }

    /**
     * As {@link #start(Process, String, long)}; with {@code ioctlsOnly} every operation after
     * the first open is an ioctl ({@link Generator#Generator(long, boolean, boolean)}).
     */
    public static Fuzzer start(Process p, String device, long seed, boolean ioctlsOnly) {
        Fuzzer f = new Fuzzer(p, device);
        f.seed = seed;
        f.generator = new Generator(seed, f.hw instanceof PciFunction, ioctlsOnly);
        return f;
    }

    /**
     * Runs the next operation and checks the invariants.
     *
     * @return the violation it caused, or null
     */
    public Violation step() {
        if (violation != null) {
            return violation;
        }
        FuzzOp o = generator.next();
        try {
            boolean enabled = memoryEnabled();
            execute(o);
            if (violation == null) {
                check(o);
            }
            if (violation == null && enabled && !memoryEnabled()) {
                checkZapped("a write that cleared PCI_COMMAND's memory bit");
            }
        } catch (RuntimeException e) {
            fail("no outcome but an errno, a signal or a named kernel bug", "internal error: " + e, e);
        }
        op++;
        return violation;
    }

    /** What the operations so far did. */
    public Run result() {
        int done = violation == null ? op : violation.op() + 1;
        return new Run(seed, device, done, List.copyOf(steps), violation, outcomes,
                List.copyOf(kernelBugs));
    }

    // ------------------------------------------------------------------ operations

    private void execute(FuzzOp o) {
        if (o instanceof FuzzOp.Open) {
            open();
        } else if (o instanceof FuzzOp.Close) {
            FileSlot f = files.get(((FuzzOp.Close) o).file());
            call("close", "close f" + ((FuzzOp.Close) o).file(), "close " + f.fd, () -> {
                p.close(f.fd);
                return "ok";
            }, true);
        } else if (o instanceof FuzzOp.Ioctl) {
            ioctl((FuzzOp.Ioctl) o);
        } else if (o instanceof FuzzOp.Reset) {
            FileSlot f = files.get(((FuzzOp.Reset) o).file());
            call("ioctl", "VFIO_DEVICE_RESET", "reset " + f.fd, () -> {
                p.ioctl(f.fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
                return "ok";
            }, true);
        } else if (o instanceof FuzzOp.Pread) {
            rw((FuzzOp.Pread) o);
        } else if (o instanceof FuzzOp.Pwrite) {
            rw((FuzzOp.Pwrite) o);
        } else if (o instanceof FuzzOp.Mmap) {
            mmap((FuzzOp.Mmap) o);
        } else if (o instanceof FuzzOp.Munmap) {
            munmap((FuzzOp.Munmap) o);
        } else if (o instanceof FuzzOp.Access) {
            access((FuzzOp.Access) o);
        } else {
            memory((FuzzOp.Memory) o);
        }
    }

    private void open() {
        FileSlot f = new FileSlot();
        int slot = files.size();
        files.add(f);
        boolean ok = call("open", "open " + device, "open " + device, () -> {
            f.fd = p.open(device);
            f.file = p.file(f.fd);
            return "fd " + f.fd;
        }, true);
        if (!ok) {
            return;
        }
        String v = "f" + slot;
        byte[] info = new byte[VfioDeviceInfo.SIZE];
        LE.putU32(info, 0, VfioDeviceInfo.SIZE);
        long[] regions = {0};
        ok = call("ioctl", "GET_INFO", v + "info = get_info " + f.fd, () -> {
            p.ioctl(f.fd, VfioIoctl.VFIO_DEVICE_GET_INFO, info);
            VfioDeviceInfo d = VfioDeviceInfo.decode(info, 0);
            f.pci = (d.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0;
            regions[0] = d.numRegions();
            return "flags=" + d.flags() + " regions=" + d.numRegions() + " irqs=" + d.numIrqs();
        }, true);
        if (!ok) {
            return;
        }
        for (long i = 0; i < Math.min(regions[0], 32); i++) {
            long index = i;
            call("ioctl", "GET_REGION_INFO " + regionName(f, i) + " probe",
                    v + "r" + i + " = region_info " + f.fd + " " + i + " retry", () -> {
                        byte[] buf = regionInfo(f.fd, index, VfioRegionInfo.SIZE);
                        int retries = 0;
                        long argsz = VfioRegionInfo.SIZE;
                        while (retries < 4) {
                            long want = VfioRegionInfo.decode(buf, 0).argsz();
                            if (want <= argsz) {
                                break;
                            }
                            argsz = want;
                            buf = regionInfo(f.fd, index, argsz);
                            retries++;
                        }
                        VfioRegionInfo r = VfioRegionInfo.decode(buf, 0);
                        f.regions.put(index, new Region(r.offset(), r.size(), r.flags()));
                        return "flags=" + VfioRegionInfo.flagNames(r.flags()) + " size="
                                + Fmt.hex(r.size()) + " cap_offset=" + r.capOffset();
                    }, true);
        }
    }

    /** As {@code run}'s region_info: the struct, or argsz bytes if larger (capped at 1 MiB). */
    private byte[] regionInfo(int fd, long index, long argsz) {
        byte[] buf = new byte[(int) Math.max(VfioRegionInfo.SIZE, Math.min(argsz, 1 << 20))];
        LE.putU32(buf, 0, argsz & 0xffff_ffffL);
        LE.putU32(buf, 8, index & 0xffff_ffffL);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return buf;
    }

    private void ioctl(FuzzOp.Ioctl o) {
        FileSlot f = files.get(o.file());
        String req = "0x" + Integer.toHexString(o.request());
        if (o.arg() == null) {
            call("ioctl", "ioctl " + VfioIoctl.name(o.request()) + " value=" + Fmt.hex(o.value()),
                    "ioctl " + f.fd + " " + req + " value=" + Fmt.hex(o.value()), () -> {
                        long ret = p.ioctl(f.fd, o.request(), o.value());
                        return "ret " + ret;
                    }, true);
            return;
        }
        byte[] arg = o.arg().clone();
        byte[] before = o.arg();
        Supplier<String> script = () -> "ioctl " + f.fd + " " + req + " arg="
                + HexFormat.of().formatHex(before);
        if (o.request() == VfioIoctl.VFIO_DEVICE_GET_REGION_INFO) {
            long argsz = arg.length >= 4 ? LE.getU32(arg, 0) : -1;
            String shownArgsz = argsz < 0 ? "?" : String.valueOf(argsz);
            String index = arg.length >= 12 ? String.valueOf(LE.getU32(arg, 8)) : "?";
            String what = "GET_REGION_INFO region " + index + " argsz=" + shownArgsz
                    + (arg.length == argsz ? "" : " buffer=" + arg.length);
            call("ioctl", what, script, () -> {
                long ret = p.ioctl(f.fd, o.request(), arg);
                VfioRegionInfo r = VfioRegionInfo.decode(arg, 0);
                return ret + ": argsz=" + r.argsz() + " flags=" + VfioRegionInfo.flagNames(r.flags())
                        + " cap_offset=" + r.capOffset() + " size=" + Fmt.hex(r.size());
            }, true);
            return;
        }
        call("ioctl", "ioctl " + VfioIoctl.name(o.request()) + " len=" + arg.length, script, () -> {
            long ret = p.ioctl(f.fd, o.request(), arg);
            return "ret " + ret + " " + Fmt.bytes(arg, arg.length);
        }, true);
    }

    /**
     * A file offset resolved at this stage, with how to show it and how a script writes it. A
     * negative {@code inRegion} lies before the region, where each layout puts something else:
     * such calls are not compared across stages.
     */
    private record Resolved(long offset, String shown, String script, long region, long inRegion,
            long size) {
        /**
         * Inside the region (or a raw offset, which no layout gives a region): what lies before
         * or after a region is each layout's own (the next region, a guard page, the rest of a
         * slot), so a read or write there is not compared across stages.
         */
        boolean inside() {
            return region < 0 || (inRegion >= 0 && inRegion < size);
        }
    }

    private Resolved resolve(FileSlot f, int slot, FuzzOp.Pos pos) {
        if (pos instanceof FuzzOp.Raw) {
            long off = ((FuzzOp.Raw) pos).offset();
            return new Resolved(off, "raw + " + Fmt.hex(off), lit(off), -1, 0, 0);
        }
        FuzzOp.InRegion in = (FuzzOp.InRegion) pos;
        Region r = f.regions.get(in.index());
        if (r == null) {
            return null;
        }
        long inRegion = in.fromEnd() ? r.size() + in.delta() : in.delta();
        String var = "f" + slot + "r" + in.index();
        String expr = in.fromEnd() ? "(" + var + ".offset + " + var + ".size" + signed(in.delta()) + ")"
                : "(" + var + ".offset" + signed(in.delta()) + ")";
        return new Resolved(r.offset() + inRegion, regionName(f, in.index()) + " + "
                + Fmt.hex(inRegion), expr, in.index(), inRegion, r.size());
    }

    private static String signed(long d) {
        return d == 0 ? "" : d > 0 ? " + " + Fmt.hex(d) : " - " + Fmt.hex(-d);
    }

    /** A 64-bit literal as a script writes it. */
    private static String lit(long v) {
        return Fmt.hex(v);
    }

    private void rw(FuzzOp o) {
        boolean write = o instanceof FuzzOp.Pwrite;
        int slot = write ? ((FuzzOp.Pwrite) o).file() : ((FuzzOp.Pread) o).file();
        FuzzOp.Pos pos = write ? ((FuzzOp.Pwrite) o).pos() : ((FuzzOp.Pread) o).pos();
        FileSlot f = files.get(slot);
        Resolved at = resolve(f, slot, pos);
        if (at == null) {
            skip("region " + ((FuzzOp.InRegion) pos).index() + " of f" + slot + " unknown");
            return;
        }
        if (write) {
            FuzzOp.Pwrite w = (FuzzOp.Pwrite) o;
            byte[] buf = new byte[w.width()];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = (byte) (w.value() >>> (8 * i));
            }
            call("pwrite", "pwrite " + at.shown() + " len=" + w.width(), "pwrite " + f.fd + " "
                    + at.script() + " " + w.width() + " " + Fmt.hex(w.value()), () -> {
                        long ret = p.pwrite(f.fd, buf, at.offset());
                        return String.valueOf(ret);
                    }, open(f) && at.inside());
        } else {
            FuzzOp.Pread r = (FuzzOp.Pread) o;
            byte[] buf = new byte[r.count()];
            call("pread", "pread " + at.shown() + " len=" + r.count(), "pread " + f.fd + " "
                    + at.script() + " " + r.count(), () -> {
                        long ret = p.pread(f.fd, buf, at.offset());
                        return ret == 0 ? "0" : ret + " " + Fmt.bytes(buf, (int) ret);
                    }, open(f) && at.inside());
        }
    }

    private void mmap(FuzzOp.Mmap o) {
        MapSlot m = new MapSlot();
        int slot = maps.size();
        maps.add(m);
        FileSlot f = o.file() < 0 ? null : files.get(o.file());
        Resolved at = f == null ? new Resolved(0, Fmt.hex(0), "0", -1, 0, 0)
                : resolve(f, o.file(), o.pos());
        if (at == null) {
            skip("region " + ((FuzzOp.InRegion) o.pos()).index() + " of f" + o.file() + " unknown");
            return;
        }
        long addr;
        String addrScript;
        if (o.addr() instanceof FuzzOp.AtMapping) {
            FuzzOp.AtMapping a = (FuzzOp.AtMapping) o.addr();
            MapSlot base = maps.get(a.map());
            if (base.m == null) {
                skip("mapping m" + a.map() + " was never made");
                return;
            }
            addr = base.m.addr() + a.pages() * arch.pageSize();
            addrScript = a.pages() == 0 ? "m" + a.map() + ".addr"
                    : "(m" + a.map() + ".addr + " + Fmt.hex(a.pages() * arch.pageSize()) + ")";
        } else if (o.addr() instanceof FuzzOp.AtAddress) {
            addr = ((FuzzOp.AtAddress) o.addr()).addr();
            addrScript = lit(addr);
        } else {
            addr = 0;
            addrScript = "0";
        }
        int fd = f == null ? -1 : f.fd;
        String line = "mmap " + (f == null ? "anonymous" : at.shown()) + " len=" + Fmt.hex(o.length())
                + " " + Mman.protToString(o.prot()) + " " + Mman.flagsToString(o.flags());
        String script = "m" + slot + " = mmap " + fd + " " + at.script() + " " + lit(o.length())
                + " (" + Mman.protToString(o.prot()) + ") (" + Mman.flagsToString(o.flags())
                + ") addr=" + addrScript;
        boolean fixed = (o.flags() & Mman.MAP_FIXED) != 0;
        call("mmap", line, script, () -> {
            Mapping mapping = p.mmap(addr, o.length(), o.prot(), o.flags(), fd, at.offset());
            for (MapSlot other : maps) {
                if (other != m && other.live && overlaps(other.m, mapping)) {
                    other.live = false;
                }
            }
            m.m = mapping;
            m.file = o.file();
            m.live = true;
            m.anonymous = mapping.fd() < 0 || (o.flags() & Mman.MAP_ANONYMOUS) != 0;
            m.region = at.region();
            m.inRegion = at.inRegion();
            return "ok";
        }, !fixed && o.addr() instanceof FuzzOp.Anywhere && (f == null || open(f))
                && at.inside() && (at.region() < 0 || Long.compareUnsigned(o.length(),
                        at.size() - at.inRegion()) <= 0) && arch.isPageAligned(at.offset()));
        if (m.m == null) {
            // A failed MAP_FIXED may already have unmapped what was there.
            for (MapSlot other : maps) {
                if (other.live && !other.m.isMapped()) {
                    other.live = false;
                }
            }
        }
    }

    /**
     * Whether the fuzzer left file slot {@code f} open. A call on a closed one fails with EBADF,
     * or earlier with EINVAL where the syscall checks an argument before looking the fd up, and
     * which comes first depends on where the stage placed the region: not compared across
     * stages.
     */
    private boolean open(FileSlot f) {
        if (f.fd < 0 || f.file == null) {
            return false;
        }
        try {
            return p.file(f.fd) == f.file;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static boolean overlaps(Mapping a, Mapping b) {
        return a.addr() < b.end() && b.addr() < a.end();
    }

    private void munmap(FuzzOp.Munmap o) {
        MapSlot m = maps.get(o.map());
        if (m.m == null) {
            skip("mapping m" + o.map() + " was never made");
            return;
        }
        call("munmap", "munmap m" + o.map(), "munmap m" + o.map(), () -> {
            p.munmap(m.m);
            for (MapSlot other : maps) {
                if (other.live && overlaps(other.m, m.m)) {
                    other.live = false;
                }
            }
            return "ok";
        }, m.live);
    }

    private void access(FuzzOp.Access o) {
        MapSlot m = maps.get(o.map());
        if (m.m == null) {
            skip("mapping m" + o.map() + " was never made");
            return;
        }
        if (m.anonymous) {
            skip("m" + o.map() + " is anonymous: its memory is not modelled");
            return;
        }
        boolean inside = m.live && o.offset() >= 0 && o.offset() + o.width() <= m.m.length();
        String what = (o.store() ? "store" : "load") + " m" + o.map() + " + " + Fmt.hex(o.offset())
                + " w" + o.width();
        String script = o.store() ? "store m" + o.map() + " " + lit(o.offset()) + " " + o.width() + " "
                + Fmt.hex(o.value()) : "load m" + o.map() + " " + lit(o.offset()) + " " + o.width();
        boolean disabled = memoryDisabledPhysical();
        boolean[] succeeded = {false};
        call(o.store() ? "store" : "load", what, script, () -> {
            String r;
            if (o.store()) {
                m.m.store(o.offset(), o.width(), o.value());
                r = "ok";
            } else {
                r = Fmt.hex(m.m.load(o.offset(), o.width()));
            }
            succeeded[0] = true;
            return r;
        }, inside);
        if (violation == null && succeeded[0] && inside && disabled && isBar(m)) {
            fail("no stale mapping reaches the device while memory is disabled",
                    what + " succeeded through a BAR mapping while PCI_COMMAND's memory bit is "
                            + "clear on a physical function", null);
        }
        if (violation == null && m.live) {
            checkWindow(o.map(), m);
        }
    }

    private void memory(FuzzOp.Memory o) {
        FileSlot f = files.get(o.file());
        boolean ok = call("memory", "memory " + (o.enable() ? "enable" : "disable"),
                "memory " + f.fd + " " + (o.enable() ? "enable" : "disable"), () -> {
                    byte[] ri = regionInfo(f.fd, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX,
                            VfioRegionInfo.SIZE);
                    long cfg = VfioRegionInfo.decode(ri, 0).offset();
                    byte[] cmd = new byte[2];
                    p.pread(f.fd, cmd, cfg + PCI_COMMAND);
                    int before = LE.getU16(cmd, 0);
                    int after = o.enable() ? before | PCI_COMMAND_MEMORY : before & ~PCI_COMMAND_MEMORY;
                    LE.putU16(cmd, 0, after);
                    p.pwrite(f.fd, cmd, cfg + PCI_COMMAND);
                    return "ok";
                }, true);
        if (ok && !o.enable() && violation == null) {
            checkZapped("memory disable");
        }
    }

    // ------------------------------------------------------------------ outcomes

    private interface Body {
        String run();
    }

    /**
     * Runs one system call, records its step and counts its outcome; an errno the kernel does
     * not give for {@code call} is a violation, and so is any exception but an errno, a signal
     * or a documented limit of the model.
     *
     * @return whether it succeeded
     */
    private boolean call(String call, String what, String script, Body body, boolean comparable) {
        return call(call, what, () -> script, body, comparable);
    }

    /** As {@link #call(String, String, String, Body, boolean)}, the statement made when needed. */
    private boolean call(String call, String what, Supplier<String> script, Body body,
            boolean comparable) {
        String outcome;
        String expect;
        boolean ok = false;
        try {
            outcome = body.run();
            expect = "ok";
            ok = true;
            if (call.equals("load")) {
                expect = outcome;
            }
        } catch (ErrnoException e) {
            outcome = e.errnoName();
            expect = e.errnoName();
            if (e.kernelBug().isPresent()) {
                KernelBug b = e.kernelBug().get();
                outcome += " kernel bug in " + b.function();
                expect = "KERNEL_BUG " + b.function();
                count(call + " kernel bug " + b.functionName());
                kernelBugs.add(b);
            } else {
                count(call + " " + e.errnoName());
            }
            if (e.kernelBug().isEmpty() && !errnos.allowed(call, e.errno(), hasTree())) {
                String failedExpect = expect;
                steps.add(new Step(op, what + " -> " + outcome, comparable,
                        () -> scriptLine(untargeted(script.get()), failedExpect)));
                fail("every errno is one the kernel gives for that call and driver", call + " gave "
                        + e.errnoName() + ", which " + errnos.describe(call) + " never returns", null);
                return false;
            }
        } catch (SigbusException e) {
            outcome = "SIGBUS";
            expect = outcome;
            count(call + " SIGBUS");
        } catch (SegvException e) {
            outcome = "SIGSEGV";
            expect = outcome;
            if (e.kernelBug().isPresent()) {
                KernelBug b = e.kernelBug().get();
                outcome += " kernel bug in " + b.function();
                expect = "KERNEL_BUG " + b.function();
                count(call + " kernel bug " + b.functionName());
                kernelBugs.add(b);
            } else {
                count(call + " SIGSEGV");
            }
        } catch (NotModelledException e) {
            outcome = "not modelled";
            expect = null;
            count(call + " not modelled");
        } catch (RuntimeException e) {
            // Out of the model: the statement goes in the script as it is, so run meets it too.
            steps.add(new Step(op, what + " -> " + e, comparable, script));

            throw e;
        }
        if (ok) {
            count(call + " ok");
        }
        boolean succeeded = ok;
        String exp = expect;
        steps.add(new Step(op, what + " -> " + outcome, comparable,
                () -> scriptLine(succeeded ? script.get() : untargeted(script.get()), exp)));
        return ok;
    }

    /** A statement without its {@code NAME =}: a failed call assigns nothing. */
    private static String untargeted(String script) {
        int eq = script.indexOf(" = ");
        return eq > 0 && eq < script.indexOf(' ') + 1 ? script.substring(eq + 3) : script;
    }

    private static String scriptLine(String script, String expect) {
        if (expect == null) {
            return "# not modelled: " + script;
        }
        return script + " expect " + expect;
    }

    private void skip(String why) {
        count("skipped");
        steps.add(new Step(op, "skip: " + why, true, "# skipped: " + why));
    }

    private void count(String key) {
        outcomes.merge(key, 1, Integer::sum);
    }

    private void fail(String invariant, String message, Throwable t) {
        String trace = null;
        if (t != null) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            trace = w.toString();
        }
        violation = new Violation(op, invariant, message, trace);
    }

    // ------------------------------------------------------------------ invariants

    private void check(FuzzOp o) {
        if (o instanceof FuzzOp.Close || o instanceof FuzzOp.Munmap || o instanceof FuzzOp.Mmap) {
            checkReleased();
        }
        if (violation == null && o instanceof FuzzOp.Mmap) {
            int slot = maps.size() - 1;
            if (maps.get(slot).live) {
                checkWindow(slot, maps.get(slot));
            }
        }
        if (violation == null && o instanceof FuzzOp.Reset && lastStepSucceeded()) {
            checkZapped("reset");
        }
        if (violation == null && (op % FULL_CHECK_EVERY == FULL_CHECK_EVERY - 1)) {
            for (int i = 0; i < maps.size() && violation == null; i++) {
                if (maps.get(i).live) {
                    checkWindow(i, maps.get(i));
                }
            }
        }
    }

    private boolean lastStepSucceeded() {
        return !steps.isEmpty() && steps.get(steps.size() - 1).line().endsWith("-> ok");
    }

    /** After close and munmap: a closed file with no mapping left is released, its tree empty. */
    private void checkReleased() {
        for (int i = 0; i < files.size() && violation == null; i++) {
            FileSlot f = files.get(i);
            if (f.file == null || stillOpen(f) || mapped(f)) {
                continue;
            }
            KernelFile kf = f.file.kernelFile();
            if (!f.file.isReleased()) {
                fail("after close, once its mappings are gone, nothing of the file is reachable",
                        "f" + i + " is closed and unmapped but not released (f_count "
                                + f.file.fileCount() + ")", null);
            } else if (kf.mmapCookieCount() > 0) {
                fail("after close, once its mappings are gone, the file's tree is empty",
                        "f" + i + " was released with " + kf.mmapCookieCount()
                                + " mmap cookies in its tree", null);
            }
        }
    }

    /** Whether another descriptor still refers to the file (a later open reused nothing). */
    private boolean stillOpen(FileSlot f) {
        for (int fd : p.openFds()) {
            if (p.file(fd) == f.file) {
                return true;
            }
        }
        return false;
    }

    private boolean mapped(FileSlot f) {
        for (VmArea v : p.mm().vmas()) {
            if (v.vmFile() == f.file.kernelFile()) {
                return true;
            }
        }
        return false;
    }

    private boolean hasTree() {
        for (FileSlot f : files) {
            if (f.file != null && f.file.kernelFile().mmapCookieCount() >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every page-table entry in mapping {@code slot}'s range lies in its region's backing, at
     * the offset the mapping names where the backing is linear.
     */
    private void checkWindow(int slot, MapSlot m) {
        if (m.anonymous || m.region < 0) {
            return;
        }
        FileSlot f = files.get(m.file);
        Region r = f.regions.get(m.region);
        if (r == null) {
            return;
        }
        Backing.Window w = Backing.of(hw, (int) m.region, r.size(), arch);
        if (w == null) {
            return;
        }
        long page = arch.pageSize();
        VmArea vma = m.m.vma();
        boolean cow = vma != null && vma.isCowMapping();
        for (PageTable.Entry e : p.mm().pageTable().entries(m.m.addr(), m.m.end())) {
            if (cow && !e.special()) {
                // A private mapping's page after a write fault: the process's own copy in RAM
                // (wp_page_copy), no longer the device's memory.
                continue;
            }
            long lo = Math.max(e.va(), m.m.addr());
            long hi = Math.min(e.end(), m.m.end());
            long physLo = (e.pfn() << arch.pageShift()) + (lo - e.va());
            long physHi = physLo + (hi - lo);
            if (physLo < w.start() || physHi > w.end()) {
                fail("no mapping reaches memory outside its own region's backing", String.format(
                        "m%d (%s region %d + 0x%x) has 0x%x-0x%x mapped to physical 0x%x-0x%x, "
                                + "outside %s 0x%x-0x%x", slot, device, m.region, m.inRegion, lo, hi,
                        physLo, physHi, w.what(), w.start(), w.end()), null);
                return;
            }
            if (w.linear()) {
                long want = (w.start() & -page) + m.inRegion + (lo - m.m.addr());
                if (physLo != want) {
                    fail("no mapping reaches memory outside its own region's backing", String.format(
                            "m%d (%s region %d + 0x%x) maps 0x%x to physical 0x%x, not 0x%x",
                            slot, device, m.region, m.inRegion, lo, physLo, want), null);
                    return;
                }
            }
        }
    }

    /** After a reset or memory disable: no BAR mapping of the device keeps an entry. */
    private void checkZapped(String after) {
        if (!(hw instanceof PciFunction)) {
            return;
        }
        for (int i = 0; i < maps.size(); i++) {
            MapSlot m = maps.get(i);
            if (!m.live || !isBar(m)) {
                continue;
            }
            Map<PageTable.Level, Long> e = m.m.pageTableEntries();
            long n = e.values().stream().mapToLong(Long::longValue).sum();
            if (n != 0) {
                fail("after reset or memory disable no stale mapping reads or writes the device",
                        "after " + after + ", m" + i + " (region " + m.region + ") still has " + n
                                + " page-table entries", null);
                return;
            }
        }
    }

    private boolean isBar(MapSlot m) {
        return !m.anonymous && m.region >= 0 && m.region < VfioIndex.VFIO_PCI_ROM_REGION_INDEX
                && files.get(m.file).pci && hw instanceof PciFunction;
    }

    private boolean memoryEnabled() {
        return !(hw instanceof PciFunction) || ((PciFunction) hw).memoryEnabled();
    }

    private boolean memoryDisabledPhysical() {
        return hw instanceof PciFunction && !((PciFunction) hw).memoryEnabled()
                && !((PciFunction) hw).isVirtfn();
    }

    private String regionName(FileSlot f, long index) {
        return f.pci ? VfioIndex.pciRegionName(index).replace(' ', '_') : "region_" + index;
    }

    /** The errno's name, for messages. */
    static String errno(int e) {
        return Errno.name(e);
    }
}
