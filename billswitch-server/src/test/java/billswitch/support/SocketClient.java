package billswitch.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket from a chosen local address (any of 127.0.0.0/8 on Linux), so a test can be a caller
 * other than 127.0.0.1 (a spoofer, a trusted proxy) or hold connections open and send slowly.
 */
public final class SocketClient {
    /** How long a read waits before the test fails; generous, never asserted on. */
    public static final int READ_TIMEOUT_MILLIS = 60_000;

    private SocketClient() {
    }

    /** A connection from {@code from} to the server on 127.0.0.1:port. */
    public static Socket open(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** The request head: request line, Host, the headers, Connection: close unless given, blank line. */
    public static String head(String method, String target, Map<String, String> headers) {
        StringBuilder s = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
        if (headers.keySet().stream().noneMatch("Connection"::equalsIgnoreCase)) {
            s.append("Connection: close\r\n");
        }
        return s.append("\r\n").toString();
    }

    /** One request from {@code from}, Connection: close; the whole answer as text (status line, headers, body). */
    public static String exchange(String from, int port, String method, String target, Map<String, String> headers,
                                  String body) throws IOException {
        try (Socket socket = open(from, port)) {
            OutputStream out = socket.getOutputStream();
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            if (body != null && all.keySet().stream().noneMatch("Content-Length"::equalsIgnoreCase)) {
                all.put("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
            }
            out.write(head(method, target, all).getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            return readToEnd(socket.getInputStream());
        }
    }

    /** Everything until the server closes the connection. */
    public static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection; got so far: "
                    + all.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            // reset by the server: what arrived before it is the answer
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The status code of an answer read by {@link #readToEnd}, or -1 when the connection closed without one. */
    public static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }
}
