package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vfiowb.common.conformance.ConformanceReport;
import vfiowb.common.conformance.ConformanceSuite;
import vfiowb.common.conformance.DeviceReport;
import vfiowb.common.conformance.Transcript;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.hw.DeviceSpec;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;

/**
 * Stages 1 and 2 differ only in where the REGION_INFO copies happen, so userspace must see
 * exactly the same thing at both, device by device: every client transcript and every scenario
 * transcript identical, byte for byte.
 */
class StageOneTwoTranscriptsTest {
    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"X86_64", "I386"})
    void everyCatalogueDeviceSeesTheSameAtStageOneAndTwo(Arch arch) {
        Stage one = Stages.byNumber(1);
        Stage two = Stages.byNumber(2);
        List<DeviceSpec> devices = DeviceCatalogue.all();
        ConformanceReport a = ConformanceSuite.run(one, arch, devices);
        ConformanceReport b = ConformanceSuite.run(two, arch, devices);
        assertEquals(devices.size(), a.devices().size());
        List<String> diffs = new ArrayList<>();
        for (DeviceReport da : a.devices()) {
            Map<String, Transcript> ta = da.transcripts();
            Map<String, Transcript> tb = b.device(da.device()).orElseThrow().transcripts();
            assertEquals(ta.keySet(), tb.keySet(), da.device());
            for (String key : ta.keySet()) {
                if (!ta.get(key).equals(tb.get(key))) {
                    diffs.add(da.device() + " " + key + ":\n" + ta.get(key).diff(tb.get(key)));
                }
            }
        }
        assertTrue(diffs.isEmpty(), () -> diffs.size() + " transcripts differ between stage 1 "
                + "and stage 2:\n" + String.join("\n", diffs));
    }
}
