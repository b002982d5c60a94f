package vfiowb.common.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.KernelBug;
import vfiowb.common.errno.KernelBugException;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.SparseMemory;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.hw.VfioPciConfig;
import vfiowb.common.mm.AddressSpace;
import vfiowb.common.mm.Arch;
import vfiowb.common.mm.Memory;
import vfiowb.common.mm.PgProt;
import vfiowb.common.mm.VmArea;
import vfiowb.common.mm.VmFault;
import vfiowb.common.mm.VmFaultResult;
import vfiowb.common.mm.VmFlag;
import vfiowb.common.mm.VmOperations;
import vfiowb.common.stage.BootedHost;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.VfioHost;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.RegionCap;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioDeviceIoeventfd;
import vfiowb.common.uapi.VfioInfoCap;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioIrqInfo;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.uapi.VfioRegionSparseMmapArea;
import vfiowb.common.uapi.VfioRegionType;
import vfiowb.common.userspace.KernelFile;
import vfiowb.common.userspace.UserBuffer;

/**
 * A small vfio-pci of the suite's own, for testing the suite without a stage module: the
 * userspace-visible rules of kernel-facts §0.2/§D for BARs, ROM, config and MSI-X, with a
 * deliberately different offset layout (region {@code i} at {@code (i + 1) << 32}) and, on
 * request, a device-specific region 9 with a TYPE and a two-area SPARSE_MMAP capability.
 *
 * <p>Each {@link Fault} plants one violation of a kernel rule, so tests can show that the
 * scenario owning that rule fails.
 */
public final class FakeVfioPciStage implements Stage {

    /** A planted violation. */
    public enum Fault {
        /** REGION_INFO never sets CAPS, though it still produces a chain (CAP-07). */
        NO_CAPS_FLAG,
        /** mmap accepts a mapping without VM_SHARED (MM-02). */
        ACCEPT_PRIVATE,
        /** REGION_INFO accepts argsz below 32 (RI-04). */
        ARGSZ_UNCHECKED,
        /** read/write reach the MSI-X table (RW-05). */
        MSIX_TABLE_EXPOSED,
        /** VFIO_DEVICE_RESET leaves BAR mappings in place (MM-11). */
        NO_ZAP_ON_RESET,
        /** Memory decode off stops nothing (RW-07). */
        MEMORY_DISABLE_IGNORED,
        /** The last capability's next points back at itself (CAP-08, clients). */
        LOOPING_CHAIN,
        /**
         * With a too-small argsz the chain is copied anyway, into whatever user memory lies
         * past byte 32 (RI-02, CAP-08).
         */
        COPY_CAPS_PAST_ARGSZ,
        /** Config-space reads break a model invariant ({@link IllegalStateException}). */
        BROKEN_INVARIANT,
        /**
         * A config read reaching past config space is an out-of-bounds access in the "kernel"
         * ({@link KernelBugException}), as in the mtty sample (RW-01, RW-11).
         */
        CONFIG_READ_OUT_OF_BOUNDS
    }

    /** Optional shapes beyond plain vfio-pci. */
    public enum Extra {
        /** Region 9: TYPE (vendor 0x1b36, subtype 1) and SPARSE_MMAP (0x2000+0x1000, 0x4000+0x2000). */
        SPARSE_REGION_9,
        /** BAR0 reports one sparse area over its first half and maps only that, as nvgrace does. */
        SPARSE_BAR0,
        /**
         * A kernel before MSI-X became mappable (v4.16): no MSIX_MAPPABLE capability, and mmap
         * refuses any range touching the pages of the table.
         */
        MSIX_NOT_MAPPABLE,
        /** GET_INFO says PLATFORM instead of PCI. */
        PLATFORM_FLAGS
    }

    private static final int NUM_REGIONS = 9;
    private static final int SPARSE_INDEX = 9;
    private static final long SPARSE_SIZE = 0x8000;
    private static final List<VfioRegionSparseMmapArea> SPARSE_AREAS = List.of(
            new VfioRegionSparseMmapArea(0x2000, 0x1000), new VfioRegionSparseMmapArea(0x4000, 0x2000));
    private static final int MINSZ = VfioRegionInfo.SIZE;

    private final Set<Fault> faults;
    private final boolean sparseRegion;
    private final boolean sparseBar0;
    private final boolean msixNotMappable;
    private final boolean platform;

    public FakeVfioPciStage(Set<Fault> faults, Set<Extra> extras) {
        this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        this.sparseRegion = extras.contains(Extra.SPARSE_REGION_9);
        this.sparseBar0 = extras.contains(Extra.SPARSE_BAR0);
        this.msixNotMappable = extras.contains(Extra.MSIX_NOT_MAPPABLE);
        this.platform = extras.contains(Extra.PLATFORM_FLAGS);
    }

    public FakeVfioPciStage() {
        this(Set.of(), Set.of());
    }

    @Override
    public int number() {
        return 0;
    }

    @Override
    public String module() {
        return "fake-vfio-pci";
    }

    @Override
    public String title() {
        return "a fake vfio-pci for testing the conformance suite";
    }

    @Override
    public List<String> patchSubjects() {
        return List.of();
    }

    @Override
    public String packageRoot() {
        return "vfiowb.common.conformance";
    }

    @Override
    public VfioHost boot(Arch arch, List<DeviceSpec> devices) {
        SystemBus bus = new SystemBus();
        BootedHost host = new BootedHost(arch, bus);
        for (DeviceSpec spec : devices) {
            PciFunction pdev = (PciFunction) spec.create(bus);
            Dev dev = new Dev(pdev, arch, bus);
            host.add(spec.name(), pdev, () -> new File(dev));
        }
        return host;
    }

    static long offset(long index) {
        return (index + 1) << 32;
    }

    static long indexOf(long pos) {
        return (pos >>> 32) - 1;
    }

    static long inRegion(long pos) {
        return pos & 0xFFFF_FFFFL;
    }

    /** The device state vfio-pci keeps: config virtualisation, mmap eligibility, locks. */
    private final class Dev {
        final PciFunction pdev;
        final Arch arch;
        final AddressSpace mapping;
        final ReentrantReadWriteLock memoryLock = new ReentrantReadWriteLock();
        final VfioPciConfig config;
        final boolean[] mmapOk = new boolean[6];
        final SparseMemory sparse;
        final long sparsePhys;
        final List<long[]> ioeventfds = new ArrayList<>();

        Dev(PciFunction pdev, Arch arch, SystemBus bus) {
            this.pdev = pdev;
            this.arch = arch;
            this.mapping = new AddressSpace(arch, pdev.name());
            pdev.pciEnableDevice();
            this.config = new VfioPciConfig(pdev, new VfioPciConfig.MemoryLock() {
                @Override
                public void zapAndDownWrite() {
                    memoryLock.writeLock().lock();
                    zap();
                }

                @Override
                public void downWrite() {
                    memoryLock.writeLock().lock();
                }

                @Override
                public void upWrite() {
                    memoryLock.writeLock().unlock();
                }
            });
            for (int i = 0; i < 6; i++) {
                long len = pdev.pciResourceLen(i);
                mmapOk[i] = pdev.isMemBar(i) && len > 0
                        && (len >= arch.pageSize() || arch.isPageAligned(pdev.pciResourceStart(i)));
            }
            if (sparseRegion) {
                sparse = new SparseMemory(SPARSE_SIZE);
                sparsePhys = bus.place(SystemBus.Window.RAM, SPARSE_SIZE, arch.pageSize(), sparse);
            } else {
                sparse = null;
                sparsePhys = 0;
            }
        }

        int numRegions() {
            return NUM_REGIONS + (sparseRegion ? 1 : 0);
        }

        void zap() {
            Memory.unmapMappingRange(mapping, offset(0), offset(6) - offset(0), true);
        }

        boolean memoryEnabled() {
            return faults.contains(Fault.MEMORY_DISABLE_IGNORED) || config.memoryEnabled();
        }

        long tableStart(int bar) {
            return pdev.hasMsix() && pdev.msixTableBar() == bar && !faults.contains(Fault.MSIX_TABLE_EXPOSED)
                    ? pdev.msixTableOffset() : -1;
        }
    }

    private final class File implements KernelFile {
        private final Dev d;

        File(Dev d) {
            this.d = d;
        }

        @Override
        public long read(UserBuffer buf, long count, long pos) {
            return rw(buf, count, pos, false);
        }

        @Override
        public long write(UserBuffer buf, long count, long pos) {
            return rw(buf, count, pos, true);
        }

        private long rw(UserBuffer buf, long count, long pos, boolean write) {
            if (count == 0) {
                return 0;
            }
            long index = indexOf(pos);
            long off = inRegion(pos);
            if (pos < offset(0) || index >= d.numRegions()) {
                return -Errno.EINVAL;
            }
            if (index == 7) {
                if (faults.contains(Fault.BROKEN_INVARIANT)) {
                    throw new IllegalStateException("planted: config state lost");
                }
                if (faults.contains(Fault.CONFIG_READ_OUT_OF_BOUNDS) && !write
                        && off + count > d.pdev.cfgSize()) {
                    throw new KernelBugException("drivers/vfio/pci/fake.c:fake_config_read",
                            KernelBug.Kind.OUT_OF_BOUNDS, "planted: config read past cfg_size");
                }
                return d.config.rw(buf, count, off, write);
            }
            if (index == 8) {
                return -Errno.EINVAL;
            }
            if (index == SPARSE_INDEX) {
                return bytes(buf, count, off, write, SPARSE_SIZE, (o, w) -> d.sparse.read(o, w),
                        (o, w, v) -> d.sparse.write(o, w, v), -1, -1, false);
            }
            if (index == 6) {
                long size = d.pdev.romSize();
                if (write || size == 0 || d.pdev.romShadow()) {
                    return -Errno.EINVAL;
                }
                long image = d.pdev.pciMapRomSize();
                return bytes(buf, count, off, false, size, (o, w) -> o + w <= image ? d.pdev.romRead(o, w)
                        : Fmt.ones(w), null, -1, -1, false);
            }
            int bar = (int) index;
            long len = d.pdev.pciResourceLen(bar);
            if (len == 0) {
                return -Errno.EINVAL;
            }
            long x = d.tableStart(bar);
            long xEnd = x < 0 ? -1 : x + d.pdev.msixTableSize();
            return bytes(buf, count, off, write, len, (o, w) -> d.pdev.barRead(bar, o, w),
                    (o, w, v) -> d.pdev.barWrite(bar, o, w, v), x, xEnd, d.pdev.isMemBar(bar));
        }

        private long bytes(UserBuffer buf, long count, long off, boolean write, long end, Reader rd,
                Writer wr, long xStart, long xEnd, boolean testMem) {
            if (off >= end) {
                return -Errno.EINVAL;
            }
            count = Math.min(count, end - off);
            long done = 0;
            while (done < count) {
                long o = off + done;
                int w = (count - done >= 4 && o % 4 == 0) ? 4 : (count - done >= 2 && o % 2 == 0) ? 2 : 1;
                byte[] b = new byte[w];
                boolean excluded = o < xEnd && o + w > xStart;
                if (excluded) {
                    w = 1;
                    b = new byte[] {(byte) 0xff};
                    if (!write && buf.copyToUser(done, b, 0, 1) != 0) {
                        return -Errno.EFAULT;
                    }
                    done += 1;
                    continue;
                }
                if (testMem && !d.memoryEnabled()) {
                    return -Errno.EIO;
                }
                if (write) {
                    if (buf.copyFromUser(b, 0, done, w) != 0) {
                        return -Errno.EFAULT;
                    }
                    wr.write(o, w, Fmt.le(b, 0, w));
                } else {
                    if (buf.copyToUser(done, Fmt.le(rd.read(o, w), w), 0, w) != 0) {
                        return -Errno.EFAULT;
                    }
                }
                done += w;
            }
            return done;
        }

        @Override
        public long unlockedIoctl(int cmd, UserBuffer arg) {
            switch (cmd) {
                case VfioIoctl.VFIO_DEVICE_GET_INFO:
                    return deviceInfo(arg);
                case VfioIoctl.VFIO_DEVICE_GET_REGION_INFO:
                    return regionInfo(arg);
                case VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO:
                    return irqInfo(arg);
                case VfioIoctl.VFIO_DEVICE_RESET:
                    if (!d.pdev.pciResetSupported()) {
                        return -Errno.EINVAL;
                    }
                    d.memoryLock.writeLock().lock();
                    try {
                        if (!faults.contains(Fault.NO_ZAP_ON_RESET)) {
                            d.zap();
                        }
                        return d.pdev.pciTryResetFunction();
                    } finally {
                        d.memoryLock.writeLock().unlock();
                    }
                case VfioIoctl.VFIO_DEVICE_IOEVENTFD:
                    return ioeventfd(arg);
                default:
                    return -Errno.ENOTTY;
            }
        }

        private long deviceInfo(UserBuffer arg) {
            byte[] head = new byte[VfioDeviceInfo.SIZE];
            if (arg.copyFromUser(head, 0, 0, 16) != 0) {
                return -Errno.EFAULT;
            }
            if (LE.getU32(head, 0) < 16) {
                return -Errno.EINVAL;
            }
            long flags = (platform ? VfioDeviceInfo.VFIO_DEVICE_FLAGS_PLATFORM : VfioDeviceInfo.VFIO_DEVICE_FLAGS_PCI)
                    | (d.pdev.pciResetSupported() ? VfioDeviceInfo.VFIO_DEVICE_FLAGS_RESET : 0);
            byte[] out = VfioDeviceInfo.of(LE.getU32(head, 0), flags, d.numRegions(), 5, 0).encode();
            return arg.copyToUser(0, out, 0, 16) != 0 ? -Errno.EFAULT : 0;
        }

        private long irqInfo(UserBuffer arg) {
            byte[] head = new byte[VfioIrqInfo.SIZE];
            if (arg.copyFromUser(head, 0, 0, head.length) != 0) {
                return -Errno.EFAULT;
            }
            VfioIrqInfo in = VfioIrqInfo.decode(head, 0);
            if (in.argsz() < VfioIrqInfo.SIZE || in.index() >= 5 || (in.index() == 3 && !d.pdev.isPcie())) {
                return -Errno.EINVAL;
            }
            long count = in.index() == 2 ? (d.pdev.hasMsix() ? d.pdev.msixTableSize() / 16 : 0) : 1;
            byte[] out = new VfioIrqInfo(in.argsz(), VfioIrqInfo.VFIO_IRQ_INFO_EVENTFD, in.index(), count).encode();
            return arg.copyToUser(0, out, 0, out.length) != 0 ? -Errno.EFAULT : 0;
        }

        private long regionInfo(UserBuffer arg) {
            byte[] head = new byte[MINSZ];
            if (arg.copyFromUser(head, 0, 0, MINSZ) != 0) {
                return -Errno.EFAULT;
            }
            VfioRegionInfo in = VfioRegionInfo.decode(head, 0);
            if (in.argsz() < MINSZ && !faults.contains(Fault.ARGSZ_UNCHECKED)) {
                return -Errno.EINVAL;
            }
            long index = in.index();
            if (index >= d.numRegions()) {
                return -Errno.EINVAL;
            }
            long flags = 0;
            long size = 0;
            VfioInfoCap caps = new VfioInfoCap();
            int rw = VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ | VfioRegionInfo.VFIO_REGION_INFO_FLAG_WRITE;
            if (index <= 5) {
                size = d.pdev.pciResourceLen((int) index);
                if (size != 0) {
                    flags = rw;
                    if (d.mmapOk[(int) index]) {
                        flags |= VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
                        if (d.pdev.hasMsix() && d.pdev.msixTableBar() == index && !msixNotMappable) {
                            VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.MsixMappable.of());
                        }
                        if (sparseBar0 && index == 0) {
                            VfioInfoCap.vfioInfoAddCapability(caps,
                                    RegionCap.Sparse.of(new VfioRegionSparseMmapArea(0, size / 2)));
                        }
                    }
                }
            } else if (index == 6) {
                size = d.pdev.romShadow() ? 0 : d.pdev.romSize();
                flags = size == 0 || d.pdev.pciMapRomSize() == 0 ? 0 : VfioRegionInfo.VFIO_REGION_INFO_FLAG_READ;
                size = flags == 0 ? 0 : size;
            } else if (index == 7) {
                size = d.pdev.cfgSize();
                flags = rw;
            } else if (index == 8) {
                return -Errno.EINVAL;
            } else {
                size = SPARSE_SIZE;
                flags = rw | VfioRegionInfo.VFIO_REGION_INFO_FLAG_MMAP;
                VfioInfoCap.vfioInfoAddCapability(caps,
                        RegionCap.Type.of(VfioRegionType.pciVendorType(0x1b36), 1));
                VfioInfoCap.vfioInfoAddCapability(caps, RegionCap.Sparse.of(SPARSE_AREAS));
            }
            long argsz = in.argsz();
            long capOffset = 0;
            if (caps.size() != 0) {
                if (!faults.contains(Fault.NO_CAPS_FLAG)) {
                    flags |= VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS;
                }
                boolean fits = argsz >= MINSZ + caps.size();
                if (!fits) {
                    argsz = MINSZ + caps.size();
                }
                if (fits || faults.contains(Fault.COPY_CAPS_PAST_ARGSZ)) {
                    VfioInfoCap.vfioInfoCapShift(caps, MINSZ);
                    byte[] chain = caps.bytes();
                    if (faults.contains(Fault.LOOPING_CHAIN)) {
                        int last = MINSZ;
                        while (LE.getU32(chain, last - MINSZ + 4) != 0) {
                            last = (int) LE.getU32(chain, last - MINSZ + 4);
                        }
                        LE.putU32(chain, last - MINSZ + 4, last);
                    }
                    int n = fits ? chain.length : Math.min(chain.length, arg.length() - MINSZ);
                    if (n > 0 && arg.copyToUser(MINSZ, chain, 0, n) != 0) {
                        return -Errno.EFAULT;
                    }
                    capOffset = fits ? MINSZ : 0;
                }
            }
            byte[] out = new VfioRegionInfo(argsz, flags, index, capOffset, size, offset(index)).encode();
            return arg.copyToUser(0, out, 0, MINSZ) != 0 ? -Errno.EFAULT : 0;
        }

        private long ioeventfd(UserBuffer arg) {
            byte[] head = new byte[VfioDeviceIoeventfd.SIZE];
            if (arg.copyFromUser(head, 0, 0, head.length) != 0) {
                return -Errno.EFAULT;
            }
            VfioDeviceIoeventfd e = VfioDeviceIoeventfd.decode(head, 0);
            int width = e.writeSize();
            long bar = indexOf(e.offset());
            long pos = inRegion(e.offset());
            if (width == 0 || e.unknownFlags() != 0 || e.offset() < offset(0) || bar > 5
                    || pos + width > d.pdev.pciResourceLen((int) bar)) {
                return -Errno.EINVAL;
            }
            long x = d.tableStart((int) bar);
            if (x >= 0 && pos < x + d.pdev.msixTableSize() && pos + width > x) {
                return -Errno.EINVAL;
            }
            for (int i = 0; i < d.ioeventfds.size(); i++) {
                long[] k = d.ioeventfds.get(i);
                if (k[0] == e.offset() && k[1] == e.data() && k[2] == width) {
                    if (e.fd() == -1) {
                        d.ioeventfds.remove(i);
                        return 0;
                    }
                    return -Errno.EEXIST;
                }
            }
            if (e.fd() < 0) {
                return -Errno.ENODEV;
            }
            d.ioeventfds.add(new long[] {e.offset(), e.data(), width});
            return 0;
        }

        @Override
        public int mmap(VmArea vma) {
            Arch arch = d.arch;
            long pos = vma.vmPgoff() << arch.pageShift();
            long index = indexOf(pos);
            if (pos < offset(0) || index >= d.numRegions()) {
                return -Errno.EINVAL;
            }
            if (!vma.hasFlag(VmFlag.VM_SHARED) && !faults.contains(Fault.ACCEPT_PRIVATE)) {
                return -Errno.EINVAL;
            }
            long start = inRegion(pos);
            long len = vma.length();
            long basePfn;
            if (index == SPARSE_INDEX) {
                boolean inside = SPARSE_AREAS.stream()
                        .anyMatch(a -> start >= a.offset() && start + len <= a.offset() + a.size());
                if (!inside) {
                    return -Errno.EINVAL;
                }
                basePfn = d.sparsePhys >>> arch.pageShift();
            } else if (index >= 6 || !d.mmapOk[(int) index]
                    || start + len > arch.pageAlign(d.pdev.pciResourceLen((int) index))
                    || (sparseBar0 && index == 0 && start + len > d.pdev.pciResourceLen(0) / 2)) {
                return -Errno.EINVAL;
            } else if (msixNotMappable && d.pdev.hasMsix() && d.pdev.msixTableBar() == index
                    && start < arch.pageAlign(d.pdev.msixTableOffset() + d.pdev.msixTableSize())
                    && start + len > (d.pdev.msixTableOffset() & -arch.pageSize())) {
                return -Errno.EINVAL;
            } else {
                basePfn = d.pdev.pciResourceStart((int) index) >>> arch.pageShift();
            }
            boolean bar = index < 6;
            long firstPfn = basePfn + (start >>> arch.pageShift());
            vma.setPageProt(PgProt.UC);
            vma.vmFlagsSet(VmFlag.VM_IO, VmFlag.VM_PFNMAP, VmFlag.VM_DONTEXPAND, VmFlag.VM_DONTDUMP);
            vma.setVmOps(new VmOperations() {
                @Override
                public VmFaultResult fault(VmFault vmf) {
                    if (bar && !d.memoryEnabled()) {
                        return VmFaultResult.SIGBUS;
                    }
                    long pfn = firstPfn + ((vmf.address() - vma.vmStart()) >>> arch.pageShift());
                    return Memory.vmfInsertPfn(vmf.vma(), vmf.address(), pfn);
                }

                @Override
                public String name() {
                    return "fake_vfio_pci_mmap_ops";
                }
            });
            return 0;
        }

        @Override
        public void release() {}

        @Override
        public AddressSpace mapping() {
            return d.mapping;
        }

        @Override
        public String name() {
            return "/dev/vfio/fake-" + d.pdev.name();
        }
    }

    @FunctionalInterface
    private interface Reader {
        long read(long off, int width);
    }

    @FunctionalInterface
    private interface Writer {
        void write(long off, int width, long value);
    }
}
