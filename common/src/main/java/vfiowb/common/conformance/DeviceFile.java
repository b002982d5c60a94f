package vfiowb.common.conformance;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Mman;
import vfiowb.common.mm.PgProt;
import vfiowb.common.uapi.CapChain;
import vfiowb.common.uapi.MalformedCapChainException;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioIndex;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.SegvException;
import vfiowb.common.userspace.SigbusException;
import vfiowb.common.userspace.UserBuffer;

/**
 * An open device file as a userspace program uses it: every call goes through {@link Process}
 * and is narrated into a {@link Transcript}, with regions named by index and file offsets
 * written as {@code region + delta}.
 *
 * <p>A region's file offset is whatever REGION_INFO last reported for it on this file; using a
 * region before asking for its info is a bug in the caller ({@link IllegalStateException}).
 * Calls return their outcome (a count or an errno) instead of throwing, so the caller decides
 * what it expected.
 */
public final class DeviceFile {
    private static final int DEVICE_INFO_ARGSZ = VfioDeviceInfo.SIZE;

    private final Process p;
    private final String device;
    private final int fd;
    private final Transcript t;
    private final Map<Long, VfioRegionInfo> known = new HashMap<>();
    private boolean pci;

    private DeviceFile(Process p, String device, int fd, Transcript t, boolean pci) {
        this.p = p;
        this.device = device;
        this.fd = fd;
        this.t = t;
        this.pci = pci;
    }

    /**
     * {@code open()}s the device; regions are named the vfio-pci way once {@link #deviceInfo}
     * reports the PCI flag.
     *
     * @throws ErrnoException if the open fails (narrated first)
     */
    public static DeviceFile open(Process p, String device, Transcript t) {
        return open(p, device, t, false);
    }

    /** {@link #open(Process, String, Transcript)} with the naming of a known profile. */
    public static DeviceFile open(Process p, DeviceProfile profile, Transcript t) {
        return open(p, profile.name(), t, profile.isPci());
    }

    private static DeviceFile open(Process p, String device, Transcript t, boolean pci) {
        try {
            int fd = p.open(device);
            t.add("open " + device + " -> ok");
            return new DeviceFile(p, device, fd, t, pci);
        } catch (ErrnoException e) {
            t.add("open " + device + " -> " + Errno.name(e.errno()));
            throw e;
        }
    }

    public Process process() {
        return p;
    }

    public String device() {
        return device;
    }

    public int fd() {
        return fd;
    }

    public Transcript transcript() {
        return t;
    }

    public Arch arch() {
        return p.arch();
    }

    /** {@code close(fd)}, narrated. */
    public void close() {
        p.close(fd);
        t.add("close -> 0");
    }

    // ------------------------------------------------------------------ naming

    /** Names regions the vfio-pci way ({@code BAR0}..{@code VGA}) from now on. */
    public void usePciNames(boolean on) {
        pci = on;
    }

    /** {@code BAR2}, {@code CONFIG}, {@code region 9}. */
    public String name(long index) {
        return regionName(pci, index);
    }

    /** The name scheme shared by profile, clients and scenarios. */
    public static String regionName(boolean pci, long index) {
        return pci ? VfioIndex.pciRegionName(index) : "region " + index;
    }

    /** {@code BAR0 + 0x8000}. */
    public String loc(long index, long delta) {
        return name(index) + " + " + Fmt.hex(delta);
    }

    /** The region's file offset as last reported on this file. */
    public long offsetOf(long index) {
        VfioRegionInfo r = known.get(index);
        if (r == null) {
            throw new IllegalStateException("region " + index + " used before REGION_INFO");
        }
        return r.offset();
    }

    /** The last successful REGION_INFO header of {@code index} on this file. */
    public Optional<VfioRegionInfo> known(long index) {
        return Optional.ofNullable(known.get(index));
    }

    /**
     * How a file offset reported by REGION_INFO is recorded: its position within a page, never
     * its value.
     */
    public static String offsetProperty(Arch arch, long offset) {
        long within = offset & (arch.pageSize() - 1);
        return within == 0 ? "page-aligned" : "page+" + Fmt.hex(within);
    }

    // ------------------------------------------------------------------ ioctls

    /** The outcome of VFIO_DEVICE_GET_INFO. */
    public record DeviceInfoCall(long ret, VfioDeviceInfo info) {
        public boolean ok() {
            return ret == 0;
        }

        public boolean hasFlag(int flag) {
            return info != null && (info.flags() & flag) == flag;
        }
    }

    /** {@code VFIO_DEVICE_GET_INFO} with {@code argsz = sizeof(struct vfio_device_info)}. */
    public DeviceInfoCall deviceInfo() {
        byte[] buf = new byte[DEVICE_INFO_ARGSZ];
        VfioDeviceInfo.of(DEVICE_INFO_ARGSZ, 0, 0, 0, 0).encodeInto(buf, 0);
        long ret = ioctl(VfioIoctl.VFIO_DEVICE_GET_INFO, UserBuffer.wrap(buf));
        if (ret != 0) {
            t.add("GET_DEVICE_INFO argsz=" + DEVICE_INFO_ARGSZ + " -> " + Fmt.errno(ret));
            return new DeviceInfoCall(ret, null);
        }
        VfioDeviceInfo info = VfioDeviceInfo.decode(buf, 0);
        pci = (info.flags() & VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI) != 0;
        t.add("GET_DEVICE_INFO argsz=" + DEVICE_INFO_ARGSZ + " -> 0: flags="
                + VfioDeviceInfo.flagNames(info.flags()) + " num_regions=" + info.numRegions()
                + " num_irqs=" + info.numIrqs());
        return new DeviceInfoCall(ret, info);
    }

    /** The outcome of VFIO_DEVICE_GET_IRQ_INFO. */
    public record IrqInfoCall(long ret, VfioIrqInfo info) {
        public boolean ok() {
            return ret == 0;
        }
    }

    /** {@code VFIO_DEVICE_GET_IRQ_INFO} for {@code index} with a 16-byte argsz. */
    public IrqInfoCall irqInfo(long index) {
        byte[] buf = new VfioIrqInfo(VfioIrqInfo.SIZE, 0, index, 0).encode();
        long ret = ioctl(VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, UserBuffer.wrap(buf));
        String name = pci ? VfioIndex.pciIrqName(index) : "irq " + index;
        if (ret != 0) {
            t.add("GET_IRQ_INFO " + name + " -> " + Fmt.errno(ret));
            return new IrqInfoCall(ret, null);
        }
        VfioIrqInfo info = VfioIrqInfo.decode(buf, 0);
        t.add("GET_IRQ_INFO " + name + " -> 0: flags=" + VfioIrqInfo.flagNames(info.flags())
                + " count=" + info.count());
        return new IrqInfoCall(ret, info);
    }

    /** {@code VFIO_DEVICE_RESET}: 0 or a negative errno. */
    public long reset() {
        long ret = ioctl(VfioIoctl.VFIO_DEVICE_RESET, UserBuffer.ofValue(0));
        t.add("VFIO_DEVICE_RESET -> " + Fmt.ret(ret));
        return ret;
    }

    /**
     * {@code VFIO_DEVICE_IOEVENTFD} writing {@code width} bytes of {@code data} at
     * {@code region + delta} when eventfd {@code efd} fires ({@code efd} -1 removes).
     */
    public long ioeventfd(long index, long delta, int width, long data, int efd) {
        byte[] buf = VfioDeviceIoeventfd.of(width, offsetOf(index) + delta, data, efd).encode();
        long ret = ioctl(VfioIoctl.VFIO_DEVICE_IOEVENTFD, UserBuffer.wrap(buf));
        t.add("VFIO_DEVICE_IOEVENTFD " + loc(index, delta) + " size=" + width + " data="
                + Fmt.hex(data) + " fd=" + efd + " -> " + Fmt.ret(ret));
        return ret;
    }

    private long ioctl(int request, UserBuffer arg) {
        try {
            return p.ioctl(fd, request, arg);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    // ------------------------------------------------------------------ REGION_INFO

    /** One VFIO_DEVICE_GET_REGION_INFO call: what was passed, what came back. */
    public static final class RegionInfoCall {
        private final long index;
        private final long argszIn;
        private final long ret;
        private final byte[] buf;
        private final UserBuffer user;
        private final VfioRegionInfo head;
        private final List<CapChain.Found> found;
        private final List<RegionCap> caps;
        private final String chainError;

        RegionInfoCall(long index, long argszIn, long ret, byte[] buf, UserBuffer user,
                VfioRegionInfo head, List<CapChain.Found> found, List<RegionCap> caps,
                String chainError) {
            this.index = index;
            this.argszIn = argszIn;
            this.ret = ret;
            this.buf = buf;
            this.user = user;
            this.head = head;
            this.found = found;
            this.caps = caps;
            this.chainError = chainError;
        }

        public long index() {
            return index;
        }

        /** The argsz userspace passed. */
        public long argszIn() {
            return argszIn;
        }

        /** 0 or a negative errno. */
        public long ret() {
            return ret;
        }

        public boolean ok() {
            return ret == 0;
        }

        public int errno() {
            return (int) -ret;
        }

        /** The user buffer after the call (the caller's bytes, as the kernel left them). */
        public byte[] buffer() {
            return buf;
        }

        /** What the kernel read and wrote of the buffer. */
        public UserBuffer user() {
            return user;
        }

        /** The 32-byte header as returned; null when the call failed. */
        public VfioRegionInfo head() {
            return head;
        }

        public boolean hasFlag(int flag) {
            return head != null && head.hasFlag(flag);
        }

        /** The capabilities copied out, in chain order (empty when none were copied). */
        public List<RegionCap> caps() {
            return caps;
        }

        /** Where each capability header sits in the buffer, in chain order. */
        public List<CapChain.Found> chain() {
            return found;
        }

        /** Why the copied chain could not be walked safely; null when it could. */
        public String chainError() {
            return chainError;
        }

        /** CAPS set and cap_offset 0: the buffer was too small for the chain. */
        public boolean needsLargerBuffer() {
            return head != null && head.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS)
                    && head.capOffset() == 0;
        }

        public <T extends RegionCap> Optional<T> cap(Class<T> kind) {
            for (RegionCap c : caps) {
                if (kind.isInstance(c)) {
                    return Optional.of(kind.cast(c));
                }
            }
            return Optional.empty();
        }

        public Optional<RegionCap.Sparse> sparse() {
            return cap(RegionCap.Sparse.class);
        }

        public Optional<RegionCap.Type> type() {
            return cap(RegionCap.Type.class);
        }

        public boolean msixMappable() {
            return cap(RegionCap.MsixMappable.class).isPresent();
        }
    }

    /** One GET_REGION_INFO with a buffer of exactly {@code max(argsz, 32)} zeroed bytes. */
    public RegionInfoCall regionInfo(long index, long argsz) {
        return regionInfo(index, argsz, (int) Math.max(argsz, VfioRegionInfo.SIZE), (byte) 0);
    }

    /**
     * One GET_REGION_INFO with a buffer of {@code bufLen} bytes filled with {@code fill} before
     * the header (argsz, index, the rest 0) is written, so that what the kernel wrote beyond
     * what it should shows.
     */
    public RegionInfoCall regionInfo(long index, long argsz, int bufLen, byte fill) {
        byte[] buf = new byte[Math.max(bufLen, VfioRegionInfo.SIZE)];
        Arrays.fill(buf, fill);
        new VfioRegionInfo(argsz, 0, index, 0, 0, 0).encodeInto(buf, 0);
        UserBuffer ub = UserBuffer.wrap(buf);
        long ret = ioctl(VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, ub);
        String call = "GET_REGION_INFO " + name(index) + " argsz=" + argsz;
        if (ret != 0) {
            t.add(call + " -> " + Fmt.errno(ret));
            return new RegionInfoCall(index, argsz, ret, buf, ub, null, List.of(), List.of(), null);
        }
        VfioRegionInfo head = VfioRegionInfo.decode(buf, 0);
        StringBuilder sb = new StringBuilder(call).append(" -> 0: argsz=").append(head.argsz())
                .append(" flags=").append(VfioRegionInfo.flagNames(head.flags()))
                .append(" cap_offset=").append(head.capOffset())
                .append(" size=").append(Fmt.hex(head.size()))
                .append(" offset=").append(offsetProperty(arch(), head.offset()));
        if (head.index() != index) {
            sb.append(" index=").append(head.index());
        }
        t.add(sb.toString());
        List<CapChain.Found> found = List.of();
        List<RegionCap> caps = List.of();
        String chainError = null;
        if (head.hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS) && head.capOffset() != 0) {
            try {
                found = CapChain.walk(buf, head.argsz(), head.capOffset(), VfioRegionInfo.SIZE);
                caps = CapChain.parse(buf, head.argsz(), head.capOffset());
            } catch (MalformedCapChainException e) {
                chainError = e.getMessage();
                found = List.of();
                caps = List.of();
            }
        }
        if (chainError != null) {
            t.fail("capability chain of " + name(index) + " malformed: " + chainError);
        }
        for (int i = 0; i < caps.size(); i++) {
            t.add("  " + describeCap(found.get(i), caps.get(i)));
        }
        known.put(index, head);
        return new RegionInfoCall(index, argsz, ret, buf, ub, head, found, caps, chainError);
    }

    /** {@code cap@32 SPARSE_MMAP v1 next=0 nr_areas=1 areas=[0x0+0x1000]}. */
    public static String describeCap(CapChain.Found at, RegionCap cap) {
        StringBuilder sb = new StringBuilder("cap@").append(at.offset()).append(' ')
                .append(VfioRegionInfo.capName(cap.id())).append(" v").append(cap.version())
                .append(" next=").append(at.header().next());
        if (cap instanceof RegionCap.Sparse) {
            RegionCap.Sparse s = (RegionCap.Sparse) cap;
            sb.append(" nr_areas=").append(s.nrAreas()).append(" areas=[");
            for (int i = 0; i < s.areas().size(); i++) {
                VfioRegionSparseMmapArea a = s.areas().get(i);
                sb.append(i == 0 ? "" : ", ").append(Fmt.hex(a.offset())).append('+')
                        .append(Fmt.hex(a.size()));
            }
            sb.append(']');
        } else if (cap instanceof RegionCap.Type) {
            RegionCap.Type ty = (RegionCap.Type) cap;
            sb.append(" type=").append(VfioRegionType.typeName(ty.type())).append(" subtype=")
                    .append(VfioRegionType.subtypeName(ty.type(), ty.subtype()));
        } else if (cap instanceof RegionCap.Unknown) {
            sb.append(" body=").append(((RegionCap.Unknown) cap).body().length).append(" bytes");
        }
        return sb.toString();
    }

    /** Bound on REGION_INFO retries: a loop that needs more has met a kernel that never settles. */
    public static final int MAX_ARGSZ_ROUNDS = 8;

    /**
     * QEMU's {@code vfio_device_get_region_info}: start with 32 bytes, re-issue while the
     * returned argsz is larger than the one passed. A loop that does not settle within
     * {@link #MAX_ARGSZ_ROUNDS} calls fails the run.
     */
    public RegionInfoCall regionInfoWhileGrows(long index) {
        long argsz = VfioRegionInfo.SIZE;
        for (int round = 0; round < MAX_ARGSZ_ROUNDS; round++) {
            RegionInfoCall c = regionInfo(index, argsz);
            if (!c.ok() || c.head().argsz() <= argsz) {
                return c;
            }
            argsz = c.head().argsz();
        }
        t.fail("REGION_INFO argsz of " + name(index) + " still growing after "
                + MAX_ARGSZ_ROUNDS + " calls");
        return regionInfo(index, argsz);
    }

    /**
     * {@link #regionInfoWhileGrows} for a region the caller cannot do without: a failure is
     * recorded and ends the run ({@link AbortRun}).
     */
    public RegionInfoCall requireRegionInfo(long index) {
        RegionInfoCall c = regionInfoWhileGrows(index);
        if (!c.ok()) {
            t.fail(name(index) + ": REGION_INFO failed with " + Fmt.errno(c.ret()));
            throw new AbortRun(name(index) + ": REGION_INFO failed");
        }
        return c;
    }

    /**
     * DPDK's {@code pci_vfio_get_region_info}: zero the buffer, re-issue while the returned argsz
     * differs from the one passed (so also when it shrinks).
     */
    public RegionInfoCall regionInfoWhileDiffers(long index) {
        long argsz = VfioRegionInfo.SIZE;
        for (int round = 0; round < MAX_ARGSZ_ROUNDS; round++) {
            RegionInfoCall c = regionInfo(index, argsz);
            if (!c.ok() || c.head().argsz() == argsz) {
                return c;
            }
            argsz = c.head().argsz();
        }
        t.fail("REGION_INFO argsz of " + name(index) + " did not settle after "
                + MAX_ARGSZ_ROUNDS + " calls");
        return regionInfo(index, argsz);
    }

    // ------------------------------------------------------------------ read / write

    /** A pread or pwrite: the count or negative errno, and the bytes (read back or sent). */
    public record Rw(long ret, byte[] data) {
        public boolean ok() {
            return ret >= 0;
        }

        public int errno() {
            return (int) -ret;
        }

        /** The little-endian value of the first {@code width} bytes. */
        public long value(int width) {
            return Fmt.le(data, 0, width);
        }
    }

    /** {@code pread(fd, buf, len, region offset + delta)}. */
    public Rw pread(long index, long delta, int len) {
        byte[] buf = new byte[len];
        long ret;
        try {
            ret = p.pread(fd, buf, offsetOf(index) + delta);
        } catch (ErrnoException e) {
            ret = -e.errno();
        }
        t.add("pread " + loc(index, delta) + " len=" + len + " -> " + Fmt.ret(ret)
                + (ret > 0 ? " " + Fmt.bytes(buf, (int) ret) : ""));
        return new Rw(ret, buf);
    }

    /** {@code pwrite(fd, data, data.length, region offset + delta)}. */
    public Rw pwrite(long index, long delta, byte[] data) {
        long ret;
        try {
            ret = p.pwrite(fd, data, offsetOf(index) + delta);
        } catch (ErrnoException e) {
            ret = -e.errno();
        }
        t.add("pwrite " + loc(index, delta) + " " + Fmt.bytes(data, data.length) + " -> "
                + Fmt.ret(ret));
        return new Rw(ret, data);
    }

    /** pread of a little-endian value; empty unless exactly {@code width} bytes came back. */
    public Optional<Long> readValue(long index, long delta, int width) {
        Rw r = pread(index, delta, width);
        return r.ret() == width ? Optional.of(r.value(width)) : Optional.empty();
    }

    /** pwrite of a little-endian value; true when exactly {@code width} bytes went. */
    public boolean writeValue(long index, long delta, int width, long value) {
        return pwrite(index, delta, Fmt.le(value, width)).ret() == width;
    }

    // ------------------------------------------------------------------ mmap

    /** A mapping of part of a region, made through this file. */
    public static final class Mapped {
        private final Mapping mapping;
        private final long index;
        private final long delta;
        private final long length;

        Mapped(Mapping mapping, long index, long delta, long length) {
            this.mapping = mapping;
            this.index = index;
            this.delta = delta;
            this.length = length;
        }

        public Mapping mapping() {
            return mapping;
        }

        public long index() {
            return index;
        }

        /** Where in the region the mapping starts. */
        public long delta() {
            return delta;
        }

        public long length() {
            return length;
        }
    }

    /** An mmap outcome: the mapping, or the errno. */
    public record MmapCall(Mapped mapped, int errno) {
        public boolean ok() {
            return mapped != null;
        }
    }

    /**
     * {@code mmap(addr, len, prot, flags, fd, region offset + delta)}. With {@code MAP_FIXED}
     * the transcript says whether the mapping landed at {@code addr}; addresses themselves are
     * never recorded. A success also records the page protection the driver chose.
     */
    public MmapCall mmap(long addr, long len, int prot, int flags, long index, long delta) {
        String call = "mmap " + loc(index, delta) + " len=" + Fmt.hex(len) + " "
                + Mman.protToString(prot) + " " + Mman.flagsToString(flags);
        try {
            Mapping m = p.mmap(addr, len, prot, flags, fd, offsetOf(index) + delta);
            PgProt pg = m.pgprot();
            String where = (flags & Mman.MAP_FIXED) != 0
                    ? (m.addr() == addr ? " at the requested address" : " NOT at the requested address")
                    : "";
            t.add(call + " -> ok" + where + " pgprot=" + pg);
            return new MmapCall(new Mapped(m, index, delta, len), 0);
        } catch (ErrnoException e) {
            t.add(call + " -> " + Errno.name(e.errno()));
            return new MmapCall(null, e.errno());
        }
    }

    /** {@code mmap(hint, len, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)}: an address reservation. */
    public Optional<Mapping> reserve(long len) {
        try {
            Mapping m = p.mmap(0, len, Mman.PROT_NONE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, -1, 0);
            t.add("reserve anonymous PROT_NONE len=" + Fmt.hex(len) + " -> ok");
            return Optional.of(m);
        } catch (ErrnoException e) {
            t.add("reserve anonymous PROT_NONE len=" + Fmt.hex(len) + " -> " + Errno.name(e.errno()));
            return Optional.empty();
        }
    }

    /**
     * {@code munmap(addr, len)} whose result a C client ignores (trimming a reservation, undoing
     * a failed setup); not narrated, since whether it fails depends on addresses.
     */
    public void unmapQuietly(long addr, long len) {
        if (len <= 0) {
            return;
        }
        try {
            p.munmap(addr, len);
        } catch (ErrnoException e) {
            // as C: munmap's error is ignored
        }
    }

    /** {@code munmap} of a region mapping, narrated. */
    public void munmap(Mapped m) {
        String call = "munmap " + loc(m.index(), m.delta()) + " len=" + Fmt.hex(m.length());
        try {
            p.munmap(m.mapping().addr(), m.length());
            t.add(call + " -> 0");
        } catch (ErrnoException e) {
            t.add(call + " -> " + Errno.name(e.errno()));
        }
    }

    /** A load or store through a mapping: the value, or the signal it raised. */
    public record Access(Long value, String signal) {
        public boolean ok() {
            return signal == null;
        }

        public boolean sigbus() {
            return "SIGBUS".equals(signal);
        }
    }

    /** A {@code width}-byte load at {@code region + regionDelta} through {@code m}. */
    public Access load(Mapped m, long regionDelta, int width) {
        String what = "load" + (8 * width) + " " + loc(m.index(), regionDelta) + " via mapping";
        try {
            long v = m.mapping().load(regionDelta - m.delta(), width);
            t.add(what + " -> " + Fmt.hex(v));
            return new Access(v, null);
        } catch (SigbusException e) {
            t.add(what + " -> SIGBUS");
            return new Access(null, "SIGBUS");
        } catch (SegvException e) {
            t.add(what + " -> SIGSEGV");
            return new Access(null, "SIGSEGV");
        }
    }

    /** A {@code width}-byte store at {@code region + regionDelta} through {@code m}. */
    public Access store(Mapped m, long regionDelta, int width, long value) {
        String what = "store" + (8 * width) + " " + loc(m.index(), regionDelta) + " = "
                + Fmt.hex(value) + " via mapping";
        try {
            m.mapping().store(regionDelta - m.delta(), width, value);
            t.add(what + " -> ok");
            return new Access(value, null);
        } catch (SigbusException e) {
            t.add(what + " -> SIGBUS");
            return new Access(null, "SIGBUS");
        } catch (SegvException e) {
            t.add(what + " -> SIGSEGV");
            return new Access(null, "SIGSEGV");
        }
    }

    @Override
    public String toString() {
        return "DeviceFile[" + device + ", fd " + fd + "]";
    }
}
