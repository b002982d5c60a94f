package vfiowb.workbench;

/** The form of a report: {@code text} for people, {@code json} for programs, {@code markdown} to paste. */
public enum Format {
    TEXT, JSON, MARKDOWN;

    /** Refuses a format the command does not offer. */
    public Format only(String command, Format... offered) {
        for (Format f : offered) {
            if (f == this) {
                return this;
            }
        }
        throw new UserError(command + " has no --format " + name().toLowerCase(java.util.Locale.ROOT)
                + " (it offers " + java.util.Arrays.stream(offered)
                        .map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
}
