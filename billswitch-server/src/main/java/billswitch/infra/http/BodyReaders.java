package billswitch.infra.http;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.ServletContext;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most so many request threads reading a request body at once (billswitch.http.max-body-readers, by default half
 * of server.jetty.threads.max): a client sending its body slowly, but above the minimum data rate, holds its thread
 * until its body deadline, and clients from many addresses doing so would otherwise hold every thread. The next
 * request with a body waits a moment for a reader, then is answered BUSY (503, Retry-After) without its body being
 * read; requests without a body, and the requests whose body is in, are not counted.
 */
final class BodyReaders {
    /** The servlet context attribute holding the server's readers; absent (no limit) outside the real server. */
    static final String ATTRIBUTE = BodyReaders.class.getName();
    private static final long WAIT_MILLIS = 200;

    private final Semaphore readers;

    BodyReaders(int limit) {
        this.readers = new Semaphore(limit);
    }

    /** The server's readers, or null outside the real server. */
    static BodyReaders of(ServletContext context) {
        return context == null ? null : (BodyReaders) context.getAttribute(ATTRIBUTE);
    }

    /** Takes a reader, waiting a moment at most; BUSY when none is free. Give it back with {@link #release}. */
    void acquire() {
        try {
            if (readers.tryAcquire() || readers.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new BillSwitchException(ErrorCode.BUSY, "Too many requests are sending their body right now; retry.");
    }

    void release() {
        readers.release();
    }
}
