package vfiowb.step1.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.common.errno.Errno;
import vfiowb.common.errno.ErrnoException;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.uapi.RegionInfoReply;
import vfiowb.common.uapi.VfioDeviceInfo;
import vfiowb.common.uapi.VfioIoctl;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.common.userspace.Process;
import vfiowb.common.userspace.UserBuffer;
import vfiowb.step1.DriverRegistry;
import vfiowb.step1.Step1;

/**
 * The REGION_INFO cases stage 1 still has outside the core, for every table whose ioctl answers
 * it (its own or vfio-pci-core's): what the core does for {@code vfio_pci_ops}, each driver does
 * here, and each must do it the same way (copy-in of 32 bytes, -EFAULT; argsz below 32,
 * -EINVAL; the capability chain after the head or, when it does not fit, FLAG_CAPS with
 * {@code cap_offset} 0 and the needed argsz; copy-out). mbochs answers differently (its tests
 * say how); vfio-ap has no regions.
 */
class DriverRegionInfoCaseTest {
    private static final byte FILL = (byte) 0xAA;

    /** One catalogue device per table that answers REGION_INFO outside the core. */
    static List<DeviceSpec> devices() {
        Map<String, DeviceSpec> byTable = new LinkedHashMap<>();
        for (DeviceSpec s : DeviceCatalogue.all()) {
            if (!Set.of("vfio_pci_ops", "vfio_ap_matrix_dev_ops", "mbochs_dev_ops")
                    .contains(s.opsTable())) {
                byTable.putIfAbsent(s.opsTable(), s);
            }
        }
        return new ArrayList<>(byTable.values());
    }

    private record Dev(Process p, int fd) {
        static Dev open(DeviceSpec spec) {
            Process p = new Process(new Step1().boot(Arch.X86_64, List.of(spec)));
            return new Dev(p, p.open(spec.name()));
        }

        long numRegions() {
            byte[] b = new byte[VfioDeviceInfo.SIZE];
            VfioDeviceInfo.of(VfioDeviceInfo.SIZE, 0, 0, 0, 0).encodeInto(b, 0);
            p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_INFO, b);
            return VfioDeviceInfo.decode(b, 0).numRegions();
        }

        /** The ioctl's errno, or 0; {@code arg} shows what the kernel wrote. */
        int call(UserBuffer arg) {
            try {
                p.ioctl(fd, VfioIoctl.VFIO_DEVICE_GET_REGION_INFO, arg);
                return 0;
            } catch (ErrnoException e) {
                return e.errno();
            }
        }

        /** A buffer of {@code length} bytes, 0xAA past a request head with {@code argsz}. */
        static UserBuffer buffer(long index, int argsz, int length) {
            byte[] b = new byte[length];
            Arrays.fill(b, FILL);
            System.arraycopy(VfioRegionInfo.request(index, argsz), 0, b, 0,
                    Math.min(length, VfioRegionInfo.SIZE));
            return UserBuffer.wrap(b);
        }
    }

    @Test
    void everyTableButVfioPciOpsAnswersInAnIoctl() {
        List<String> tables = devices().stream().map(DeviceSpec::opsTable).toList();
        assertEquals(20, tables.size(), tables.toString());
        for (String t : tables) {
            assertNull(DriverRegistry.opsTables().get(t).getRegionInfoCaps(), t);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void aBufferShorterThanTheHeadIsEfaultAndNothingIsWritten(DeviceSpec spec) {
        Dev d = Dev.open(spec);
        UserBuffer arg = Dev.buffer(0, 32, 31);
        assertEquals(Errno.EFAULT, d.call(arg), spec.name());
        assertTrue(arg.writtenRanges().isEmpty(), spec.name());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void argszBelow32IsEinvalAndNothingIsWritten(DeviceSpec spec) {
        Dev d = Dev.open(spec);
        for (int argsz : new int[] {0, 16, 31}) {
            UserBuffer arg = Dev.buffer(0, argsz, 64);
            assertEquals(Errno.EINVAL, d.call(arg), spec.name() + " argsz " + argsz);
            assertTrue(arg.writtenRanges().isEmpty(), spec.name());
        }
    }

    /**
     * Every index: with room, the chain follows the head at {@code cap_offset} 32; with a
     * 32-byte argsz in a larger buffer, FLAG_CAPS, {@code cap_offset} 0, the needed argsz and
     * nothing written past the head; a buffer that ends inside the chain faults.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void theChainIsPlacedAsTheCoreWouldPlaceIt(DeviceSpec spec) {
        Dev d = Dev.open(spec);
        for (long i = 0; i < d.numRegions(); i++) {
            String what = spec.name() + " index " + i;
            UserBuffer full = Dev.buffer(i, 512, 512);
            int err = d.call(full);
            if (err != 0) {
                assertEquals(Errno.EINVAL, err, what);
                assertTrue(full.writtenRanges().isEmpty(), what);
                continue;
            }
            RegionInfoReply r = RegionInfoReply.decode(full.array());
            int chain = (int) full.writtenEnd() - VfioRegionInfo.SIZE;
            UserBuffer small = Dev.buffer(i, VfioRegionInfo.SIZE, 512);
            assertEquals(0, d.call(small), what);
            VfioRegionInfo head = VfioRegionInfo.decode(small.array(), 0);
            assertEquals(VfioRegionInfo.SIZE, small.writtenEnd(), what);
            if (r.caps().isEmpty()) {
                assertEquals(0, chain, what);
                assertEquals(512, r.info().argsz(), what);
                assertEquals(r.info(), head.withArgsz(512), what);
                continue;
            }
            assertTrue(chain > 0, what);
            assertEquals(VfioRegionInfo.SIZE, r.info().capOffset(), what);
            assertTrue(r.info().hasFlag(VfioRegionInfo.VFIO_REGION_INFO_FLAG_CAPS), what);
            assertEquals(VfioRegionInfo.SIZE + chain, head.argsz(), what);
            assertEquals(0, head.capOffset(), what);
            assertEquals(r.info().flags(), head.flags(), what);
            assertEquals(r.info().size(), head.size(), what);
            assertEquals(r.info().offset(), head.offset(), what);

            UserBuffer cut = Dev.buffer(i, 512, VfioRegionInfo.SIZE + chain - 1);
            assertEquals(Errno.EFAULT, d.call(cut), what);
            byte[] untouched = new byte[VfioRegionInfo.SIZE];
            System.arraycopy(VfioRegionInfo.request(i, 512), 0, untouched, 0, untouched.length);
            assertArrayEquals(untouched, Arrays.copyOf(cut.array(), VfioRegionInfo.SIZE),
                    what + ": no head is copied out after the chain faulted");
        }
    }

    @Test
    void theTablesThatBuildChainsAndThoseThatDoNot() {
        Set<String> withChains = new java.util.TreeSet<>();
        for (DeviceSpec spec : devices()) {
            Dev d = Dev.open(spec);
            for (long i = 0; i < d.numRegions(); i++) {
                UserBuffer full = Dev.buffer(i, 512, 512);
                if (d.call(full) == 0 && !RegionInfoReply.decode(full.array()).caps().isEmpty()) {
                    withChains.add(spec.opsTable());
                }
            }
        }
        assertTrue(withChains.containsAll(Set.of("nvgrace_gpu_pci_ops", "vfio_ccw_dev_ops",
                "intel_vgpu_dev_ops")), withChains.toString());
        for (String none : List.of("vfio_platform_ops", "vfio_amba_ops", "vfio_fsl_mc_ops",
                "vfio_cdx_ops", "mtty_dev_ops", "mdpy_dev_ops", "ism_pci_ops")) {
            assertFalse(withChains.contains(none), none);
        }
    }
}
