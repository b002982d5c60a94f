package vfiowb.workbench.json;

/** Malformed JSON text, or a value JSON cannot hold; the message names the position. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message, null, false, false);
    }
}
