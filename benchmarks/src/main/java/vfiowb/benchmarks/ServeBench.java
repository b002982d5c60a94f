package vfiowb.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vfiowb.common.uapi.LE;
import vfiowb.common.uapi.VfioRegionInfo;
import vfiowb.workbench.Workbench;

/**
 * {@code serve}'s requests per second, driven in-process: {@code Workbench.run(in, out, ...,
 * "serve", ...)} runs ServeCommand's own loop (line reader, JSON parse, the syscall, JSON reply,
 * a flush per reply) on a thread of its own, fed and read through piped streams, so what is
 * measured is the server's loop and the hand-off between two threads, without a process boundary
 * or a client language in the way. {@code oneAtATime} waits for each reply before sending the
 * next request; {@code pipelined} sends {@link #DEPTH} requests, then reads their replies.
 * Requests: {@code region-info} (VFIO_DEVICE_GET_REGION_INFO of BAR0, 32-byte argument in hex),
 * {@code load} and {@code store} (4 bytes through a mapping of BAR0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ServeBench {
    /** Requests in flight in {@code pipelined}. */
    public static final int DEPTH = 256;
    private static final int PIPE = 4 << 20;

    @Param({"region-info", "load", "store"})
    public String request;

    @Param({"4"})
    public String stage;

    private PipedOutputStream toServer;
    private BufferedReader fromServer;
    private Thread server;
    private final StringWriter serverErr = new StringWriter();
    private byte[] one;
    private byte[] batch;

    @Setup(Level.Trial)
    public void start() throws IOException {
        PipedInputStream serverIn = new PipedInputStream(PIPE);
        toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(PIPE);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new PipedOutputStream(clientIn),
                StandardCharsets.UTF_8));
        fromServer = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8),
                1 << 16);
        server = new Thread(() -> Workbench.run(serverIn, out, new PrintWriter(serverErr), false,
                "serve", "--stage", stage, "--device", "nic-vf"), "serve");
        server.setDaemon(true);
        server.start();
        String fd = ask("{\"op\":\"open\",\"device\":\"nic-vf\"}", "{\"fd\":");
        fd = fd.substring("{\"fd\":".length(), fd.indexOf('}'));
        String regionInfo = "{\"op\":\"ioctl\",\"fd\":" + fd + ",\"request\":"
                + "\"VFIO_DEVICE_GET_REGION_INFO\",\"arg\":\""
                + HexFormat.of().formatHex(VfioRegionInfo.request(0, VfioRegionInfo.SIZE)) + "\"}";
        String reply = ask(regionInfo, "{\"ret\":0");
        String hex = reply.substring(reply.indexOf("\"arg\":\"") + 7);
        long offset = LE.getU64(HexFormat.of().parseHex(hex.substring(0, 64)), 24);
        ask("{\"op\":\"mmap\",\"fd\":" + fd + ",\"length\":4096,\"prot\":3,\"flags\":1,"
                + "\"offset\":\"0x" + Long.toHexString(offset) + "\"}", "{\"map\":1");
        String line;
        switch (request) {
            case "region-info":
                line = regionInfo;
                break;
            case "load":
                line = "{\"op\":\"load\",\"map\":1,\"offset\":16,\"width\":4}";
                break;
            case "store":
                line = "{\"op\":\"store\",\"map\":1,\"offset\":16,\"width\":4,\"value\":7}";
                break;
            default:
                throw new IllegalArgumentException(request);
        }
        one = (line + "\n").getBytes(StandardCharsets.UTF_8);
        batch = new byte[one.length * DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
    }

    private String ask(String line, String expect) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
        String reply = fromServer.readLine();
        if (reply == null || !reply.startsWith(expect)) {
            throw new IllegalStateException(line + " -> " + reply + " " + serverErr);
        }
        return reply;
    }

    private void check(String reply) {
        if (reply == null || reply.startsWith("{\"error\"") || reply.startsWith("{\"errno\"")) {
            throw new IllegalStateException(request + " -> " + reply + " " + serverErr);
        }
    }

    /** One request, then its reply. */
    @Benchmark
    public int oneAtATime() throws IOException {
        toServer.write(one);
        toServer.flush();
        String reply = fromServer.readLine();
        check(reply);
        return reply.length();
    }

    /** {@link #DEPTH} requests written at once, then their replies. */
    @Benchmark
    @OperationsPerInvocation(DEPTH)
    public int pipelined() throws IOException {
        toServer.write(batch);
        toServer.flush();
        int n = 0;
        for (int i = 0; i < DEPTH; i++) {
            String reply = fromServer.readLine();
            check(reply);
            n += reply.length();
        }
        return n;
    }

    /** The thread running the server's loop, for {@link PerCore}'s CPU accounting. */
    Thread serverThread() {
        return server;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException, InterruptedException {
        toServer.close();
        server.join(10_000);
    }
}
