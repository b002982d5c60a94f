package vfiowb.workbench.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BytesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0 B",
        "256|256 B",
        "65536|64 KiB",
        "1099511562240|1 TiB - 64 KiB",
        "69632|68 KiB",
        "2199023255552|2 TiB",
        "1073741824|1 GiB",
        "17179885568|16 GiB + 16 KiB",
        "1500000000|1.40 GiB",
        "-1|0xffffffffffffffff"})
    void humanSizesAreExactWherePossible(long v, String text) {
        assertEquals(text, Bytes.human(v));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|any", "4096|4 KiB", "3298534883328|1 TiB", "12288|4 KiB"})
    void alignmentIsTheLargestPowerOfTwoDividingTheOffset(long offset, String text) {
        assertEquals(text, Bytes.alignmentText(offset));
    }
}
