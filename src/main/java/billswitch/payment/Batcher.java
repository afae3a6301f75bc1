package billswitch.payment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers work submitted from many threads into batches: each worker takes whatever is waiting (up to
 * maxSize) and hands it to one call of {@code batch}, which answers each item in order. Nothing waits for
 * a batch to fill: under light load batches are of one. If a batch fails as a whole (one bad item, a
 * deadlock), its items are retried one by one, so an item fails only for its own reason.
 */
final class Batcher<I, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    private record Job<I, O>(I item, CompletableFuture<O> done) {
    }

    private final String name;
    private final int maxSize;
    private final Function<List<I>, List<O>> batch;
    private final BlockingQueue<Job<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    Batcher(String name, int workers, int maxSize, Function<List<I>, List<O>> batch) {
        if (workers < 1 || maxSize < 1) {
            throw new IllegalArgumentException("a batcher needs at least one worker and a batch size of at least one");
        }
        this.name = name;
        this.maxSize = maxSize;
        this.batch = batch;
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(this::work));
        }
    }

    CompletableFuture<O> submit(I item) {
        CompletableFuture<O> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException(name + " is shut down"));
            return done;
        }
        queue.add(new Job<>(item, done));
        return done;
    }

    private void work() {
        List<Job<I, O>> jobs = new ArrayList<>(maxSize);
        while (!closed) {
            try {
                Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                jobs.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(jobs, maxSize - 1);
            run(jobs);
            jobs.clear();
        }
    }

    private void run(List<Job<I, O>> jobs) {
        List<O> answers;
        try {
            answers = batch.apply(jobs.stream().map(Job::item).toList());
        } catch (RuntimeException e) {
            if (jobs.size() == 1) {
                jobs.getFirst().done().completeExceptionally(e);
                return;
            }
            log.info("{}: a batch of {} failed ({}); retrying its items one by one", name, jobs.size(), e.toString());
            for (Job<I, O> job : jobs) {
                run(List.of(job));
            }
            return;
        }
        for (int i = 0; i < jobs.size(); i++) {
            jobs.get(i).done().complete(answers.get(i));
        }
    }

    /** Stops taking work; what is still queued fails, what a worker is running finishes. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Job<I, O> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException(name + " is shut down"));
        }
    }
}
