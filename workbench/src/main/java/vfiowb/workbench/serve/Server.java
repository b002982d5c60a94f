package vfiowb.workbench.serve;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import vfiowb.common.NotModelledException;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.PageTable;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.workbench.KernelBugs;
import vfiowb.workbench.io.InputLimits;
import vfiowb.workbench.io.LineReader;
import vfiowb.workbench.io.Printable;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.json.JsonException;

/**
 * The raw syscall protocol of {@code serve} (docs/serve.md): one JSON request in, one JSON reply
 * out, against one process on a booted stage. Never throws: malformed input (within
 * {@link InputLimits}: a number longer than 40 characters or nested deeper than 64 is refused as
 * written), an unknown op or a missing field is answered with {@code {"error": ...}}, and so is a
 * bug in the model (with "internal error" in front), so a client's session survives it; a
 * documented limit of the model is a plain error. A call that ran into an upstream
 * kernel bug answers what the thread got (the errno or signal) plus {@code "kernel_bug"}.
 */
public final class Server {
    /** The largest pread, pwrite or ioctl buffer accepted, so a typo cannot exhaust memory. */
    private static final int MAX_BYTES = InputLimits.MAX_BUFFER_BYTES;

    private static final Map<String, List<String>> FIELDS = Map.ofEntries(
            Map.entry("open", List.of("device")),
            Map.entry("close", List.of("fd")),
            Map.entry("ioctl", List.of("fd", "request")),
            Map.entry("pread", List.of("fd", "offset", "count")),
            Map.entry("pwrite", List.of("fd", "offset", "data")),
            Map.entry("mmap", List.of("length", "prot", "flags", "offset")),
            Map.entry("munmap", List.of("map")),
            Map.entry("load", List.of("map", "offset", "width")),
            Map.entry("store", List.of("map", "offset", "width", "value")),
            Map.entry("pagetable", List.of("map")),
            Map.entry("fork", List.<String>of()));

    /** A request the server refuses, with the reason for the reply. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** One process of the session: pid 1 is the first; {@code fork} adds children. */
    private static final class Proc {
        final Process process;
        final Map<Long, Mapping> maps = new HashMap<>();

        Proc(Process process) {
            this.process = process;
        }
    }

    private final Map<Integer, Proc> procs = new HashMap<>();
    private int nextPid = 2;
    private long nextMap = 1;
    /** The process of the request being answered ({@code "pid"}, default 1). */
    private Process p;
    private Map<Long, Mapping> maps;

    public Server(Process p) {
        procs.put(1, new Proc(p));
    }

    /** The reply to a line that could not be read as text ({@link LineReader.Line#problem()}). */
    public String refuse(String problem) {
        return Json.write(Json.obj().put("error", "malformed request: " + problem));
    }

    /** Answers one request line: always exactly one line, whatever the request holds. */
    public String handle(String line) {
        Json.Obj reply;
        Object id = null;
        try {
            Map<String, Object> req = Json.parseObject(line);
            id = req.get("id");
            reply = dispatch(req);
        } catch (JsonException e) {
            reply = Json.obj().put("error", "malformed request: " + e.getMessage());
        } catch (BadRequest e) {
            reply = Json.obj().put("error", e.getMessage());
        } catch (RuntimeException e) {
            reply = Json.obj().put("error", "internal error (a bug in the model): " + e);
        }
        if (id != null) {
            Json.Obj withId = Json.obj().put("id", id);
            withId.putAll(reply);
            reply = withId;
        }
        return Json.write(reply);
    }

    private Json.Obj dispatch(Map<String, Object> req) {
        Object opv = req.get("op");
        if (!(opv instanceof String)) {
            throw new BadRequest(opv == null ? "missing field \"op\"" : "\"op\" must be a string");
        }
        String op = (String) opv;
        List<String> need = FIELDS.get(op);
        if (need == null) {
            throw new BadRequest("unknown op \"" + shown(op) + "\" (open, close, ioctl, pread, pwrite, "
                    + "mmap, munmap, load, store, pagetable, fork)");
        }
        for (String f : need) {
            if (!req.containsKey(f)) {
                throw new BadRequest("missing field \"" + f + "\" for op \"" + op + "\"");
            }
        }
        int pid = req.containsKey("pid") ? intField(req, "pid") : 1;
        Proc proc = procs.get(pid);
        if (proc == null) {
            throw new BadRequest("no process " + pid);
        }
        p = proc.process;
        maps = proc.maps;
        switch (op) {
            case "fork": {
                Process child = p.fork();
                Proc c = new Proc(child);
                for (Map.Entry<Long, Mapping> e : maps.entrySet()) {
                    for (Mapping cm : child.mappings()) {
                        if (cm.addr() == e.getValue().addr()) {
                            c.maps.put(e.getKey(), cm);
                        }
                    }
                }
                int cpid = nextPid++;
                procs.put(cpid, c);
                return Json.obj().put("pid", cpid);
            }
            case "open":
                return syscall(() -> Json.obj().put("fd", p.open(string(req, "device"))));
            case "close":
                return syscall(() -> {
                    p.close(intField(req, "fd"));
                    return Json.obj().put("ret", 0);
                });
            case "ioctl":
                return ioctl(req);
            case "pread": {
                int fd = intField(req, "fd");
                long off = longField(req, "offset");
                long count = longField(req, "count");
                if (count < 0 || count > MAX_BYTES) {
                    throw new BadRequest("\"count\" must be 0 to " + MAX_BYTES);
                }
                byte[] buf = new byte[(int) count];
                return syscall(() -> {
                    long n = p.pread(fd, buf, off);
                    return Json.obj().put("ret", n).put("data", HexFormat.of().formatHex(buf, 0, (int) n));
                });
            }
            case "pwrite": {
                int fd = intField(req, "fd");
                long off = longField(req, "offset");
                byte[] data = hex(req, "data");
                return syscall(() -> Json.obj().put("ret", p.pwrite(fd, data, off)));
            }
            case "mmap": {
                long addr = req.containsKey("addr") ? longField(req, "addr") : 0;
                long len = longField(req, "length");
                int prot = intField(req, "prot");
                int flags = intField(req, "flags");
                int fd = req.containsKey("fd") ? intField(req, "fd") : -1;
                long off = longField(req, "offset");
                return syscall(() -> {
                    Mapping m = p.mmap(addr, len, prot, flags, fd, off);
                    long id = nextMap++;
                    maps.put(id, m);
                    return Json.obj().put("map", id).put("addr", Json.hex(m.addr()))
                            .put("pgprot", m.pgprot() == null ? null : m.pgprot().name());
                });
            }
            case "munmap": {
                long id = longField(req, "map");
                Mapping m = map(id);
                if (req.containsKey("offset") || req.containsKey("length")) {
                    long off = req.containsKey("offset") ? longField(req, "offset") : 0;
                    long len = req.containsKey("length") ? longField(req, "length")
                            : m.length() - off;
                    return syscall(() -> {
                        p.munmap(m.addr() + off, len);
                        return Json.obj().put("ret", 0);
                    });
                }
                return syscall(() -> {
                    p.munmap(m);
                    maps.remove(id);
                    return Json.obj().put("ret", 0);
                });
            }
            case "load":
            case "store":
                return access(req, op.equals("store"));
            default: {
                Mapping m = map(longField(req, "map"));
                Map<PageTable.Level, Long> e = m.pageTableEntries();
                Json.Obj entries = Json.obj();
                for (PageTable.Level l : PageTable.Level.values()) {
                    entries.put(l.name(), e.getOrDefault(l, 0L));
                }
                return Json.obj().put("map", longField(req, "map"))
                        .put("pgprot", m.pgprot() == null ? null : m.pgprot().name())
                        .put("entries", entries);
            }
        }
    }

    private Json.Obj ioctl(Map<String, Object> req) {
        int fd = intField(req, "fd");
        int request = request(req.get("request"));
        if (req.containsKey("arg")) {
            byte[] arg = hex(req, "arg");
            UserBuffer ub = UserBuffer.wrap(arg);
            try {
                long ret = p.ioctl(fd, request, ub);
                return Json.obj().put("ret", ret).put("arg", HexFormat.of().formatHex(arg));
            } catch (ErrnoException e) {
                return withKernelBug(Json.obj().put("errno", e.errno()).put("name", e.errnoName())
                        .put("arg", HexFormat.of().formatHex(arg)), e);
            }
        }
        long value = req.containsKey("value") ? longField(req, "value") : 0;
        return syscall(() -> Json.obj().put("ret", p.ioctl(fd, request, value)));
    }

    private Json.Obj access(Map<String, Object> req, boolean store) {
        Mapping m = map(longField(req, "map"));
        long off = longField(req, "offset");
        int width = intField(req, "width");
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new BadRequest("\"width\" must be 1, 2, 4 or 8");
        }
        long value = store ? longField(req, "value") : 0;
        try {
            if (store) {
                m.store(off, width, value);
                return Json.obj().put("ret", 0);
            }
            return Json.obj().put("value", Json.hex(m.load(off, width)));
        } catch (SigbusException e) {
            return Json.obj().put("signal", "SIGBUS");
        } catch (SegvException e) {
            return withKernelBug(Json.obj().put("signal", "SIGSEGV"), e);
        } catch (NotModelledException e) {
            throw new BadRequest("not modelled: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private interface Call {
        Json.Obj run();
    }

    private static Json.Obj syscall(Call c) {
        try {
            return c.run();
        } catch (ErrnoException e) {
            return withKernelBug(Json.obj().put("errno", e.errno()).put("name", e.errnoName()), e);
        }
    }

    /** Adds {@code "kernel_bug": {function, kind, reason}} when {@code failure} carries one. */
    private static Json.Obj withKernelBug(Json.Obj reply, RuntimeException failure) {
        KernelBugs.of(failure).ifPresent(b -> reply.put("kernel_bug", KernelBugs.json(b)));
        return reply;
    }

    private Mapping map(long id) {
        Mapping m = maps.get(id);
        if (m == null) {
            throw new BadRequest("no map " + id);
        }
        return m;
    }

    private static int request(Object v) {
        if (v instanceof String && ((String) v).startsWith("VFIO_")) {
            for (VfioIoctl.Entry e : VfioIoctl.all()) {
                if (e.name().equals(v)) {
                    return e.request();
                }
            }
            throw new BadRequest("unknown ioctl \"" + shown((String) v) + "\"");
        }
        long r = number(v, "request");
        if (r < 0 || r > 0xffff_ffffL) {
            throw new BadRequest("\"request\" must fit 32 bits");
        }
        return (int) r;
    }

    /** Text from the request for a message: printable, at most 40 characters. */
    private static String shown(String s) {
        String p = Printable.of(s);
        return p.length() <= 40 ? p : p.substring(0, 37) + "...";
    }

    private static String string(Map<String, Object> req, String f) {
        Object v = req.get(f);
        if (!(v instanceof String)) {
            throw new BadRequest("\"" + f + "\" must be a string");
        }
        return (String) v;
    }

    private static long longField(Map<String, Object> req, String f) {
        return number(req.get(f), f);
    }

    private static int intField(Map<String, Object> req, String f) {
        long v = longField(req, f);
        if (v < Integer.MIN_VALUE || v > 0xffff_ffffL) {
            throw new BadRequest("\"" + f + "\" must fit 32 bits");
        }
        return (int) v;
    }

    private static long number(Object v, String f) {
        try {
            return Json.toLong(v);
        } catch (JsonException e) {
            throw new BadRequest("\"" + f + "\": " + e.getMessage());
        }
    }

    private static byte[] hex(Map<String, Object> req, String f) {
        String s = string(req, f);
        if (s.length() > 2 * MAX_BYTES) {
            throw new BadRequest("\"" + f + "\" longer than " + MAX_BYTES + " bytes");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("\"" + f + "\" must be hex bytes (two digits each)");
        }
    }
}
