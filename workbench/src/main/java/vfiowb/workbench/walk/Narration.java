package vfiowb.workbench.walk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PageTable;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.workbench.IoctlView;
import vfiowb.workbench.KernelBugs;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.trace.CallTree;
import vfiowb.workbench.trace.KernelFrame;
import vfiowb.workbench.trace.Tracer;

/**
 * Turns recorded calls into narration: an strace-like line with the real numbers, a
 * <em>normalised</em> line for comparing stages (regions named by index and offset inside the
 * region, mappings by number, no addresses: file offsets and addresses are not ABI), and a JSON
 * object.
 */
public final class Narration {
    /** One narrated call. */
    public record Step(int seq, String call, String text, String normalized, Json.Obj json,
            CallTree kernel, KernelFrame driver, Tracer.Call raw) {}

    private record Region(long index, long offset, long size) {}

    private final Arch arch;
    private final String packageRoot;
    private final Map<Integer, TreeMap<Long, Region>> regions = new HashMap<>();
    private final Map<Integer, Boolean> pci = new HashMap<>();
    private final Map<Mapping, Integer> mapIds = new IdentityHashMap<>();
    private final List<Step> steps = new ArrayList<>();

    public Narration(Arch arch, String packageRoot) {
        this.arch = arch;
        this.packageRoot = packageRoot;
    }

    /** Narrates {@code calls} in order (after any narrated before). */
    public List<Step> narrate(List<Tracer.Call> calls) {
        for (Tracer.Call c : calls) {
            add(c);
        }
        return List.copyOf(steps);
    }

    /** The number a mapping got when it was created (1, 2, ...), or 0. */
    public int mapId(Mapping m) {
        Integer id = mapIds.get(m);
        return id == null ? 0 : id;
    }

    private void add(Tracer.Call c) {
        List<Object> a = c.args();
        String outcome = outcome(c);
        String text;
        String norm;
        Json.Obj args = Json.obj();
        Json.Obj json = Json.obj().put("seq", steps.size() + 1).put("call", c.name()).put("args", args);
        switch (c.name()) {
            case "open": {
                args.put("device", a.get(0));
                text = "open(\"" + a.get(0) + "\")" + outcome;
                norm = text;
                break;
            }
            case "close": {
                args.put("fd", a.get(0));
                text = "close(" + a.get(0) + ")" + outcome;
                norm = text;
                break;
            }
            case "ioctl": {
                int fd = (Integer) a.get(0);
                int req = (Integer) a.get(1);
                UserBuffer ub = (UserBuffer) a.get(2);
                String reqName = VfioIoctl.name(req);
                args.put("fd", fd).put("request", reqName).put("requestNumber", req);
                String argText;
                if (c.argBefore() != null && c.argBefore().length > 0) {
                    Json.Obj in = IoctlView.fields(req, c.argBefore(), false);
                    args.put("arg", in);
                    argText = IoctlView.text(in);
                } else {
                    args.put("value", ub.argValue());
                    argText = String.valueOf(ub.argValue());
                }
                String head = "ioctl(" + fd + ", " + reqName + ", " + argText + ")" + outcome;
                text = head;
                norm = head;
                if (c.failure() == null && c.argAfter() != null && c.argAfter().length > 0) {
                    Json.Obj reply = IoctlView.fields(req, c.argAfter(), true);
                    json.put("reply", reply);
                    text += " -> " + IoctlView.text(reply);
                    Json.Obj comparable = new Json.Obj();
                    comparable.putAll(reply);
                    comparable.remove("offset");
                    norm += " -> " + IoctlView.text(comparable);
                    learn(fd, req, c.argAfter());
                }
                break;
            }
            case "pread":
            case "pwrite": {
                int fd = (Integer) a.get(0);
                byte[] buf = (byte[]) a.get(1);
                long off = (Long) a.get(2);
                String where = region(fd, off);
                args.put("fd", fd).put("count", buf.length).put("offset", Json.hex(off));
                if (where != null) {
                    args.put("region", where);
                }
                boolean read = c.name().equals("pread");
                int shown = !read ? buf.length
                        : c.failure() == null ? (int) Math.min(buf.length, Math.max(0, ret(c))) : 0;
                String data = read && c.failure() != null ? "[]" : bytes(buf, shown);
                json.put("data", HexFormat.of().formatHex(buf, 0, shown));
                text = c.name() + "(" + fd + ", " + data + ", " + buf.length + ", " + Json.hex(off)
                        + (where == null ? "" : " /* " + where + " */") + ")" + outcome;
                norm = c.name() + "(" + fd + ", " + data + ", " + buf.length + ", "
                        + (where == null ? Json.hex(off) : where) + ")" + outcome;
                break;
            }
            case "mmap": {
                long addr = (Long) a.get(0);
                long len = (Long) a.get(1);
                int prot = (Integer) a.get(2);
                int flags = (Integer) a.get(3);
                int fd = (Integer) a.get(4);
                long off = (Long) a.get(5);
                boolean anon = (flags & Mman.MAP_ANONYMOUS) != 0;
                String where = anon ? null : region(fd, off);
                args.put("addr", Json.hex(addr)).put("length", Json.hex(len))
                        .put("prot", Mman.protToString(prot)).put("flags", Mman.flagsToString(flags))
                        .put("fd", fd).put("offset", Json.hex(off));
                if (where != null) {
                    args.put("region", where);
                }
                String fixed = (flags & Mman.MAP_FIXED) != 0 ? "map " + mapAt(addr) : "NULL";
                String result;
                String normResult;
                if (c.failure() == null) {
                    Mapping m = (Mapping) c.result();
                    int id = mapIds.size() + 1;
                    mapIds.put(m, id);
                    json.put("map", id).put("result", Json.hex(m.addr()));
                    result = " = " + Json.hex(m.addr()) + " (map " + id + ")";
                    normResult = " = map " + id;
                } else {
                    result = outcome;
                    normResult = outcome;
                }
                text = "mmap(" + (addr == 0 ? "NULL" : Json.hex(addr)) + ", " + Json.hex(len) + ", "
                        + Mman.protToString(prot) + ", " + Mman.flagsToString(flags) + ", " + fd + ", "
                        + Json.hex(off) + (where == null ? "" : " /* " + where + " */") + ")" + result;
                norm = "mmap(" + ((flags & Mman.MAP_FIXED) != 0 ? "inside " + fixed : "NULL") + ", "
                        + Json.hex(len) + ", " + Mman.protToString(prot) + ", "
                        + Mman.flagsToString(flags) + ", " + (anon ? "-1" : fd) + ", "
                        + (anon ? "0" : where == null ? Json.hex(off) : where) + ")" + normResult;
                break;
            }
            case "munmap": {
                long addr = (Long) a.get(0);
                long len = (Long) a.get(1);
                args.put("addr", Json.hex(addr)).put("length", Json.hex(len));
                text = "munmap(" + Json.hex(addr) + ", " + Json.hex(len) + ")" + outcome;
                norm = "munmap(map " + mapAt(addr) + ", " + Json.hex(len) + ")" + outcome;
                break;
            }
            case "load":
            case "store": {
                Mapping m = (Mapping) a.get(0);
                long off = (Long) a.get(1);
                int width = (Integer) a.get(2);
                int id = mapId(m);
                args.put("map", id).put("offset", Json.hex(off)).put("width", width);
                String val = "";
                if (c.name().equals("store")) {
                    long v = (Long) a.get(3);
                    args.put("value", Json.hex(v));
                    val = ", " + Json.hex(v);
                }
                String res = c.failure() == null && c.name().equals("load")
                        ? " = " + Json.hex((Long) c.result()) : outcome;
                if (c.failure() == null && c.name().equals("load")) {
                    json.put("value", Json.hex((Long) c.result()));
                }
                text = c.name() + "(" + Json.hex(m.addr() + off) + " (map " + id + "+" + Json.hex(off)
                        + "), " + width + val + ")" + res;
                norm = c.name() + "(map " + id + "+" + Json.hex(off) + ", " + width + val + ")" + res;
                break;
            }
            default:
                text = c.name() + outcome;
                norm = text;
        }
        failure(json, c);
        if (c.mapping() != null) {
            Json.Obj ms = Json.obj().put("map", mapId(c.mapping()));
            if (c.pgprot() != null) {
                ms.put("pgprot", c.pgprot().name()).put("memoryType", c.pgprot().memoryType(arch));
            }
            ms.put("pageTable", levels(c.pageTable()));
            json.put("mapping", ms);
            if (c.pgprot() != null) {
                norm += " [" + c.pgprot().name() + ", " + levelsText(c.pageTable()) + "]";
            }
        }
        KernelFrame driver = c.kernel().firstDriverFrame(packageRoot);
        List<Object> kernel = new ArrayList<>();
        for (CallTree.Line l : c.kernel().lines()) {
            kernel.add(Json.obj().put("depth", l.depth()).put("function", l.frame().label())
                    .put("file", l.frame().file()));
        }
        json.put("kernel", kernel);
        KernelFrame caller = c.kernel().driverCaller(packageRoot);
        json.put("driver", driver == null ? null
                : Json.obj().put("function", driver.label()).put("file", driver.file())
                        .put("calledBy", caller == null ? null : caller.label()));
        if (c.mapleBefore() != null || c.mapleAfter() != null) {
            json.put("mapleBefore", c.mapleBefore()).put("mapleAfter", c.mapleAfter());
        }
        if (!c.notes().isEmpty()) {
            json.put("cookies", new ArrayList<Object>(c.notes()));
        }
        steps.add(new Step(steps.size() + 1, c.name(), text, norm, json, c.kernel(), driver, c));
    }

    /** The most recent mapping whose original range holds {@code addr}; 0 if none. */
    private int mapAt(long addr) {
        int found = 0;
        for (Map.Entry<Mapping, Integer> e : mapIds.entrySet()) {
            Mapping m = e.getKey();
            if (Long.compareUnsigned(addr, m.addr()) >= 0 && Long.compareUnsigned(addr, m.end()) < 0) {
                found = Math.max(found, e.getValue());
            }
        }
        return found;
    }

    private static long ret(Tracer.Call c) {
        return c.result() instanceof Long ? (Long) c.result() : 0;
    }

    /**
     * {@code " = 3"}, {@code " = -1 EINVAL"}, {@code " = SIGBUS"}; a call that ran into a kernel
     * bug adds it: {@code " = -1 EFAULT (kernel bug: out-of-bounds in __mbochs_get_page,
     * samples/vfio-mdev/mbochs.c)"}.
     */
    private static String outcome(Tracer.Call c) {
        RuntimeException f = c.failure();
        String bug = KernelBugs.of(f).map(b -> " (kernel bug: " + b.kind().label() + " in "
                + b.functionName() + ", " + b.file() + ")").orElse("");
        if (f instanceof ErrnoException) {
            return " = -1 " + ((ErrnoException) f).errnoName() + bug;
        }
        if (f instanceof SigbusException) {
            return " = SIGBUS";
        }
        if (f instanceof SegvException) {
            return " = SIGSEGV" + bug;
        }
        if (f != null) {
            return " = model bug: " + f;
        }
        Object r = c.result();
        if (r == null) {
            return " = 0";
        }
        if (r instanceof Mapping) {
            return " = " + Json.hex(((Mapping) r).addr());
        }
        return " = " + r;
    }

    private static void failure(Json.Obj json, Tracer.Call c) {
        RuntimeException f = c.failure();
        if (f instanceof ErrnoException) {
            ErrnoException e = (ErrnoException) f;
            json.put("errno", e.errno()).put("name", e.errnoName());
        } else if (f instanceof SigbusException) {
            json.put("signal", "SIGBUS");
        } else if (f instanceof SegvException) {
            json.put("signal", "SIGSEGV");
        } else if (f != null) {
            json.put("bug", f.toString());
        }
        KernelBugs.of(f).ifPresent(b -> json.put("kernel_bug", KernelBugs.json(b)));
        if (f == null && !json.containsKey("result") && !json.containsKey("value")) {
            Object r = c.result();
            json.put("result", r instanceof Long || r instanceof Integer ? r : 0);
        }
    }

    /** {@code {"PTE":1,"PMD":0,"PUD":0}}. */
    public static Json.Obj levels(Map<PageTable.Level, Long> counts) {
        Json.Obj o = Json.obj();
        for (PageTable.Level l : PageTable.Level.values()) {
            o.put(l.name(), counts == null ? 0L : counts.getOrDefault(l, 0L));
        }
        return o;
    }

    /** {@code "PTE 1, PMD 0, PUD 0"} or {@code "no entries"}. */
    public static String levelsText(Map<PageTable.Level, Long> counts) {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (PageTable.Level l : PageTable.Level.values()) {
            long n = counts == null ? 0 : counts.getOrDefault(l, 0L);
            total += n;
            sb.append(sb.length() == 0 ? "" : ", ").append(l.name()).append(' ').append(n);
        }
        return total == 0 ? "no entries" : sb.toString();
    }

    private void learn(int fd, int request, byte[] reply) {
        if (request == VfioIoctl.VFIO_DEVICE_GET_INFO && reply.length >= VfioDeviceInfo.SIZE) {
            pci.put(fd, (VfioDeviceInfo.decode(reply, 0).flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0);
        } else if (request == VfioIoctl.VFIO_DEVICE_GET_REGION_INFO && reply.length >= VfioRegionInfo.SIZE) {
            VfioRegionInfo r = VfioRegionInfo.decode(reply, 0);
            regions.computeIfAbsent(fd, k -> new TreeMap<>(Long::compareUnsigned))
                    .put(r.offset(), new Region(r.index(), r.offset(), r.size()));
        }
    }

    /** {@code "BAR0+0x100"} for an offset inside a region this fd was told about; else null. */
    private String region(int fd, long off) {
        TreeMap<Long, Region> t = regions.get(fd);
        if (t == null) {
            return null;
        }
        Map.Entry<Long, Region> e = t.floorEntry(off);
        if (e == null) {
            return null;
        }
        Region r = e.getValue();
        long in = off - r.offset();
        if (Long.compareUnsigned(in, Math.max(r.size(), 1)) >= 0) {
            return null;
        }
        return IoctlView.regionName(r.index(), pci.getOrDefault(fd, false)) + "+" + Json.hex(in);
    }

    private static String bytes(byte[] b, int n) {
        StringBuilder sb = new StringBuilder("[");
        int show = Math.min(n, 8);
        for (int i = 0; i < show; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        }
        if (n > show) {
            sb.append(" ...");
        }
        return sb.append(']').toString();
    }
}
