package vfiowb.workbench.fuzz;

import vfiowb.common.hw.CdxDevice;
import vfiowb.common.hw.Device;
import vfiowb.common.hw.FslMcDevice;
import vfiowb.common.hw.FslMcRegion;
import vfiowb.common.hw.KvmgtVgpu;
import vfiowb.common.hw.MbochsDevice;
import vfiowb.common.hw.MdpyDevice;
import vfiowb.common.hw.NvgraceGpu;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PlatformResource;
import vfiowb.common.hw.ResourceDevice;
import vfiowb.common.mm.Arch;

/**
 * The physical memory behind a device's region, from the hardware model rather than from any
 * stage: where a mapping of that region may reach, and whether it reaches it linearly (a
 * mapping at offset {@code o} of the region maps the backing's byte {@code o} first). An
 * oracle for the fuzzer's "no mapping reaches memory outside its own BAR's backing".
 */
final class Backing {
    /** {@code [start, end)} of physical memory; {@code linear} when offsets map one to one. */
    record Window(String what, long start, long end, boolean linear) {}

    private Backing() {}

    /**
     * The window of region {@code index} of {@code hw}, whose REGION_INFO gave {@code size}; or
     * null where the model has no single backing to name (no mmap, or one the driver picks page
     * by page).
     */
    static Window of(Device hw, int index, long size, Arch arch) {
        long page = arch.pageSize();
        if (hw instanceof NvgraceGpu && (index == 2 || index == 4)) {
            NvgraceGpu g = (NvgraceGpu) hw;
            return g.hasDeviceMemory() ? new Window("the GPU's device memory", g.deviceMemoryStart(),
                    g.deviceMemoryStart() + g.deviceMemoryLength(), false) : null;
        }
        if (hw instanceof PciFunction) {
            PciFunction f = (PciFunction) hw;
            if (index < 0 || index > 5 || !f.isMemBar(index)) {
                return null;
            }
            long start = f.pciResourceStart(index);
            long len = Math.min(f.pciResourceLen(index), size);
            return new Window("BAR" + index, start & -page, alignUp(start + len, page), true);
        }
        if (hw instanceof MdpyDevice) {
            MdpyDevice d = (MdpyDevice) hw;
            return new Window("the framebuffer", d.framebufferStart(),
                    d.framebufferStart() + d.memsize(), false);
        }
        if (hw instanceof MbochsDevice) {
            MbochsDevice d = (MbochsDevice) hw;
            return new Window("the framebuffer pages", d.memoryStart(), d.memoryStart() + d.memsize(),
                    false);
        }
        if (hw instanceof KvmgtVgpu) {
            KvmgtVgpu v = (KvmgtVgpu) hw;
            return new Window("the vGPU's aperture slice", v.apertureSliceStart(),
                    v.apertureSliceStart() + v.apertureSliceSize(), false);
        }
        if (hw instanceof FslMcDevice) {
            FslMcDevice d = (FslMcDevice) hw;
            if (index < 0 || index >= d.regions().size()) {
                return null;
            }
            FslMcRegion r = d.region(index);
            return new Window("region " + index, r.start(), r.start() + r.size(), true);
        }
        if (hw instanceof ResourceDevice) {
            ResourceDevice d = (ResourceDevice) hw;
            if (index < 0 || index >= d.resources().size() || !d.resource(index).isMmio()) {
                return null;
            }
            PlatformResource r = d.resource(index);
            return new Window((hw instanceof CdxDevice ? "CDX " : "") + "resource " + index,
                    r.start(), r.start() + r.size(), true);
        }
        return null;
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
