package vfiowb.workbench.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import vfiowb.common.stage.Stages;
import vfiowb.workbench.series.BaseRepo;
import vfiowb.workbench.series.Repo;
import vfiowb.workbench.series.Series;

/**
 * The mbox of the real series: {@code git am} turns each stage into the next, and the cover
 * letter's every number is what the commands it cites print. One evidence is shared by every
 * generation here, so each command runs once for the generations and once more, fresh, for the
 * check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeriesMboxTest {
    Repo repo;
    Evidence evidence;
    List<Series.Pair> pairs;
    Mbox.Options options = new Mbox.Options(2, "A Reviewer <reviewer@example.invalid>",
            Instant.ofEpochSecond(1753180800L), "vfio-workbench test");
    Mbox.Result whole;

    @BeforeAll
    void generate() {
        String root = System.getProperty("vfiowb.repo.root");
        repo = root != null ? Repo.at(Path.of(root)) : Repo.find(Path.of(System.getProperty("user.dir")));
        evidence = new Evidence(repo.root());
        pairs = Series.pairs(repo);
        assertFalse(pairs.isEmpty());
        whole = Mbox.build(pairs, Stages.all(), options, evidence);
    }

    private Mbox.Result pair(Series.Pair p) {
        return Mbox.build(List.of(p), Stages.all(), options, evidence);
    }

    /** Applies {@code mbox} with git am to a repository holding {@code base}; returns the repository. */
    private static BaseRepo am(Path dir, Series.Pair first, String mbox) throws Exception {
        BaseRepo r = BaseRepo.create(dir.resolve("repo"), first.fromTree(), "base");
        Path f = Files.writeString(dir.resolve("series.mbox"), mbox);
        Optional<String> refused = r.am(f);
        assertTrue(refused.isEmpty(), () -> "git am refused the mbox: " + refused.get());
        return r;
    }

    @Nested
    class GitAm {
        @TempDir
        Path dir;

        /**
         * For each pair of adjacent stages: a repository holding stage K's normalised tree,
         * {@code git am} of the pair's mbox, and the tree is stage M's; one commit per patch,
         * under the patch's subject, the cover letter dropped as it has no diff.
         */
        @Test
        void eachStagePairsMboxTurnsTheEarlierNormalisedTreeIntoTheLaterOne() throws Exception {
            assumeTrue(BaseRepo.gitAvailable(), "git is not installed: git am cannot be checked here");
            for (Series.Pair p : pairs) {
                Path d = dir.resolve(Series.dirName(p.from(), p.to()));
                BaseRepo r = am(d, p, pair(p).text());
                List<String> subjects = p.patches().stream().map(Series.Patch::subject).toList();
                assertEquals(subjects, r.subjectsAfterBase(), Series.dirName(p.from(), p.to()));
                assertEquals(p.toTree(), r.tree("HEAD"), Series.dirName(p.from(), p.to()));
            }
        }

        /**
         * The whole series in one mbox, applied to the first stage's tree: after each stage's last
         * patch the tree is that stage's, so the series bisects stage by stage.
         */
        @Test
        void theWholeSeriesAppliesInOneGoAndPassesThroughEveryStage() throws Exception {
            assumeTrue(BaseRepo.gitAvailable(), "git is not installed: git am cannot be checked here");
            BaseRepo r = am(dir, pairs.get(0), whole.text());
            List<String> commits = r.commitsAfterBase();
            int n = 0;
            for (Series.Pair p : pairs) {
                n += p.patches().size();
                assertEquals(p.toTree(), r.tree(commits.get(n - 1)), "after stage " + p.to().number());
            }
            assertEquals(n, commits.size());
            String message = r.message(commits.get(0));
            assertTrue(message.startsWith(pairs.get(0).patches().get(0).subject() + "\n\nStage "),
                    "git am keeps the generated message: " + message);
        }

        /** The same mbox from the command line, with the base repository it writes. */
        @Test
        void seriesOutWritesTheMboxAndABaseRepositoryItAppliesTo() throws Exception {
            assumeTrue(BaseRepo.gitAvailable(), "git is not installed: git am cannot be checked here");
            Series.Pair last = pairs.get(pairs.size() - 1);
            int k = last.from().number();
            int m = last.to().number();
            SeriesMbox.Written w = SeriesMbox.write(repo, dir.resolve("out"), k, m, 1, null, 0L,
                    dir.resolve("base"), evidence);
            assertEquals(dir.resolve("out").resolve("step" + k + "-to-step" + m + ".mbox"), w.mbox());
            assertEquals(last.patches().size() + 1, w.mails());
            BaseRepo base = BaseRepo.open(w.base());
            assertTrue(base.am(w.mbox()).isEmpty());
            assertEquals(last.toTree(), base.tree("HEAD"));
        }
    }

    @Nested
    class Mails {
        /** One mail per patch after the cover letter, git's separator, numbered subjects, threaded. */
        @Test
        void oneMailPerPatchNumberedThroughTheSeriesAndThreadedOnTheCoverLetter() {
            List<MboxFile.Mail> mails = MboxFile.parse(whole.text());
            List<Series.Patch> patches = new ArrayList<>();
            pairs.forEach(p -> patches.addAll(p.patches()));
            int t = patches.size();
            assertEquals(t + 1, mails.size());
            MboxFile.Mail cover = mails.get(0);
            assertTrue(cover.subject().startsWith("[PATCH v2 0/" + t + "] vfio: "), cover.subject());
            assertEquals("A Reviewer <reviewer@example.invalid>", cover.headers().get("From"));
            assertEquals("Tue, 22 Jul 2025 10:40:00 +0000", cover.headers().get("Date"));
            for (int i = 1; i <= t; i++) {
                MboxFile.Mail m = mails.get(i);
                Series.Patch p = patches.get(i - 1);
                assertEquals("[PATCH v2 " + i + "/" + t + "] " + p.subject(), m.subject());
                assertEquals(cover.headers().get("Message-ID"), m.headers().get("In-Reply-To"));
                assertEquals(p.diff(), m.diff(), p.fileName());
                assertTrue(m.body().contains("\n---\n"), p.fileName());
                assertTrue(m.body().endsWith("\n-- \nvfio-workbench test\n\n"), p.fileName());
            }
            assertEquals(whole.text(), Mbox.build(pairs, Stages.all(), options, evidence).text(),
                    "the same inputs give the same mbox, byte for byte");
        }

        /**
         * The diffstat of every patch lists the model's files with git's counts, and the kernel
         * files their changed declarations model; a driver's conversion names its kernel file.
         */
        @Test
        void everyDiffstatCountsTheModelsFilesAndNamesTheKernelFilesTheyModel() {
            List<MboxFile.Mail> mails = MboxFile.parse(whole.text());
            boolean sawKernel = false;
            for (MboxFile.Mail m : mails.subList(1, mails.size())) {
                String stat = m.body().substring(m.body().indexOf("\n---\n") + 5, m.body().indexOf("\ndiff --git "));
                for (ParsedDiff.FileDiff f : ParsedDiff.parse(m.diff())) {
                    String row = stat.lines().filter(l -> l.startsWith(" " + f.path() + " ")).findFirst()
                            .orElseThrow(() -> new AssertionError(m.subject() + ": no row for " + f.path()));
                    assertTrue(row.matches(".*\\| +" + (f.insertions() + f.deletions()) + "( [+-]+)?"),
                            m.subject() + ": " + row);
                }
                sawKernel |= stat.contains(" Kernel files the changed code models");
                if (m.subject().matches(".*\\] vfio/mlx5: .*")) {
                    assertTrue(stat.contains(" drivers/vfio/pci/mlx5/main.c "), stat);
                    assertTrue(m.body().contains("mlx5vf_pci_ops"), m.body());
                }
            }
            assertTrue(sawKernel);
        }
    }

    @Nested
    class CoverLetterNumbers {
        /**
         * Every number in the cover letter lies in a fact, a quote or an excerpt, and each of those
         * is what its command prints when run again now; the letter in the mbox is the letter
         * built.
         */
        @Test
        void everyNumberInTheCoverLetterIsWhatTheCommandsPrint() {
            MboxFile.Mail cover = MboxFile.parse(whole.text()).get(0);
            String letter = whole.letter().text();
            assertTrue(cover.body().startsWith(letter), "the mbox carries the letter as built");
            List<String> problems = new LetterCheck(repo.root()).problems(letter, whole.letter().spans(),
                    whole.letter().footnoteCommands());
            assertEquals(List.of(), problems);
            assertTrue(whole.letter().spans().stream().filter(s -> s instanceof Letter.FactSpan).count() > 20,
                    "the letter states numbers, not only transcripts");
        }

        /** The shortlog and the diffstat after the letter are the patches' own. */
        @Test
        void theShortlogAndDiffstatAfterTheLetterAreThePatches() {
            List<MboxFile.Mail> mails = MboxFile.parse(whole.text());
            String tail = mails.get(0).body().substring(whole.letter().text().length());
            List<Diffstat> stats = new ArrayList<>();
            StringBuilder shortlog = new StringBuilder("A Reviewer (" + (mails.size() - 1) + "):\n");
            int i = 1;
            for (Series.Pair p : pairs) {
                for (Series.Patch patch : p.patches()) {
                    assertEquals(patch.diff(), mails.get(i++).diff());
                    stats.add(Diffstat.of(patch.diff(), p.fromTree(), p.toTree()));
                    shortlog.append(Text.wrap(patch.subject(), Letter.WIDTH, "  ", "    "));
                }
            }
            List<Diffstat.Row> rows = Diffstat.sum(stats);
            assertEquals(shortlog + "\n" + Diffstat.table(rows) + Diffstat.summary(rows)
                    + "\n-- \nvfio-workbench test\n\n", tail);
        }

        /** The sections name every stage's rule teeth, the declarations and the objections. */
        @Test
        void theLetterCoversWhatIssue13AsksFor() {
            String letter = whole.letter().text();
            for (String want : new String[] {"The problem", "What each stage proves", "What userspace sees change",
                "Kernel bugs fixed on the way", "Objections raised upstream", "Cookie immutability",
                "pgoff alignment", "Revocation across files", "read and write translation", "Reach on i386",
                "hard-codes index <<", "conform --declared", "rules --stage", "What each policy costs",
                "$ vfio-workbench capacity --stage 5 --arch x86_64", "$ vfio-workbench capacity --stage 5 --arch i386"}) {
                assertTrue(letter.contains(want), want);
            }
            long capacityFacts = whole.letter().spans().stream()
                    .filter(x -> x instanceof Letter.FactSpan && x.args().get(0).equals("capacity")).count();
            assertTrue(capacityFacts >= 10, "the policy tables' numbers are capacity's: " + capacityFacts);
            for (Series.Pair p : pairs) {
                assertTrue(letter.contains("$ vfio-workbench rules --stage " + p.to().number() + " --against "
                        + p.from().number()) || letter.contains("introduces no rule"), "stage " + p.to().number());
            }
        }
    }
}
