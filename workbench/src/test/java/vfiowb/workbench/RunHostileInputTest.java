package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vfiowb.workbench.io.InputLimits;
import vfiowb.workbench.io.Printable;

/**
 * run against the scripts a new user or a hostile one writes: nesting and chains that would
 * exhaust the stack, mistakes the docs promise to find before anything runs, bytes that are not
 * text, lines that are too long. Every one ends in one line on stderr and the documented exit
 * code, never a stack trace.
 */
class RunHostileInputTest {
    private static final String OPEN = "fd = open nic-vf\nb = region_info fd BAR0\n";
    private static final String MAP = OPEN + "m = mmap fd b.offset 4K (PROT_READ | PROT_WRITE) MAP_SHARED\n";

    @TempDir
    Path tmp;

    private Path script(byte[] bytes) throws IOException {
        Path p = tmp.resolve("t.vfio");
        Files.write(p, bytes);
        return p;
    }

    private Path script(String text) throws IOException {
        return script(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Exit 2, exactly one printable stderr line {@code FILE:LINE: message}, nothing run. */
    private static void refusedBeforeRunning(Cli.Result r, Path p, int line, String message) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertTrue(r.oneErrorLine(), r.err());
        assertEquals(p + ":" + line + ": " + message + "\n", r.err());
        assertEquals("", r.out(), "nothing runs");
    }

    @Nested
    class TheStackCannotBeExhausted {
        @Test
        void aThousandNestedParentheses() throws IOException {
            Path p = script("expect " + "(".repeat(1000) + "1" + ")".repeat(1000) + "\n");
            refusedBeforeRunning(Cli.run("run", p.toString()), p, 1,
                    "expression nested deeper than 64 levels of parentheses and unary operators");
        }

        @Test
        void threeThousandUnaryMinus() throws IOException {
            Path p = script("expect " + "-".repeat(3000) + "1 == 1\n");
            refusedBeforeRunning(Cli.run("run", p.toString()), p, 1,
                    "expression nested deeper than 64 levels of parentheses and unary operators");
        }

        @Test
        void nestingUpToTheLimitIsFine() throws IOException {
            int n = InputLimits.MAX_NESTING;
            Path p = script("expect " + "(".repeat(n / 2) + "-".repeat(n / 2) + "1" + ")".repeat(n / 2)
                    + " == 1\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(0, r.code(), r.err());
        }

        @Test
        void aTenThousandTermSumIsEvaluated() throws IOException {
            String sum = String.join(" + ", java.util.Collections.nCopies(10_000, "1"));
            Path p = script("expect (" + sum + ") == 10000\nv = pread 99 0 4 expect EBADF\n"
                    + "expect (" + sum.replace('+', '-') + ") == (2 - 10000)\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(0, r.code(), r.err());
            Map<String, Object> first = r.jsonLines().get(0);
            assertEquals(Map.of("left", "0x2710", "right", "0x2710"), first.get("result"));
        }
    }

    @Nested
    class MistakesAreFoundBeforeAnythingRuns {
        static Stream<Arguments> cases() {
            return Stream.of(
                Arguments.of(MAP + "load m 0 9", 4, "width must be 1, 2, 4 or 8, not 9"),
                Arguments.of(MAP + "store m 0 3 1", 4, "width must be 1, 2, 4 or 8, not 3"),
                Arguments.of(MAP + "load m 0 b.size", 4,
                        "width must be a constant (1, 2, 4 or 8), not 'b.size'"),
                Arguments.of(OPEN + "pwrite fd 0 9 1", 3, "width must be 0 to 8, not 9"),
                Arguments.of(OPEN + "pread fd 0 1G", 3, "count 1073741824 out of range (0 to "
                        + InputLimits.MAX_BUFFER_BYTES + ")"),
                Arguments.of(OPEN + "expect b.caps.99", 3, "b.caps.99: a region reports at most one "
                        + "capability of each of the 6 ids, so b.caps has no entry 99 (0 to 5)"),
                Arguments.of(OPEN + "expect b.cap.WHATEVER", 3, "b.cap.WHATEVER: no capability "
                        + "'WHATEVER' (SPARSE_MMAP, TYPE, MSIX_MAPPABLE, NVLINK2_SSATGT, NVLINK2_LNKSPD, ALIAS)"),
                Arguments.of(OPEN + "expect b.size.x == 1", 3,
                        "b.size.x: 'x' is not a field here (b.size is a number)"),
                Arguments.of(OPEN + "expect \"UC\" < 3", 3, "a string can only be compared with == or !="),
                Arguments.of(OPEN + "expect b.flagNames == 3", 3,
                        "b.flagNames is text; compare it with a quoted string (== or !=)"),
                Arguments.of(OPEN + "expect (\"a\" + 1) == \"b\"", 3, "a string is not a number: \"a\""),
                Arguments.of(OPEN + "expect b.size == (\"x\" + 1)", 3, "a string is not a number: \"x\""),
                Arguments.of(OPEN + "region_info fd 0 expect 3", 3,
                        "region_info has no single value to expect; assign it and expect a field"),
                Arguments.of(OPEN + "m = mmap fd b.offset 4K PROT_READ MAP_PRIVATE expect EINVAL\n"
                        + "load m 0 4", 4, "'m' has no value: line 3 expects its mmap to fail (EINVAL), "
                        + "so it assigns nothing"),
                Arguments.of("a = mmap 0 0 4K (PROT_READ | PROT_WRITE) (MAP_PRIVATE | MAP_ANONYMOUS)\n"
                        + "load a 0 4", 2, "'a' (line 1) is a MAP_ANONYMOUS mapping: the model only "
                        + "reserves its address space, so load through it is not modelled"),
                Arguments.of(OPEN + "munmap 1", 3, "munmap takes a mapping: the name an mmap or wc_map line "
                        + "assigned, not '1'"),
                Arguments.of("fd = open", 1, "open without a device name needs --device or --sysfs"),
                Arguments.of("expect 0x" + "f".repeat(60), 1, "number longer than 40 characters"),
                Arguments.of("expect " + "x".repeat(5000), 1, "unknown name '" + "x".repeat(57)
                        + "...' (not assigned before this line and not a constant)"));
        }

        @ParameterizedTest(name = "{2}")
        @MethodSource("cases")
        void exitTwoWithTheLineAndNothingRun(String text, int line, String message) throws IOException {
            Path p = script(text + "\n");
            refusedBeforeRunning(Cli.run("run", p.toString()), p, line, message);
        }

        @Test
        void aMessageNeverEchoesAHugeToken() throws IOException {
            Path p = script("fd = open nic-vf\nclose fd " + "7".repeat(100_000) + "\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(2, r.code());
            assertTrue(r.err().length() < 300, r.err());
        }
    }

    @Nested
    class WhatOnlyTheRepliesDecide {
        @Test
        void aCapabilityTheReplyLacksFailsTheStatementWithExitOne() throws IOException {
            Path p = script(OPEN + "expect b.cap.MSIX_MAPPABLE.version == 1\nclose fd\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(p + ":3: cannot be carried out: b.cap.MSIX_MAPPABLE.version: the reply has "
                    + "no MSIX_MAPPABLE capability\n", r.err());
            List<Map<String, Object>> lines = r.jsonLines();
            assertEquals(3, lines.size(), "stops there");
            assertEquals(Boolean.FALSE, lines.get(2).get("pass"));
            assertTrue(((String) lines.get(2).get("error")).contains("no MSIX_MAPPABLE"));
        }

        @Test
        void anIndexPastTheEntriesTheKernelReturned() throws IOException {
            Path p = script(OPEN + "expect b.caps.0.id == 3\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(p + ":3: cannot be carried out: b.caps.0.id: index 0 past the 0 entries\n",
                    r.err());
        }
    }

    @Nested
    class BytesThatAreNotText {
        static Stream<Arguments> cases() {
            return Stream.of(
                Arguments.of("a byte-order mark", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF,
                    'c', 'l', 'o', 's', 'e', ' ', '3', '\n'}, 1,
                    "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without one"),
                Arguments.of("Latin-1", "expect 1\nexpect caf\u00e9 == 1\n".getBytes(StandardCharsets.ISO_8859_1),
                        2, "byte 0xe9 at column 11 is not UTF-8 (the input must be UTF-8 text)"),
                Arguments.of("a lone continuation byte", new byte[] {'e', 'x', (byte) 0x80, '\n'}, 1,
                        "byte 0x80 at column 3 is not UTF-8 (the input must be UTF-8 text)"),
                Arguments.of("a NUL", "fd = open nic-vf\u0000\n".getBytes(StandardCharsets.UTF_8), 1,
                        "NUL byte at column 17; a script is text, not binary"),
                Arguments.of("an escape sequence", "expect 1\n\u001b[2Jexpect 1\n".getBytes(StandardCharsets.UTF_8),
                        2, "control character \\x1b at column 1; a script is plain text"),
                Arguments.of("a bidi override", "expect 1 # \u202e evil\n".getBytes(StandardCharsets.UTF_8),
                        1, "invisible character U+202E at column 12; remove it"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void aHelpfulLineThatEchoesNothingRaw(String what, byte[] bytes, int line, String message)
                throws IOException {
            Path p = script(bytes);
            Cli.Result r = Cli.run("run", p.toString());
            refusedBeforeRunning(r, p, line, message);
            r.err().codePoints().forEach(c -> assertTrue(c == '\n' || Printable.safe(c),
                    "raw " + Printable.escape(c) + " in " + r.err()));
        }

        @Test
        void crlfLinesReadAsLines() throws IOException {
            Path p = script("fd = open nic-vf\r\nclose fd\r\n");
            Cli.Result r = Cli.run("run", p.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(2, r.jsonLines().size());
        }

        @Test
        void aLineOverTheLimitIsRefusedWithoutReadingItWhole() throws IOException {
            Path p = tmp.resolve("long.vfio");
            try (OutputStream o = Files.newOutputStream(p)) {
                o.write("expect 1\n".getBytes(StandardCharsets.US_ASCII));
                byte[] blanks = new byte[1 << 16];
                java.util.Arrays.fill(blanks, (byte) ' ');
                for (int i = 0; i < 48; i++) {
                    o.write(blanks);
                }
                o.write("\n".getBytes(StandardCharsets.US_ASCII));
            }
            refusedBeforeRunning(Cli.run("run", p.toString()), p, 2,
                    "line longer than 1 MiB (the limit; nothing of it was read)");
        }
    }

    @Nested
    class EveryStageInText {
        @Test
        void eachBlockSaysItsStage() throws IOException {
            Path p = script("fd = open nic-vf\nclose fd\n");
            Cli.Result r = Cli.run("run", "--stage", "all", "--format", "text", p.toString());
            assertEquals(0, r.code(), r.err());
            List<String> heads = r.out().lines().filter(l -> l.startsWith("stage ")).toList();
            List<vfiowb.common.stage.Stage> stages = vfiowb.common.stage.Stages.all();
            assertEquals(stages.size(), heads.size(), r.out());
            for (int i = 0; i < stages.size(); i++) {
                assertEquals("stage " + stages.get(i).number() + "  " + stages.get(i).module(),
                        heads.get(i));
            }
            Cli.Result one = Cli.run("run", "--format", "text", p.toString());
            assertFalse(one.out().contains("stage "), "one stage: no heading");
        }
    }
}
