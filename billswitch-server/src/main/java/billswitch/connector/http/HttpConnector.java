package billswitch.connector.http;

import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ComplaintReceipt;
import billswitch.connector.spi.UpstreamComplaint;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.UpstreamOperator;
import billswitch.connector.spi.PaymentInstruction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector reached over HTTP: a {@link Protocol} builds each request and reads each answer; this class does
 * the I/O for every provider alike, and is where a network's failures become outcomes.
 * <ul>
 *   <li>Non-blocking: the JDK's HTTP client sends, and the answer is read on a virtual thread, never on the
 *       caller's (the payment batch's worker).</li>
 *   <li>Bounded: at most {@code maxInFlight} requests at once; one more is NOT_SENT at once, never queued.</li>
 *   <li>Timed: connect and read timeouts, and every call ends within {@link Settings#deadline()}.</li>
 *   <li>Classified: a refused connection, a connect timeout or a request that could not be built is NOT_SENT
 *       (no byte left); a read timeout, a 5xx, a reset once connected or an answer the protocol cannot read is
 *       UNKNOWN; only what the protocol reads as a decline is FAILED.</li>
 * </ul>
 */
public final class HttpConnector implements Connector {
    private static final Logger log = LoggerFactory.getLogger(HttpConnector.class);
    private static final Executor ANSWERS = Executors.newVirtualThreadPerTaskExecutor();
    /** Added to connect + read timeout: the client's own timeouts fire first; this bounds everything else. */
    static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    /** Where and how to reach one upstream. */
    public record Settings(String name, URI baseUrl, Duration connectTimeout, Duration readTimeout, int maxInFlight) {
        public Settings {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1");
            }
        }

        /** The longest any call of this connector takes to end in an answer or UNKNOWN. */
        public Duration deadline() {
            return connectTimeout.plus(readTimeout).plus(DEADLINE_MARGIN);
        }
    }

    private final Settings settings;
    private final Protocol protocol;
    private final Clock clock;
    private final HttpClient client;
    private final Semaphore inFlight;

    public HttpConnector(Settings settings, Protocol protocol, Clock clock) {
        this.settings = settings;
        this.protocol = protocol;
        this.clock = clock;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(ANSWERS)
                .build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Duration deadline() {
        return settings.deadline();
    }

    public Settings settings() {
        return settings;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** Requests being sent or awaited now. */
    public int inFlight() {
        return settings.maxInFlight() - inFlight.availablePermits();
    }

    @Override
    public CompletableFuture<BillResult> fetchBill(BillQuery query) {
        return exchange(now -> protocol.fetchBill(query, now), answer -> protocol.fetchAnswer(query, answer),
                failure -> BillResult.of(failure.outcome(), failure.code(), failure.message()));
    }

    @Override
    public CompletableFuture<ConnectorResult> pay(PaymentInstruction instruction) {
        return exchange(now -> protocol.pay(instruction, now), answer -> protocol.payAnswer(instruction, answer),
                failure -> ConnectorResult.of(failure.outcome(), null, failure.code(), failure.message()));
    }

    @Override
    public CompletableFuture<ConnectorResult> status(PaymentInstruction instruction) {
        return exchange(now -> protocol.status(instruction, now), answer -> protocol.statusAnswer(instruction, answer),
                failure -> ConnectorResult.of(failure.outcome(), null, failure.code(), failure.message()));
    }

    /** Through the protocol's complaint call; a failure of the network (sent or not) is UNREACHED: sent again later. */
    @Override
    public CompletableFuture<ComplaintReceipt> complain(UpstreamComplaint complaint) {
        if (!protocol.takesComplaints()) {
            return Connector.super.complain(complaint);
        }
        return exchange(now -> protocol.complaint(complaint, now), answer -> protocol.complaintAnswer(complaint, answer),
                failure -> ComplaintReceipt.unreached(failure.code() + ": " + failure.message()));
    }

    @Override
    public CompletableFuture<ComplaintReceipt> complaintStatus(String upstreamComplaintId) {
        if (!protocol.takesComplaints()) {
            return Connector.super.complaintStatus(upstreamComplaintId);
        }
        return exchange(now -> protocol.complaintStatus(upstreamComplaintId, now),
                answer -> protocol.complaintStatusAnswer(upstreamComplaintId, answer),
                failure -> ComplaintReceipt.unreached(failure.code() + ": " + failure.message()));
    }

    @Override
    public CompletableFuture<OptionalLong> balance() {
        Optional<HttpCall> call = protocol.balance(clock.instant());
        if (call.isEmpty()) {
            return CompletableFuture.completedFuture(OptionalLong.empty());
        }
        return exchange(now -> call.get(), answer -> OptionalLong.of(protocol.balanceAnswer(answer)),
                failure -> OptionalLong.empty());
    }

    /**
     * The upstream's operator list, each operator with its parameters where the provider lists them apart (one call
     * each): empty when the provider lists none. For the admin API's catalog import, not for payments: it waits.
     * Throws IllegalStateException saying why when the list could not be had.
     */
    public Optional<List<UpstreamOperator>> operators() {
        Optional<HttpCall> call = protocol.operatorList(clock.instant());
        if (call.isEmpty()) {
            return Optional.empty();
        }
        List<UpstreamOperator> listed = fetch(call.get(), protocol::operatorListAnswer);
        List<UpstreamOperator> operators = new ArrayList<>();
        for (UpstreamOperator o : listed) {
            Optional<HttpCall> params = protocol.operatorParams(o.code(), clock.instant());
            operators.add(params.isEmpty() ? o : o.withParams(fetch(params.get(), protocol::operatorParamsAnswer)));
        }
        return Optional.of(operators);
    }

    private <T> T fetch(HttpCall call, Function<HttpAnswer, T> read) {
        Object result = exchange(now -> call, answer -> (Object) read.apply(answer), failure -> failure).join();
        if (result instanceof Failure failure) {
            throw new IllegalStateException("Connector " + settings.name() + ": " + call.method() + " "
                    + call.pathAndQuery().replaceAll("\\?.*", "") + " failed: " + failure.code() + " (" + failure.message() + ")");
        }
        @SuppressWarnings("unchecked")
        T answer = (T) result;
        return answer;
    }

    /** Why a call got no answer a protocol could read: NOT_SENT or UNKNOWN, with a code and a message. */
    record Failure(Outcome outcome, String code, String message) {
    }

    private <T> CompletableFuture<T> exchange(Function<Instant, HttpCall> build, Function<HttpAnswer, T> read,
                                              Function<Failure, T> failed) {
        if (!inFlight.tryAcquire()) {
            log.warn("Connector {}: {} requests already in flight; not sent", settings.name(), settings.maxInFlight());
            return CompletableFuture.completedFuture(failed.apply(new Failure(Outcome.NOT_SENT, "IN_FLIGHT_LIMIT",
                    "The operator's network is busy; nothing was sent")));
        }
        HttpRequest request;
        try {
            request = request(build.apply(clock.instant()));
        } catch (RuntimeException e) {
            inFlight.release();
            log.warn("Connector {} could not build a request", settings.name(), e);
            return CompletableFuture.completedFuture(failed.apply(new Failure(Outcome.NOT_SENT, "REQUEST_NOT_BUILT",
                    "The payment could not be sent to the operator")));
        }
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.orTimeout(settings.deadline().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((response, error) -> {
                    inFlight.release();
                    if (error != null) {
                        Failure failure = classify(error);
                        log.info("Connector {}: {} ({})", settings.name(), failure.code(), error.toString());
                        return failed.apply(failure);
                    }
                    HttpAnswer answer = new HttpAnswer(response.statusCode(), headers(response), response.body());
                    if (response.statusCode() >= 500 && !readable(answer)) {
                        return failed.apply(new Failure(Outcome.UNKNOWN, "HTTP_" + response.statusCode(),
                                "The upstream answered HTTP " + response.statusCode()));
                    }
                    try {
                        return read.apply(answer);
                    } catch (RuntimeException e) {
                        log.warn("Connector {} could not read an answer (HTTP {}): {}", settings.name(),
                                response.statusCode(), e.toString());
                        return failed.apply(new Failure(Outcome.UNKNOWN, "UNREADABLE_ANSWER",
                                "The upstream's answer could not be read"));
                    }
                }, ANSWERS);
    }

    private boolean readable(HttpAnswer serverError) {
        try {
            return protocol.readsServerError(serverError);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private HttpRequest request(HttpCall call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + call.pathAndQuery()))
                .timeout(settings.readTimeout())
                .method(call.method(), call.body().length == 0 && call.method().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(builder::header);
        return builder.build();
    }

    private String base() {
        String base = settings.baseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static Map<String, String> headers(HttpResponse<?> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.getFirst()));
        return headers;
    }

    /** What a failed exchange means: NOT_SENT only when no byte of the request can have left. */
    static Failure classify(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new Failure(Outcome.NOT_SENT, "CONNECT_TIMEOUT", "The upstream could not be reached in time");
        }
        if (e instanceof ConnectException || causedBy(e, UnresolvedAddressException.class)) {
            return new Failure(Outcome.NOT_SENT, "CONNECTION_REFUSED", "The upstream refused the connection");
        }
        if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            return new Failure(Outcome.UNKNOWN, "TIMEOUT", "The upstream did not answer in time");
        }
        if (e instanceof IOException) {
            return new Failure(Outcome.UNKNOWN, "CONNECTION_LOST", "The connection to the operator failed after the request");
        }
        return new Failure(Outcome.UNKNOWN, "EXCEPTION", "The call to the operator failed");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Stops taking new connections once the calls in flight are done; used when the settings change. */
    public void retire() {
        client.shutdown();
    }

    @Override
    public String toString() {
        return "HttpConnector[" + settings.name() + " " + settings.baseUrl() + "]";
    }
}
