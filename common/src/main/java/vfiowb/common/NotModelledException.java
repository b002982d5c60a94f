package vfiowb.common;

/**
 * A documented limit of the model reached: something the kernel does that the model leaves
 * out on purpose (anonymous memory behind an anonymous mapping, copy-on-write of a private
 * one). Neither an errno (the kernel would not refuse the call) nor a model bug: callers at the
 * boundary report it as a plain "not modelled" message.
 */
public final class NotModelledException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public NotModelledException(String message) {
        super(message);
    }
}
