package vfiowb.workbench.fuzz;

import java.util.SplittableRandom;
import vfiowb.common.mm.Mman;
import vfiowb.common.uapi.VfioIoctl;

/**
 * Makes the operations of one fuzz run from its seed. It never looks at a stage's replies: the
 * only state it keeps is how many opens and mmaps it has asked for, so a seed makes the same
 * operations at every stage, arch and policy. What it asks for leans on the edges the kernel
 * must check: ioctl numbers near the VFIO range and far from it, argsz from 0 to 64 KiB and
 * buffers shorter or longer than it, any region index, file offsets at a region's edges, past
 * them and past 2^63, every prot and flag mix, accesses in and out of mappings, resets and
 * memory disable in between, several files of one device.
 */
public final class Generator {
    private static final long PAGE = 4096;
    private static final int MAX_FILES = 4;

    private final SplittableRandom r;
    private final boolean pci;
    private final boolean ioctlsOnly;
    private int files;
    private int maps;
    private boolean first = true;

    /** @param pci whether the device is a PCI function (memory enable is meaningful) */
    public Generator(long seed, boolean pci) {
        this(seed, pci, false);
    }

    /**
     * @param ioctlsOnly after the first open, only ioctls (REGION_INFO, GET_INFO, IRQ_INFO and
     *     others near and far from the VFIO range): the simple-ioctl mix the benchmarks measure
     */
    public Generator(long seed, boolean pci, boolean ioctlsOnly) {
        this.r = new SplittableRandom(seed);
        this.pci = pci;
        this.ioctlsOnly = ioctlsOnly;
    }

    /** The next operation. */
    public FuzzOp next() {
        if (first) {
            first = false;
            files++;
            return new FuzzOp.Open();
        }
        if (ioctlsOnly) {
            return ioctl();
        }
        while (true) {
            int w = r.nextInt(100);
            if (w < 3) {
                if (files < MAX_FILES) {
                    files++;
                    return new FuzzOp.Open();
                }
            } else if (w < 6) {
                return new FuzzOp.Close(file());
            } else if (w < 22) {
                return ioctl();
            } else if (w < 24) {
                return new FuzzOp.Reset(file());
            } else if (w < 36) {
                return new FuzzOp.Pread(file(), pos(false), count());
            } else if (w < 44) {
                return new FuzzOp.Pwrite(file(), pos(false), r.nextInt(9), r.nextLong());
            } else if (w < 58) {
                return mmap();
            } else if (w < 62) {
                if (maps > 0) {
                    return new FuzzOp.Munmap(r.nextInt(maps));
                }
            } else if (w < 96) {
                if (maps > 0) {
                    return access();
                }
            } else if (pci) {
                return new FuzzOp.Memory(file(), r.nextInt(3) != 0);
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS_LE = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * {@code r.nextBytes(b)}, the same bytes from the same draws (each {@code nextLong()} fills
     * eight bytes low byte first, the last one the tail), eight bytes a store instead of one.
     */
    private void fill(byte[] b) {
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            LONGS_LE.set(b, i, r.nextLong());
        }
        if (i < b.length) {
            for (long rnd = r.nextLong(); i < b.length; rnd >>>= 8) {
                b[i++] = (byte) rnd;
            }
        }
    }

    private int file() {
        return r.nextInt(files);
    }

    private FuzzOp ioctl() {
        int f = file();
        int kind = r.nextInt(10);
        if (kind < 4) {
            long argsz = argsz();
            long index = regionIndex();
            byte[] b = buffer(argsz);
            put32(b, 0, argsz);
            put32(b, 8, index);
            return new FuzzOp.Ioctl(f, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, b, 0);
        }
        if (kind < 5) {
            long argsz = argsz();
            byte[] b = buffer(argsz);
            put32(b, 0, argsz);
            return new FuzzOp.Ioctl(f, VfioIoctl.VFIO_DEVICE_GET_INFO, b, 0);
        }
        if (kind < 6) {
            long argsz = argsz();
            byte[] b = buffer(argsz);
            put32(b, 0, argsz);
            put32(b, 8, r.nextInt(8) == 0 ? r.nextLong() & 0xffff_ffffL : r.nextInt(8));
            return new FuzzOp.Ioctl(f, VfioIoctl.VFIO_DEVICE_GET_IRQ_INFO, b, 0);
        }
        int request;
        if (kind < 9) {
            int nr = VfioIoctl.VFIO_BASE - 4 + r.nextInt(40);
            request = VfioIoctl.VFIO_TYPE << 8 | nr;
            if (r.nextInt(4) == 0) {
                request |= (r.nextInt(4) << 30) | (r.nextInt(1 << 14) << 16);
            }
        } else {
            request = r.nextInt();
        }
        if (r.nextInt(3) == 0) {
            return new FuzzOp.Ioctl(f, request, null, r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(8));
        }
        byte[] b = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(96)];
        fill(b);
        if (b.length >= 4 && r.nextBoolean()) {
            put32(b, 0, b.length);
        }
        return new FuzzOp.Ioctl(f, request, b, 0);
    }

    private long argsz() {
        switch (r.nextInt(8)) {
            case 0:
                return 0;
            case 1:
                return r.nextInt(33);
            case 2:
                return 32;
            case 3:
                return 40 + 8 * r.nextInt(16);
            case 4:
                return 65536;
            case 5:
                return r.nextInt(65537);
            case 6:
                return r.nextLong() & 0xffff_ffffL;
            default:
                return 31 + r.nextInt(3);
        }
    }

    /** A user buffer for {@code argsz}: often as long, sometimes truncated or oversized. */
    private byte[] buffer(long argsz) {
        int len;
        switch (r.nextInt(6)) {
            case 0:
                len = 32;
                break;
            case 1:
                len = r.nextInt(32);
                break;
            case 2:
                len = (int) Math.min(argsz + r.nextInt(64), 8192);
                break;
            default:
                len = (int) Math.min(Math.max(argsz, 12), 8192);
        }
        byte[] b = new byte[Math.max(len, 0)];
        if (r.nextInt(3) == 0) {
            fill(b);
        }
        if (b.length < 12) {
            return b;
        }
        return b;
    }

    private long regionIndex() {
        switch (r.nextInt(10)) {
            case 0:
                return r.nextLong() & 0xffff_ffffL;
            case 1:
                return 0xffff_ffffL;
            case 2:
                return 9 + r.nextInt(8);
            default:
                return r.nextInt(9);
        }
    }

    private FuzzOp.Pos pos(boolean pageAligned) {
        if (r.nextInt(10) == 0) {
            return new FuzzOp.Raw(rawOffset(pageAligned));
        }
        long index = r.nextInt(12) == 0 ? 9 + r.nextInt(6) : r.nextInt(9);
        boolean fromEnd = r.nextInt(4) == 0;
        long delta;
        if (fromEnd) {
            long[] d = {0, -PAGE, -8, -4, -1, 4, PAGE, -2 * PAGE};
            delta = d[r.nextInt(d.length)];
        } else {
            switch (r.nextInt(5)) {
                case 0:
                    delta = 0;
                    break;
                case 1:
                    delta = PAGE * r.nextInt(16);
                    break;
                case 2:
                    delta = 4L * r.nextInt(1024);
                    break;
                case 3:
                    delta = r.nextInt(1 << 20);
                    break;
                default:
                    delta = r.nextInt(64);
            }
        }
        if (pageAligned && r.nextInt(8) != 0) {
            delta &= -PAGE;
        }
        return new FuzzOp.InRegion(index, fromEnd, delta);
    }

    /** An offset no layout of any stage gives a region: past 2^63, or at an index past any. */
    private long rawOffset(boolean pageAligned) {
        switch (r.nextInt(5)) {
            case 0:
                return Long.MAX_VALUE - r.nextInt(16) * (pageAligned ? PAGE : 1);
            case 1:
                return -PAGE * (1 + r.nextInt(4));
            case 2:
                return (0x8000L + r.nextInt(0x7fff)) << 48;
            case 3:
                return Long.MIN_VALUE + r.nextInt(4096) * (pageAligned ? PAGE : 1);
            default:
                return -1L & -(pageAligned ? PAGE : 1);
        }
    }

    private int count() {
        switch (r.nextInt(6)) {
            case 0:
                return 0;
            case 1:
                return 1 << r.nextInt(4);
            case 2:
                return r.nextInt(256);
            case 3:
                return r.nextInt(4097);
            default:
                return 4;
        }
    }

    private FuzzOp mmap() {
        int f = r.nextInt(12) == 0 ? -1 : file();
        FuzzOp.Pos p = f < 0 ? new FuzzOp.Raw(0) : pos(true);
        long[] lens = {PAGE, 2 * PAGE, 16 * PAGE, 1 << 20, 2 << 20, 0, PAGE + 1, 1L << 40, -PAGE};
        long len = r.nextInt(3) == 0 ? lens[r.nextInt(lens.length)] : PAGE * (1 + r.nextInt(4));
        int prot;
        switch (r.nextInt(6)) {
            case 0:
                prot = Mman.PROT_READ;
                break;
            case 1:
                prot = r.nextInt(8);
                break;
            case 2:
                prot = r.nextInt(8) == 0 ? r.nextInt() : Mman.PROT_NONE;
                break;
            default:
                prot = Mman.PROT_READ | Mman.PROT_WRITE;
        }
        int flags;
        switch (r.nextInt(12)) {
            case 0:
                flags = Mman.MAP_PRIVATE;
                break;
            case 1:
                flags = 0;
                break;
            case 2:
                flags = Mman.MAP_SHARED_VALIDATE;
                break;
            case 3:
                flags = Mman.MAP_SHARED | Mman.MAP_PRIVATE | (r.nextInt(4) << 8);
                break;
            default:
                flags = Mman.MAP_SHARED;
        }
        if (f < 0) {
            flags = (r.nextBoolean() ? Mman.MAP_PRIVATE : Mman.MAP_SHARED) | Mman.MAP_ANONYMOUS;
        }
        FuzzOp.Addr addr = new FuzzOp.Anywhere();
        int a = r.nextInt(10);
        if (a == 0 && maps > 0) {
            addr = new FuzzOp.AtMapping(r.nextInt(maps), r.nextInt(3));
            if (r.nextInt(3) != 0) {
                flags |= Mman.MAP_FIXED;
            }
        } else if (a == 1) {
            addr = new FuzzOp.AtAddress(r.nextBoolean() ? 0x7f00_0000_0000L + PAGE * r.nextInt(1 << 16)
                    : r.nextLong());
            if (r.nextBoolean()) {
                flags |= Mman.MAP_FIXED;
            }
        }
        maps++;
        return new FuzzOp.Mmap(f, p, len, prot, flags, addr);
    }

    private FuzzOp access() {
        int map = r.nextInt(maps);
        int width = 1 << r.nextInt(4);
        long offset;
        switch (r.nextInt(10)) {
            case 0:
                offset = -width * (1 + r.nextInt(PAGE_WORDS));
                break;
            case 1:
                offset = PAGE * (4 + r.nextInt(64)) + width * r.nextInt(PAGE_WORDS);
                break;
            default:
                offset = width * r.nextInt((int) (PAGE / width) * 2);
        }
        boolean store = r.nextInt(5) < 2;
        return new FuzzOp.Access(map, offset, width, store, r.nextLong());
    }

    private static final int PAGE_WORDS = 512;

    private static void put32(byte[] b, int at, long v) {
        for (int i = 0; i < 4 && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
