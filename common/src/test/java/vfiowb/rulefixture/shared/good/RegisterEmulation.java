package vfiowb.rulefixture.shared.good;

/**
 * Rule fixture: shared emulation the rule leaves alone: register offsets inside a BAR, page
 * shifts of addresses, masks of hardware fields.
 */
public final class RegisterEmulation {
    private RegisterEmulation() {}

    public static long read(long[] regs, long offset) {
        return regs[(int) (offset >>> 2)] & 0xffff_ffffL;
    }

    public static long pfn(long addr, int pageShift) {
        return addr >>> pageShift;
    }
}
