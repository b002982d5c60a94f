package vfiowb.common.hw;

import vfiowb.common.Models;

/**
 * The mdpy sample's display: a framebuffer in kernel memory ({@code vmalloc_user}, modelled as
 * one RAM range on the bus) of {@code roundup_pow_of_two(width * height * 4)} bytes in
 * XRGB8888, shown to the guest as BAR0; the mode is published in a vendor capability at config
 * 0x40 (format at 0x44, width 0x48, height 0x4c). IDs 1b36:000f, class 0x0380.
 */
@Models("samples/vfio-mdev/mdpy.c:mdpy_create_config_space")
public class MdpyDevice implements Device {
    private static final int XRGB8888 = 0x34325258;
    private static final int BYTES_PER_PIXEL = 4;
    private static final int CONFIG_REGION_SIZE = 0xFF;
    private static final int VENDOR_CAP = 0x40;

    /** The sample's mdev types. */
    public enum Type {
        VGA("vga", 640, 480), XGA("xga", 1024, 768), HD("hd", 1920, 1080);

        private final String typeName;
        private final int width;
        private final int height;

        Type(String typeName, int width, int height) {
            this.typeName = typeName;
            this.width = width;
            this.height = height;
        }

        public String typeName() {
            return typeName;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }
    }

    private final String name;
    private final Type type;
    private final long memsize;
    private final SparseMemory framebuffer;
    private final long framebufferStart;
    private final PciConfigSpace config;

    public MdpyDevice(String name, Type type, SystemBus bus) {
        this.name = name;
        this.type = type;
        long bytes = (long) type.width() * type.height() * BYTES_PER_PIXEL;
        this.memsize = Long.highestOneBit(bytes) == bytes ? bytes : Long.highestOneBit(bytes) << 1;
        this.framebuffer = new SparseMemory(memsize);
        this.framebufferStart = bus.place(SystemBus.Window.RAM, memsize, 4096, framebuffer);
        this.config = EmulatedConfig.build(0x1B36, 0x000F, 0x1AF4, 0x1100, 0x038000, 0,
                PciBar.mem32(0, memsize, true));
        config.addCapability(PciConfigSpace.CapabilityId.VENDOR_SPECIFIC, 0x10);
        config.set(VENDOR_CAP + 2, 1, 0x10);
        config.set(VENDOR_CAP + 4, 4, XRGB8888);
        config.set(VENDOR_CAP + 8, 4, type.width());
        config.set(VENDOR_CAP + 12, 4, type.height());
    }

    @Override
    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public int width() {
        return type.width();
    }

    public int height() {
        return type.height();
    }

    /** DRM fourcc of the framebuffer: XRGB8888. */
    public int format() {
        return XRGB8888;
    }

    public int stride() {
        return type.width() * BYTES_PER_PIXEL;
    }

    /** Framebuffer size: {@code roundup_pow_of_two(width * height * 4)}, a page multiple. */
    public long memsize() {
        return memsize;
    }

    public long framebufferStart() {
        return framebufferStart;
    }

    public SparseMemory framebuffer() {
        return framebuffer;
    }

    public PciConfigSpace config() {
        return config;
    }

    /** The config region size the sample reports: {@code MDPY_CONFIG_SPACE_SIZE} = 0xff. */
    public static int configRegionSize() {
        return CONFIG_REGION_SIZE;
    }
}
