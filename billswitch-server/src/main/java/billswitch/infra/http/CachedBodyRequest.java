package billswitch.infra.http;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpException;

/**
 * A request whose body was read once, within a size limit, so that signature checks and controllers
 * see the same raw bytes.
 */
public final class CachedBodyRequest extends HttpServletRequestWrapper {
    /**
     * The request attribute holding the raw body. Controllers read it ({@link #body}) rather than
     * @RequestBody: Spring rebuilds a urlencoded body from the parameter map, which would not be the bytes
     * that were signed.
     */
    public static final String BODY = "billswitch.body";

    private final byte[] body;

    private CachedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /**
     * How much of a too-large body is read and thrown away before answering BODY_TOO_LARGE, so that a client
     * still sending it reads the answer instead of a reset connection. Past this the connection is closed.
     */
    private static final long DISCARD_LIMIT = 1 << 20;

    /**
     * The raw body read by {@link #of}, or null if it was not read. Read directly: as a
     * {@code @RequestAttribute} parameter it went through Spring's type conversion on every request (7% of
     * the server's samples in a payment benchmark).
     */
    public static byte[] body(HttpServletRequest request) {
        return (byte[]) request.getAttribute(BODY);
    }

    /**
     * Reads the body; BODY_TOO_LARGE past maxBytes. A body of declared length is read into an array of that
     * length: {@code readNBytes(maxBytes + 1)} reads through a 16 KB buffer and copies out of it, which was
     * ~45% of what a request thread allocated in a payment benchmark. A body is read only while one of the server's
     * {@link BodyReaders} is free (BUSY otherwise).
     */
    public static CachedBodyRequest of(HttpServletRequest request, int maxBytes) throws IOException {
        // A request without a body (no Content-Length, or 0, and not chunked: a GET) takes no reader.
        long declared = request.getContentLengthLong();
        boolean hasBody = declared > 0 || (declared < 0 && request.getHeader("Transfer-Encoding") != null);
        BodyReaders readers = hasBody ? BodyReaders.of(request.getServletContext()) : null;
        if (readers == null) {
            return readBounded(request, maxBytes);
        }
        readers.acquire();
        try {
            return readBounded(request, maxBytes);
        } finally {
            readers.release();
        }
    }

    private static CachedBodyRequest readBounded(HttpServletRequest request, int maxBytes) throws IOException {
        try {
            return read(request, maxBytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BillSwitchException || !(e instanceof IOException || e instanceof HttpException)) {
                throw e;
            }
            // Too slow (below the minimum data rate, silent past the read deadline) or gone: the connection is closed
            // after this answer, which a client still sending may never read.
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The request body was not received in full in time.");
        }
    }

    private static CachedBodyRequest read(HttpServletRequest request, int maxBytes) throws IOException {
        try (InputStream in = request.getInputStream()) {
            long declared = request.getContentLengthLong();
            if (declared > maxBytes) {
                throw tooLarge(in, maxBytes);
            }
            byte[] bytes = declared >= 0 ? readDeclared(in, (int) declared) : in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(in, maxBytes);
            }
            request.setAttribute(BODY, bytes);
            return new CachedBodyRequest(request, bytes);
        }
    }

    /** The declared number of bytes, or what came before the stream ended if that was fewer. */
    private static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int read = in.readNBytes(bytes, 0, length);
        return read == length ? bytes : Arrays.copyOf(bytes, read);
    }

    private static BillSwitchException tooLarge(InputStream in, int maxBytes) throws IOException {
        long discarded = 0;
        byte[] sink = new byte[8192];
        for (int n; discarded < DISCARD_LIMIT && (n = in.read(sink)) >= 0; ) {
            discarded += n;
        }
        return new BillSwitchException(ErrorCode.BODY_TOO_LARGE, "The request body exceeds " + maxBytes + " bytes.");
    }

    public byte[] body() {
        return body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("synchronous reads only");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }
}
