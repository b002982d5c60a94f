package vfiowb.workbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The diffstat of the patches in {@code series/}: per patch its subject, the files it touches
 * and the lines it adds and removes, read from the files as {@code series --update} wrote them.
 */
public final class Diffstat {
    private Diffstat() {}

    /** One patch file. */
    public record Patch(String transition, String file, String subject, int files, int insertions,
            int deletions) {}

    /** The patches of every {@code stepK-to-stepM} directory under {@code seriesDir}, in order. */
    public static List<Patch> of(Path seriesDir) {
        List<Patch> out = new ArrayList<>();
        if (!Files.isDirectory(seriesDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(seriesDir)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted(Diffstat::byStage).toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".patch")).sorted().toList()) {
                        out.add(parse(d.getFileName().toString(), f.getFileName().toString(),
                                Files.readString(f, StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code step2-to-step3} before {@code step10-to-step11}. */
    private static int byStage(Path a, Path b) {
        return Integer.compare(firstNumber(a.getFileName().toString()),
                firstNumber(b.getFileName().toString()));
    }

    private static int firstNumber(String s) {
        String digits = s.replaceFirst("^\\D*(\\d+).*$", "$1");
        return digits.equals(s) ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /**
     * Counts a git-style patch: a {@code diff --git} line starts a file's header, an
     * {@code @@} line a hunk, and inside hunks a leading {@code +} or {@code -} is an added or
     * removed line whatever follows it.
     */
    static Patch parse(String transition, String file, String text) {
        String subject = "";
        int files = 0;
        int ins = 0;
        int del = 0;
        boolean hunk = false;
        for (String line : text.split("\n", -1)) {
            if (subject.isEmpty() && files == 0 && line.startsWith("Subject: ")) {
                subject = line.substring("Subject: ".length()).replaceFirst("^\\[PATCH[^]]*\\]\\s*", "");
            } else if (line.startsWith("diff --git ")) {
                files++;
                hunk = false;
            } else if (files > 0 && line.startsWith("@@")) {
                hunk = true;
            } else if (hunk && line.startsWith("+")) {
                ins++;
            } else if (hunk && line.startsWith("-")) {
                del++;
            }
        }
        return new Patch(transition, file, subject, files, ins, del);
    }
}
