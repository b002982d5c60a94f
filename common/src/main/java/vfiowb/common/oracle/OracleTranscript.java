package vfiowb.common.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One recorded transcript: what Linux 6.12's vfio-pci answered, call by call, for one
 * QEMU-emulated device (see {@code README.md} beside the files). Loaded from the class path so
 * the test-jar carries them to every stage module.
 */
public final class OracleTranscript {
    /** Where the files live on the class path. */
    static final String DIR = "/vfiowb/common/oracle/linux-6.12/";

    /** The recorded devices, by the file name's device part. */
    public static final List<String> DEVICES = List.of(
            "ivshmem-plain",
            "pci-testdev",
            "rtl8139",
            "secondary-vga",
            "virtio-net-pci-transitional",
            "ivshmem-bar2-1TiB");

    private final String device;
    private final List<OracleRecord> records;

    private OracleTranscript(String device, List<OracleRecord> records) {
        this.device = device;
        this.records = Collections.unmodifiableList(records);
    }

    /** {@code kernel-6.12-<device>.jsonl}. */
    public static String fileName(String device) {
        return "kernel-6.12-" + device + ".jsonl";
    }

    /** Loads one transcript; a malformed line fails with its file and line number. */
    public static OracleTranscript load(String device) {
        String file = fileName(device);
        InputStream in = OracleTranscript.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IllegalArgumentException("no transcript " + DIR + file + " on the class path");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return of(device, r.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A transcript of {@code device} made of these JSON lines (blank lines are ignored). */
    static OracleTranscript of(String device, List<String> lines) {
        String file = fileName(device);
        List<OracleRecord> out = new ArrayList<>();
        long lastSeq = -1;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (line.isBlank()) {
                continue;
            }
            OracleRecord rec;
            try {
                rec = new OracleRecord(file, OracleJson.parseObject(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
            }
            if (rec.seq() <= lastSeq) {
                throw new IllegalArgumentException(file + " line " + n + ": seq " + rec.seq()
                        + " after " + lastSeq);
            }
            lastSeq = rec.seq();
            out.add(rec);
        }
        if (out.isEmpty() || !"done".equals(out.get(out.size() - 1).op())) {
            throw new IllegalArgumentException(file + ": does not end with a \"done\" record (cut short?)");
        }
        return new OracleTranscript(device, out);
    }

    /** Every recorded transcript. */
    public static List<OracleTranscript> all() {
        return DEVICES.stream().map(OracleTranscript::load).toList();
    }

    public String device() {
        return device;
    }

    public String fileName() {
        return fileName(device);
    }

    public List<OracleRecord> records() {
        return records;
    }

    /** The only record with this op. */
    public OracleRecord single(String op) {
        List<OracleRecord> l = records.stream().filter(r -> r.op().equals(op)).toList();
        if (l.size() != 1) {
            throw new IllegalArgumentException(fileName() + ": " + l.size() + " \"" + op + "\" records, expected 1");
        }
        return l.get(0);
    }

    /** The pread record of this case, if the probe made one. */
    public java.util.Optional<OracleRecord> pread(String caseName) {
        return records.stream().filter(r -> r.op().equals("pread")
                && r.caseName().filter(caseName::equals).isPresent()).findFirst();
    }

    @Override
    public String toString() {
        return fileName();
    }
}
