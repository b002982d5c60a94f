package vfiowb.common.userspace;

import java.util.concurrent.ConcurrentHashMap;
import vfiowb.common.hw.BusTarget;

/** Test RAM: only bytes ever written take memory; the rest reads as zero. */
final class SparseRam implements BusTarget {
    private final ConcurrentHashMap<Long, Byte> bytes = new ConcurrentHashMap<>();

    @Override
    public long read(long offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (bytes.getOrDefault(offset + i, (byte) 0) & 0xFF);
        }
        return v;
    }

    @Override
    public void write(long offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            bytes.put(offset + i, (byte) (value >>> (8 * i)));
        }
    }
}
