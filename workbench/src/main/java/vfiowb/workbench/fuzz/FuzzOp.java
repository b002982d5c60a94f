package vfiowb.workbench.fuzz;

/**
 * One operation the fuzzer generates, before it meets a stage. Operations name files and
 * mappings by slot (the k-th open, the j-th mmap) and file offsets by region and position
 * within it, never by a stage's raw values: the same seed makes the same operations at every
 * stage, and each stage resolves them against its own replies (stage 3 on places regions at
 * other offsets).
 */
public sealed interface FuzzOp {
    /** {@code open(device)}, then GET_INFO and REGION_INFO of every index, as QEMU probes. */
    record Open() implements FuzzOp {}

    /** {@code close(fd)} of file slot {@code file}. */
    record Close(int file) implements FuzzOp {}

    /**
     * {@code ioctl(fd, request, arg)}: with {@code arg} a user buffer of exactly those bytes, or
     * (when null) by value.
     */
    record Ioctl(int file, int request, byte[] arg, long value) implements FuzzOp {}

    /** {@code VFIO_DEVICE_RESET}. */
    record Reset(int file) implements FuzzOp {}

    /** {@code pread(fd, buf, count, pos)}. */
    record Pread(int file, Pos pos, int count) implements FuzzOp {}

    /** {@code pwrite(fd, buf, width, pos)} of the low {@code width} bytes of {@code value}. */
    record Pwrite(int file, Pos pos, int width, long value) implements FuzzOp {}

    /** {@code mmap(addr, length, prot, flags, fd, pos)}; {@code file} -1 for no file. */
    record Mmap(int file, Pos pos, long length, int prot, int flags, Addr addr) implements FuzzOp {}

    /** {@code munmap} of the whole of mapping slot {@code map}. */
    record Munmap(int map) implements FuzzOp {}

    /** A CPU load or store at {@code offset} from mapping slot {@code map}'s start. */
    record Access(int map, long offset, int width, boolean store, long value) implements FuzzOp {}

    /** Set or clear PCI_COMMAND's memory-enable bit through the config region. */
    record Memory(int file, boolean enable) implements FuzzOp {}

    /** A file offset. */
    sealed interface Pos permits InRegion, Raw {}

    /**
     * {@code delta} bytes from the start of region {@code index} (or from its end, when
     * {@code fromEnd}), as the file's own REGION_INFO reply places it.
     */
    record InRegion(long index, boolean fromEnd, long delta) implements Pos {}

    /** A raw file offset, the same at every stage: one no layout gives a region. */
    record Raw(long offset) implements Pos {}

    /** Where mmap is asked to map. */
    sealed interface Addr permits Anywhere, AtMapping, AtAddress {}

    /** Address 0, no hint. */
    record Anywhere() implements Addr {}

    /** {@code pages} pages from mapping slot {@code map}'s start (with MAP_FIXED: over it). */
    record AtMapping(int map, long pages) implements Addr {}

    /** A fixed user address. */
    record AtAddress(long addr) implements Addr {}
}
