package vfiowb.workbench.report;

/** A small writer of well-formed XHTML: every element it opens it closes, every text escaped. */
final class Html {
    private final StringBuilder sb = new StringBuilder();

    /** Text content or an attribute value, escaped. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                default:
                    b.append(c < 0x20 && c != '\n' && c != '\t' ? '?' : c);
            }
        }
        return b.toString();
    }

    /** Opens {@code tag} with attributes given as name, value pairs. */
    Html open(String tag, String... attrs) {
        sb.append('<').append(tag);
        for (int i = 0; i + 1 < attrs.length; i += 2) {
            sb.append(' ').append(attrs[i]).append("=\"").append(esc(attrs[i + 1])).append('"');
        }
        sb.append('>');
        return this;
    }

    Html close(String tag) {
        sb.append("</").append(tag).append(">\n");
        return this;
    }

    /** {@code <tag attrs>text</tag>}. */
    Html el(String tag, String text, String... attrs) {
        open(tag, attrs);
        sb.append(esc(text));
        sb.append("</").append(tag).append('>');
        return this;
    }

    Html text(String text) {
        sb.append(esc(text));
        return this;
    }

    /** Markup produced by a trusted writer (an SVG picture), inserted as it is. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    Html nl() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
