package vfiowb.common.oracle;

/**
 * One thing the model decided differently from Linux 6.12 on one recorded call: the device,
 * the record's {@code seq} and op, a label naming the case (region index, argsz, fill, the
 * probe's case name), the field that differs, and both values (hex where they are bytes or
 * registers).
 */
public record Difference(String device, long seq, String op, String label, String field,
        String expected, String actual) {

    @Override
    public String toString() {
        return String.format("%s seq %d %s [%s] %s: expected %s, actual %s", device, seq, op,
                label, field, expected, actual);
    }
}
