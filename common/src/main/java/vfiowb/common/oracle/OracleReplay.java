package vfiowb.common.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.MsixCapability;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciFunctionSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.UserBuffer;

/**
 * Replays one transcript against a stage through the syscall boundary and lists every
 * kernel decision the model makes differently.
 *
 * <p>The device is imported from the transcript ({@link OracleImport}), the stage boots it on
 * x86_64 and one process opens it. Records run in their recorded order, so state the probe
 * changed (memory decode, a mapping kept across it) is the model's state too.
 *
 * <p>What is compared is what the kernel decides: the result of every call (errno, return
 * value), every byte of ioctl buffers (written and left alone), whether mmap succeeds, whether a
 * load through a mapping succeeds or raises SIGBUS, the command register's bits vfio-pci
 * controls, and of data read only the config identity words, the MSI-X table (vfio-pci hides it
 * behind 0xff) and bytes the replay itself wrote into RAM-backed BARs. Register contents of the
 * emulated devices are QEMU's and are never compared.
 *
 * <p>Region offsets are not ABI. A recorded file offset is decoded with the 40-bit layout the
 * recording kernel used into (region index, offset in region), and the model is addressed at
 * the offset its own REGION_INFO gives for that index plus the offset in region. An index the
 * model has no region for (REGION_INFO fails) is passed as recorded: it names no region in
 * either layout; a negative offset is passed as recorded too (the syscall refuses it before any
 * layout is consulted). REGION_INFO's {@code offset} field is therefore not compared; the
 * record's is checked to be the 40-bit one.
 */
public final class OracleReplay {
    /** VFIO_PCI_OFFSET_SHIFT of the recording kernel. */
    static final int RECORDED_SHIFT = 40;
    private static final long IN_REGION_MASK = (1L << RECORDED_SHIFT) - 1;
    private static final int BUFFER = 8192;
    private static final int CONFIG_INDEX = 7;
    private static final int REGION_INFO_MINSZ = 32;
    private static final int REGION_OFFSET_FIELD = 24;
    /** Command register bits vfio-pci decides: IO, MEMORY, BUS_MASTER, INTX_DISABLE. */
    static final int COMMAND_KERNEL_BITS = 0x0407;
    private static final int PCI_COMMAND = 0x04;
    private static final int PCI_BASE_ADDRESS_0 = 0x10;
    private static final int PCI_ROM_ADDRESS = 0x30;
    private static final int PCI_INTERRUPT_PIN = 0x3d;
    /** Config identity words (IDs, revision and class, subsystem IDs) from vfio-pci's vconfig. */
    private static final long[][] IDENTITY = {{0x00, 0x04}, {0x08, 0x0c}, {0x2c, 0x30}};

    /** Records about the container, group and IOMMU, outside the model's scope. */
    static final Set<String> OUT_OF_SCOPE = Set.of("container_open", "group_open",
            "group_set_container", "get_device_fd_before_set_iommu", "set_iommu", "iommu_get_info",
            "get_device_fd", "get_device_fd_second");
    /** Records that describe the run (machine, device, binding) rather than a call to compare. */
    static final Set<String> SETUP = Set.of("kernel", "mode", "device", "bind", "done");

    /** The outcome of one replay. */
    public record Result(String device, List<Difference> differences, Map<String, Integer> replayed,
            Map<String, Integer> skipped, Map<String, Integer> setup) {
        public int replayedCount() {
            return replayed.values().stream().mapToInt(Integer::intValue).sum();
        }

        public String summary() {
            return String.format("%s: %d records replayed %s, %d skipped %s, %d differences",
                    device, replayedCount(), replayed, skipped.values().stream().mapToInt(Integer::intValue).sum(),
                    skipped, differences.size());
        }
    }

    private final OracleTranscript t;
    private final Process p;
    private final PciFunction hw;
    private final int fd;
    private final List<Difference> diffs = new ArrayList<>();
    private final Map<String, Integer> replayed = new TreeMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final Map<String, Integer> setup = new TreeMap<>();
    /** Region index to the model's offset for it; empty when the model has no such region. */
    private final Map<Long, Optional<Long>> regionOffset = new HashMap<>();
    private final Map<Long, Long> regionSize = new HashMap<>();
    /** Bytes the replay wrote into memory BARs (region index to offset to byte). */
    private final Map<Long, Map<Long, Byte>> echo = new HashMap<>();
    private Mapping experiment;

    private OracleReplay(OracleTranscript t, Process p, PciFunction hw, int fd) {
        this.t = t;
        this.p = p;
        this.hw = hw;
        this.fd = fd;
    }

    /** Replays {@code t} on a fresh boot of {@code stage}. */
    public static Result run(Stage stage, OracleTranscript t) {
        OracleRecord kernel = t.single("kernel");
        if (!kernel.string("machine").equals("x86_64") || kernel.integer("page_size") != 4096) {
            throw kernel.bad("machine", "the replay boots x86_64 with 4 KiB pages");
        }
        PciFunctionSpec spec = OracleImport.spec(t);
        VfioHost host = stage.boot(Arch.X86_64, List.of(spec));
        Process p = new Process(host);
        int fd = p.open(spec.name());
        OracleReplay r = new OracleReplay(t, p, (PciFunction) host.device(spec.name()), fd);
        try {
            for (OracleRecord rec : t.records()) {
                r.replay(rec);
            }
        } finally {
            p.exit();
        }
        return new Result(t.device(), Collections.unmodifiableList(r.diffs),
                Collections.unmodifiableMap(r.replayed), Collections.unmodifiableMap(r.skipped),
                Collections.unmodifiableMap(r.setup));
    }

    private void replay(OracleRecord r) {
        String op = r.op();
        if (OUT_OF_SCOPE.contains(op)) {
            skipped.merge(op, 1, Integer::sum);
            return;
        }
        if (SETUP.contains(op)) {
            setup.merge(op, 1, Integer::sum);
            if (op.equals("done") && experiment != null) {
                p.munmap(experiment);
                experiment = null;
            }
            return;
        }
        switch (op) {
            case "device_get_info":
                infoIoctl(r, VfioIoctl.VFIO_DEVICE_GET_INFO, DEVICE_INFO_FIELDS, false);
                break;
            case "irq_info":
                infoIoctl(r, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, IRQ_INFO_FIELDS, true);
                break;
            case "region_info":
                regionInfo(r);
                break;
            case "pread":
                pread(r);
                break;
            case "pwrite":
                pwrite(r);
                break;
            case "mmap":
                mmap(r);
                break;
            case "command_register":
                commandRegister(r);
                break;
            case "mem_experiment_map":
                experimentMap(r);
                break;
            case "mem_experiment_existing_map_read":
            case "mem_experiment_existing_map_read_after_enable":
                experimentRead(r);
                break;
            case "unknown_ioctl":
                unknownIoctl(r);
                break;
            case "device_reset":
                deviceReset(r);
                break;
            case "msix_layout":
                msixLayout(r);
                break;
            case "bigbar_target":
                bigbarTarget(r);
                break;
            default:
                throw r.bad("op", "is not a record the replay knows; replay it or list it as out of scope");
        }
        replayed.merge(op, 1, Integer::sum);
    }

    // ------------------------------------------------------------------ ioctls with a buffer

    private record Field(String name, int start, int end) {}

    private static final List<Field> DEVICE_INFO_FIELDS = List.of(new Field("argsz", 0, 4),
            new Field("flags", 4, 8), new Field("num_regions", 8, 12), new Field("num_irqs", 12, 16),
            new Field("cap_offset", 16, 20), new Field("pad", 20, 24));
    private static final List<Field> IRQ_INFO_FIELDS = List.of(new Field("argsz", 0, 4),
            new Field("flags", 4, 8), new Field("index", 8, 12), new Field("count", 12, 16));
    private static final List<Field> REGION_INFO_FIELDS = List.of(new Field("argsz", 0, 4),
            new Field("flags", 4, 8), new Field("index", 8, 12), new Field("cap_offset", 12, 16),
            new Field("size", 16, 24), new Field("offset", 24, 32));

    /** The probe's buffer before the call: {@code fill}, then argsz and (for two ioctls) index. */
    private static byte[] prepared(OracleRecord r, boolean withIndex) {
        byte[] b = new byte[BUFFER];
        Arrays.fill(b, r.has("fill") ? (byte) r.hex("fill") : 0);
        LE.putU32(b, 0, r.integer("argsz_in"));
        if (withIndex) {
            LE.putU32(b, 8, r.integer("index"));
        }
        return b;
    }

    /** The buffer after the recorded call, checked against the record's own summary of it. */
    private static byte[] expected(OracleRecord r, byte[] before) {
        byte[] reply = r.bytes("reply_hex");
        byte[] after = before.clone();
        System.arraycopy(reply, 0, after, 0, reply.length);
        int last = lastChanged(before, after, -1, -1);
        if (last != r.integer("last_changed_byte")) {
            throw r.bad("last_changed_byte", r.integer("last_changed_byte") + " but reply_hex changes byte " + last);
        }
        boolean beyond = last >= r.integer("argsz_in");
        if (beyond != r.bool("changed_beyond_argsz")) {
            throw r.bad("changed_beyond_argsz", "disagrees with reply_hex");
        }
        return after;
    }

    /** The last byte that differs, ignoring {@code [maskStart, maskEnd)}; -1 if none. */
    private static int lastChanged(byte[] before, byte[] after, int maskStart, int maskEnd) {
        for (int i = after.length - 1; i >= 0; i--) {
            if (i >= maskStart && i < maskEnd) {
                continue;
            }
            if (before[i] != after[i]) {
                return i;
            }
        }
        return -1;
    }

    private record Call(long ret, int errno) {
        String text() {
            return errno == 0 ? "ok (ret " + ret + ")" : Errno.name(errno);
        }
    }

    private Call ioctl(int request, byte[] buf) {
        try {
            return new Call(p.ioctl(fd, request, UserBuffer.wrap(buf)), 0);
        } catch (ErrnoException e) {
            return new Call(-1, e.errno());
        }
    }

    private void infoIoctl(OracleRecord r, int request, List<Field> fields, boolean withIndex) {
        byte[] before = prepared(r, withIndex);
        byte[] want = expected(r, before);
        byte[] got = before.clone();
        Call c = ioctl(request, got);
        String label = label(r);
        if (compareResult(r, label, c)) {
            compareBuffer(r, label, fields, before, want, got, -1, -1);
        }
    }

    private void regionInfo(OracleRecord r) {
        byte[] before = prepared(r, true);
        byte[] want = expected(r, before);
        byte[] got = before.clone();
        Call c = ioctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, got);
        String label = label(r);
        long index = r.integer("index");
        boolean ok = compareResult(r, label, c);
        int mask = -1;
        if (r.errno() == 0) {
            long recorded = LE.getU64(want, REGION_OFFSET_FIELD);
            if (recorded != index << RECORDED_SHIFT) {
                throw r.bad("reply_hex", String.format("region offset 0x%x is not index << %d",
                        recorded, RECORDED_SHIFT));
            }
            mask = REGION_OFFSET_FIELD;
        }
        if (c.errno() == 0) {
            learnRegion(r, label, index, LE.getU64(got, REGION_OFFSET_FIELD), LE.getU64(got, 16));
        }
        if (ok) {
            compareBuffer(r, label, REGION_INFO_FIELDS, before, want, got, mask, mask < 0 ? -1 : mask + 8);
        }
    }

    private void learnRegion(OracleRecord r, String label, long index, long offset, long size) {
        Optional<Long> known = regionOffset.get(index);
        if (known != null && known.isPresent() && known.get() != offset) {
            diff(r, label, "offset (stable across calls)", hex(known.get()), hex(offset));
        }
        regionOffset.put(index, Optional.of(offset));
        regionSize.put(index, size);
    }

    /** Compares errno and return value; true when both succeeded or both failed alike. */
    private boolean compareResult(OracleRecord r, String label, Call c) {
        int want = r.errno();
        if (want != c.errno()) {
            diff(r, label, "result", want == 0 ? "ok (ret " + r.integer("ret") + ")" : r.string("errname"),
                    c.text());
            return false;
        }
        if (want == 0 && r.integer("ret") != c.ret()) {
            diff(r, label, "ret", String.valueOf(r.integer("ret")), String.valueOf(c.ret()));
        }
        return true;
    }

    /**
     * Every byte of the 8 KiB buffer, by struct field and then by runs of differing bytes past
     * the struct; bytes in the mask (REGION_INFO's offset) are skipped. The recorded
     * {@code last_changed_byte} and {@code changed_beyond_argsz} follow from these bytes.
     */
    private void compareBuffer(OracleRecord r, String label, List<Field> fields, byte[] before,
            byte[] want, byte[] got, int maskStart, int maskEnd) {
        int structEnd = 0;
        boolean any = false;
        for (Field f : fields) {
            structEnd = Math.max(structEnd, f.end());
            if (f.start() == maskStart) {
                continue;
            }
            if (!Arrays.equals(want, f.start(), f.end(), got, f.start(), f.end())) {
                diff(r, label, f.name(), hex(le(want, f.start(), f.end())), hex(le(got, f.start(), f.end())));
                any = true;
            }
        }
        int i = structEnd;
        while (i < want.length) {
            if (want[i] == got[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < want.length && want[j] != got[j]) {
                j++;
            }
            diff(r, label, "bytes [" + i + ", " + j + ")", bytesHex(want, i, j), bytesHex(got, i, j));
            any = true;
            i = j;
        }
        if (any) {
            int wl = lastChanged(before, want, maskStart, maskEnd);
            int gl = lastChanged(before, got, maskStart, maskEnd);
            if (wl != gl) {
                diff(r, label, maskStart < 0 ? "last_changed_byte" : "last_changed_byte (offset field excluded)",
                        String.valueOf(wl), String.valueOf(gl));
            }
        }
    }

    // ------------------------------------------------------------------ offsets

    /** The model's offset for the region the recorded file offset names (see the class comment). */
    private long modelOffset(OracleRecord r, long fileOffset) {
        if (fileOffset < 0) {
            return fileOffset;
        }
        long index = fileOffset >>> RECORDED_SHIFT;
        long inRegion = fileOffset & IN_REGION_MASK;
        if (r.has("index") && r.integer("index") != index) {
            throw r.bad("index", "is not file_offset >> " + RECORDED_SHIFT);
        }
        if (r.has("offset_in_region") && r.hex("offset_in_region") != inRegion) {
            throw r.bad("offset_in_region", "is not the low " + RECORDED_SHIFT + " bits of file_offset");
        }
        Optional<Long> base = regionOffset(index);
        return base.isPresent() ? base.get() + inRegion : fileOffset;
    }

    /**
     * The model's offset for region {@code index}: what its REGION_INFO said, asked now if no
     * recorded REGION_INFO asked yet.
     */
    private Optional<Long> regionOffset(long index) {
        Optional<Long> known = regionOffset.get(index);
        if (known != null) {
            return known;
        }
        Optional<Long> found = Optional.empty();
        if (index <= 0xffff_ffffL) {
            byte[] b = new byte[BUFFER];
            LE.putU32(b, 0, REGION_INFO_MINSZ);
            LE.putU32(b, 8, index);
            if (ioctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b).errno() == 0) {
                found = Optional.of(LE.getU64(b, REGION_OFFSET_FIELD));
                regionSize.put(index, LE.getU64(b, 16));
            }
        }
        regionOffset.put(index, found);
        return found;
    }

    // ------------------------------------------------------------------ read and write

    private void pread(OracleRecord r) {
        long fileOffset = r.hex("file_offset");
        int len = (int) r.integer("len");
        byte[] buf = new byte[len];
        Call c;
        try {
            c = new Call(p.pread(fd, buf, modelOffset(r, fileOffset)), 0);
        } catch (ErrnoException e) {
            c = new Call(-1, e.errno());
        }
        String label = label(r);
        if (!compareResult(r, label, c) || c.errno() != 0 || fileOffset < 0) {
            return;
        }
        byte[] want = r.has("data") || r.integer("ret") != 0 ? r.bytes("data") : new byte[0];
        if (want.length != r.integer("ret")) {
            throw r.bad("data", want.length + " bytes for ret " + r.integer("ret"));
        }
        long index = fileOffset >>> RECORDED_SHIFT;
        long at = fileOffset & IN_REGION_MASK;
        int n = (int) Math.min(want.length, c.ret());
        int i = 0;
        while (i < n) {
            if (!differs(want, buf, i, index, at)) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && differs(want, buf, j, index, at)) {
                j++;
            }
            StringBuilder mask = new StringBuilder();
            for (int k = i; k < j; k++) {
                mask.append(String.format("%02x", kernelMask(index, at + k)));
            }
            diff(r, label, String.format("data [%d, %d) at region offset 0x%x, kernel bits %s", i, j,
                    at + i, mask), bytesHex(want, i, j), bytesHex(buf, i, j));
            i = j;
        }
    }

    private boolean differs(byte[] want, byte[] got, int i, long index, long at) {
        int m = kernelMask(index, at + i);
        return (want[i] & m) != (got[i] & m);
    }

    /**
     * The bits of the byte at {@code offset} of region {@code index} that the kernel, not the
     * device, decides: in config space the identity words, the command bits vfio-pci controls,
     * the type bits of each BAR register and the whole register of an unimplemented BAR or
     * absent ROM ({@code vfio_bar_fixup}; addresses belong to the bus layout), and the interrupt
     * pin (vfio-pci clears it when it offers no INTx); in the MSI-X table every byte (vfio-pci
     * reads it as 0xff); and bytes the replay itself wrote into a RAM-backed BAR.
     */
    private int kernelMask(long index, long offset) {
        if (index == CONFIG_INDEX) {
            return configMask(offset);
        }
        Optional<MsixCapability> m = hw.msix();
        if (m.isPresent() && m.get().tableBar() == index && offset >= m.get().tableOffset()
                && offset < m.get().tableOffset() + m.get().tableSize()) {
            return 0xff;
        }
        return echo.getOrDefault(index, Map.of()).containsKey(offset) ? 0xff : 0;
    }

    private int configMask(long off) {
        for (long[] w : IDENTITY) {
            if (off >= w[0] && off < w[1]) {
                return 0xff;
            }
        }
        if (off == PCI_COMMAND || off == PCI_COMMAND + 1) {
            return (COMMAND_KERNEL_BITS >> (8 * (off - PCI_COMMAND))) & 0xff;
        }
        if (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_0 + 24) {
            int bar = (int) (off - PCI_BASE_ADDRESS_0) / 4;
            if (hw.isUpperHalf(bar)) {
                return 0;
            }
            if (hw.pciResourceLen(bar) == 0) {
                return 0xff;
            }
            return (off - PCI_BASE_ADDRESS_0) % 4 != 0 ? 0 : hw.isIoBar(bar) ? 0x03 : 0x0f;
        }
        if (off >= PCI_ROM_ADDRESS && off < PCI_ROM_ADDRESS + 4) {
            return hw.hasRom() ? 0 : 0xff;
        }
        return off == PCI_INTERRUPT_PIN ? 0xff : 0;
    }

    private void pwrite(OracleRecord r) {
        long fileOffset = r.hex("file_offset");
        byte[] data = r.bytes("data");
        if (data.length != r.integer("len")) {
            throw r.bad("data", data.length + " bytes for len " + r.integer("len"));
        }
        Call c;
        try {
            c = new Call(p.pwrite(fd, data, modelOffset(r, fileOffset)), 0);
        } catch (ErrnoException e) {
            c = new Call(-1, e.errno());
        }
        compareResult(r, label(r), c);
        if (c.errno() == 0 && fileOffset >= 0) {
            remember(fileOffset >>> RECORDED_SHIFT, fileOffset & IN_REGION_MASK, data, (int) c.ret());
        }
    }

    /** Bytes written to a memory BAR outside MSI-X read back as written (ivshmem's BAR2 is RAM). */
    private void remember(long index, long at, byte[] data, int n) {
        if (index > 5 || !hw.isMemBar((int) index)) {
            return;
        }
        Optional<MsixCapability> m = hw.msix();
        for (int i = 0; i < n; i++) {
            long o = at + i;
            if (m.isPresent() && (m.get().overlapsTable((int) index, o, 1) || m.get().overlapsPba((int) index, o, 1))) {
                continue;
            }
            echo.computeIfAbsent(index, k -> new HashMap<>()).put(o, data[i]);
        }
    }

    // ------------------------------------------------------------------ mmap

    private void mmap(OracleRecord r) {
        long fileOffset = r.hex("file_offset");
        long len = r.hex("len");
        int prot = prot(r);
        int flags = mapFlags(r);
        String label = label(r);
        Mapping m = null;
        Call c;
        try {
            m = p.mmap(0, len, prot, flags, fd, modelOffset(r, fileOffset));
            c = new Call(0, 0);
        } catch (ErrnoException e) {
            c = new Call(-1, e.errno());
        }
        int want = r.errno();
        if (want != c.errno()) {
            diff(r, label, "result", want == 0 ? "mapped" : r.string("errname"),
                    c.errno() == 0 ? "mapped" : Errno.name(c.errno()));
        }
        if (m == null) {
            return;
        }
        Mapping mapped = m;
        try {
            if (want == 0) {
                long index = fileOffset >>> RECORDED_SHIFT;
                long at = fileOffset & IN_REGION_MASK;
                for (OracleRecord read : reads(r)) {
                    load(r, label, m, index, at, read);
                }
                if (r.has("child")) {
                    OracleRecord child = r.object("child");
                    Process kid = p.fork();
                    try {
                        Mapping km = kid.mappings().stream().filter(x -> x.addr() == mapped.addr()).findFirst()
                                .orElseThrow(() -> new IllegalStateException("fork lost the mapping"));
                        for (OracleRecord read : child.objects("reads")) {
                            load(r, label + " child", km, index, at, read);
                        }
                    } finally {
                        kid.exit();
                    }
                }
            }
        } finally {
            try {
                p.munmap(m);
            } catch (ErrnoException e) {
                diff(r, label, "munmap", "0", Errno.name(e.errno()));
            }
        }
    }

    private static List<OracleRecord> reads(OracleRecord r) {
        if (r.has("reads")) {
            return r.objects("reads");
        }
        if (r.has("read_at")) {
            return List.of(r);
        }
        return List.of();
    }

    /**
     * One 32-bit load through a mapping: whether it succeeds or raises a signal is the kernel's
     * decision (SIGBUS with memory decode off); the value only where the replay wrote it.
     */
    private void load(OracleRecord r, String label, Mapping m, long index, long at, OracleRecord read) {
        long off = read.hex("read_at");
        String want = read.has("read_signal") ? read.string("read_signal") : "value";
        String got;
        long value = 0;
        try {
            value = m.load(off, 4);
            got = "value";
        } catch (SigbusException e) {
            got = "SIGBUS";
        } catch (SegvException e) {
            got = "SIGSEGV";
        }
        String field = "load at 0x" + Long.toHexString(off);
        if (!want.equals(got)) {
            diff(r, label, field, want.equals("value") ? "value " + read.string("read32") : want,
                    got.equals("value") ? "value " + hex(value) : got);
            return;
        }
        if (got.equals("value")) {
            Map<Long, Byte> written = echo.getOrDefault(index, Map.of());
            boolean decided = true;
            for (int i = 0; i < 4; i++) {
                decided &= written.containsKey(at + off + i);
            }
            long recorded = read.hex("read32");
            if (decided && recorded != value) {
                diff(r, label, field, hex(recorded), hex(value));
            }
        }
    }

    private static int prot(OracleRecord r) {
        switch (r.string("prot")) {
            case "R":
                return Mman.PROT_READ;
            case "RW":
                return Mman.PROT_READ | Mman.PROT_WRITE;
            default:
                throw r.bad("prot", "is not R or RW");
        }
    }

    private static int mapFlags(OracleRecord r) {
        switch (r.string("flags")) {
            case "MAP_SHARED":
                return Mman.MAP_SHARED;
            case "MAP_PRIVATE":
                return Mman.MAP_PRIVATE;
            default:
                throw r.bad("flags", "is not MAP_SHARED or MAP_PRIVATE");
        }
    }

    // ------------------------------------------------------------------ memory-decode experiment

    private void commandRegister(OracleRecord r) {
        String label = label(r);
        byte[] two = new byte[2];
        long cfg = regionOffset((long) CONFIG_INDEX)
                .orElseThrow(() -> new IllegalStateException("the model has no config region"));
        long vfio;
        try {
            p.pread(fd, two, cfg + 4);
            vfio = LE.getU16(two, 0);
        } catch (ErrnoException e) {
            diff(r, label, "vfio_view", r.string("vfio_view"), Errno.name(e.errno()));
            return;
        }
        compareCommand(r, label, "vfio_view", r.hex("vfio_view"), vfio);
        compareCommand(r, label, "physical_sysfs", r.hex("physical_sysfs"), hw.command());
    }

    private void compareCommand(OracleRecord r, String label, String field, long want, long got) {
        if ((want & COMMAND_KERNEL_BITS) != (got & COMMAND_KERNEL_BITS)) {
            diff(r, label, field + " & " + hex(COMMAND_KERNEL_BITS), hex(want & COMMAND_KERNEL_BITS),
                    hex(got & COMMAND_KERNEL_BITS));
        }
    }

    private void experimentMap(OracleRecord r) {
        long bar = r.integer("bar");
        long len = r.hex("len");
        String label = label(r);
        Optional<Long> off = regionOffset(bar);
        boolean want = r.bool("mapped");
        try {
            experiment = p.mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd,
                    off.orElse(bar << RECORDED_SHIFT));
        } catch (ErrnoException e) {
            if (want) {
                diff(r, label, "mapped", "true", Errno.name(e.errno()));
            }
            return;
        }
        if (!want) {
            diff(r, label, "mapped", "false", "true");
            return;
        }
        load(r, label, experiment, bar, 0, r);
    }

    private void experimentRead(OracleRecord r) {
        if (experiment == null) {
            throw r.bad("op", "reads the experiment's mapping, which was not made");
        }
        load(r, label(r), experiment, r.integer("bar"), 0, r);
    }

    // ------------------------------------------------------------------ other ioctls

    private void unknownIoctl(OracleRecord r) {
        long nr = r.integer("nr");
        if (nr < VfioIoctl.VFIO_BASE || nr > 0xff) {
            throw r.bad("nr", "is not a VFIO ioctl number");
        }
        Call c;
        try {
            c = new Call(p.ioctl(fd, VfioIoctl.io((int) nr - VfioIoctl.VFIO_BASE), 0L), 0);
        } catch (ErrnoException e) {
            c = new Call(-1, e.errno());
        }
        compareResult(r, label(r), c);
    }

    private void deviceReset(OracleRecord r) {
        String label = label(r);
        byte[] info = new byte[BUFFER];
        LE.putU32(info, 0, VfioDeviceInfo.SIZE);
        Call gi = ioctl(VfioIoctl.VFIO_DEVICE_GET_INFO, info);
        if (gi.errno() != 0) {
            diff(r, label, "info_flag_reset", String.valueOf(r.bool("info_flag_reset")), Errno.name(gi.errno()));
        } else {
            boolean got = (LE.getU32(info, 4) & VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET) != 0;
            if (got != r.bool("info_flag_reset")) {
                diff(r, label, "info_flag_reset", String.valueOf(r.bool("info_flag_reset")), String.valueOf(got));
            }
        }
        Call c;
        try {
            c = new Call(p.ioctl(fd, VfioIoctl.VFIO_DEVICE_RESET, 0L), 0);
        } catch (ErrnoException e) {
            c = new Call(-1, e.errno());
        }
        compareResult(r, label, c);
        if (c.errno() == 0) {
            echo.clear();
        }
    }

    /** The probe's reading of the MSI-X capability against the one the model took from config. */
    private void msixLayout(OracleRecord r) {
        String label = label(r);
        Optional<MsixCapability> m = hw.msix();
        if (m.isEmpty()) {
            diff(r, label, "msix", "capability at " + r.integer("cap_pos"), "none");
            return;
        }
        MsixCapability x = m.get();
        compareValue(r, label, "cap_pos", r.integer("cap_pos"), hw.msixCapabilityOffset().orElse(-1));
        compareValue(r, label, "bar", r.integer("bar"), x.tableBar());
        compareValue(r, label, "table_offset", r.hex("table_offset"), x.tableOffset());
        compareValue(r, label, "table_bytes", r.hex("table_bytes"), x.tableSize());
        compareValue(r, label, "pba_bar", r.integer("pba_bar"), x.pbaBar());
        compareValue(r, label, "pba_offset", r.hex("pba_offset"), x.pbaOffset());
    }

    /** The big BAR's size as the model's REGION_INFO reports it; the offsets are layout. */
    private void bigbarTarget(OracleRecord r) {
        long bar = r.integer("bar");
        if (r.hex("offset") != bar << RECORDED_SHIFT) {
            throw r.bad("offset", "is not bar << " + RECORDED_SHIFT);
        }
        regionOffset(bar);
        compareValue(r, label(r), "size", r.hex("size"), regionSize.getOrDefault(bar, -1L));
    }

    private void compareValue(OracleRecord r, String label, String field, long want, long got) {
        if (want != got) {
            diff(r, label, field, hex(want), hex(got));
        }
    }

    // ------------------------------------------------------------------ reporting

    /** What names the call among its kind: region index, argsz, fill, the probe's case. */
    static String label(OracleRecord r) {
        List<String> parts = new ArrayList<>();
        if (r.has("index")) {
            parts.add("index=" + r.integer("index"));
        }
        if (r.has("bar")) {
            parts.add("bar=" + r.integer("bar"));
        }
        if (r.has("argsz_in")) {
            parts.add("argsz=" + r.integer("argsz_in"));
        }
        if (r.has("fill")) {
            parts.add("fill=" + r.string("fill"));
        }
        if (r.has("when")) {
            parts.add("when=" + r.string("when"));
        }
        r.caseName().ifPresent(parts::add);
        return String.join(" ", parts);
    }

    private void diff(OracleRecord r, String label, String field, String expected, String actual) {
        diffs.add(new Difference(t.device(), r.seq(), r.op(), label, field, expected, actual));
    }

    private static long le(byte[] b, int start, int end) {
        long v = 0;
        for (int i = end - 1; i >= start; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String bytesHex(byte[] b, int start, int end) {
        return HexFormat.of().formatHex(b, start, end);
    }
}
