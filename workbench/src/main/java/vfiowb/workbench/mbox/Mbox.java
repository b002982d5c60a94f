package vfiowb.workbench.mbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import vfiowb.common.stage.Stage;
import vfiowb.workbench.series.Series;

/**
 * The series as a kernel reviewer receives it: one mbox holding a cover letter ({@code [PATCH
 * vN 0/T]}, {@link CoverLetter}) and one mail per patch of {@code series/} ({@code [PATCH vN
 * M/T]}), numbered through every stage pair it carries, as {@code git format-patch
 * --cover-letter} writes them: a {@code From <sha> Mon Sep 17 00:00:00 2001} separator, From,
 * Date (the given time plus one second per mail), Subject (folded past 78 columns), Message-ID
 * and, for the patches, In-Reply-To and References naming the cover letter; the message
 * ({@link PatchBody}); {@code ---}; the diffstat of the model's files and of the kernel files
 * they model; the diff; the {@code -- } signature. A body line starting with {@code From }
 * (after any {@code >}) gets one more {@code >}, the mboxrd way.
 *
 * <p>The diff paths are the normalised module-relative paths of {@code series/}
 * ({@code src/main/java/vfiowb/stepN/...}): the mbox applies with {@code git am --empty=drop}
 * (the cover letter has no diff) in a git repository whose root holds the first stage's
 * normalised {@code src/} tree, and leaves the last stage's.
 */
public final class Mbox {
    /** How the mails are addressed and dated. */
    public record Options(int version, String author, Instant date, String signature) {
        public Options {
            if (version < 1) {
                throw new IllegalArgumentException("version " + version);
            }
        }
    }

    /** One mail: its separator hash, subject, Message-ID, the cover's ID (null for the cover), body. */
    public record Mail(String hash, String subject, String messageId, String inReplyTo, Instant date,
            String body) {}

    /** The mbox: its text, the mails in order, and the cover letter as built. */
    public record Result(String text, List<Mail> mails, Letter letter, String coverTail) {}

    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern FROM_LINE = Pattern.compile("(?m)^(>*From )");

    private Mbox() {}

    /** {@code step2-to-step4.mbox}: the file an mbox from stage {@code from} to {@code to} is written to. */
    public static String fileName(int from, int to) {
        return "step" + from + "-to-step" + to + ".mbox";
    }

    /** The mbox of {@code pairs} (adjacent, in order), its numbers from {@code evidence}. */
    public static Result build(List<Series.Pair> pairs, List<Stage> stages, Options o, Evidence evidence) {
        CoverLetter.Scope scope = new CoverLetter.Scope(pairs, stages);
        List<Series.Patch> patches = new ArrayList<>();
        pairs.forEach(p -> patches.addAll(p.patches()));
        int total = patches.size();
        StringBuilder all = new StringBuilder();
        patches.forEach(p -> all.append(p.text()));
        String seriesId = sha1(all.toString()).substring(0, 12);
        String prefix = "[PATCH v" + o.version() + " ";

        PatchBody bodies = new PatchBody(evidence, scope);
        List<Mail> mails = new ArrayList<>();
        List<Diffstat> stats = new ArrayList<>();
        String coverId = messageId(seriesId, o.version(), 0);
        int n = 0;
        for (Series.Pair pair : pairs) {
            for (Series.Patch p : pair.patches()) {
                n++;
                Diffstat stat = Diffstat.of(p.diff(), pair.fromTree(), pair.toTree());
                stats.add(stat);
                StringBuilder body = new StringBuilder(bodies.of(pair, p, stat));
                body.append("---\n").append(stat.render());
                String kernel = stat.renderKernel();
                if (!kernel.isEmpty()) {
                    body.append('\n').append(kernel);
                }
                body.append('\n').append(p.diff()).append("-- \n").append(o.signature()).append("\n\n");
                mails.add(new Mail(sha1(p.text()), prefix + n + "/" + total + "] " + p.subject(),
                        messageId(seriesId, o.version(), n), coverId, o.date().plusSeconds(n), body.toString()));
            }
        }
        Letter letter = CoverLetter.write(scope, evidence);
        StringBuilder tail = new StringBuilder();
        tail.append(shortName(o.author())).append(" (").append(total).append("):\n");
        for (Series.Patch p : patches) {
            tail.append(Text.wrap(p.subject(), Letter.WIDTH, "  ", "    "));
        }
        tail.append('\n');
        List<Diffstat.Row> rows = Diffstat.sum(stats);
        tail.append(Diffstat.table(rows)).append(Diffstat.summary(rows)).append('\n');
        tail.append("-- \n").append(o.signature()).append("\n\n");
        String coverBody = letter.text() + tail;
        String coverSubject = prefix + "0/" + total + "] " + coverTitle(scope);
        Mail cover = new Mail(sha1(coverBody), coverSubject, coverId, null, o.date(), coverBody);
        mails.add(0, cover);

        StringBuilder text = new StringBuilder();
        for (Mail m : mails) {
            text.append(format(m, o.author()));
        }
        return new Result(text.toString(), mails, letter, tail.toString());
    }

    /** The cover letter's subject: the stage's title for one stage, the span of stages for more. */
    static String coverTitle(CoverLetter.Scope s) {
        if (s.pairs().size() == 1) {
            return "vfio: " + s.stage(s.last()).title();
        }
        return "vfio: The region-info and mmap cookie series, stages " + s.later().get(0) + " to " + s.last();
    }

    /** One mail as it stands in the mbox, ending with a blank line. */
    static String format(Mail m, String author) {
        StringBuilder sb = new StringBuilder();
        sb.append("From ").append(m.hash()).append(" Mon Sep 17 00:00:00 2001\n");
        sb.append(header("From", author));
        sb.append("Date: ").append(RFC_2822.format(m.date())).append('\n');
        sb.append(header("Subject", m.subject()));
        sb.append("Message-ID: ").append(m.messageId()).append('\n');
        if (m.inReplyTo() != null) {
            sb.append("In-Reply-To: ").append(m.inReplyTo()).append('\n');
            sb.append("References: ").append(m.inReplyTo()).append('\n');
        }
        sb.append("MIME-Version: 1.0\n");
        sb.append("Content-Type: text/plain; charset=UTF-8\n");
        sb.append("Content-Transfer-Encoding: 8bit\n\n");
        sb.append(escape(m.body()));
        if (!m.body().endsWith("\n\n")) {
            sb.append(m.body().endsWith("\n") ? "\n" : "\n\n");
        }
        return sb.toString();
    }

    /** {@code >From } for every body line starting with {@code From } after any {@code >}. */
    static String escape(String body) {
        return FROM_LINE.matcher(body).replaceAll(">$1");
    }

    /** The inverse of {@link #escape}. */
    static String unescape(String body) {
        return Pattern.compile("(?m)^>(>*From )").matcher(body).replaceAll("$1");
    }

    /**
     * A header line, folded at blanks to stay within 78 columns where it can; a value with
     * characters outside ASCII is an RFC 2047 encoded word (UTF-8, base64), as git writes one.
     */
    static String header(String name, String value) {
        String v = value;
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(v)) {
            v = "=?UTF-8?b?" + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) + "?=";
        }
        StringBuilder sb = new StringBuilder(name).append(':');
        int col = sb.length();
        for (String w : v.split(" ")) {
            if (col + 1 + w.length() > 78 && col > name.length() + 1) {
                sb.append("\n");
                col = 0;
            }
            sb.append(' ').append(w);
            col += 1 + w.length();
        }
        return sb.append('\n').toString();
    }

    private static String shortName(String author) {
        int lt = author.indexOf('<');
        return (lt > 0 ? author.substring(0, lt) : author).strip();
    }

    private static String messageId(String seriesId, int version, int n) {
        return "<" + seriesId + ".v" + version + "." + n + "@vfio-workbench.invalid>";
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this JDK", e);
        }
    }
}
