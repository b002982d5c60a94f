package vfiowb.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import vfiowb.common.mm.Mman;
import vfiowb.common.userspace.Mapping;
import vfiowb.common.userspace.SigbusException;

/**
 * A fault through a BAR mapping races the memory-disable write that zaps it (gpu-64g, a physical
 * function): whichever goes first, once memory decode is off no page-table entry may map the BAR
 * ({@code memory_lock}: the zap under the write side, the fault's decode check and insert under
 * the read side). Result: whether the load went through, and the entries left afterwards.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the fault went first; the disable zapped it")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the disable went first; the fault got SIGBUS")
@Outcome(expect = FORBIDDEN, desc = "a fault left a revoked BAR mapped")
@State
public class FaultRacingZap {
    private final Booted b = new Booted("gpu-64g");
    private final long cfg = b.offset(7);
    private final Mapping m = b.p.mmap(0, 0x1000, Mman.PROT_READ | Mman.PROT_WRITE,
            Mman.MAP_SHARED, b.fd, b.offset(0));

    @Actor
    public void fault(II_Result r) {
        try {
            m.load(0, 4);
            r.r1 = 1;
        } catch (SigbusException e) {
            r.r1 = 0;
        }
    }

    @Actor
    public void disable() {
        byte[] cmd = new byte[2];
        b.p.pread(b.fd, cmd, cfg + 4);
        cmd[0] &= ~0x2;
        b.p.pwrite(b.fd, cmd, cfg + 4);
    }

    @Arbiter
    public void check(II_Result r) {
        r.r2 = (int) m.pageTableEntries().values().stream().mapToLong(Long::longValue).sum();
    }
}
