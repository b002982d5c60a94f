package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * The mbochs sample: a Bochs-style display (1234:1111, class 0x0380) whose video memory is
 * {@code mbytes} MiB of kernel pages allocated on first touch (the RAM range here is sparse in
 * the same way) shown as BAR0, a one-page MMIO BAR2 with the Bochs DISPI registers at 0x500,
 * and an EDID region of one page: the {@code vfio_region_gfx_edid} header at 0 and the EDID
 * blob from {@code PAGE_SIZE/2}. The types' maximum resolutions are plausible, not checked.
 */
@Models("samples/vfio-mdev/mbochs.c:mbochs_create_config_space")
public class MbochsDevice implements Device {
    private static final long PAGE = 4096;
    private static final int CONFIG_REGION_SIZE = 0xFF;
    private static final int DISPI = 0x500;
    private static final int DISPI_ID5 = 0xB0C5;
    private static final int DISPI_VIDEO_MEMORY_64K = 0x0A;

    /** The sample's mdev types. */
    public enum Type {
        SMALL("small", 4, 800, 600), MEDIUM("medium", 16, 1920, 1440), LARGE("large", 64, 0, 0);

        private final String typeName;
        private final int mbytes;
        private final int maxX;
        private final int maxY;

        Type(String typeName, int mbytes, int maxX, int maxY) {
            this.typeName = typeName;
            this.mbytes = mbytes;
            this.maxX = maxX;
            this.maxY = maxY;
        }

        public String typeName() {
            return typeName;
        }

        public int mbytes() {
            return mbytes;
        }
    }

    private final String name;
    private final Type type;
    private final SparseMemory memory;
    private final long memoryStart;
    private final SparseMemory mmio;
    private final PciConfigSpace config;
    private final byte[] edid;
    private volatile boolean linkUp = true;

    public MbochsDevice(String name, Type type, SystemBus bus) {
        this.name = name;
        this.type = type;
        long memsize = (long) type.mbytes << 20;
        memory = new SparseMemory(memsize);
        memoryStart = bus.place(SystemBus.Window.RAM, memsize, PAGE, memory);
        mmio = new SparseMemory(PAGE);
        mmio.write(DISPI, 2, DISPI_ID5);
        mmio.write(DISPI + 2 * DISPI_VIDEO_MEMORY_64K, 2, memsize >> 16);
        config = EmulatedConfig.build(0x1234, 0x1111, 0x1AF4, 0x1100, 0x038000, 0,
                PciBar.mem32(0, memsize, true), PciBar.mem32(2, PAGE, false));
        int x = type.maxX == 0 ? 1024 : type.maxX;
        int y = type.maxY == 0 ? 768 : type.maxY;
        edid = Edid.forMode(x, y);
    }

    @Override
    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** Video memory size: {@code mbytes} MiB. */
    public long memsize() {
        return memory.size();
    }

    /** Pages in video memory. */
    public long pageCount() {
        return memory.size() / PAGE;
    }

    public long memoryStart() {
        return memoryStart;
    }

    public SparseMemory memory() {
        return memory;
    }

    /** {@code MBOCHS_MMIO_BAR_SIZE}: one page. */
    public static long mmioBarSize() {
        return PAGE;
    }

    /** BAR2's registers (DISPI at 0x500). */
    public SparseMemory mmio() {
        return mmio;
    }

    public PciConfigSpace config() {
        return config;
    }

    /** {@code MBOCHS_CONFIG_SPACE_SIZE}: 0xff. */
    public static int configRegionSize() {
        return CONFIG_REGION_SIZE;
    }

    /** {@code MBOCHS_EDID_SIZE}: one page. */
    public static long edidRegionSize() {
        return PAGE;
    }

    /** {@code MBOCHS_EDID_BLOB_OFFSET}: half a page. */
    public static long edidBlobOffset() {
        return PAGE / 2;
    }

    /** Room for the blob: the rest of the page. */
    public static long edidMaxSize() {
        return PAGE - PAGE / 2;
    }

    /** Largest width the type allows; 0 = no limit. */
    public int maxXres() {
        return type.maxX;
    }

    public int maxYres() {
        return type.maxY;
    }

    /** The EDID the display currently presents (128 bytes). */
    public byte[] edidBlob() {
        return edid.clone();
    }

    public boolean linkUp() {
        return linkUp;
    }

    public void setLinkUp(boolean up) {
        linkUp = up;
    }
}
