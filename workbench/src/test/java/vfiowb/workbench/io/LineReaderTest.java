package vfiowb.workbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<LineReader.Line> lines(byte[] in, int limit) throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(in), limit);
        List<LineReader.Line> out = new ArrayList<>();
        for (LineReader.Line l = r.next(); l != null; l = r.next()) {
            out.add(l);
        }
        return out;
    }

    private static List<LineReader.Line> lines(String in) throws IOException {
        return lines(in.getBytes(StandardCharsets.UTF_8), 64);
    }

    @Test
    void onlyALineFeedEndsALineAndOneCarriageReturnBeforeItIsDropped() throws IOException {
        List<LineReader.Line> l = lines("a\rb\r\nc\u2028d\u000be\n\n\r\nlast");
        assertEquals(List.of("a\rb", "c\u2028d\u000be", "", "", "last"),
                l.stream().map(LineReader.Line::text).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), l.stream().map(LineReader.Line::number).toList());
    }

    @Test
    void noInputNoLine() throws IOException {
        assertTrue(lines("").isEmpty());
        assertEquals(1, lines("\n").size());
    }

    @Test
    void aLineOverTheLimitIsDroppedAndTheNextIsRead() throws IOException {
        byte[] big = ("x".repeat(100_000) + "\nok\n" + "y".repeat(17) + "\n" + "z".repeat(16))
                .getBytes(StandardCharsets.UTF_8);
        List<LineReader.Line> l = lines(big, 16);
        assertTrue(l.get(0).tooLong());
        assertEquals(100_000, l.get(0).length());
        assertEquals("line longer than 16 bytes (the limit; nothing of it was read)", l.get(0).problem());
        assertEquals("ok", l.get(1).text());
        assertTrue(l.get(2).tooLong(), "17 bytes");
        assertEquals("z".repeat(16), l.get(3).text(), "16 bytes is the limit, inclusive");
    }

    @Test
    void aCarriageReturnJustPastTheLimitIsTheLinesEnd() throws IOException {
        assertEquals("a".repeat(16), lines(("a".repeat(16) + "\r\n").getBytes(StandardCharsets.UTF_8), 16)
                .get(0).text());
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByColumn() throws IOException {
        List<LineReader.Line> l = lines(new byte[] {'o', 'k', '\n', 'a', 'b', (byte) 0xc3, '(', '\n',
            (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'}, 64);
        assertEquals("ok", l.get(0).text());
        assertEquals("byte 0xc3 at column 3 is not UTF-8 (the input must be UTF-8 text)", l.get(1).problem());
        assertTrue(l.get(2).notUtf8(), "an encoded surrogate is not UTF-8");
    }

    @Test
    void aStreamOfGigabytesIsReadWithoutHoldingIt() throws IOException {
        long total = 1L << 30;
        InputStream in = new InputStream() {
            private long pos;

            @Override
            public int read() {
                return pos++ < total ? 'q' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - pos);
                java.util.Arrays.fill(b, off, off + n, (byte) 'q');
                pos += n;
                return n;
            }
        };
        LineReader r = new LineReader(in);
        LineReader.Line l = r.next();
        assertTrue(l.tooLong());
        assertEquals(total, l.length());
        assertNull(r.next());
    }
}
