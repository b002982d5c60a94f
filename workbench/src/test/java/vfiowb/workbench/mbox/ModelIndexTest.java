package vfiowb.workbench.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import vfiowb.workbench.series.SourceTree;

/** {@code @Models} declarations read from source text, and the diffstat that attributes lines to them. */
class ModelIndexTest {
    static final String SRC = String.join("\n",
            "package x;",                                                   // 1
            "",                                                             // 2
            "/** The ops. */",                                              // 3
            "@Models(\"drivers/a/a.c:struct a_dev\")",                      // 4
            "final class A {",                                              // 5
            "    /**",                                                      // 6
            "     * Not a brace: { in a comment.",                          // 7
            "     */",                                                      // 8
            "    @Models({\"drivers/a/a.c:a_read\", \"drivers/a/b.h:a_helper\"})", // 9
            "    int read(String s) {",                                     // 10
            "        String t = \"}\\\"{\";",                                // 11
            "        char c = '}';",                                        // 12
            "        return s.length();",                                   // 13
            "    }",                                                        // 14
            "",                                                             // 15
            "    @Models(\"drivers/a/a.c:a_ops\")",                         // 16
            "    static final Ops A_OPS = Ops.builder(\"a_ops\")",          // 17
            "            .read(A::read)",                                   // 18
            "            .mmap(A::mmap)",                                   // 19
            "            .build();",                                        // 20
            "    int plain;",                                               // 21
            "}",                                                            // 22
            "");

    @Nested
    class Index {
        @Test
        void eachDeclarationSpansItsJavadocToItsEndAndTheInnermostOwnsALine() {
            ModelIndex ix = ModelIndex.of(SRC);
            assertEquals(3, ix.decls().size());
            assertEquals(new ModelIndex.Decl(List.of("drivers/a/a.c:struct a_dev"), 3, 22), ix.decls().get(0));
            assertEquals(new ModelIndex.Decl(List.of("drivers/a/a.c:a_read", "drivers/a/b.h:a_helper"), 6, 14),
                    ix.decls().get(1));
            assertEquals(new ModelIndex.Decl(List.of("drivers/a/a.c:a_ops"), 16, 20), ix.decls().get(2));
            assertEquals("drivers/a/a.c:a_read", ix.at(12).models().get(0), "braces in literals do not count");
            assertEquals("drivers/a/a.c:a_ops", ix.at(19).models().get(0));
            assertEquals("drivers/a/a.c:struct a_dev", ix.at(21).models().get(0));
            assertNull(ix.at(1));
        }

        @Test
        void textThatIsNotJavaHasNoDeclaration() {
            assertEquals(List.of(), ModelIndex.of("@Models(\"x.c:y\") unterminated {").decls());
            assertEquals(List.of(), ModelIndex.of("").decls());
        }
    }

    @Nested
    class KernelDiffstat {
        static SourceTree tree(String text) {
            SortedMap<String, String> m = new TreeMap<>();
            m.put("src/A.java", text);
            return new SourceTree(m);
        }

        /** A changed line counts for every kernel file its declaration models; names are sorted by fate. */
        @Test
        void changedLinesCountForTheKernelFilesTheirDeclarationModels() {
            String after = SRC.replace("            .mmap(A::mmap)\n", "            .mmapObj(A::mmapObj)\n")
                    .replace("        return s.length();", "        return s.length() + 1;")
                    .replace("    int plain;\n", "    int plain;\n\n    @Models(\"drivers/a/a.c:a_new\")\n"
                            + "    void added() {}\n");
            String diff = vfiowb.workbench.series.GitPatch.diff(tree(SRC), tree(after));
            Diffstat d = Diffstat.of(diff, tree(SRC), tree(after));
            assertEquals(List.of(new Diffstat.Row("src/A.java", 5, 2)), d.files());
            assertEquals(2, d.kernel().size());
            Diffstat.KernelFile a = d.kernel().get(0);
            assertEquals(new Diffstat.Row("drivers/a/a.c", 5, 2), a.row());
            assertEquals(List.of("a_ops", "a_read", "struct a_dev"), a.changed(),
                    "the blank line before the new method is the class's");
            assertEquals(List.of("a_new"), a.added());
            assertEquals(new Diffstat.Row("drivers/a/b.h", 1, 1), d.kernel().get(1).row());
            assertEquals(" src/A.java | 7 +++++--\n 1 file changed, 5 insertions(+), 2 deletions(-)\n", d.render());
            assertEquals(Diffstat.summary(List.of(new Diffstat.Row("f", 1, 0))), " 1 file changed, 1 insertion(+)\n");
            assertEquals(Diffstat.summary(List.of(new Diffstat.Row("f", 0, 3), new Diffstat.Row("g", 0, 0))),
                    " 2 files changed, 3 deletions(-)\n");
        }

        /** Counts past the graph's width are scaled as git scales them, never to nothing. */
        @Test
        void wideCountsAreScaledAndSmallOnesKeepAColumn() {
            String t = Diffstat.table(List.of(new Diffstat.Row("a", 600, 0), new Diffstat.Row("bb", 0, 1)));
            String[] l = t.split("\n");
            assertEquals(Diffstat.WIDTH, l[0].length(), l[0]);
            assertEquals(" bb | " + "  1 -", l[1]);
        }
    }
}
