package billswitch.support;

import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A connector whose next answers the test scripts: succeed, decline, time out, throw, stay pending, hang
 * until released, or block its caller until released (BLOCK: the batch worker, which sends each payment
 * once its hold has committed, is held there, so whatever comes next waits in the batch queue), or throw an
 * {@link Error} (ERROR: on the batch worker, which sends, it kills the batch). Operator
 * "test-faulty" (a prepaid operator) routes to it.
 */
public class FaultInjectingConnector implements Connector {
    public static final String OPERATOR = "test-faulty";

    public enum Fault { SUCCEED, DECLINE, TIME_OUT, THROW, PENDING, HANG, BLOCK, ERROR }

    private final ConcurrentLinkedQueue<Fault> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger payCalls = new AtomicInteger();
    private final JdbcClient jdbc;
    private final Catalog catalog;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(0);
    private volatile Outcome statusOutcome = Outcome.PENDING;

    FaultInjectingConnector(JdbcClient jdbc, Catalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        FaultInjectingConnector faultInjectingConnector(JdbcClient jdbc, Catalog catalog) {
            return new FaultInjectingConnector(jdbc, catalog);
        }
    }

    /** Makes sure operator test-faulty exists and is in the catalog; returns its id. */
    public String operator() {
        jdbc.sql("""
                insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option, exactness,
                    min_amount_minor, max_amount_minor, partial_payment, channels, connector, params)
                select 'test-faulty', 'Faulty Test Operator', category_id, location_id, kind, country, currency,
                    fetch_option, exactness, min_amount_minor, max_amount_minor, partial_payment, channels, 'faulty', params
                from operators where id = 'airtel-prepaid'
                on conflict (id) do nothing""").update();
        catalog.reload();
        return OPERATOR;
    }

    /** The Error an ERROR fault throws. */
    public static final class InjectedError extends Error {
        InjectedError() {
            super("an Error injected by the test script", null, false, false);
        }
    }

    /** What status enquiries answer from now on (PENDING until a test says otherwise). */
    public void statusSays(Outcome outcome) {
        statusOutcome = outcome;
    }

    public void next(Fault... faults) {
        statusOutcome = Outcome.PENDING;
        script.clear();
        script.addAll(java.util.List.of(faults));
    }

    /**
     * The next HANG (or BLOCK) waits until {@link #release()}; {@link #awaitEntered()} waits until a call is
     * waiting.
     */
    public void armGate() {
        gate = new CountDownLatch(1);
        entered = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** How many payments were sent to this connector so far. */
    public int payCalls() {
        return payCalls.get();
    }

    public boolean awaitEntered() throws InterruptedException {
        return entered.await(30, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public CompletableFuture<BillResult> fetchBill(BillQuery query) {
        return CompletableFuture.completedFuture(BillResult.of(Outcome.FAILED, "NOT_A_BILLER", "The faulty operator has no bills"));
    }

    @Override
    public CompletableFuture<ConnectorResult> pay(PaymentInstruction instruction) {
        payCalls.incrementAndGet();
        Fault fault = script.poll();
        return switch (fault == null ? Fault.SUCCEED : fault) {
            case SUCCEED -> CompletableFuture.completedFuture(ConnectorResult.of(Outcome.SUCCESS, "FLT" + instruction.orderId(), "00", "ok"));
            case DECLINE -> CompletableFuture.completedFuture(ConnectorResult.of(Outcome.FAILED, null, "DECLINED", "declined by script"));
            case TIME_OUT -> CompletableFuture.completedFuture(ConnectorResult.of(Outcome.UNKNOWN, null, "TIMEOUT", "timed out by script"));
            case PENDING -> CompletableFuture.completedFuture(ConnectorResult.of(Outcome.PENDING, null, "PROCESSING", "pending by script"));
            case THROW -> throw new IllegalStateException("connection reset by script");
            case ERROR -> throw new InjectedError();
            case BLOCK -> {
                // Breaks the connector contract (never block) on purpose: holds the thread that sends.
                entered.countDown();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield CompletableFuture.completedFuture(
                        ConnectorResult.of(Outcome.SUCCESS, "FLT" + instruction.orderId(), "00", "ok after blocking"));
            }
            case HANG -> CompletableFuture.supplyAsync(() -> {
                entered.countDown();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ConnectorResult.of(Outcome.SUCCESS, "FLT" + instruction.orderId(), "00", "ok after hanging");
            }, Executors.newVirtualThreadPerTaskExecutor());
        };
    }

    @Override
    public CompletableFuture<ConnectorResult> status(PaymentInstruction instruction) {
        return CompletableFuture.completedFuture(switch (statusOutcome) {
            case SUCCESS -> ConnectorResult.of(Outcome.SUCCESS, "FLT" + instruction.orderId(), "00", "paid, says the status enquiry");
            case FAILED -> ConnectorResult.of(Outcome.FAILED, null, "DECLINED", "declined, says the status enquiry");
            default -> ConnectorResult.of(Outcome.PENDING, null, "PROCESSING", "still processing");
        });
    }
}
