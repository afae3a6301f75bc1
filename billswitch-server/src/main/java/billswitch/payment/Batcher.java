package billswitch.payment;

import billswitch.shared.BillSwitchException;
import billswitch.shared.DatabaseOutage;
import billswitch.shared.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers work submitted from many threads into batches: its worker thread takes whatever is waiting (up
 * to maxSize) and hands it to one call of {@code batch}, which answers each item in order. Nothing waits for
 * a batch to fill: under light load batches are of one. If a batch fails as a whole (one bad item, a
 * deadlock), its items are retried one by one, so an item fails only for its own reason; a batch that failed
 * because the database is away fails all its items at once.
 * <p>
 * Waking a blocked thread costs the worker a system call and, on a small machine, often its core, while
 * every other item waits on the worker (it was preempted 0.33 times a payment; handing out bought about 4%
 * by median). So of the items a thread is blocked
 * on ({@link #submitAwaited}), the worker wakes only the first with its answer; that thread, once awake,
 * hands the others their answers ({@link #handOut}), and each of them, woken, helps with the rest, while
 * the worker goes on with its next batch. What no woken thread has handed out, the worker hands out itself
 * before it answers its next batch, or once it has found nothing to do for {@code handOutGrace}.
 * <p>
 * The queue has a limit, {@code queueLimit}: new work ({@link #submitUnlessFull}) is refused with
 * {@link ErrorCode#BUSY} while that many items wait, before anything of it is done, so its caller can try again
 * later with nothing to undo. Work that must not be refused ({@link #submit}: what finishes work accepted
 * before) is always queued, and counts towards the limit like the rest; so the queue holds at most the limit
 * plus such work, and new work waits behind no more than the limit.
 * <p>
 * A batch that throws an {@link Error} (out of memory, a stack overflow, a bug's assertion) may have committed or
 * not: each of its items is answered {@link ErrorCode#REQUEST_IN_PROGRESS}, never failed (the partner asks again
 * with the same reference and gets the payment as it stands; the janitor settles what was held), and a fresh
 * worker thread takes over the queue, so nothing waiting is left blocked.
 */
final class Batcher<I, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    private record Job<I, O>(I item, CompletableFuture<O> done, boolean awaited) {
    }

    private record Delivery<O>(CompletableFuture<O> done, O answer) {
    }

    /** How long an idle worker leaves answers to the woken threads before it hands them out itself. */
    static final Duration HAND_OUT_GRACE = Duration.ofNanos(200_000);

    private final String name;
    private final int maxSize;
    private final int queueLimit;
    private final long handOutGraceNanos;
    private final Function<List<I>, List<O>> batch;
    private final BlockingQueue<Job<I, O>> queue = new LinkedBlockingQueue<>();
    /**
     * Items queued and not yet taken by the worker: what {@link #submitUnlessFull} compares with the limit.
     * Counted apart from the queue so that the limit is exact however many threads submit at once.
     */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Answers of a batch answered already, left for the threads it woke to hand out. */
    private final ConcurrentLinkedQueue<Delivery<O>> undelivered = new ConcurrentLinkedQueue<>();
    private volatile Thread worker;
    private volatile boolean closed;
    /** How many workers have been started after one was killed by an {@link Error}. */
    private final AtomicInteger restarts = new AtomicInteger();
    /** How many batches were retried one by one ({@link #run}). */
    private final AtomicInteger retriedOneByOne = new AtomicInteger();

    /** A batcher whose worker thread is called {@code name}, with no limit on its queue. */
    Batcher(String name, int maxSize, Function<List<I>, List<O>> batch) {
        this(name, maxSize, Integer.MAX_VALUE, batch);
    }

    /** A batcher whose worker thread is called {@code name}; new work is refused while {@code queueLimit} items wait. */
    Batcher(String name, int maxSize, int queueLimit, Function<List<I>, List<O>> batch) {
        this(name, maxSize, queueLimit, HAND_OUT_GRACE, batch);
    }

    Batcher(String name, int maxSize, Duration handOutGrace, Function<List<I>, List<O>> batch) {
        this(name, maxSize, Integer.MAX_VALUE, handOutGrace, batch);
    }

    Batcher(String name, int maxSize, int queueLimit, Duration handOutGrace, Function<List<I>, List<O>> batch) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("a batcher needs a batch size of at least one");
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("a batcher needs a queue limit of at least one");
        }
        this.name = name;
        this.maxSize = maxSize;
        this.queueLimit = queueLimit;
        this.handOutGraceNanos = handOutGrace.toNanos();
        this.batch = batch;
        this.worker = startWorker();
    }

    private Thread startWorker() {
        return Thread.ofPlatform().daemon().name(name).start(this::work);
    }

    /** How many times a worker killed by an {@link Error} was replaced. */
    /** Whether this batcher's worker is running: taking work, or between batches. */
    boolean alive() {
        Thread current = worker;
        return !closed && current != null && current.isAlive();
    }

    int restarts() {
        return restarts.get();
    }

    /** How many batches failed as a whole and had their items retried one by one. */
    int retriedOneByOne() {
        return retriedOneByOne.get();
    }

    /**
     * Queues an item, whatever the queue holds: for work that finishes work accepted before and must not be
     * refused. Its answer completes the future on the worker's thread.
     */
    CompletableFuture<O> submit(I item) {
        return submit(item, false);
    }

    /**
     * Queues new work unless {@link #queueLimit} items wait already; then the future is failed at once with
     * {@link ErrorCode#BUSY}, and nothing of the item has been done.
     */
    CompletableFuture<O> submitUnlessFull(I item) {
        int now;
        do {
            now = waiting.get();
            if (now >= queueLimit) {
                return CompletableFuture.failedFuture(new BillSwitchException(ErrorCode.BUSY));
            }
        } while (!waiting.compareAndSet(now, now + 1));
        return enqueue(item, false);
    }

    /** The queue's limit for new work ({@link #submitUnlessFull}). */
    int queueLimit() {
        return queueLimit;
    }

    /** How many items wait to be taken into a batch. */
    int waiting() {
        return waiting.get();
    }

    /**
     * Queues an item whose answer a thread will be blocked on (directly or through what depends on the
     * future): that thread must call {@link #handOut} once it is awake.
     */
    CompletableFuture<O> submitAwaited(I item) {
        return submit(item, true);
    }

    private CompletableFuture<O> submit(I item, boolean awaited) {
        waiting.incrementAndGet();
        return enqueue(item, awaited);
    }

    /** Queues an item already counted in {@link #waiting}. */
    private CompletableFuture<O> enqueue(I item, boolean awaited) {
        CompletableFuture<O> done = new CompletableFuture<>();
        if (closed) {
            waiting.decrementAndGet();
            done.completeExceptionally(new IllegalStateException(name + " is shut down"));
            return done;
        }
        queue.add(new Job<>(item, done, awaited));
        return done;
    }

    /** Hands out the answers left for woken threads; called by each of them once awake. Never blocks. */
    void handOut() {
        Delivery<O> delivery;
        while ((delivery = undelivered.poll()) != null) {
            delivery.done().complete(delivery.answer());
        }
    }

    private void work() {
        List<Job<I, O>> jobs = new ArrayList<>(maxSize);
        while (!closed) {
            try {
                Job<I, O> first = undelivered.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS)
                        : queue.poll(handOutGraceNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    handOut();
                    continue;
                }
                jobs.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(jobs, maxSize - 1);
            waiting.addAndGet(-jobs.size());
            try {
                run(jobs);
            } catch (Error e) {
                killed(jobs, e);
                return;
            }
            jobs.clear();
        }
    }

    /**
     * This worker's batch threw an Error: its items are answered "in progress" (the batch may have committed),
     * and a new worker takes the queue over while this one ends.
     */
    private void killed(List<Job<I, O>> jobs, Error e) {
        log.error("{}: a batch of {} was killed by {}; its callers are answered REQUEST_IN_PROGRESS and a new worker "
                + "takes over", name, jobs.size(), e.toString(), e);
        for (Job<I, O> job : jobs) {
            job.done().completeExceptionally(new BillSwitchException(ErrorCode.REQUEST_IN_PROGRESS,
                    "The payment's outcome is not known yet; ask again with the same reference."));
        }
        handOut();
        if (!closed) {
            restarts.incrementAndGet();
            worker = startWorker();
        }
    }

    private void run(List<Job<I, O>> jobs) {
        List<O> answers;
        try {
            answers = batch.apply(jobs.stream().map(Job::item).toList());
        } catch (RuntimeException e) {
            if (jobs.size() == 1 || DatabaseOutage.causedBy(e)) {
                // Alone, the item failed for its own reason. With the database away, one by one would only meet
                // the outage once an item (each waiting out the pool's connection timeout): all fail with it.
                for (Job<I, O> job : jobs) {
                    job.done().completeExceptionally(e);
                }
                return;
            }
            log.info("{}: a batch of {} failed ({}); retrying its items one by one", name, jobs.size(), e.toString());
            retriedOneByOne.incrementAndGet();
            for (Job<I, O> job : jobs) {
                run(List.of(job));
            }
            return;
        }
        handOut();
        Job<I, O> waker = null;
        O wakerAnswer = null;
        for (int i = 0; i < jobs.size(); i++) {
            Job<I, O> job = jobs.get(i);
            if (!job.awaited()) {
                job.done().complete(answers.get(i));
            } else if (waker == null) {
                waker = job;
                wakerAnswer = answers.get(i);
            } else {
                undelivered.add(new Delivery<>(job.done(), answers.get(i)));
            }
        }
        if (waker != null) {
            waker.done().complete(wakerAnswer);
        }
    }

    /** Stops taking work; what is still queued fails, what the worker is running finishes. */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handOut();
        Job<I, O> left;
        while ((left = queue.poll()) != null) {
            waiting.decrementAndGet();
            left.done().completeExceptionally(new IllegalStateException(name + " is shut down"));
        }
    }
}
