package vfiowb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.workbench.io.InputLimits;
import vfiowb.workbench.io.Printable;
import vfiowb.workbench.json.Json;

/**
 * serve against what a hostile or careless client sends: numbers that would expand, nesting
 * that would recurse, lines of any length and any bytes. Every input line gets exactly one
 * reply line, and the session goes on.
 */
class ServeHostileInputTest {
    private static final String OPEN = "{\"op\":\"open\",\"device\":\"nic-vf\"}";

    /** serve on {@code input}; the reply lines. */
    private static List<String> serve(byte[] input) {
        return serve(new ByteArrayInputStream(input));
    }

    private static List<String> serve(InputStream in) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Workbench.run(in, new PrintWriter(out), new PrintWriter(err), false, "serve",
                "--device", "nic-vf");
        assertEquals(0, code, err.toString());
        assertEquals("", err.toString());
        return out.toString().lines().toList();
    }

    private static List<String> serve(String input) {
        return serve(input.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String reply) {
        Map<String, Object> m = Json.parseObject(reply);
        assertTrue(m.containsKey("error"), reply);
        return (String) m.get("error");
    }

    @Nested
    class NumbersAndNesting {
        @Test
        void aHugeExponentIsRefusedAsWrittenNotExpanded() {
            List<String> r = serve("{\"op\":\"close\",\"fd\":1e100000000}\n"
                    + "{\"op\":\"close\",\"fd\":1e10000000}\n" + OPEN + "\n");
            assertEquals(3, r.size(), r.toString());
            assertEquals("\"fd\": integer out of 64-bit range: 1E+100000000", error(r.get(0)));
            assertEquals("\"fd\": integer out of 64-bit range: 1E+10000000", error(r.get(1)));
            assertEquals("{\"fd\":3}", r.get(2), "the session goes on");
        }

        @Test
        void aWholeNumberWithAnExponentIsStillANumber() {
            List<String> r = serve(OPEN + "\n{\"op\":\"close\",\"fd\":3e0}\n{\"op\":\"close\",\"fd\":0.5}\n");
            assertEquals("{\"ret\":0}", r.get(1));
            assertEquals("\"fd\": not an integer: 0.5", error(r.get(2)));
        }

        @Test
        void aNumberLongerThanTheLimitIsOneError() {
            String digits = "9".repeat(InputLimits.MAX_NUMBER_CHARS + 1);
            List<String> r = serve("{\"op\":\"close\",\"fd\":" + digits + "}\n");
            assertEquals(1, r.size());
            String e = error(r.get(0));
            assertTrue(e.startsWith("malformed request: column "), e);
            assertTrue(e.endsWith("over the input limits: a number longer than 40 characters"), e);
            assertFalse(e.contains(digits), "the number is not echoed: " + e);
        }

        @Test
        void deepNestingIsOneErrorNotAStackOverflow() {
            String deep = "{\"op\":\"open\",\"id\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            List<String> r = serve(deep + "\n" + OPEN + "\n");
            assertEquals(2, r.size());
            assertTrue(error(r.get(0)).endsWith("over the input limits: nested deeper than 64"),
                    r.get(0));
            assertEquals("{\"fd\":3}", r.get(1));
        }

        @Test
        void nestingUpToTheLimitIsFine() {
            int n = InputLimits.MAX_NESTING - 1;
            String id = "[".repeat(n) + "]".repeat(n);
            List<String> r = serve("{\"id\":" + id + ",\"op\":\"open\",\"device\":\"nic-vf\"}\n");
            assertEquals(Map.of("id", Json.parse(id), "fd", 3L), Json.parseObject(r.get(0)));
        }
    }

    @Nested
    class LinesAndBytes {
        @Test
        void everyLineGetsExactlyOneReplyWhateverItHolds() {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            byte[][] lines = {
                OPEN.getBytes(StandardCharsets.UTF_8),
                new byte[0],
                {0x1c},
                {0x0b},
                "\u3000".getBytes(StandardCharsets.UTF_8),
                {' ', '\t', ' '},
                {0, 0, 0},
                {(byte) 0xff, (byte) 0xfe, '{', '}'},
                "{\"op\":\"open\",\r\"device\":\"nic-vf\"}".getBytes(StandardCharsets.UTF_8),
                "\u001b[2J{\"op\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "{\"op\":\"\u202e\\u0007fork\"}".getBytes(StandardCharsets.UTF_8),
            };
            for (byte[] l : lines) {
                in.writeBytes(l);
                in.write('\n');
            }
            in.writeBytes("{\"op\":\"close\",\"fd\":3}".getBytes(StandardCharsets.UTF_8));
            List<String> r = serve(in.toByteArray());
            assertEquals(lines.length + 1, r.size(), "one reply per line, the last without a newline too: " + r);
            assertEquals("{\"fd\":3}", r.get(0));
            for (int i = 1; i <= 7; i++) {
                assertTrue(error(r.get(i)).startsWith("malformed request: "), r.get(i));
            }
            assertEquals("malformed request: byte 0xff at column 1 is not UTF-8 (the input must be "
                    + "UTF-8 text)", error(r.get(7)));
            assertEquals("{\"fd\":4}", r.get(8), "a carriage return inside a line is whitespace, not a line end");
            assertEquals("{\"ret\":0}", r.get(11));
            for (String reply : r) {
                reply.codePoints().forEach(c -> assertTrue(Printable.safe(c),
                        "raw " + Printable.escape(c) + " in " + reply));
            }
            assertTrue(error(r.get(10)).startsWith("unknown op \"<U+202E>\\x07fork\""), r.get(10));
        }

        @Test
        void crlfClientsGetOneReplyPerLine() {
            List<String> r = serve(OPEN + "\r\n" + "{\"op\":\"close\",\"fd\":3}\r\n");
            assertEquals(List.of("{\"fd\":3}", "{\"ret\":0}"), r);
        }

        @Test
        void aLineOverTheLimitIsOneErrorAndTheServerGoesOn() {
            long huge = 3L * InputLimits.MAX_LINE_BYTES + 17;
            InputStream in = new InputStream() {
                private final byte[] head = "{\"op\":\"open\",\"device\":\"".getBytes(StandardCharsets.UTF_8);
                private final byte[] tail = ("\"}\n" + OPEN + "\n").getBytes(StandardCharsets.UTF_8);
                private long pos;

                @Override
                public int read() {
                    long total = head.length + huge + tail.length;
                    if (pos >= total) {
                        return -1;
                    }
                    long at = pos++;
                    if (at < head.length) {
                        return head[(int) at];
                    }
                    if (at < head.length + huge) {
                        return 'x';
                    }
                    return tail[(int) (at - head.length - huge)];
                }
            };
            List<String> r = serve(in);
            assertEquals(2, r.size());
            assertEquals("malformed request: line longer than 1 MiB (the limit; nothing of it was "
                    + "read)", error(r.get(0)));
            assertTrue(r.get(0).length() < 200, "nothing echoed");
            assertEquals("{\"fd\":3}", r.get(1));
        }

        @Test
        void aLineJustUnderTheLimitIsServed() {
            String pad = " ".repeat(InputLimits.MAX_LINE_BYTES - OPEN.length());
            List<String> r = serve(pad + OPEN + "\n");
            assertEquals(List.of("{\"fd\":3}"), r);
        }
    }

    @Nested
    class TheShippedSession {
        /** The fenced blocks after "## A complete session" in docs/serve.md. */
        private List<String> docBlocks() throws IOException {
            String doc = Files.readString(RunCommandTest.scenarios().resolveSibling("docs")
                    .resolve("serve.md"));
            String sec = doc.substring(doc.indexOf("## A complete session"));
            Matcher m = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(sec);
            List<String> out = new java.util.ArrayList<>();
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }

        @Test
        void theReadmesSessionShipsAndAnswersAsDocsServeMdShows() throws IOException {
            Path session = RunCommandTest.scenarios().resolve("session.jsonl");
            String text = Files.readString(session);
            List<String> blocks = docBlocks();
            assertEquals(blocks.get(0), text, "docs/serve.md shows scenarios/session.jsonl");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Workbench.run(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    new PrintWriter(out), new PrintWriter(err), false, "serve", "--stage", "2",
                    "--device", "nic-vf");
            assertEquals(0, code, err.toString());
            assertEquals(blocks.get(1), out.toString(), "the replies docs/serve.md shows");
            String readme = Files.readString(RunCommandTest.scenarios().resolveSibling("README.md"));
            assertTrue(readme.contains("serve --stage 2 --device nic-vf < scenarios/session.jsonl"));
        }
    }
}
