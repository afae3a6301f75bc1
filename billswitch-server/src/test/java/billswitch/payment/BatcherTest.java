package billswitch.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
