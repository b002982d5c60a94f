package vfiowb.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads ask one file for the same region's first REGION_INFO at once: one cookie must be
 * made ({@code vfio_df_mmap_install} under the tree lock) and both must get its offset. Result:
 * whether the offsets agree, whether the tree validates, how many ranges it holds.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one cookie, both calls given its offset")
@Outcome(expect = FORBIDDEN, desc = "two offsets, a broken tree, or a cookie lost or made twice")
@State
public class CookieCreationRace {
    private final Booted b = new Booted("nic-vf");

    @Actor
    public void first(III_Result r) {
        r.r1 = (int) (b.offset(0) >>> 12);
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = (int) (b.offset(0) >>> 12);
    }

    @Arbiter
    public void check(III_Result r) {
        boolean same = r.r1 == r.r2 && r.r1 != 0;
        int valid = 1;
        try {
            b.p.file(b.fd).kernelFile().validateMmapTree();
        } catch (IllegalStateException e) {
            valid = 0;
        }
        r.r1 = same ? 1 : 0;
        r.r2 = valid;
        r.r3 = (int) b.p.file(b.fd).kernelFile().mmapCookieCount();
    }
}
