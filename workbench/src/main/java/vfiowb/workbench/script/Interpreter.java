package vfiowb.workbench.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.WcUapi;
import vfiowb.common.conformance.clients.WcMapper;
import vfiowb.common.conformance.clients.WcProbe;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.workbench.IoctlView;
import vfiowb.workbench.KernelBugs;
import vfiowb.workbench.io.InputLimits;
import vfiowb.workbench.json.Json;

/**
 * Runs a {@link Script} in one process, one JSON object per statement. Stops at the first
 * statement whose expectation fails (a call that fails without an {@code expect} saying so counts
 * as one), or that the kernel's replies make impossible to carry out (a capability or list
 * entry the reply does not have, a count computed out of range): its transcript object says
 * {@code "error"}. Everything else the script could get wrong was refused by {@link Script#parse}
 * before anything ran. A call that runs into an upstream kernel bug shows its errno or signal
 * plus {@code "kernel_bug"}; only {@code expect KERNEL_BUG} accepts it, and any other
 * expectation stops the script there as a kernel bug rather than a failed check.
 */
public final class Interpreter {
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_COMMAND_MEMORY = 0x2;

    /** A variable: the call's result object and its scalar value (null when it has none). */
    private record Value(Object result, Long scalar, String op) {}

    /**
     * How the run ended: every statement passed, or it stopped at {@code line} with
     * {@code message}, because an expectation failed, ({@code unrunnable}) because the replies
     * left the statement nothing to work on, or because of a kernel bug
     * ({@code stoppedByKernelBug}). {@code kernelBugs} are the kernel bugs reached, by line, in
     * order (expected ones included).
     */
    public record Outcome(boolean passed, int line, String message, boolean unrunnable,
            boolean stoppedByKernelBug, List<Map.Entry<Integer, KernelBug>> kernelBugs) {}

    /** A statement the kernel's replies make impossible to carry out; not a script mistake. */
    private static final class Unrunnable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unrunnable(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Map.Entry<Integer, KernelBug>> kernelBugs = new ArrayList<>();
    private boolean stoppedByKernelBug;

    private final Process p;
    private final Arch arch;
    private final String defaultDevice;
    private final int stage;
    private final String variant;
    private final Map<String, Value> vars = new HashMap<>();
    private final Map<Long, Mapping> maps = new HashMap<>();

    /**
     * @param defaultDevice what {@code open} without a name opens (null: none given)
     * @param stage the stage number, written into every transcript object
     */
    public Interpreter(Process p, String defaultDevice, int stage) {
        this(p, defaultDevice, stage, null);
    }

    /**
     * As {@link #Interpreter(Process, String, int)} for a variant of stage {@code stage}, whose
     * name every transcript object carries as {@code variant}.
     */
    public Interpreter(Process p, String defaultDevice, int stage, String variant) {
        this.p = p;
        this.arch = p.arch();
        this.defaultDevice = defaultDevice;
        this.stage = stage;
        this.variant = variant;
    }

    /** The names expressions may use besides variables. */
    public static java.util.Set<String> constants() {
        return Constants.names();
    }

    /**
     * Runs {@code script}, handing each statement's transcript object to {@code sink}.
     *
     * @throws ScriptError when the script needs another arch, or asks for something the
     *     model does not cover (docs/scenarios.md lists the limits)
     */
    public Outcome run(Script script, Consumer<Json.Obj> sink) {
        for (Script.Stmt s : script.statements()) {
            if (s instanceof Script.RequireArch && ((Script.RequireArch) s).arch() != arch) {
                throw new ScriptError(s.line(), "the script needs --arch "
                        + ((Script.RequireArch) s).arch().cliName() + " (running " + arch.cliName() + ")");
            }
        }
        for (Script.Stmt s : script.statements()) {
            Json.Obj o = Json.obj().put("line", s.line()).put("stage", stage);
            if (variant != null) {
                o.put("variant", variant);
            }
            String failure;
            boolean unrunnable = false;
            if (s instanceof Script.RequireArch) {
                continue;
            }
            try {
                failure = s instanceof Script.Expect ? expect((Script.Expect) s, o)
                        : call((Script.Call) s, o);
            } catch (Unrunnable e) {
                failure = e.getMessage();
                unrunnable = true;
                o.put("error", failure);
            }
            o.put("pass", failure == null);
            sink.accept(o);
            if (failure != null) {
                return new Outcome(false, s.line(), failure, unrunnable, stoppedByKernelBug,
                        List.copyOf(kernelBugs));
            }
        }
        return new Outcome(true, 0, null, false, false, List.copyOf(kernelBugs));
    }

    private String expect(Script.Expect e, Json.Obj o) {
        o.put("call", "expect");
        if (e.left() instanceof Expr.Str || e.right() instanceof Expr.Str) {
            return expectText(e, o);
        }
        long l = eval(e.left(), e.line());
        if (e.cmp() == null) {
            o.put("args", Json.obj().put("expr", Expr.show(e.left())))
                    .put("result", Json.obj().put("value", Json.hex(l)));
            return l != 0 ? null : "expected " + Expr.show(e.left()) + " to be non-zero";
        }
        long r = eval(e.right(), e.line());
        o.put("args", Json.obj().put("expr", Expr.show(e.left()) + " " + e.cmp() + " "
                + Expr.show(e.right())))
                .put("result", Json.obj().put("left", Json.hex(l)).put("right", Json.hex(r)));
        int c = Long.compareUnsigned(l, r);
        boolean ok;
        switch (e.cmp()) {
            case "==":
                ok = l == r;
                break;
            case "!=":
                ok = l != r;
                break;
            case "<":
                ok = c < 0;
                break;
            case "<=":
                ok = c <= 0;
                break;
            case ">":
                ok = c > 0;
                break;
            default:
                ok = c >= 0;
        }
        return ok ? null : "expected " + Expr.show(e.left()) + " " + e.cmp() + " "
                + Expr.show(e.right()) + ", got " + Json.hex(l) + " and " + Json.hex(r);
    }

    /** {@code expect field == "TEXT"}: compares the field's text. */
    private String expectText(Script.Expect e, Json.Obj o) {
        String l = text(e.left(), e.line());
        String r = text(e.right(), e.line());
        o.put("args", Json.obj().put("expr", Expr.show(e.left()) + " " + e.cmp() + " "
                + Expr.show(e.right()))).put("result", Json.obj().put("left", l).put("right", r));
        boolean ok = l.equals(r) == e.cmp().equals("==");
        return ok ? null : "expected " + Expr.show(e.left()) + " " + e.cmp() + " "
                + Expr.show(e.right()) + ", got \"" + l + "\" and \"" + r + "\"";
    }

    private String text(Expr e, int line) {
        if (e instanceof Expr.Str) {
            return ((Expr.Str) e).value();
        }
        if (e instanceof Expr.Name && !((Expr.Name) e).path().isEmpty()
                && vars.containsKey(((Expr.Name) e).name())) {
            Expr.Name n = (Expr.Name) e;
            return String.valueOf(walk(vars.get(n.name()).result(), n, line));
        }
        return Json.hex(eval(e, line));
    }

    private String call(Script.Call c, Json.Obj o) {
        o.put("call", c.op());
        Json.Obj args = Json.obj();
        o.put("args", args);
        Object result = null;
        Long scalar = null;
        RuntimeException failure = null;
        try {
            Object[] r = perform(c, args);
            result = r[0];
            scalar = (Long) r[1];
        } catch (ErrnoException | SigbusException | SegvException e) {
            failure = e;
        } catch (NotModelledException e) {
            throw new ScriptError(c.line(), "not modelled: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Unrunnable(e.getMessage());
        }
        if (failure == null) {
            o.put("result", result);
            if (c.target() != null) {
                vars.put(c.target(), new Value(result, scalar, c.op()));
            }
        } else if (failure instanceof ErrnoException) {
            ErrnoException e = (ErrnoException) failure;
            o.put("errno", e.errno()).put("name", e.errnoName());
        } else {
            o.put("signal", failure instanceof SigbusException ? "SIGBUS" : "SIGSEGV");
        }
        KernelBug bug = KernelBugs.of(failure).orElse(null);
        if (bug != null) {
            o.put("kernel_bug", KernelBugs.json(bug));
            kernelBugs.add(Map.entry(c.line(), bug));
        }
        Script.Expectation x = c.expect();
        if (x != null) {
            o.put("expect", x.show());
        }
        String got = failure == null ? "success" : failure instanceof ErrnoException
                ? ((ErrnoException) failure).errnoName()
                : failure instanceof SigbusException ? "SIGBUS" : "SIGSEGV";
        if (x != null && x.kind().equals("kernel_bug")) {
            if (bug == null) {
                return "expected a kernel bug, got " + got;
            }
            String fn = x.function();
            return fn == null || fn.equals(bug.function()) || fn.equals(bug.functionName()) ? null
                    : "expected a kernel bug in " + fn + ", got one in " + bug.function();
        }
        if (bug != null) {
            stoppedByKernelBug = true;
            return c.op() + " hit a " + KernelBugs.line(bug) + " (" + got + "; "
                    + (x == null ? "no expect on this line" : "expected " + x.show()) + ")";
        }
        if (x == null || x.kind().equals("ok")) {
            return failure == null ? null : c.op() + " failed with " + got
                    + (x == null ? " (no expect on this line)" : ", expected success");
        }
        switch (x.kind()) {
            case "errno":
                return failure instanceof ErrnoException && ((ErrnoException) failure).errno() == x.errno()
                        ? null : "expected " + x.show() + ", got " + got;
            case "signal":
                return got.equals(x.signal()) ? null : "expected " + x.signal() + ", got " + got;
            default:
                if (failure != null) {
                    return "expected " + x.show() + ", got " + got;
                }
                long want = eval(x.value(), c.line());
                return want == scalar ? null : "expected " + Json.hex(want) + ", got " + Json.hex(scalar);
        }
    }

    /** Runs the call; returns {result object, scalar value or null}. */
    private Object[] perform(Script.Call c, Json.Obj args) {
        int line = c.line();
        List<Expr> a = c.args();
        switch (c.op()) {
            case "open": {
                String dev = c.words().get(0) != null ? c.words().get(0) : defaultDevice;
                if (dev == null) {
                    throw new ScriptError(line, "open without a device name needs --device or --sysfs");
                }
                args.put("device", dev);
                int fd = p.open(dev);
                return new Object[] {Json.obj().put("fd", fd), (long) fd};
            }
            case "close": {
                int fd = fd(a.get(0), line);
                args.put("fd", fd);
                p.close(fd);
                return new Object[] {Json.obj(), 0L};
            }
            case "get_info": {
                int fd = fd(a.get(0), line);
                long argsz = c.named().containsKey("argsz") ? eval(c.named().get("argsz"), line)
                        : VfioDeviceInfo.SIZE;
                args.put("fd", fd).put("argsz", argsz);
                byte[] buf = buffer(argsz, VfioDeviceInfo.SIZE);
                LE.putU32(buf, 0, argsz & 0xffff_ffffL);
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, buf);
                return new Object[] {IoctlView.fields(VfioIoctl.VFIO_DEVICE_GET_INFO, buf, true), null};
            }
            case "region_info": {
                int fd = fd(a.get(0), line);
                long index = eval(a.get(1), line);
                long argsz = c.named().containsKey("argsz") ? eval(c.named().get("argsz"), line)
                        : VfioRegionInfo.SIZE;
                boolean retry = c.flags().contains("retry");
                args.put("fd", fd).put("index", index).put("argsz", argsz).put("retry", retry);
                byte[] buf = regionInfo(fd, index, argsz);
                int retries = 0;
                while (retry && retries < 4) {
                    long want = VfioRegionInfo.decode(buf, 0).argsz();
                    if (want <= argsz) {
                        break;
                    }
                    argsz = want;
                    buf = regionInfo(fd, index, argsz);
                    retries++;
                }
                Json.Obj r = IoctlView.regionInfo(buf);
                if (retry) {
                    r.put("retries", retries);
                }
                return new Object[] {r, null};
            }
            case "irq_info": {
                int fd = fd(a.get(0), line);
                long index = eval(a.get(1), line);
                long argsz = c.named().containsKey("argsz") ? eval(c.named().get("argsz"), line)
                        : VfioIrqInfo.SIZE;
                args.put("fd", fd).put("index", index).put("argsz", argsz);
                byte[] buf = buffer(argsz, VfioIrqInfo.SIZE);
                LE.putU32(buf, 0, argsz & 0xffff_ffffL);
                LE.putU32(buf, 8, index & 0xffff_ffffL);
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, buf);
                return new Object[] {IoctlView.fields(VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, buf, true), null};
            }
            case "ioctl": {
                int fd = fd(a.get(0), line);
                int req = (int) eval(a.get(1), line);
                args.put("fd", fd).put("request", VfioIoctl.name(req)).put("requestNumber", req);
                long ret;
                Json.Obj r = Json.obj();
                if (c.namedWords().containsKey("arg")) {
                    byte[] buf = HexFormat.of().parseHex(c.namedWords().get("arg"));
                    args.put("arg", HexFormat.of().formatHex(buf));
                    ret = p.ioctl(fd, req, buf);
                    r.put("ret", ret).put("arg", HexFormat.of().formatHex(buf));
                } else {
                    long v = c.named().containsKey("value") ? eval(c.named().get("value"), line) : 0;
                    args.put("value", Json.hex(v));
                    ret = p.ioctl(fd, req, v);
                    r.put("ret", ret);
                }
                return new Object[] {r, ret};
            }
            case "reset": {
                int fd = fd(a.get(0), line);
                args.put("fd", fd);
                long ret = p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L);
                return new Object[] {Json.obj().put("ret", ret), ret};
            }
            case "pread": {
                int fd = fd(a.get(0), line);
                long off = eval(a.get(1), line);
                int count = (int) range(eval(a.get(2), line), 0, InputLimits.MAX_BUFFER_BYTES, "count", line);
                args.put("fd", fd).put("offset", Json.hex(off)).put("count", count);
                byte[] buf = new byte[count];
                long ret = p.pread(fd, buf, off);
                long value = le(buf, (int) Math.min(ret, 8));
                return new Object[] {Json.obj().put("ret", ret)
                        .put("data", HexFormat.of().formatHex(buf, 0, (int) ret))
                        .put("value", Json.hex(value)), value};
            }
            case "pwrite": {
                int fd = fd(a.get(0), line);
                long off = eval(a.get(1), line);
                int width = (int) range(eval(a.get(2), line), 0, 8, "width", line);
                long v = eval(a.get(3), line);
                byte[] buf = new byte[width];
                for (int i = 0; i < width; i++) {
                    buf[i] = (byte) (v >>> (8 * i));
                }
                args.put("fd", fd).put("offset", Json.hex(off)).put("width", width)
                        .put("value", Json.hex(v));
                long ret = p.pwrite(fd, buf, off);
                return new Object[] {Json.obj().put("ret", ret), ret};
            }
            case "mmap": {
                int fd = fd(a.get(0), line);
                long off = eval(a.get(1), line);
                long len = eval(a.get(2), line);
                int prot = (int) eval(a.get(3), line);
                int flags = (int) eval(a.get(4), line);
                long addr = c.named().containsKey("addr") ? eval(c.named().get("addr"), line) : 0;
                args.put("fd", fd).put("offset", Json.hex(off)).put("length", Json.hex(len))
                        .put("prot", Mman.protToString(prot)).put("flags", Mman.flagsToString(flags))
                        .put("addr", Json.hex(addr));
                Mapping m = p.mmap(addr, len, prot, flags, fd, off);
                long id = maps.size() + 1;
                maps.put(id, m);
                return new Object[] {mapState(id, m).put("addr", Json.hex(m.addr()))
                        .put("length", Json.hex(m.length())), id};
            }
            case "munmap": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                args.put("map", id);
                p.munmap(m);
                return new Object[] {Json.obj(), 0L};
            }
            case "load": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                long off = eval(a.get(1), line);
                int width = (int) eval(a.get(2), line);
                args.put("map", id).put("offset", Json.hex(off)).put("width", width);
                long v = m.load(off, width);
                return new Object[] {Json.obj().put("value", Json.hex(v)), v};
            }
            case "store": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                long off = eval(a.get(1), line);
                int width = (int) eval(a.get(2), line);
                long v = eval(a.get(3), line);
                args.put("map", id).put("offset", Json.hex(off)).put("width", width)
                        .put("value", Json.hex(v));
                m.store(off, width, v);
                return new Object[] {Json.obj(), 0L};
            }
            case "pagetable": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                args.put("map", id);
                Json.Obj r = mapState(id, m);
                Map<PageTable.Level, Long> e = m.pageTableEntries();
                long total = e.values().stream().mapToLong(Long::longValue).sum();
                return new Object[] {r, total};
            }
            case "touch": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                args.put("map", id);
                long faults = m.touchAll();
                PageTable pt = p.mm().pageTable();
                long tables = pt.pteTableCount() + pt.pmdTableCount() + pt.pudTableCount();
                Json.Obj r = mapState(id, m).put("faults", faults)
                        .put("tableKib", tables * (p.arch().pageSize() >> 10));
                return new Object[] {r, faults};
            }
            case "wc_map": {
                int fd = fd(a.get(0), line);
                long bar = eval(a.get(1), line);
                long off = eval(a.get(2), line);
                long len = eval(a.get(3), line);
                args.put("fd", fd).put("bar", bar).put("offset", Json.hex(off)).put("length", Json.hex(len));
                WcUapi uapi = variant == null ? null : WcUapi.byVariant(variant);
                if (uapi == null) {
                    throw new Unrunnable("wc_map needs a write-combining variant (--stage wc-cookie, "
                            + "wc-alias or wc-dmabuf); stage " + stage + " has no WC uAPI");
                }
                range(bar, 0, 5, "BAR", line);
                WcMapper.Result r = WcMapper.of(uapi).mapWc(p, fd, (int) bar, off, len);
                long id = maps.size() + 1;
                maps.put(id, r.mapping());
                return new Object[] {mapState(id, r.mapping()).put("addr", Json.hex(r.mapping().addr()))
                        .put("length", Json.hex(r.mapping().length())).put("fd", r.fd())
                        .put("offset", Json.hex(r.fileOffset())).put("steps", r.steps())
                        .put("via", r.region()), id};
            }
            case "probe": {
                long id = eval(a.get(0), line);
                Mapping m = map(id, line);
                long off = eval(a.get(1), line);
                args.put("map", id).put("offset", Json.hex(off));
                WcProbe pr = WcProbe.of(m, off);
                return new Object[] {Json.obj().put("pgprot", pr.vma().name())
                        .put("pte", pr.pte() == null ? "-" : pr.pte().name())
                        .put("memtype", pr.memoryType()), pr.combines() ? 1L : 0L};
            }
            case "memory": {
                int fd = fd(a.get(0), line);
                boolean enable = c.words().get(1).equals("enable");
                args.put("fd", fd).put("action", c.words().get(1));
                byte[] ri = regionInfo(fd, VfioIndex.VFIO_PCI_CONFIG_REGION_INDEX, VfioRegionInfo.SIZE);
                long cfg = VfioRegionInfo.decode(ri, 0).offset();
                byte[] cmd = new byte[2];
                p.pread(fd, cmd, cfg + PCI_COMMAND);
                int before = LE.getU16(cmd, 0);
                int after = enable ? before | PCI_COMMAND_MEMORY : before & ~PCI_COMMAND_MEMORY;
                LE.putU16(cmd, 0, after);
                p.pwrite(fd, cmd, cfg + PCI_COMMAND);
                return new Object[] {Json.obj().put("commandBefore", Json.hex(before))
                        .put("commandAfter", Json.hex(after)), (long) after};
            }
            default:
                throw new IllegalStateException("operation " + c.op() + " parsed but not run");
        }
    }

    private Json.Obj mapState(long id, Mapping m) {
        Json.Obj o = Json.obj().put("map", id);
        o.put("pgprot", m.pgprot() == null ? null : m.pgprot().name());
        Map<PageTable.Level, Long> e = m.pageTableEntries();
        for (PageTable.Level l : PageTable.Level.values()) {
            o.put(l.name().toLowerCase(java.util.Locale.ROOT), e.getOrDefault(l, 0L));
        }
        return o;
    }

    private byte[] regionInfo(int fd, long index, long argsz) {
        byte[] buf = buffer(argsz, VfioRegionInfo.SIZE);
        LE.putU32(buf, 0, argsz & 0xffff_ffffL);
        LE.putU32(buf, 8, index & 0xffff_ffffL);
        p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, buf);
        return buf;
    }

    /** The user buffer a C client passes: the struct on its stack, or argsz bytes if larger. */
    private static byte[] buffer(long argsz, int structSize) {
        return new byte[(int) Math.max(structSize, Math.min(argsz, 1 << 20))];
    }

    private static long le(byte[] b, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** A file descriptor argument: a C {@code int}, so the low 32 bits, as the call takes it. */
    private int fd(Expr e, int line) {
        return (int) eval(e, line);
    }

    private static long range(long v, long min, long max, String what, int line) {
        if (v < min || v > max) {
            throw new Unrunnable(what + " " + Long.toUnsignedString(v) + " out of range (" + min
                    + " to " + max + ")");
        }
        return v;
    }

    /** The mapping an mmap line's variable names (the parser checked that it is one). */
    private Mapping map(long id, int line) {
        Mapping m = maps.get(id);
        if (m == null) {
            throw new IllegalStateException("line " + line + ": no mapping " + id);
        }
        return m;
    }

    long eval(Expr e, int line) {
        return Expr.evaluate(e, n -> name(n, line), str -> {
            throw new IllegalStateException("line " + line + ": the parser let a string through");
        });
    }

    private long name(Expr.Name n, int line) {
        Value v = vars.get(n.name());
        if (v == null) {
            return Constants.value(n.name(), arch);
        }
        if (n.path().isEmpty()) {
            if (v.scalar() == null) {
                throw new IllegalStateException("line " + line + ": " + n.name() + " has no value");
            }
            return v.scalar();
        }
        return number(walk(v.result(), n, line), n, line);
    }

    private static String firstField(Object result) {
        if (result instanceof Map && !((Map<?, ?>) result).isEmpty()) {
            return String.valueOf(((Map<?, ?>) result).keySet().iterator().next());
        }
        return "field";
    }

    /** Follows a field path; {@code cap.NAME} finds a capability by name (absent: null). */
    private static Object walk(Object at, Expr.Name n, int line) {
        List<String> path = n.path();
        for (int i = 0; i < path.size(); i++) {
            String seg = path.get(i);
            if (seg.equals("cap") && at instanceof Map && ((Map<?, ?>) at).containsKey("caps")
                    && i + 1 < path.size()) {
                String name = path.get(++i);
                Object found = null;
                for (Object c : (List<?>) ((Map<?, ?>) at).get("caps")) {
                    if (name.equals(((Map<?, ?>) c).get("name"))) {
                        found = c;
                        break;
                    }
                }
                if (found == null) {
                    if (i + 1 == path.size()) {
                        return 0L;
                    }
                    throw new Unrunnable(display(n) + ": the reply has no " + name + " capability");
                }
                at = found;
            } else if (at instanceof Map) {
                Map<?, ?> m = (Map<?, ?>) at;
                if (!m.containsKey(seg)) {
                    throw new Unrunnable(display(n) + ": the reply has no field '" + seg + "' (fields: "
                            + String.join(", ", m.keySet().stream().map(String::valueOf).toList()) + ")");
                }
                at = m.get(seg);
            } else if (at instanceof List && seg.matches("\\d+")) {
                List<?> l = (List<?>) at;
                int idx = Integer.parseInt(seg);
                if (idx >= l.size()) {
                    throw new Unrunnable(display(n) + ": index " + idx + " past the "
                            + l.size() + " entries");
                }
                at = l.get(idx);
            } else {
                throw new Unrunnable(display(n) + ": '" + seg + "' is not a field here");
            }
        }
        return at;
    }

    private static long number(Object v, Expr.Name n, int line) {
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? 1 : 0;
        }
        if (v instanceof String && ((String) v).startsWith("0x")) {
            return Long.parseUnsignedLong(((String) v).substring(2), 16);
        }
        if (v instanceof List) {
            return ((List<?>) v).size();
        }
        if (v instanceof Map) {
            return 1;
        }
        throw new Unrunnable(display(n) + " is not a number (" + v + ")");
    }

    private static String display(Expr.Name n) {
        return n.name() + "." + String.join(".", n.path());
    }
}
