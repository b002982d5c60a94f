package vfiowb.workbench.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.workbench.json.Json;

/** A letter cannot hold a typed number, and the check finds a number nobody printed. */
class LetterTest {
    /** A cheap command with JSON and text forms: the model's vfio.h. */
    static final List<String> UAPI = List.of("uapi", "--format", "json");
    static final List<String> UAPI_TEXT = List.of("uapi");
    static final Path ROOT = root();

    static Path root() {
        String r = System.getProperty("vfiowb.repo.root");
        return r != null ? Path.of(r) : Path.of(System.getProperty("user.dir")).getParent();
    }

    static Letter.Fact count() {
        return new Letter.Fact(UAPI, "ioctls", r -> CoverLetter.list(CoverLetter.at(r.json(), "ioctls")).size(),
                Letter.Render.COUNT);
    }

    static int ioctls() {
        return CoverLetter.list(CoverLetter.at(new Evidence(ROOT).run(UAPI).json(), "ioctls")).size();
    }

    @Nested
    class Building {
        @Test
        void proseWithATypedNumberIsRefusedWhereverItComesFrom() {
            Letter l = new Letter(new Evidence(ROOT));
            assertThrows(IllegalStateException.class, () -> l.para().text("the slot is 40 bits"));
            assertThrows(IllegalStateException.class, () -> l.para().text("at 0x1000"));
            assertThrows(IllegalStateException.class, () -> l.heading("Stage 3"));
            l.para().text("mlx5, x86_64, i386, v6.19 and vfio_pci_core.c are names, not numbers").end();
        }

        @Test
        void aFactIsReadFromItsCommandAndItsSpanIsWhereItLandsAfterWrapping() {
            Letter l = new Letter(new Evidence(ROOT));
            l.para().text("word ".repeat(20) + "there are").fact(count()).text(" ioctls (").fact(count())
                    .text(") in vfio.h.").end();
            String text = l.text();
            String n = String.valueOf(ioctls());
            assertTrue(text.replaceAll("\\s+", " ").contains("there are " + n + " ioctls (" + n
                    + ") in vfio.h. [1]"), text);
            for (Letter.Span s : l.spans()) {
                assertEquals(n, text.substring(s.start(), s.end()));
            }
            assertTrue(text.lines().allMatch(x -> x.length() <= Letter.WIDTH), text);
            l.footnotes(CoverLetter.FOOTNOTES);
            assertTrue(l.text().endsWith("[1] vfio-workbench uapi --format json\n\n"), l.text());
            assertEquals(List.of(), new LetterCheck(ROOT).problems(l.text(), l.spans(), l.footnoteCommands()));
        }

        @Test
        void quotesAndExcerptsMustBeWhatTheCommandPrints() {
            Letter l = new Letter(new Evidence(ROOT));
            assertThrows(IllegalStateException.class, () -> l.para().quote(UAPI_TEXT, "no such text here"));
            assertThrows(IllegalStateException.class, () -> l.excerpt(UAPI_TEXT, List.of("invented line")));
            String first = l.evidence().run(UAPI_TEXT).out().lines().findFirst().orElseThrow();
            l.excerpt(UAPI_TEXT, List.of(first));
            assertTrue(l.text().contains("    $ vfio-workbench uapi\n    " + first + "\n"), l.text());
        }
    }

    @Nested
    class Check {
        /** The check fails a number typed around the spans, a fact that changed, and a doctored excerpt. */
        @Test
        void findsTypedNumbersWrongFactsAndDoctoredExcerpts() {
            Letter l = new Letter(new Evidence(ROOT));
            l.para().text("The model has").fact(count()).text(" ioctls.").end();
            String first = l.evidence().run(UAPI_TEXT).out().lines().skip(1).findFirst().orElseThrow();
            l.excerpt(UAPI_TEXT, List.of(first));
            LetterCheck check = new LetterCheck(ROOT);
            String text = l.text();
            assertEquals(List.of(), check.problems(text, l.spans(), l.footnoteCommands()));

            String typed = text.replace("The model has", "The model, 7 years old, has");
            Letter.Span fact = l.spans().get(0);
            int shift = typed.length() - text.length();
            List<Letter.Span> moved = List.of(new Letter.FactSpan(fact.start() + shift, fact.end() + shift,
                    ((Letter.FactSpan) fact).fact()), shifted(l.spans().get(1), shift));
            List<String> p = check.problems(typed, moved, l.footnoteCommands());
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).contains("'7'"), p.toString());

            String n = String.valueOf(ioctls());
            String other = String.valueOf(Integer.parseInt(n) + 1);
            other = other.length() == n.length() ? other : String.valueOf(Integer.parseInt(n) - 1);
            String wrong = text.substring(0, fact.start()) + other + text.substring(fact.end());
            assertFalse(check.problems(wrong, l.spans(), l.footnoteCommands()).isEmpty());

            String doctored = text.replace(first, first.replace("VFIO", "VFOI"));
            assertFalse(check.problems(doctored, l.spans(), l.footnoteCommands()).isEmpty());
            assertTrue(Json.write(check.problems(doctored, l.spans(), l.footnoteCommands())).contains("excerpt"));
        }

        private Letter.Span shifted(Letter.Span s, int by) {
            Letter.ExcerptSpan e = (Letter.ExcerptSpan) s;
            return new Letter.ExcerptSpan(e.start() + by, e.end() + by, e.args(), e.lines());
        }
    }

    @Nested
    class Render {
        @Test
        void sizesCountsAndShifts() {
            assertEquals("1 TiB", Letter.Render.SIZE.apply(1L << 40));
            assertEquals("64 KiB", Letter.Render.SIZE.apply(65536));
            assertEquals("3,000 bytes", Letter.Render.SIZE.apply(3000));
            assertEquals("524,288", Letter.Render.COUNT.apply(524288));
            assertEquals("40", Letter.Render.LOG2.apply(1L << 40));
            assertThrows(IllegalStateException.class, () -> Letter.Render.LOG2.apply(3));
        }
    }
}
