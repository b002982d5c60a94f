package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vfiowb.common.hw.DeviceCatalogue;
import vfiowb.common.mm.Arch;
import vfiowb.common.stage.Stage;
import vfiowb.common.stage.Stages;
import vfiowb.common.userspace.Process;
import vfiowb.workbench.json.Json;
import vfiowb.workbench.serve.Server;

/** serve: every op round trip, bad input, the command's stdin/stdout loop, a Python client. */
class ServeTest {
    private Server server;

    @BeforeEach
    void boot() {
        List<Stage> all = Stages.all();
        Stage last = all.get(all.size() - 1);
        server = new Server(new Process(last.boot(Arch.X86_64, List.of(
                DeviceCatalogue.byName("nic-vf").orElseThrow(),
                DeviceCatalogue.byName("legacy-b0").orElseThrow()))));
    }

    private Map<String, Object> call(String request) {
        String reply = server.handle(request);
        assertTrue(!reply.contains("\n"), "one line");
        return Json.parseObject(reply);
    }

    private static String regionInfoArg(int index, int argsz) {
        byte[] b = new byte[Math.max(argsz, 32)];
        b[0] = (byte) argsz;
        b[8] = (byte) index;
        return java.util.HexFormat.of().formatHex(b);
    }

    @Nested
    class SplitAndFork {
        @Test
        void partOfAMappingGoesAndAForkedChildSharesTheRestUntilAReset() {
            assertEquals(3L, call("{\"op\":\"open\",\"device\":\"nic-vf\"}").get("fd"));
            Map<String, Object> m = call("{\"op\":\"mmap\",\"fd\":3,\"length\":65536,"
                    + "\"prot\":3,\"flags\":1,\"offset\":0}");
            assertEquals(1L, m.get("map"));
            assertEquals(0L, call("{\"op\":\"munmap\",\"map\":1,\"offset\":\"0x0\","
                    + "\"length\":\"0x8000\"}").get("ret"));
            assertEquals("SIGSEGV", call("{\"op\":\"load\",\"map\":1,\"offset\":\"0x100\","
                    + "\"width\":4}").get("signal"), "the first half is gone");
            call("{\"op\":\"pwrite\",\"fd\":3,\"offset\":\"0xa000\",\"data\":\"01020304\"}");
            assertEquals("0x4030201", call("{\"op\":\"load\",\"map\":1,\"offset\":\"0xa000\","
                    + "\"width\":4}").get("value"), "the second half still maps BAR0 + 0x8000 on");
            assertEquals(2L, call("{\"op\":\"fork\"}").get("pid"));
            assertEquals("0x4030201", call("{\"op\":\"load\",\"pid\":2,\"map\":1,"
                    + "\"offset\":\"0xa000\",\"width\":4}").get("value"));
            call("{\"op\":\"ioctl\",\"fd\":3,\"request\":15215}");
            Map<String, Object> pt = call("{\"op\":\"pagetable\",\"pid\":2,\"map\":1}");
            assertEquals(Map.of("PTE", 0L, "PMD", 0L, "PUD", 0L), pt.get("entries"),
                    "the reset zapped the child's copy too");
            assertEquals("no process 9", call("{\"op\":\"load\",\"pid\":9,\"map\":1,"
                    + "\"offset\":\"0x0\",\"width\":4}").get("error"));
        }
    }

    @Nested
    class EveryOp {
        @Test
        void aSessionRoundTrip() {
            assertEquals(Map.of("fd", 3L), call("{\"op\":\"open\",\"device\":\"nic-vf\"}"));
            Map<String, Object> info = call("{\"op\":\"ioctl\",\"fd\":3,\"request\":15211,\"arg\":\""
                    + "180000000000000000000000000000000000000000000000\"}");
            assertEquals(Map.of("ret", 0L, "arg", "180000000300000009000000050000000000000000000000"), info);
            Map<String, Object> ri = call("{\"op\":\"ioctl\",\"fd\":3,\"request\":\"0x3b6c\",\"arg\":\""
                    + regionInfoArg(0, 32) + "\"}");
            assertEquals("280000000f0000000000000000000000" + "0000010000000000" + "0000000000000000",
                    ri.get("arg"), "argsz raised to 40, CAPS, cap_offset 0, size 0x10000");
            Map<String, Object> ri40 = call("{\"op\":\"ioctl\",\"fd\":3,\"request\":"
                    + "\"VFIO_DEVICE_GET_REGION_INFO\",\"arg\":\"" + regionInfoArg(0, 40) + "\"}");
            assertTrue(((String) ri40.get("arg")).endsWith("0300010000000000"), "MSIX_MAPPABLE v1, next 0");
            assertEquals(Map.of("ret", 4L, "data", "86804c15"),
                    call("{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x70000000000\",\"count\":4}"));
            assertEquals(Map.of("ret", 4L), call("{\"op\":\"pwrite\",\"fd\":3,\"offset\":\"0x30000000010\","
                    + "\"data\":\"78563412\"}"));
            Map<String, Object> m = call("{\"op\":\"mmap\",\"fd\":3,\"addr\":0,\"length\":16384,\"prot\":3,"
                    + "\"flags\":1,\"offset\":\"0x30000000000\"}");
            assertEquals(1L, m.get("map"));
            assertEquals("UC", m.get("pgprot"));
            assertTrue(((String) m.get("addr")).startsWith("0x7"));
            assertEquals(Map.of("value", "0x12345678"),
                    call("{\"op\":\"load\",\"map\":1,\"offset\":16,\"width\":4}"));
            assertEquals(Map.of("ret", 0L),
                    call("{\"op\":\"store\",\"map\":1,\"offset\":\"0x20\",\"width\":8,\"value\":\"0xffffffffffffffff\"}"));
            assertEquals(Map.of("value", "0xffffffffffffffff"),
                    call("{\"op\":\"load\",\"map\":1,\"offset\":32,\"width\":8}"));
            assertEquals(Map.of("map", 1L, "pgprot", "UC", "entries", Map.of("PTE", 1L, "PMD", 0L, "PUD", 0L)),
                    call("{\"op\":\"pagetable\",\"map\":1}"));
            assertEquals(Map.of("ret", 0L), call("{\"op\":\"munmap\",\"map\":1}"));
            assertEquals(Map.of("error", "no map 1"), call("{\"op\":\"pagetable\",\"map\":1}"));
            assertEquals(Map.of("ret", 0L), call("{\"op\":\"ioctl\",\"fd\":3,\"request\":15215}"), "reset by value");
            assertEquals(Map.of("ret", 0L), call("{\"op\":\"close\",\"fd\":3}"));
        }

        @Test
        void failedCallsAnswerWithTheErrnoAndIoctlWithTheBufferToo() {
            assertEquals(Map.of("errno", 2L, "name", "ENOENT"), call("{\"op\":\"open\",\"device\":\"nope\"}"));
            assertEquals(Map.of("errno", 9L, "name", "EBADF"), call("{\"op\":\"close\",\"fd\":7}"));
            call("{\"op\":\"open\",\"device\":\"nic-vf\"}");
            Map<String, Object> small = call("{\"op\":\"ioctl\",\"fd\":3,\"request\":15212,\"arg\":\""
                    + regionInfoArg(0, 16) + "\"}");
            assertEquals(22L, small.get("errno"));
            assertEquals("EINVAL", small.get("name"));
            assertEquals(regionInfoArg(0, 16), small.get("arg"), "left alone");
            Map<String, Object> fault = call("{\"op\":\"ioctl\",\"fd\":3,\"request\":15212,\"arg\":\"20000000\"}");
            assertEquals(Map.of("errno", 14L, "name", "EFAULT", "arg", "20000000"), fault,
                    "a read past the buffer's end is EFAULT");
            assertEquals(Map.of("errno", 22L, "name", "EINVAL"), call("{\"op\":\"mmap\",\"fd\":3,\"length\":4096,"
                    + "\"prot\":1,\"flags\":2,\"offset\":0}"));
            assertEquals(Map.of("errno", 22L, "name", "EINVAL"),
                    call("{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x7f0000000000\",\"count\":4}"));
        }

        @Test
        void aLoadThatFaultsWithSigbus() {
            call("{\"op\":\"open\",\"device\":\"legacy-b0\"}");
            call("{\"op\":\"mmap\",\"fd\":3,\"length\":4096,\"prot\":3,\"flags\":1,\"offset\":0}");
            call("{\"op\":\"pwrite\",\"fd\":3,\"offset\":\"0x70000000004\",\"data\":\"0000\"}");
            assertEquals(Map.of("signal", "SIGBUS"), call("{\"op\":\"load\",\"map\":1,\"offset\":0,\"width\":4}"));
            assertEquals(Map.of("signal", "SIGBUS"),
                    call("{\"op\":\"store\",\"map\":1,\"offset\":0,\"width\":4,\"value\":1}"));
        }

        @Test
        void anIdIsEchoed() {
            assertEquals(Map.of("id", "a1", "fd", 3L), call("{\"id\":\"a1\",\"op\":\"open\",\"device\":\"nic-vf\"}"));
            assertEquals(Map.of("id", 7L, "error", "missing field \"fd\" for op \"close\""),
                    call("{\"id\":7,\"op\":\"close\"}"));
        }
    }

    @Nested
    class BadInput {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "garbage                                               | malformed request: column 1: unrecognized token 'garbage'",
            "[1,2]                                                 | malformed request: expected a JSON object, got an array",
            "{\"op\":1}                                            | \"op\" must be a string",
            "{}                                                    | missing field \"op\"",
            "{\"op\":\"frob\"}                                     | unknown op \"frob\" (open, close, ioctl, pread, pwrite, mmap, munmap, load, store, pagetable, fork)",
            "{\"op\":\"open\"}                                     | missing field \"device\" for op \"open\"",
            "{\"op\":\"open\",\"device\":3}                        | \"device\" must be a string",
            "{\"op\":\"pread\",\"fd\":3,\"offset\":\"0xZ\",\"count\":1} | \"offset\": not an integer: \"0xZ\"",
            "{\"op\":\"pread\",\"fd\":3,\"offset\":0,\"count\":-1}  | \"count\" must be 0 to 262144",
            "{\"op\":\"pwrite\",\"fd\":3,\"offset\":0,\"data\":\"abc\"} | \"data\" must be hex bytes (two digits each)",
            "{\"op\":\"ioctl\",\"fd\":3,\"request\":\"VFIO_NOPE\"}  | unknown ioctl \"VFIO_NOPE\"",
            "{\"op\":\"ioctl\",\"fd\":3,\"request\":4294967296}    | \"request\" must fit 32 bits",
            "{\"op\":\"load\",\"map\":9,\"offset\":0,\"width\":4}  | no map 9",
            "{\"op\":\"open\",\"device\":\"nic-vf\"} trailing       | malformed request: column 33: unrecognized token 'trailing'",
        })
        void getsAnErrorAndTheServerGoesOn(String line, String error) {
            assertEquals(Map.of("error", error), call(line.strip()));
            assertEquals(3L, call("{\"op\":\"open\",\"device\":\"nic-vf\"}").get("fd"), "still serving");
        }

        @Test
        void anAnonymousMappingIsADocumentedLimitNotAnInternalError() {
            assertEquals(1L, call("{\"op\":\"mmap\",\"length\":4096,\"prot\":3,\"flags\":34,"
                    + "\"offset\":0}").get("map"));
            for (String op : new String[] {"{\"op\":\"load\",\"map\":1,\"offset\":0,\"width\":4}",
                "{\"op\":\"store\",\"map\":1,\"offset\":0,\"width\":4,\"value\":1}"}) {
                String error = (String) call(op).get("error");
                assertTrue(error.startsWith("not modelled: anonymous memory is not modelled"), error);
                assertFalse(error.contains("internal error"), error);
            }
            assertEquals(Map.of("ret", 0L), call("{\"op\":\"munmap\",\"map\":1}"));
        }

        @Test
        void badAccessWidthsAndPageCrossingAreErrorsNotCrashes() {
            call("{\"op\":\"open\",\"device\":\"nic-vf\"}");
            call("{\"op\":\"mmap\",\"fd\":3,\"length\":65536,\"prot\":3,\"flags\":1,\"offset\":0}");
            assertEquals(Map.of("error", "\"width\" must be 1, 2, 4 or 8"),
                    call("{\"op\":\"load\",\"map\":1,\"offset\":0,\"width\":3}"));
            assertTrue(((String) call("{\"op\":\"load\",\"map\":1,\"offset\":4092,\"width\":8}").get("error"))
                    .contains("crosses a page"));
        }
    }

    @Nested
    class TheCommand {
        @Test
        void oneReplyPerRequestLineAndNothingElseOnStdout() {
            String in = "{\"op\":\"open\",\"device\":\"nic-vf\"}\n\n"
                    + "garbage\n"
                    + "{\"op\":\"pread\",\"fd\":3,\"offset\":\"0x70000000000\",\"count\":2}\n"
                    + "{\"op\":\"close\",\"fd\":3}";
            Cli.Result r = Cli.runWithInput(in, "serve", "--device", "nic-vf");
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err());
            assertEquals(List.of("{\"fd\":3}",
                    "{\"error\":\"malformed request: column 1: no JSON value (an empty line)\"}",
                    "{\"error\":\"malformed request: column 1: unrecognized token 'garbage'\"}",
                    "{\"ret\":2,\"data\":\"8680\"}", "{\"ret\":0}"), r.out().lines().toList());
        }

        @Test
        void withoutDevicesEveryDeviceTheStageBindsIsThere() {
            Cli.Result r = Cli.runWithInput("{\"op\":\"open\",\"device\":\"gpu-64g\"}\n"
                    + "{\"op\":\"open\",\"device\":\"no-such\"}\n", "serve");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("{\"fd\":3}", "{\"errno\":2,\"name\":\"ENOENT\"}"), r.out().lines().toList());
        }

        @Test
        void onlyTheNamedDevicesAreThere() {
            Cli.Result r = Cli.runWithInput("{\"op\":\"open\",\"device\":\"gpu-64g\"}\n", "serve",
                    "--device", "nic-vf");
            assertEquals(List.of("{\"errno\":2,\"name\":\"ENOENT\"}"), r.out().lines().toList());
        }
    }

    @Nested
    class APythonClient {
        @Test
        void drivesAQemuStyleProbeAndChecksTheBytes(@TempDir Path tmp) throws Exception {
            assumeTrue(python3(), "python3 is not installed");
            Path script = tmp.resolve("serve_probe.py");
            try (InputStream in = ServeTest.class.getResourceAsStream("serve_probe.py")) {
                Files.copy(in, script);
            }
            java.lang.Process py = new ProcessBuilder("python3", script.toString(), "nic-vf")
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            StringWriter err = new StringWriter();
            PrintWriter toPython = new PrintWriter(py.getOutputStream(), true, StandardCharsets.UTF_8);
            int code = Workbench.run(py.getInputStream(), toPython, new PrintWriter(err), false,
                    "serve", "--device", "nic-vf");
            toPython.close();
            assertTrue(py.waitFor(30, TimeUnit.SECONDS), "python finished");
            String pyErr = new String(py.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, py.exitValue(), pyErr);
            assertEquals(0, code, err.toString());
            assertEquals("", pyErr);
        }

        private boolean python3() {
            try {
                java.lang.Process p = new ProcessBuilder("python3", "--version").start();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }
}
