package billswitch.infra.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Deadlines for reading a request, so that a client sending slowly cannot hold a connection, or a request thread
 * blocked reading its body, for the connection's whole idle timeout (which must outlast a payment waiting for its
 * operator). A new connection may be silent for {@code headerIdleMillis} before its first request's headers are in;
 * a request body may be silent for {@code bodyIdleMillis} and must be complete {@code bodyMillis} after the
 * headers. Once the body is in (or for a request without one), the connector's idle timeout applies again.
 */
final class ReadDeadlines implements Connection.Listener, HttpConfiguration.Customizer {
    private final long headerIdleMillis;
    private final long bodyIdleMillis;
    private final long bodyNanos;

    ReadDeadlines(long headerIdleMillis, long bodyIdleMillis, long bodyMillis) {
        this.headerIdleMillis = headerIdleMillis;
        this.bodyIdleMillis = bodyIdleMillis;
        this.bodyNanos = TimeUnit.MILLISECONDS.toNanos(bodyMillis);
    }

    @Override
    public void onOpened(Connection connection) {
        connection.getEndPoint().setIdleTimeout(headerIdleMillis);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idle = request.getConnectionMetaData().getConnector().getIdleTimeout();
        HttpFields headers = request.getHeaders();
        boolean chunked = headers.contains(HttpHeader.TRANSFER_ENCODING);
        long length = chunked ? -1 : headers.getLongField(HttpHeader.CONTENT_LENGTH);
        if (!chunked && length <= 0) {
            endPoint.setIdleTimeout(idle);
            return request;
        }
        return new BodyDeadline(request, endPoint, idle, length, System.nanoTime() + bodyNanos);
    }

    /** A request whose body must be in by a deadline; then the connector's idle timeout is restored. */
    private final class BodyDeadline extends Request.Wrapper {
        private final EndPoint endPoint;
        private final long idle;
        private final long length;
        private final long deadline;
        private long received;
        private boolean waited;
        private volatile boolean done;

        /** length: the declared Content-Length, -1 when chunked. */
        BodyDeadline(Request request, EndPoint endPoint, long idle, long length, long deadline) {
            super(request);
            this.endPoint = endPoint;
            this.idle = idle;
            this.length = length;
            this.deadline = deadline;
        }

        @Override
        public Content.Chunk read() {
            if (done) {
                return super.read();
            }
            if (System.nanoTime() - deadline > 0) {
                done = true;
                return Content.Chunk.from(new HttpException.RuntimeException(408,
                        "The request body was not complete within " + TimeUnit.NANOSECONDS.toSeconds(bodyNanos) + " s"), true);
            }
            Content.Chunk chunk = super.read();
            if (chunk == null && !waited) {
                // The reader is about to wait for the rest: from now on it may wait bodyIdleMillis at a time. (Not set
                // before: a body that came with its headers, as most do, costs no rescheduling of the idle timer.)
                waited = true;
                endPoint.setIdleTimeout(bodyIdleMillis);
            }
            if (chunk != null && !Content.Chunk.isFailure(chunk)) {
                received += chunk.remaining();
                // The last byte declared is in (a reader stops there, before the end-of-content chunk) or the end.
                if (chunk.isLast() || (length >= 0 && received >= length)) {
                    done = true;
                    endPoint.setIdleTimeout(idle);
                }
            }
            return chunk;
        }
    }
}
