package vfiowb.common.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OracleTranscriptTest {
    @Test
    void theDirectoryHoldsExactlyTheListedTranscripts() throws IOException, URISyntaxException {
        Path dir = Path.of(OracleTranscript.class.getResource(OracleTranscript.DIR).toURI());
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(OracleTranscript.DEVICES.stream().map(OracleTranscript::fileName).toList()), files);
        assertNotNull(OracleTranscript.class.getResource("/vfiowb/common/oracle/README.md"));
    }

    @Test
    void everyTranscriptLoadsWholeWithOneDeviceAndKernelRecord() {
        for (OracleTranscript t : OracleTranscript.all()) {
            assertTrue(t.records().size() > 150, t + " has " + t.records().size() + " records");
            assertEquals("Linux", t.single("kernel").string("sysname"));
            assertTrue(t.single("kernel").string("release").startsWith("6.12."), t.toString());
            assertEquals("vfio-pci", t.single("bind").string("driver_after"));
            t.single("device");
        }
    }

    @Test
    void everyOpIsReplayedSkippedOrSetup() {
        Set<String> replayed = Set.of("device_get_info", "irq_info", "region_info", "pread", "pwrite", "mmap",
                "command_register", "mem_experiment_map", "mem_experiment_existing_map_read",
                "mem_experiment_existing_map_read_after_enable", "unknown_ioctl", "device_reset",
                "msix_layout", "bigbar_target");
        for (OracleTranscript t : OracleTranscript.all()) {
            for (OracleRecord r : t.records()) {
                assertTrue(replayed.contains(r.op()) || OracleReplay.OUT_OF_SCOPE.contains(r.op())
                        || OracleReplay.SETUP.contains(r.op()), t + " seq " + r.seq() + ": " + r.op());
            }
        }
    }

    @Test
    void aCutOrDisorderedTranscriptIsRefusedWithItsLine() {
        String done = "{\"seq\":9,\"bdf\":\"x\",\"op\":\"done\"}";
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> OracleTranscript.of("rtl8139", List.of("{\"seq\":0,\"op\":\"kernel\"}")));
        assertTrue(cut.getMessage().contains("does not end with a \"done\" record"), cut.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> OracleTranscript.of("rtl8139", List.of("{\"seq\":3,\"op\":\"a\"}", "{\"seq\":2,\"op\":\"b\"}", done)));
        assertEquals("kernel-6.12-rtl8139.jsonl line 2: seq 2 after 3", order.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> OracleTranscript.of("rtl8139", List.of("{\"seq\":1,\"op\":\"a\",}", done)));
        assertTrue(bad.getMessage().startsWith("kernel-6.12-rtl8139.jsonl line 1: column "), bad.getMessage());
        IllegalArgumentException noSeq = assertThrows(IllegalArgumentException.class,
                () -> OracleTranscript.of("rtl8139", List.of("{\"op\":\"a\"}", done)));
        assertTrue(noSeq.getMessage().contains("field seq is missing"), noSeq.getMessage());
    }
}
