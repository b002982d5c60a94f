package vfiowb.common.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import vfiowb.common.hw.PciBar;
import vfiowb.common.hw.PciFunction;
import vfiowb.common.hw.PciRom;
import vfiowb.common.hw.SystemBus;
import vfiowb.common.hw.SystemBus.Transaction;

/**
 * What one PCI function decodes, read off its bus's analyser: each transaction whose address
 * falls in one of the function's BARs, its ROM or (for a VGA function) the legacy VGA ranges,
 * given as resource and offset the way the function sees it. Transactions to other targets on
 * the same bus are left out. One log at a time per bus: starting one replaces any analyser.
 */
public final class PciAccessLog {
    /** {@link Access#resource()} of the legacy VGA ranges; the offset is then the legacy address. */
    public static final int VGA_LEGACY = -1;

    /** One access: BAR index, {@link PciFunction#PCI_ROM_RESOURCE} or {@link #VGA_LEGACY}. */
    public record Access(int resource, long offset, int width, boolean write) {
        public static Access read(int resource, long offset, int width) {
            return new Access(resource, offset, width, false);
        }

        public static Access write(int resource, long offset, int width) {
            return new Access(resource, offset, width, true);
        }
    }

    private final PciFunction function;
    private final List<Transaction> seen = Collections.synchronizedList(new ArrayList<>());
    private boolean stopped;

    private PciAccessLog(PciFunction function) {
        this.function = function;
    }

    /** Attaches a log to {@code function}'s bus. */
    public static PciAccessLog start(PciFunction function) {
        PciAccessLog log = new PciAccessLog(function);
        function.bus().setAnalyser(log.seen::add);
        return log;
    }

    /** Detaches the log; returns the function's accesses since {@link #start}, in order. */
    public List<Access> stop() {
        if (stopped) {
            throw new IllegalStateException("the log was stopped already");
        }
        stopped = true;
        function.bus().setAnalyser(null);
        List<Access> out = new ArrayList<>();
        synchronized (seen) {
            for (Transaction t : seen) {
                Access a = decode(t);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return List.copyOf(out);
    }

    private Access decode(Transaction t) {
        List<PciBar> bars = function.bars();
        for (int i = 0; i < bars.size(); i++) {
            PciBar b = bars.get(i);
            boolean space = t.space() == SystemBus.Space.ZPCI
                    || (t.space() == SystemBus.Space.IO_PORT) == function.isIoBar(i);
            if (b.size() > 0 && space && within(t.address(), b.start(), b.size())) {
                return new Access(i, t.address() - b.start(), t.width(), t.write());
            }
        }
        PciRom rom = function.rom();
        if (t.space() == SystemBus.Space.MEMORY && rom.size() > 0
                && within(t.address(), rom.start(), rom.size())) {
            return new Access(PciFunction.PCI_ROM_RESOURCE, t.address() - rom.start(), t.width(),
                    t.write());
        }
        if (function.isVga() && (t.space() == SystemBus.Space.MEMORY
                ? within(t.address(), 0xa0000, 0x20000)
                : t.space() == SystemBus.Space.IO_PORT && within(t.address(), 0x3b0, 0x30))) {
            return new Access(VGA_LEGACY, t.address(), t.width(), t.write());
        }
        return null;
    }

    private static boolean within(long addr, long start, long size) {
        return Long.compareUnsigned(addr - start, size) < 0;
    }
}
