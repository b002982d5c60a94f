package vfiowb.wcdmabuf.pci;

import static vfiowb.common.errno.Errno.EEXIST;
import static vfiowb.common.errno.Errno.EFAULT;
import static vfiowb.common.errno.Errno.EINVAL;
import static vfiowb.common.errno.Errno.EIO;
import static vfiowb.common.errno.Errno.ENODEV;
import static vfiowb.common.errno.Errno.ENOMEM;
import static vfiowb.common.errno.Errno.ENOSPC;
import static vfiowb.common.uapi.VfioIndex.VFIO_PCI_BAR5_REGION_INDEX;

import java.util.Iterator;
import vfiowb.common.Models;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.userspace.UserBuffer;

/**
 * drivers/vfio/pci/vfio_pci_rdwr.c: read and write of BARs, ROM and the VGA windows through
 * the device file, and ioeventfd registration.
 */
@Models("drivers/vfio/pci/vfio_pci_rdwr.c")
public final class VfioPciRdwr {
    /** {@code VFIO_PCI_IO_WIDTH_4}: at most dword accesses (the ROM BAR). */
    private static final int VFIO_PCI_IO_WIDTH_4 = 4;
    /** {@code VFIO_PCI_IO_WIDTH_8}: qword accesses allowed. */
    private static final int VFIO_PCI_IO_WIDTH_8 = 8;

    private VfioPciRdwr() {}

    /**
     * Where an access lands: a BAR (MMIO or I/O port), the ROM image, the VGA windows, or for a
     * variant driver whatever it ioremapped (the {@code void __iomem *} of the C).
     */
    public interface Io {
        long read(long off, int width);

        void write(long off, int width, long value);
    }

    /**
     * {@code vfio_pci_core_do_io_rw}: split into naturally aligned accesses of at most
     * {@code maxWidth} bytes; bytes in [xStart, xEnd) read as 0xFF and writes there are dropped
     * (the MSI-X table, or the ROM BAR beyond its image); memory-space accesses fail with -EIO
     * while decode is off. Exported (variant drivers use it for memory they map themselves).
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_core_do_io_rw")
    public static long vfioPciCoreDoIoRw(VfioPciCoreDevice vdev, boolean testMem, Io io,
            UserBuffer buf, long off, long count, long xStart, long xEnd, boolean iswrite,
            int maxWidth) {
        long done = 0;
        while (count > 0) {
            long fillable;
            if (off < xStart) {
                fillable = Math.min(count, xStart - off);
            } else if (off >= xEnd) {
                fillable = count;
            } else {
                fillable = 0;
            }
            int filled;
            if (fillable >= 8 && off % 8 == 0 && maxWidth >= 8) {
                filled = 8;
            } else if (fillable >= 4 && off % 4 == 0) {
                filled = 4;
            } else if (fillable >= 2 && off % 2 == 0) {
                filled = 2;
            } else if (fillable > 0) {
                filled = 1;
            } else {
                long skip = Math.min(count, xEnd - off);
                if (!iswrite) {
                    byte[] ff = new byte[(int) skip];
                    java.util.Arrays.fill(ff, (byte) 0xff);
                    if (buf.copyToUser(done, ff, 0, ff.length) != 0) {
                        return -EFAULT;
                    }
                }
                count -= skip;
                done += skip;
                off += skip;
                continue;
            }
            long ret = vfioPciIordwr(vdev, testMem, io, buf, done, off, filled, iswrite);
            if (ret < 0) {
                return ret;
            }
            count -= filled;
            done += filled;
            off += filled;
        }
        return done;
    }

    /**
     * {@code vfio_pci_iordwr8/16/32/64}: one access under {@code memory_lock} (read side) when
     * it targets memory space, refused with -EIO while memory decode is off. An 8-byte access
     * on a 32-bit arch is two 4-byte ones, low half first ({@code ioread64}/{@code iowrite64}
     * from io-64-nonatomic-lo-hi.h, which vfio_pci_rdwr.c includes).
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_iordwr32")
    private static long vfioPciIordwr(VfioPciCoreDevice vdev, boolean testMem, Io io,
            UserBuffer buf, long userOff, long off, int width, boolean iswrite) {
        byte[] b = new byte[width];
        if (iswrite && buf.copyFromUser(b, 0, userOff, width) != 0) {
            return -EFAULT;
        }
        if (testMem) {
            vdev.memoryLock.readLock().lock();
        }
        try {
            if (testMem && !vdev.config.memoryEnabled()) {
                return -EIO;
            }
            boolean loHi = width == 8 && vdev.arch().is32Bit();
            if (iswrite) {
                long val = 0;
                for (int i = 0; i < width; i++) {
                    val |= (b[i] & 0xffL) << (8 * i);
                }
                if (loHi) {
                    io.write(off, 4, val & 0xffff_ffffL);
                    io.write(off + 4, 4, val >>> 32);
                } else {
                    io.write(off, width, val);
                }
            } else {
                long val = loHi ? io.read(off, 4) | io.read(off + 4, 4) << 32 : io.read(off, width);
                for (int i = 0; i < width; i++) {
                    b[i] = (byte) (val >>> (8 * i));
                }
            }
        } finally {
            if (testMem) {
                vdev.memoryLock.readLock().unlock();
            }
        }
        if (!iswrite && buf.copyToUser(userOff, b, 0, width) != 0) {
            return -EFAULT;
        }
        return 0;
    }

    /**
     * {@code vfio_pci_core_ioread16} (exported): one 16-bit load at {@code off} of {@code io};
     * with {@code testMem}, under {@code memory_lock} held for reading and -EIO while memory
     * decode is off.
     *
     * @return the value read (0..0xffff), or -EIO
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_core_ioread16")
    public static int vfioPciCoreIoread16(VfioPciCoreDevice vdev, boolean testMem, Io io,
            long off) {
        if (testMem) {
            vdev.memoryLock.readLock().lock();
        }
        try {
            if (testMem && !vdev.config.memoryEnabled()) {
                return -EIO;
            }
            return (int) (io.read(off, 2) & 0xffff);
        } finally {
            if (testMem) {
                vdev.memoryLock.readLock().unlock();
            }
        }
    }

    /**
     * {@code vfio_pci_core_iowrite16} (exported): one 16-bit store, with {@code testMem} under
     * {@code memory_lock} and -EIO while memory decode is off.
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_core_iowrite16")
    public static int vfioPciCoreIowrite16(VfioPciCoreDevice vdev, boolean testMem, int val,
            Io io, long off) {
        if (testMem) {
            vdev.memoryLock.readLock().lock();
        }
        try {
            if (testMem && !vdev.config.memoryEnabled()) {
                return -EIO;
            }
            io.write(off, 2, val & 0xffff);
            return 0;
        } finally {
            if (testMem) {
                vdev.memoryLock.readLock().unlock();
            }
        }
    }

    /**
     * {@code vfio_pci_bar_rw}: at {@code pos} inside BAR (or ROM) {@code bar}, the cookie's
     * region and the position inside it (so a position may be past 1 TiB); -EINVAL past
     * the end of the BAR (or of a ROM BAR); the count is clipped to the end. The MSI-X table
     * range is skipped. For the ROM, {@code pci_map_rom} comes first, before any memory-enable
     * test: it reads the ROM signature through the bus, so with memory decode off it finds all
     * ones and the read is -ENOMEM; bytes past the image read as 0xFF, and accesses are at most
     * 4 bytes wide ("vfio/pci: Disable qword access to the PCI ROM bar", v6.19). A shadow ROM is
     * RAM and maps whatever the device decodes, and then fails the memory-enable test with
     * -EIO. BARs take 8-byte accesses on every arch (io-64-nonatomic-lo-hi.h, since v6.14).
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_bar_rw")
    public static long vfioPciBarRw(VfioPciCoreDevice vdev, int bar, UserBuffer buf, long count,
            long pos, boolean iswrite) {
        PciFunction pdev = vdev.pdev();
        long xStart = 0;
        long xEnd = 0;
        long end;
        boolean rom = bar == PciFunction.PCI_ROM_RESOURCE;

        if (pdev.pciResourceStart(bar) != 0) {
            end = pdev.pciResourceLen(bar);
        } else if (rom && pdev.romShadow() && pdev.pciMapRom() > 0) {
            end = Long.highestOneBit(pdev.pciMapRom() - 1) << 1;
        } else {
            return -EINVAL;
        }
        if (pos >= end) {
            return -EINVAL;
        }
        count = Math.min(count, end - pos);

        Io io;
        int maxWidth = VFIO_PCI_IO_WIDTH_8;
        if (rom) {
            long romSize = pdev.pciMapRom();
            if (romSize <= 0) {
                return -ENOMEM;
            }
            maxWidth = VFIO_PCI_IO_WIDTH_4;
            xStart = romSize;
            xEnd = end;
            io = new Io() {
                @Override
                public long read(long off, int width) {
                    return pdev.romRead(off, width);
                }

                @Override
                public void write(long off, int width, long value) {
                    throw new IllegalStateException("ROM writes are refused before this");
                }
            };
        } else {
            int ret = VfioPciCore.vfioPciCoreSetupBarmap(vdev, bar);
            if (ret != 0) {
                return ret;
            }
            io = new Io() {
                @Override
                public long read(long off, int width) {
                    return pdev.barRead(bar, off, width);
                }

                @Override
                public void write(long off, int width, long value) {
                    pdev.barWrite(bar, off, width, value);
                }
            };
        }
        if (bar == vdev.msixBar) {
            xStart = vdev.msixOffset;
            xEnd = vdev.msixOffset + vdev.msixSize;
        }
        return vfioPciCoreDoIoRw(vdev, rom || pdev.isMemBar(bar), io, buf, pos, count, xStart,
                xEnd, iswrite, maxWidth);
    }

    /**
     * {@code vfio_pci_vga_rw}: only the legacy windows 0xa0000-0xbffff (memory), 0x3b0-0x3bb
     * and 0x3c0-0x3df (I/O) at their identity offsets inside the region; the count is clipped to
     * the window.
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_vga_rw")
    public static long vfioPciVgaRw(VfioPciCoreDevice vdev, UserBuffer buf, long count,
            long pos, boolean iswrite) {
        if (!vdev.hasVga) {
            return -EINVAL;
        }
        if (pos > 0xbffffL) {
            return -EINVAL;
        }
        long base;
        long limit;
        if (pos >= 0xa0000 && pos <= 0xbffff) {
            base = 0xa0000;
            limit = 0xc0000;
        } else if (pos >= 0x3b0 && pos <= 0x3bb) {
            base = 0x3b0;
            limit = 0x3bc;
        } else if (pos >= 0x3c0 && pos <= 0x3df) {
            base = 0x3c0;
            limit = 0x3e0;
        } else {
            return -EINVAL;
        }
        count = Math.min(count, limit - pos);
        PciFunction pdev = vdev.pdev();
        Io io = new Io() {
            @Override
            public long read(long off, int width) {
                return pdev.vgaRead(base + off, width);
            }

            @Override
            public void write(long off, int width, long value) {
                pdev.vgaWrite(base + off, width, value);
            }
        };
        return vfioPciCoreDoIoRw(vdev, false, io, buf, pos - base, count, 0, 0, iswrite,
                VFIO_PCI_IO_WIDTH_8);
    }

    /**
     * {@code vfio_pci_ioeventfd}: BARs only, inside the BAR, never over the MSI-X table, and
     * never 8 bytes wide on any arch: "vfio/pci: Remove #ifdef iowrite64 and #ifdef ioread64"
     * (v6.14) dropped the {@code #ifndef iowrite64} around {@code if (count == 8) return
     * -EINVAL;} and kept the test, though the handler can now write 8 bytes. The same
     * registration again is -EEXIST, or with fd -1 removes it; fd -1 for an unknown one is
     * -ENODEV; at most {@code VFIO_PCI_IOEVENTFD_MAX}. Region index {@code bar} and position
     * {@code pos} are those of the file's cookie the core resolved the ioctl's offset to (in
     * v6.19, the 40-bit layout of the offset): ioeventfd is a second consumer of the offsets
     * besides mmap and read/write. Any fd >= 0 is taken for an eventfd (the model has none).
     */
    @Models("drivers/vfio/pci/vfio_pci_rdwr.c:vfio_pci_ioeventfd")
    public static long vfioPciIoeventfd(VfioPciCoreDevice vdev, long bar, long pos, long data,
            int count, int fd) {
        PciFunction pdev = vdev.pdev();

        if (bar > VFIO_PCI_BAR5_REGION_INDEX) {
            return -EINVAL;
        }
        int b = (int) bar;
        if (pos + count > pdev.pciResourceLen(b)) {
            return -EINVAL;
        }
        if (b == vdev.msixBar && !(pos + count <= vdev.msixOffset
                || pos >= vdev.msixOffset + vdev.msixSize)) {
            return -EINVAL;
        }
        if (count == 8) {
            return -EINVAL;
        }
        int ret = VfioPciCore.vfioPciCoreSetupBarmap(vdev, b);
        if (ret != 0) {
            return ret;
        }
        synchronized (vdev.ioeventfdsList) {
            for (Iterator<VfioPciIoeventfd> it = vdev.ioeventfdsList.iterator(); it.hasNext();) {
                VfioPciIoeventfd e = it.next();
                if (e.pos() == pos && e.bar() == b && e.data() == data && e.count() == count) {
                    if (fd == -1) {
                        it.remove();
                        return 0;
                    }
                    return -EEXIST;
                }
            }
            if (fd < 0) {
                return -ENODEV;
            }
            if (vdev.ioeventfdsList.size() >= VfioPciCoreDevice.VFIO_PCI_IOEVENTFD_MAX) {
                return -ENOSPC;
            }
            vdev.ioeventfdsList.add(new VfioPciIoeventfd(b, pos, data, count, fd));
        }
        return 0;
    }
}
