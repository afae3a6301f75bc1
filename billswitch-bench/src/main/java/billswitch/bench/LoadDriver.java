package billswitch.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives a workload against the server: closed loop (a fixed number of clients, each sending its next
 * request when the last is answered) or open loop (a fixed rate, latency measured from when each request
 * was due, so a slow server cannot hide its queueing). Bounded: fixed duration, fixed concurrency.
 */
final class LoadDriver {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Http1Client http;

    LoadDriver(Http1Client http) {
        this.http = http;
    }

    /** What one run measured. Latencies in microseconds. */
    record Measured(long payments, long enquiries, long errors, double seconds, Histogram latency, String firstError) {
        double paymentsPerSecond() {
            return payments / seconds;
        }
    }

    private final class Counters {
        final AtomicLong payments = new AtomicLong();
        final AtomicLong enquiries = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        /** The same latencies, for the progress line's figure of the last second. */
        final Recorder lastSecond = new Recorder(3_600_000_000L, 3);
        volatile String firstError;

        void send(Workload.Call call, long dueNanos) {
            try {
                Http1Client.Response r = http.send(call.request());
                long micros = Math.max(1, (System.nanoTime() - dueNanos) / 1_000);
                latency.recordValue(micros);
                lastSecond.recordValue(micros);
                if ((r.status() == 200 || r.status() == 202) && r.body().contains(call.success())) {
                    (call.payment() ? payments : enquiries).incrementAndGet();
                } else {
                    error("HTTP " + r.status() + ": " + r.body());
                }
            } catch (Exception e) {
                error(e.toString());
            }
        }

        void error(String what) {
            if (errors.incrementAndGet() == 1) {
                firstError = what.length() > 300 ? what.substring(0, 300) : what;
            }
        }

        Measured measured(double seconds) {
            return new Measured(payments.get(), enquiries.get(), errors.get(), seconds, latency, firstError);
        }
    }

    /** Up to this many closed-loop clients run on platform threads, more on virtual ones. */
    static final int PLATFORM_CLIENTS = 512;

    Measured closedLoop(Workload workload, int clients, Duration duration, Consumer<String> progress) throws InterruptedException {
        Counters c = new Counters();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        // A platform thread blocked in a socket read is woken once by the answer; a virtual one is woken by
        // the poller and then run by a carrier thread: two wake-ups. For the few clients of most scenarios
        // platform threads cut the load generator's CPU a payment by about a quarter (14-30% in four
        // alternating pairs, 23% on average); the 10,000 clients of scenario (c) stay virtual.
        try (ExecutorService pool = clients <= PLATFORM_CLIENTS
                ? Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("client-", 0).factory())
                : Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        c.send(workload.next(client), System.nanoTime());
                    }
                });
            }
            report(c, start, end, progress);
        }
        return c.measured((System.nanoTime() - start) / 1e9);
    }

    Measured openLoop(Workload workload, double perSecond, Duration duration, Consumer<String> progress) throws InterruptedException {
        Counters c = new Counters();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long interval = (long) (1e9 / perSecond);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread.ofVirtual().start(() -> {
                try {
                    report(c, start, end, progress);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (long due = start; due < end; due += interval) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long dueAt = due;
                pool.submit(() -> c.send(workload.next(0), dueAt));
            }
        }
        return c.measured((System.nanoTime() - start) / 1e9);
    }

    /** A progress line every second until the run ends. */
    private static void report(Counters c, long start, long end, Consumer<String> progress) throws InterruptedException {
        long last = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(1_000);
            long done = c.payments.get() + c.enquiries.get();
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format("%s %5.0fs  %8d done  %7d/s now  %6d errors  p99 %.1f ms (last second %.1f ms)",
                    LocalTime.now().format(CLOCK), elapsed, done, done - last, c.errors.get(), c.latency.getValueAtPercentile(99) / 1000.0,
                    c.lastSecond.getIntervalHistogram().getValueAtPercentile(99) / 1000.0));
            last = done;
        }
    }
}
