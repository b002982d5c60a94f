package vfiowb.common.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import vfiowb.common.stage.Stage;

/**
 * Shows that {@link ConcurrencyStressTests} catches a missing lock: the stage's classes are
 * loaded again through a class loader that rewrites their bytecode (ASM) so that one lock's
 * acquisition and release become no-ops, and the stress body, run against that mutant, must
 * report a violation. Each mutant also gets a {@code Thread.yield()} at the racy point (between
 * the check and the act the lock makes atomic) so that the race is hit within the stress test's
 * bounded iterations instead of by luck; the same yield with the lock kept is the control, which
 * must pass, so what is caught is the missing lock and not the yield. Without the yield the
 * missing tree lock is still caught every time, the missing {@code memory_lock} only about one
 * run in three; with it, every run. A mutant gets {@link #ATTEMPTS} runs of the (iteration
 * bounded) stress body; a run takes about a second.
 *
 * <ul>
 *   <li><b>the cookie tree lock</b> ({@code mtree_lock} in {@code vfio_df_mmap_install}): racing
 *       first REGION_INFO calls then place two cookies for one region (two offsets, or a torn
 *       {@code region_mmaps});</li>
 *   <li><b>{@code memory_lock}'s read side in the fault</b> ({@code vfio_pci_mmap_huge_fault}):
 *       a fault that saw decode on then inserts its PFN after the zap and the decode change, so
 *       a BAR stays mapped while memory is off.</li>
 * </ul>
 * A rewrite that finds nothing to rewrite fails (the stage moved the lock: update the mutant),
 * so the test cannot pass vacuously.
 */
public abstract class LockRemovalTests {
    private static final String TREE = "vfiowb/common/lib/MapleTree";
    private static final String READ_LOCK =
            "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock";

    /** What to do at a call: drop it (a no-op lock or unlock), or yield just after it. */
    enum Action { STRIP, YIELD_AFTER }

    /**
     * One rewrite: in method {@code method} of the stage class {@code cls} (relative to the
     * stage's package root, {@code core.VfioMain}), each call of {@code owner.name} with a
     * {@code ()V} descriptor for STRIP (the receiver is popped instead), or any descriptor for
     * YIELD_AFTER.
     */
    record Edit(String cls, String method, String owner, List<String> names, Action action) {}

    private final Stage stage;

    protected LockRemovalTests(Stage stage) {
        this.stage = stage;
    }

    private static List<Edit> treeLock(boolean strip) {
        Edit yield = new Edit("core.VfioMain", "vfioDfMmapInstall", "java/util/TreeMap",
                List.of("get"), Action.YIELD_AFTER);
        return strip ? List.of(yield, new Edit("core.VfioMain", "vfioDfMmapInstall", TREE,
                List.of("lock", "unlock"), Action.STRIP)) : List.of(yield);
    }

    private static List<Edit> memoryLock(boolean strip) {
        Edit yield = new Edit("pci.VfioPciCore", "vfioPciVmfInsertPfn",
                "vfiowb/common/hw/VfioPciConfig", List.of("memoryEnabled"), Action.YIELD_AFTER);
        return strip ? List.of(yield, new Edit("pci.VfioPciCore", "vfioPciMmapHugeFault",
                READ_LOCK, List.of("lock", "unlock"), Action.STRIP)) : List.of(yield);
    }

    @Test
    void withoutTheTreeLockRacingRegionInfoCallsAreCaught() throws Exception {
        assertStressCatches(treeLock(true),
                ConcurrencyStressTests::racingFirstRegionInfoCallsMakeOneCookiePerRegionPerFile,
                "the tree lock taken out of vfio_df_mmap_install: it cannot see a missing tree lock");
    }

    @Test
    void withoutMemoryLockInTheFaultAStaleBarMappingIsCaught() throws Exception {
        assertStressCatches(memoryLock(true), ConcurrencyStressTests::faultsRacingTheZapNeverMapARevokedBar,
                "memory_lock taken out of the fault: it cannot see a fault racing the zap");
    }

    private interface StressBody {
        void run(ConcurrencyStressTests t) throws Exception;
    }

    /** The stress body, run on the stage with {@code edits} applied, must fail within the attempts. */
    private void assertStressCatches(List<Edit> edits, StressBody body, String without) throws Exception {
        Mutant m = mutant(edits);
        AssertionError caught = caught(() -> body.run(stress(m)));
        m.assertEveryEditApplied();
        assertTrue(caught != null, "the stress test passed with " + without);
    }

    /** The controls: the same yields with the locks kept pass, so the yield alone breaks nothing. */
    @Test
    void theYieldsAloneBreakNothing() throws Exception {
        Mutant tree = mutant(treeLock(false));
        stress(tree).racingFirstRegionInfoCallsMakeOneCookiePerRegionPerFile();
        tree.assertEveryEditApplied();
        Mutant memory = mutant(memoryLock(false));
        stress(memory).faultsRacingTheZapNeverMapARevokedBar();
        memory.assertEveryEditApplied();
    }

    /** Runs of the stress body a mutant gets before it counts as not caught. */
    private static final int ATTEMPTS = 3;

    private interface Body {
        void run() throws Exception;
    }

    /**
     * The assertion error the body ended with (its first lines printed), or null when it passed
     * {@link #ATTEMPTS} times in a row.
     */
    private static AssertionError caught(Body b) throws Exception {
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                b.run();
            } catch (AssertionError e) {
                String msg = String.valueOf(e.getMessage());
                System.out.println("caught as it should be (run " + (i + 1) + "): " + msg.lines()
                        .limit(3).reduce((x, y) -> x + " | " + y).orElse(""));
                return e;
            }
        }
        return null;
    }

    private static ConcurrencyStressTests stress(Mutant m) {
        return new ConcurrencyStressTests(m.stage) {};
    }

    private Mutant mutant(List<Edit> edits) throws ReflectiveOperationException {
        String root = stage.packageRoot() + ".";
        MutatingLoader loader = new MutatingLoader(stage.getClass().getClassLoader(), root, edits);
        Stage s = (Stage) Class.forName(stage.getClass().getName(), true, loader)
                .getDeclaredConstructor().newInstance();
        if (s.getClass().getClassLoader() != loader) {
            throw new IllegalStateException("the stage class was not loaded by the mutant loader");
        }
        return new Mutant(s, loader);
    }

    private record Mutant(Stage stage, MutatingLoader loader) {
        void assertEveryEditApplied() {
            for (Edit e : loader.edits) {
                int n = loader.applied.getOrDefault(e, new AtomicInteger()).get();
                if (n == 0) {
                    fail("no call of " + e.owner() + "." + e.names() + " in " + e.cls() + "."
                            + e.method() + ": the stage changed where the lock is taken; update "
                            + "LockRemovalTests");
                }
            }
        }
    }

    /**
     * Loads the stage's own classes (its package root) itself, rewritten by the edits that name
     * them; everything else (common, the JDK) from the parent, so the mutant stage runs on the
     * same common classes as the test.
     */
    static final class MutatingLoader extends ClassLoader {
        private final String root;
        final List<Edit> edits;
        final Map<Edit, AtomicInteger> applied = new ConcurrentHashMap<>();

        MutatingLoader(ClassLoader parent, String root, List<Edit> edits) {
            super(parent);
            this.root = root;
            this.edits = edits;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(root)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = rewrite(name, read(name));
                    c = defineClass(name, b, 0, b.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private byte[] read(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        private byte[] rewrite(String name, byte[] bytes) {
            String rel = name.substring(root.length());
            List<Edit> mine = edits.stream().filter(e -> e.cls().equals(rel)).toList();
            if (mine.isEmpty()) {
                return bytes;
            }
            ClassNode cn = new ClassNode();
            new ClassReader(bytes).accept(cn, 0);
            for (MethodNode m : cn.methods) {
                for (Edit e : mine) {
                    if (m.name.equals(e.method())) {
                        apply(m, e);
                    }
                }
            }
            // Dropping "receiver.lock()V" for "pop", or adding a ()V static call, leaves the
            // operand stack as it was at every instruction, so the stack map frames still hold.
            ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cn.accept(w);
            return w.toByteArray();
        }

        private void apply(MethodNode m, Edit e) {
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (!(insn instanceof MethodInsnNode call) || !call.owner.equals(e.owner())
                        || !e.names().contains(call.name)) {
                    continue;
                }
                if (e.action() == Action.STRIP) {
                    if (!call.desc.equals("()V") || call.getOpcode() == Opcodes.INVOKESTATIC) {
                        continue;
                    }
                    m.instructions.set(call, new InsnNode(Opcodes.POP));
                } else {
                    m.instructions.insert(call, new MethodInsnNode(Opcodes.INVOKESTATIC,
                            "java/lang/Thread", "yield", "()V", false));
                }
                applied.computeIfAbsent(e, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    /** The rewrite itself: the tree-lock mutant has no lock call left where the stage had two. */
    @Test
    void theMutantHasNoTreeLockCallLeft() throws Exception {
        Mutant m = mutant(treeLock(true));
        Class<?> main = Class.forName(stage.packageRoot() + ".core.VfioMain", false, m.loader());
        assertEquals(m.loader(), main.getClassLoader());
        m.assertEveryEditApplied();
        Edit strip = treeLock(true).get(1);
        assertTrue(m.loader().applied.get(strip).get() >= 2, "lock and unlock both dropped");
    }
}
