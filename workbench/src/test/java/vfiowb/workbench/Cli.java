package vfiowb.workbench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import vfiowb.workbench.json.Json;

/** Runs the command line in-process with captured output. */
final class Cli {
    private Cli() {}

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        /** stdout parsed as one JSON object. */
        Map<String, Object> json() {
            return Json.parseObject(out);
        }

        /** stdout parsed as JSON lines. */
        List<Map<String, Object>> jsonLines() {
            return out.lines().filter(l -> !l.isBlank()).map(Json::parseObject).toList();
        }

        /** stderr is exactly one line. */
        boolean oneErrorLine() {
            return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1;
        }
    }

    static Result run(String... args) {
        return runWithInput("", args);
    }

    static Result runWithInput(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Workbench.run(in, new PrintWriter(out), new PrintWriter(err), false, args);
        return new Result(code, out.toString(), err.toString());
    }
}
