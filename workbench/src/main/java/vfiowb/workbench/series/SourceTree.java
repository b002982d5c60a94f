package vfiowb.workbench.series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import vfiowb.workbench.UserError;

/**
 * The files of a stage module's {@code src/} (main and test, resources included) as text, keyed
 * by their path relative to the module ({@code src/main/java/vfiowb/step1/Step1.java}) and
 * sorted by it. In a git work tree the files are those git sees: tracked ones still present and
 * untracked ones not ignored; elsewhere every regular file under {@code src/}. Files are UTF-8
 * text; anything else is refused, since the series is a text patch.
 */
public record SourceTree(SortedMap<String, String> files) {
    public SourceTree {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** A tree with no file. */
    public static SourceTree empty() {
        return new SourceTree(new TreeMap<>());
    }

    /** The module's sources as they are on disk. */
    public static SourceTree working(StageModule m) {
        SortedMap<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(m.src())) {
            return new SourceTree(out);
        }
        Optional<Git> git = Git.in(m.dir());
        if (git.isPresent()) {
            String prefix = git.get().run(null, "rev-parse", "--show-prefix").text().trim();
            byte[] listing = git.get().ok(null, "ls-files", "-z", "--full-name", "--cached",
                    "--others", "--exclude-standard", "--", "src");
            for (String full : split0(listing)) {
                if (!full.startsWith(prefix)) {
                    throw new IllegalStateException("git listed " + full + " outside " + prefix);
                }
                String rel = full.substring(prefix.length());
                Path f = m.dir().resolve(rel);
                if (Files.isRegularFile(f) && !out.containsKey(rel)) {
                    out.put(rel, read(f, m.name() + "/" + rel));
                }
            }
        } else {
            try (Stream<Path> s = Files.walk(m.src())) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    String rel = relative(m.dir(), f);
                    out.put(rel, read(f, m.name() + "/" + rel));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new SourceTree(out);
    }

    /**
     * The module's sources in commit {@code rev} (already verified to exist); {@code git} runs in
     * the repository root, the module's parent.
     */
    static SourceTree atRevision(StageModule m, Git git, String rev) {
        SortedMap<String, String> out = new TreeMap<>();
        String prefix = git.run(null, "rev-parse", "--show-prefix").text().trim() + m.name() + "/";
        byte[] listing = git.ok(null, "ls-tree", "-r", "-z", "--full-name", rev, "--",
                m.name() + "/src");
        StringBuilder batch = new StringBuilder();
        java.util.List<String[]> entries = new java.util.ArrayList<>();
        for (String entry : split0(listing)) {
            int tab = entry.indexOf('\t');
            String[] meta = entry.substring(0, tab).split(" ");
            String full = entry.substring(tab + 1);
            if (!meta[1].equals("blob") || meta[0].equals("120000")) {
                continue;
            }
            if (!full.startsWith(prefix)) {
                throw new IllegalStateException("git listed " + full + " outside " + prefix);
            }
            String rel = full.substring(prefix.length());
            entries.add(new String[] {meta[2], rel});
            batch.append(meta[2]).append('\n');
        }
        if (entries.isEmpty()) {
            return new SourceTree(out);
        }
        byte[] objects = git.ok(batch.toString().getBytes(StandardCharsets.US_ASCII), "cat-file", "--batch");
        Map<String, byte[]> contents = new TreeMap<>();
        int pos = 0;
        while (pos < objects.length) {
            int nl = indexOf(objects, (byte) '\n', pos);
            String[] header = new String(objects, pos, nl - pos, StandardCharsets.US_ASCII).split(" ");
            if (header.length != 3) {
                throw new IllegalStateException("git cat-file --batch: unexpected header "
                        + String.join(" ", header));
            }
            int size = Integer.parseInt(header[2]);
            byte[] body = java.util.Arrays.copyOfRange(objects, nl + 1, nl + 1 + size);
            contents.put(header[0], body);
            pos = nl + 1 + size + 1;
        }
        for (String[] e : entries) {
            out.put(e[1], decode(contents.get(e[0]), m.name() + "/" + e[1] + " at " + rev));
        }
        return new SourceTree(out);
    }

    /** This tree (of stage {@code stage}) in stage-neutral form: paths and contents. */
    public SourceTree normalise(int stage) {
        return normalise(StageNormaliser.Spelling.stage(stage), "stage " + stage);
    }

    /** This tree (of {@code module}, a stage or a variant) in stage-neutral form. */
    public SourceTree normalise(StageModule module) {
        return normalise(module.spelling(), module.label());
    }

    private SourceTree normalise(StageNormaliser.Spelling spelling, String label) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            String path;
            String text;
            try {
                path = StageNormaliser.normalise(e.getKey(), spelling);
                text = StageNormaliser.normalise(e.getValue(), spelling);
            } catch (IllegalArgumentException ex) {
                throw new UserError(label + ": " + e.getKey() + " " + ex.getMessage());
            }
            if (out.put(path, text) != null) {
                throw new UserError(label + ": two files normalise to " + path);
            }
        }
        return new SourceTree(out);
    }

    /** This stage-neutral tree as stage {@code stage} spells it. */
    public SourceTree denormalise(int stage) {
        return denormalise(StageNormaliser.Spelling.stage(stage));
    }

    /** This stage-neutral tree as a module spelled {@code spelling} spells it. */
    public SourceTree denormalise(StageNormaliser.Spelling spelling) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            out.put(StageNormaliser.denormalise(e.getKey(), spelling),
                    StageNormaliser.denormalise(e.getValue(), spelling));
        }
        return new SourceTree(out);
    }

    /** The file at {@code path}, or null. */
    public String get(String path) {
        return files.get(path);
    }

    static String read(Path f, String name) {
        try {
            return decode(Files.readAllBytes(f), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UserError(name + " is not UTF-8 text; stage sources must be text");
        }
    }

    static String relative(Path base, Path f) {
        return base.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
    }

    private static java.util.List<String> split0(byte[] listing) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < listing.length; i++) {
            if (listing[i] == 0) {
                out.add(new String(listing, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("git cat-file --batch: truncated output");
    }
}
