package vfiowb.workbench;

/**
 * A mistake of the user's (an unknown stage or device, a bad directory, a malformed script): one
 * line on stderr, exit code 2, no stack trace.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }
}
