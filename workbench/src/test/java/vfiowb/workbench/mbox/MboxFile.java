package vfiowb.workbench.mbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** An mbox file read back as a mail reader would: mails, their unfolded headers, their bodies. */
final class MboxFile {
    /** One mail: its separator line, headers (unfolded, in order) and body (un-escaped). */
    record Mail(String separator, Map<String, String> headers, String body) {
        String subject() {
            return headers.get("Subject");
        }

        /** The part of the body git am applies: from the first {@code diff --git} to the signature. */
        String diff() {
            int start = body.indexOf("\ndiff --git ");
            int end = body.lastIndexOf("\n-- \n");
            return start < 0 ? "" : body.substring(start + 1, end + 1);
        }

        /** The commit message git am keeps: the body up to the {@code ---} line. */
        String message() {
            int cut = body.indexOf("\n---\n");
            return cut < 0 ? body : body.substring(0, cut + 1);
        }
    }

    static final Pattern SEPARATOR = Pattern.compile("From [0-9a-f]{40} Mon Sep 17 00:00:00 2001");

    private MboxFile() {}

    static List<Mail> parse(String text) {
        List<Mail> out = new ArrayList<>();
        List<String> lines = List.of(text.split("\n", -1));
        int i = 0;
        while (i < lines.size()) {
            String sep = lines.get(i);
            if (!SEPARATOR.matcher(sep).matches()) {
                if (sep.isEmpty() && i == lines.size() - 1) {
                    break;
                }
                throw new AssertionError("line " + (i + 1) + " is no mail separator: " + sep);
            }
            i++;
            Map<String, String> headers = new LinkedHashMap<>();
            String last = null;
            while (!lines.get(i).isEmpty()) {
                String h = lines.get(i);
                if (h.startsWith(" ") || h.startsWith("\t")) {
                    headers.put(last, headers.get(last) + h);
                } else {
                    int colon = h.indexOf(':');
                    last = h.substring(0, colon);
                    headers.put(last, h.substring(colon + 1).strip());
                }
                i++;
            }
            i++;
            StringBuilder body = new StringBuilder();
            while (i < lines.size() && !SEPARATOR.matcher(lines.get(i)).matches()) {
                body.append(lines.get(i)).append('\n');
                i++;
            }
            String b = body.toString();
            if (i >= lines.size()) {
                b = b.substring(0, b.length() - 1);
            }
            out.add(new Mail(sep, headers, Mbox.unescape(b)));
        }
        return out;
    }
}
