package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatcherTest {

    @Test
    void itemsWaitingTogetherGoIntoOneBatchAndEachGetsItsOwnAnswerInOrder() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Function<List<Integer>, List<String>> answers = answersOnceReleased(firstBatchRunning, release);
        try (Batcher<Integer, String> batcher = new Batcher<>("test", 100, items -> {
            batches.add(items);
            return answers.apply(items);
        })) {
            CompletableFuture<String> first = batcher.submit(0);
            firstBatchRunning.await();
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                waiting.add(batcher.submit(i));
            }
            release.countDown();
            assertThat(first.join()).isEqualTo("answer-0");
            for (int i = 1; i <= 50; i++) {
                assertThat(waiting.get(i - 1).join()).isEqualTo("answer-" + i);
            }
            // The 50 that queued while the first batch ran were taken together, in submission order.
            assertThat(batches).hasSize(2);
            assertThat(batches.get(1)).hasSize(50).isSorted();
        }
    }

    @Test
    void aBatchThatFailsIsRetriedItemByItemSoOnlyTheBadItemFails() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher<Integer, Integer> batcher = new Batcher<>("test", 100, items -> {
            firstBatchRunning.countDown();
            await(release);
            if (items.contains(13)) {
                throw new IllegalStateException("13 is refused");
            }
            return items.stream().map(i -> i * 2).toList();
        })) {
            CompletableFuture<Integer> blocker = batcher.submit(1);
            firstBatchRunning.await();
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 10; i < 20; i++) {
                waiting.add(batcher.submit(i));
            }
            release.countDown();
            assertThat(blocker.join()).isEqualTo(2);
            for (int i = 10; i < 20; i++) {
                CompletableFuture<Integer> f = waiting.get(i - 10);
                if (i == 13) {
                    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                            .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("13 is refused");
                } else {
                    assertThat(f.join()).isEqualTo(i * 2);
                }
            }
        }
    }

    @Test
    void ofTheItemsThreadsAwaitOnlyTheFirstIsAnsweredByTheWorkerTheWokenThreadHandsOutTheRest() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A grace longer than the test: the worker, idle, does not hand the answers out itself.
        try (Batcher<Integer, String> batcher = new Batcher<>("test", 100, Duration.ofHours(1),
                answersOnceReleased(firstBatchRunning, release))) {
            CompletableFuture<String> blocker = batcher.submit(0);
            firstBatchRunning.await();
            CompletableFuture<String> first = batcher.submitAwaited(1);
            CompletableFuture<String> second = batcher.submitAwaited(2);
            CompletableFuture<String> third = batcher.submitAwaited(3);
            CompletableFuture<String> notAwaited = batcher.submit(4);
            release.countDown();
            assertThat(blocker.join()).isEqualTo("answer-0");
            assertThat(first.join()).isEqualTo("answer-1");
            // Answered before the first awaited item was: the worker answers what nobody blocks on itself.
            assertThat(notAwaited).isCompletedWithValue("answer-4");
            assertThat(second).isNotDone();
            assertThat(third).isNotDone();

            batcher.handOut();

            assertThat(second).isCompletedWithValue("answer-2");
            assertThat(third).isCompletedWithValue("answer-3");
            // Wakes the worker out of its long wait, so that closing does not wait for it.
            assertThat(batcher.submit(5).join()).isEqualTo("answer-5");
        }
    }

    @Test
    void answersNoWokenThreadHandsOutAreHandedOutByTheWorker() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher<Integer, String> batcher = new Batcher<>("test", 100,
                answersOnceReleased(firstBatchRunning, release))) {
            CompletableFuture<String> blocker = batcher.submit(0);
            firstBatchRunning.await();
            List<CompletableFuture<String>> awaited = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                awaited.add(batcher.submitAwaited(i));
            }
            release.countDown();
            assertThat(blocker.join()).isEqualTo("answer-0");
            // Nobody calls handOut: the idle worker does, once its short grace has passed.
            for (int i = 1; i <= 20; i++) {
                assertThat(awaited.get(i - 1).join()).isEqualTo("answer-" + i);
            }
        }
    }

    @Test
    void newWorkIsRefusedBusyWhileTheQueueHoldsItsLimitAndWorkThatMustNotBeRefusedStillQueues() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Function<List<Integer>, List<String>> answers = answersOnceReleased(firstBatchRunning, release);
        try (Batcher<Integer, String> batcher = new Batcher<>("test", 100, 2, items -> {
            seen.addAll(items);
            return answers.apply(items);
        })) {
            assertThat(batcher.queueLimit()).isEqualTo(2);
            // The worker takes the first item and is held there: what comes next waits in the queue.
            CompletableFuture<String> running = batcher.submitUnlessFull(0);
            firstBatchRunning.await();
            assertThat(batcher.waiting()).isZero();
            CompletableFuture<String> first = batcher.submitUnlessFull(1);
            CompletableFuture<String> second = batcher.submitUnlessFull(2);
            assertThat(batcher.waiting()).isEqualTo(2);

            // Full: refused at once, BUSY, and never handed to a batch.
            CompletableFuture<String> refused = batcher.submitUnlessFull(3);
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(BillSwitchException.class)
                    .satisfies(e -> assertThat(((BillSwitchException) e).code()).isEqualTo(ErrorCode.BUSY))
                    .hasMessage("BillSwitch is busy; retry with the same reference.");
            // What finishes work accepted before (a payment's first answer) is queued however full the queue is,
            // and counts: new work stays refused until the queue is below its limit again.
            CompletableFuture<String> settlement = batcher.submit(4);
            CompletableFuture<String> awaitedSettlement = batcher.submitAwaited(5);
            assertThat(batcher.waiting()).isEqualTo(4);
            assertThat(batcher.submitUnlessFull(6)).isCompletedExceptionally();

            release.countDown();
            assertThat(running.join()).isEqualTo("answer-0");
            assertThat(first.join()).isEqualTo("answer-1");
            assertThat(second.join()).isEqualTo("answer-2");
            assertThat(settlement.join()).isEqualTo("answer-4");
            batcher.handOut();
            assertThat(awaitedSettlement.join()).isEqualTo("answer-5");
            assertThat(seen).containsExactly(0, 1, 2, 4, 5);
            assertThat(batcher.waiting()).isZero();

            // Drained: new work is taken again, the refused item too (its caller retries it).
            assertThat(batcher.submitUnlessFull(3).join()).isEqualTo("answer-3");
        }
    }

    @Test
    void theQueueLimitIsExactHoweverManyThreadsSubmitAtOnce() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int limit = 50;
        try (Batcher<Integer, String> batcher = new Batcher<>("test", 1000, limit,
                answersOnceReleased(firstBatchRunning, release))) {
            CompletableFuture<String> running = batcher.submitUnlessFull(0);
            firstBatchRunning.await();
            List<CompletableFuture<String>> submitted = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = 1 + t * 100;
                threads.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    for (int i = 0; i < 100; i++) {
                        submitted.add(batcher.submitUnlessFull(base + i));
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(submitted).hasSize(800);
            assertThat(submitted.stream().filter(f -> !f.isDone())).hasSize(limit);
            assertThat(submitted.stream().filter(CompletableFuture::isCompletedExceptionally)).hasSize(800 - limit);
            release.countDown();
            assertThat(running.join()).isEqualTo("answer-0");
            submitted.stream().filter(f -> !f.isCompletedExceptionally())
                    .forEach(f -> assertThat(f.join()).startsWith("answer-"));
            assertThat(batcher.waiting()).isZero();
        }
    }

    @Test
    void afterCloseNothingIsAccepted() {
        Batcher<Integer, Integer> batcher = new Batcher<>("test", 10, items -> items);
        batcher.close();
        assertThatThrownBy(() -> batcher.submit(1).join()).hasCauseInstanceOf(IllegalStateException.class);
    }

    /** A batch answering "answer-" and the item, each call held until {@code release}. */
    private static Function<List<Integer>, List<String>> answersOnceReleased(CountDownLatch running,
                                                                          CountDownLatch release) {
        return items -> {
            running.countDown();
            await(release);
            return items.stream().map(i -> "answer-" + i).toList();
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
