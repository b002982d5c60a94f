package vfiowb.common.errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelBugTest {
    private static final KernelBug OOB = new KernelBug("samples/vfio-mdev/mbochs.c:__mbochs_get_page",
            KernelBug.Kind.OUT_OF_BOUNDS, "pages[4096] past pagecount 4096");

    @Test
    void namesTheFileAndTheFunction() {
        assertEquals("samples/vfio-mdev/mbochs.c", OOB.file());
        assertEquals("__mbochs_get_page", OOB.functionName());
        assertEquals("out-of-bounds in samples/vfio-mdev/mbochs.c:__mbochs_get_page: "
                + "pages[4096] past pagecount 4096", OOB.toString());
    }

    @Test
    void theFunctionMustBeAFileAndAFunction() {
        assertThrows(IllegalArgumentException.class,
                () -> new KernelBug("__mbochs_get_page", KernelBug.Kind.BUG_ON, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new KernelBug("mm/memory.c:", KernelBug.Kind.BUG_ON, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new KernelBug("mm/memory.c:f", KernelBug.Kind.BUG_ON, "two\nlines"));
        assertThrows(IllegalArgumentException.class,
                () -> new KernelBug("mm/memory.c:f", KernelBug.Kind.BUG_ON, " "));
    }

    @Test
    void theExceptionCarriesTheBugAndNoStackTrace() {
        KernelBugException e = new KernelBugException(OOB);
        assertEquals(OOB, e.bug());
        assertEquals(0, e.getStackTrace().length);
        assertEquals(OOB.toString(), e.getMessage());
    }

    @Test
    void anErrnoMayCarryTheBugThatCausedIt() {
        assertFalse(new ErrnoException(Errno.EFAULT).kernelBug().isPresent());
        ErrnoException e = new ErrnoException(Errno.EFAULT, "pread", OOB);
        assertEquals(Errno.EFAULT, e.errno());
        assertEquals(OOB, e.kernelBug().orElseThrow());
        assertTrue(e.getMessage().contains("kernel bug: out-of-bounds in "), e.getMessage());
    }
}
