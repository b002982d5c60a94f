package vfiowb.workbench.mutation;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import vfiowb.workbench.UserError;
import vfiowb.workbench.io.Printable;

/**
 * A PIT {@code mutations.xml} as PIT 1.30's {@code XMLReportListener} writes it: a
 * {@code <mutations partial="...">} root holding one {@code <mutation detected status
 * numberOfTestsRun>} per line, each with {@code sourceFile}, {@code mutatedClass},
 * {@code mutatedMethod}, {@code methodDescription}, {@code lineNumber}, {@code mutator},
 * {@code indexes}, {@code blocks}, {@code killingTest} and {@code description} children (and the
 * test lists of a full mutation matrix, which are skipped).
 *
 * <p>PIT writes each class's results as they arrive, so a run stopped early leaves a file cut
 * anywhere, often in the middle of a mutation: such a file is read up to its last complete
 * {@code </mutation>} and marked truncated, since those figures are still worth having
 * (docs/mutation.md's "partial" runs). A file is taken as cut when it does not end with
 * {@code </mutations>}; one that does and is still malformed, one whose root is not
 * {@code <mutations>}, or one with a mutation PIT would not write (a missing field, an unknown
 * status) is not a report this tool can trust, and is a user error.
 *
 * <p>Read with the JDK's StAX, DTDs and external entities off: nothing in a report needs them.
 */
public final class PitReport {
    private static final XMLInputFactory FACTORY = factory();

    /**
     * One file read.
     *
     * @param path the file as named on the command line
     * @param mutants its complete mutations, in file order
     * @param truncated whether the file was cut short (read up to its last complete mutation)
     */
    public record Report(Path path, List<Mutant> mutants, boolean truncated) {
        public Report {
            mutants = List.copyOf(mutants);
        }
    }

    private PitReport() {}

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Reads {@code file}; a missing, unreadable or non-PIT file is a {@link UserError}. */
    public static Report read(Path file) {
        String name = Printable.of(file.toString());
        if (Files.isDirectory(file)) {
            throw new UserError(name + ": a directory, not a PIT mutations.xml");
        }
        boolean closed;
        try {
            closed = endsWithRootEnd(file);
        } catch (NoSuchFileException e) {
            throw new UserError(name + ": no such file");
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + Printable.of(e.getMessage()));
        }
        List<Mutant> mutants = new ArrayList<>();
        boolean root = false;
        boolean truncated = false;
        // A malformed byte sequence (a file cut inside a character) reads as U+FFFD.
        try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            XMLStreamReader x = FACTORY.createXMLStreamReader(r);
            try {
                while (x.hasNext()) {
                    if (x.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if (!root) {
                        if (!x.getLocalName().equals("mutations")) {
                            throw notPit(name, "its root element is <" + Printable.of(x.getLocalName())
                                    + ">, not <mutations>");
                        }
                        root = true;
                    } else if (x.getLocalName().equals("mutation")) {
                        mutants.add(mutation(x, name));
                    } else {
                        skip(x);
                    }
                }
            } catch (XMLStreamException e) {
                if (!root) {
                    throw notPit(name, message(e));
                }
                if (closed) {
                    throw new UserError(name + ": malformed XML: " + message(e));
                }
                truncated = true;
            } finally {
                x.close();
            }
        } catch (XMLStreamException e) {
            throw notPit(name, message(e));
        } catch (IOException e) {
            throw new UserError(name + ": cannot read: " + Printable.of(e.getMessage()));
        }
        if (!root) {
            throw notPit(name, "no <mutations> element");
        }
        return new Report(file, mutants, truncated);
    }

    /** Whether the file's last non-blank text is the root's end tag: PIT finished writing it. */
    private static boolean endsWithRootEnd(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            int n = (int) Math.min(f.length(), 256);
            byte[] tail = new byte[n];
            f.seek(f.length() - n);
            f.readFully(tail);
            return new String(tail, StandardCharsets.ISO_8859_1).strip().endsWith("</mutations>");
        }
    }

    /** Reads one {@code <mutation>}, positioned on its start tag, through its end tag. */
    private static Mutant mutation(XMLStreamReader x, String name) throws XMLStreamException {
        int at = x.getLocation().getLineNumber();
        String statusText = x.getAttributeValue(null, "status");
        Map<String, String> fields = new HashMap<>();
        List<Integer> indexes = new ArrayList<>();
        while (true) {
            int ev = x.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                break;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String child = x.getLocalName();
            switch (child) {
                case "sourceFile", "mutatedClass", "mutatedMethod", "methodDescription", "lineNumber",
                        "mutator", "description" -> fields.put(child, x.getElementText().strip());
                case "indexes" -> indexes(x, name, at, indexes);
                default -> skip(x);
            }
        }
        String where = name + ":" + at + ": ";
        Mutant.Status status = Mutant.Status.named(statusText);
        if (status == null) {
            throw new UserError(where + "mutation status '" + Printable.of(String.valueOf(statusText))
                    + "' is none of those counted (KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR, "
                    + "SURVIVED, NO_COVERAGE, NON_VIABLE)");
        }
        for (String f : new String[] {"sourceFile", "mutatedClass", "mutatedMethod", "lineNumber",
            "mutator"}) {
            if (fields.getOrDefault(f, "").isEmpty()) {
                throw notPit(name, "the mutation at line " + at + " has no <" + f + ">");
            }
        }
        int line;
        try {
            line = Integer.parseInt(fields.get("lineNumber"));
        } catch (NumberFormatException e) {
            throw notPit(name, "the mutation at line " + at + " has lineNumber '"
                    + Printable.of(fields.get("lineNumber")) + "'");
        }
        return new Mutant(fields.get("sourceFile"), fields.get("mutatedClass"),
                fields.get("mutatedMethod"), fields.getOrDefault("methodDescription", ""), line,
                fields.get("mutator"), indexes, status, fields.getOrDefault("description", ""));
    }

    private static void indexes(XMLStreamReader x, String name, int at, List<Integer> out)
            throws XMLStreamException {
        while (true) {
            int ev = x.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return;
            }
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String text = x.getElementText().strip();
                try {
                    out.add(Integer.parseInt(text));
                } catch (NumberFormatException e) {
                    throw notPit(name, "the mutation at line " + at + " has index '"
                            + Printable.of(text) + "'");
                }
            }
        }
    }

    /** Skips the element the reader is on, with everything in it. */
    private static void skip(XMLStreamReader x) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static UserError notPit(String name, String why) {
        return new UserError(name + ": not a PIT mutations.xml: " + why);
    }

    /** The parser's message on one line, with where it stopped. */
    private static String message(XMLStreamException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        // The JDK prefixes "ParseError at [row,col]:[r,c]\nMessage: "; keep the position short.
        m = m.replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[(\\d+),(\\d+)\\]\\s*Message:\\s*",
                "line $1: ");
        return Printable.of(m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
