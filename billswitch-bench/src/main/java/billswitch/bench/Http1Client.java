package billswitch.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The load generator's HTTP/1.1 client: keep-alive connections to one server, each used by one request at
 * a time and written and read on the caller's thread, with the request's bytes built once. The
 * JDK's HttpClient hands every exchange between its selector thread and an executor and builds header maps
 * and publishers per request: measured as CPU per payment, it cost the load generator 0.29 ms a payment,
 * a fifth of the machine's work in scenario (a), taken from the server it shares the two cores with; this
 * client cost 0.14 ms. pgbench's C client is the yardstick's own, and about as lean as this.
 * <p>
 * Understands what the server sends: a status line, headers, and a body of Content-Length bytes or chunked.
 */
final class Http1Client implements AutoCloseable {
    /** A request: method, path with its query, header names and values in pairs, and a body (may be empty). */
    record Request(String method, String path, String[] headers, byte[] body) {
    }

    /** A response's status and body as text. */
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    Http1Client(String baseUrl) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** Sends the request on an idle connection (or a new one) and reads its response. */
    Response send(Request request) throws IOException {
        Connection c = idle.pollFirst();
        boolean reused = c != null;
        if (c == null) {
            c = new Connection(host, port);
        }
        Response r;
        try {
            r = c.exchange(request);
        } catch (EOFException e) {
            c.close();
            if (!reused) {
                throw e;
            }
            // The server closed an idle connection before this request reached it: once more on a new one.
            c = new Connection(host, port);
            r = c.exchange(request);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        if (c.open) {
            idle.addFirst(c);
        } else {
            c.close();
        }
        return r;
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String hostHeader;
        /** False once the server said it closes the connection. */
        private boolean open = true;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 30_000);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
            hostHeader = host + ":" + port;
        }

        Response exchange(Request r) throws IOException {
            StringBuilder head = new StringBuilder(256).append(r.method()).append(' ').append(r.path())
                    .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
            for (int i = 0; i < r.headers().length; i += 2) {
                head.append(r.headers()[i]).append(": ").append(r.headers()[i + 1]).append("\r\n");
            }
            if (r.body().length > 0 || !r.method().equals("GET")) {
                head.append("Content-Length: ").append(r.body().length).append("\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[h.length + r.body().length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(r.body(), 0, all, h.length, r.body().length);
            out.write(all);
            out.flush();
            return read();
        }

        private Response read() throws IOException {
            String status = line();
            if (status.isEmpty()) {
                throw new EOFException("the server closed the connection");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> open = !value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 512);
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                     size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    copy(size, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                copy(length, body);
            } else {
                in.transferTo(body);
                open = false;
            }
            return new Response(code, body.toString(StandardCharsets.UTF_8));
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            while (n > 0) {
                int got = in.read(buf, 0, (int) Math.min(n, buf.length));
                if (got < 0) {
                    throw new EOFException("the server closed the connection within a body");
                }
                to.write(buf, 0, got);
                n -= got;
            }
        }

        /** One header line without its CRLF; empty at the blank line, or at the end of the stream before any byte. */
        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            if (b < 0 && !s.isEmpty()) {
                throw new EOFException("the server closed the connection within a header");
            }
            return s.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
