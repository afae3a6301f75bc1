package billswitch.webhook;

import billswitch.partner.CallbackUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One webhook POST over HTTP/1.1 to an address already checked by {@link CallbackUrl}: the socket connects to
 * that address itself (no second name lookup that DNS rebinding could answer differently), TLS verifies the
 * certificate against the URL's host name and sends it as SNI, and only the status line of the answer is read
 * (no redirect is followed; nothing of the answer's body is kept). Failures carry a generic reason fit for a
 * delivery log ("connection failed", "timeout", ...); the detail is only in the exception's cause.
 */
final class CallbackPost {
    private static final int MAX_STATUS_LINE = 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] ([1-5][0-9]{2})(?: .*)?$");

    private CallbackPost() {
    }

    /** A failed delivery: its message generic, its cause the detail for the server's own log. */
    static final class Failed extends Exception {
        Failed(String generic, Throwable cause) {
            super(generic, cause, false, false);
        }
    }

    /** The most addresses of a host tried, one after the other, within one delivery's deadline. */
    private static final int MAX_ADDRESSES = 3;

    /**
     * POSTs {@code body} and returns the answer's HTTP status; connecting, TLS and the answer all bounded by
     * {@code deadline} (System.nanoTime(), the delivery's one deadline, its name lookup included).
     */
    static int post(CallbackUrl url, List<InetAddress> addresses, Map<String, String> headers, byte[] body,
                    long deadline) throws Failed {
        try (Socket socket = connect(url, addresses, deadline)) {
            Socket channel = url.tls() ? handshake(socket, url, deadline) : socket;
            OutputStream out = channel.getOutputStream();
            StringBuilder head = new StringBuilder("POST ").append(url.target()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(url.uri().getRawAuthority()).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return status(channel, deadline);
        } catch (SocketTimeoutException e) {
            throw new Failed("timeout", e);
        } catch (SSLException e) {
            throw new Failed("TLS failed", e);
        } catch (IOException e) {
            throw new Failed("connection failed", e);
        }
    }

    /**
     * Connects to the first of the checked addresses (at most {@value #MAX_ADDRESSES}) that answers, each given
     * its share of the time left, so that one address that never answers leaves time for the next.
     */
    private static Socket connect(CallbackUrl url, List<InetAddress> addresses, long deadline) throws IOException {
        IOException last = null;
        List<InetAddress> tried = addresses.subList(0, Math.min(MAX_ADDRESSES, addresses.size()));
        for (int i = 0; i < tried.size(); i++) {
            InetAddress address = tried.get(i);
            int share = Math.max(1, remaining(deadline) / (tried.size() - i));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, url.port()), share);
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address");
    }

    private static Socket handshake(Socket socket, CallbackUrl url, long deadline) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(socket, url.host(), url.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!url.host().contains(":") && !url.host().matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(url.host())));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remaining(deadline));
        tls.startHandshake();
        return tls;
    }

    /** Reads the status line, within the deadline, and nothing more. */
    private static int status(Socket channel, long deadline) throws IOException, Failed {
        InputStream in = channel.getInputStream();
        StringBuilder line = new StringBuilder();
        while (true) {
            channel.setSoTimeout(remaining(deadline));
            int c = in.read();
            if (c == -1 || line.length() > MAX_STATUS_LINE) {
                throw new Failed("invalid response", null);
            }
            if (c == '\n') {
                break;
            }
            line.append((char) c);
        }
        Matcher m = STATUS_LINE.matcher(line.toString().strip());
        if (!m.matches()) {
            throw new Failed("invalid response", null);
        }
        return Integer.parseInt(m.group(1));
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long ms = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) ms;
    }
}
