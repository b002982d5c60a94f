package vfiowb.workbench.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads UTF-8 lines from a byte stream without ever holding more than
 * {@link InputLimits#MAX_LINE_BYTES} of one line: what {@code serve} reads requests with and
 * {@code run} reads scripts with.
 *
 * <p>A line ends at a line feed (or at the end of input, if anything came before it); one
 * carriage return just before the line feed is dropped, so CRLF input reads as LF input. No
 * other byte ends a line: a carriage return, a form feed, {@code \x1c} or U+2028 inside a line
 * is part of it. So every line feed of the input is one {@link Line}, which is what lets
 * {@code serve} promise exactly one reply per line.
 *
 * <p>A line longer than the limit is not kept: the rest of it is read and dropped, and the line
 * comes back as {@link Line#tooLong()}. A line that is not valid UTF-8 comes back with the byte
 * offset of the first bad byte. Not thread-safe.
 */
public final class LineReader {
    private static final int CHUNK = 64 << 10;

    /**
     * One line of input: its 1-based number and either its text or what is wrong with it.
     *
     * @param text the decoded line, or null when {@link #problem()} says why not
     * @param length the line's length in bytes (for a line too long, at least the limit + 1)
     * @param badByte for a line that is not UTF-8, the 0-based offset of the first bad byte, else -1
     * @param badValue that byte
     * @param limit the reader's limit on a line's bytes
     */
    public record Line(long number, String text, long length, int badByte, int badValue, int limit) {
        /** Whether the line was longer than the limit (its text was dropped). */
        public boolean tooLong() {
            return text == null && badByte < 0;
        }

        /** Whether the line holds bytes that are not UTF-8. */
        public boolean notUtf8() {
            return badByte >= 0;
        }

        /** Null for a good line; else one line saying what is wrong, without echoing the input. */
        public String problem() {
            if (tooLong()) {
                return "line longer than " + InputLimits.bytes(limit)
                        + " (the limit; nothing of it was read)";
            }
            if (notUtf8()) {
                return String.format("byte 0x%02x at column %d is not UTF-8 (the input must be "
                        + "UTF-8 text)", badValue, badByte + 1);
            }
            return null;
        }
    }

    private final InputStream in;
    private final int limit;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;
    private int end;
    private boolean eof;
    private byte[] line = new byte[256];
    private long number;

    /** A reader of {@code in} with the workbench's line limit. */
    public LineReader(InputStream in) {
        this(in, InputLimits.MAX_LINE_BYTES);
    }

    /** A reader of {@code in} that drops lines longer than {@code limit} bytes. */
    public LineReader(InputStream in, int limit) {
        this.in = Objects.requireNonNull(in, "in");
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /**
     * The next line, or null at the end of input. Blocks until a whole line (or the end) has
     * arrived, and reads no further than it needs.
     */
    public Line next() throws IOException {
        long length = 0;
        int kept = 0;
        boolean sawAny = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    return finish(kept, length);
                }
            }
            sawAny = true;
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            int n = stop - pos;
            if (length + n <= limit + 1L) {
                kept = append(kept, pos, n);
            } else if (length <= limit) {
                kept = append(kept, pos, (int) (limit + 1L - length));
            }
            length += n;
            pos = stop;
            if (nl >= 0) {
                pos = nl + 1;
                return finish(kept, length);
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, chunk.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private int append(int kept, int from, int n) {
        if (kept + n > line.length) {
            line = Arrays.copyOf(line, Math.max(kept + n, Math.min(2 * line.length, limit + 2)));
        }
        System.arraycopy(chunk, from, line, kept, n);
        return kept + n;
    }

    private Line finish(int kept, long length) {
        number++;
        if (length > 0 && length <= limit + 1L && line[kept - 1] == '\r') {
            kept--;
            length--;
        }
        if (length > limit) {
            shrink();
            return new Line(number, null, length, -1, 0, limit);
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bb = ByteBuffer.wrap(line, 0, kept);
        CharBuffer cb = CharBuffer.allocate(kept);
        CoderResult r = d.decode(bb, cb, true);
        if (!r.isError()) {
            r = d.flush(cb);
        }
        if (r.isError()) {
            int at = bb.position();
            int value = line[at] & 0xff;
            shrink();
            return new Line(number, null, length, at, value, limit);
        }
        cb.flip();
        shrink();
        return new Line(number, cb.toString(), length, -1, 0, limit);
    }

    /** Gives back the memory a long line took, so one huge line does not pin it. */
    private void shrink() {
        if (line.length > CHUNK) {
            line = new byte[256];
        }
    }
}
