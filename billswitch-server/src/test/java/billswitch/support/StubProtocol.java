package billswitch.support;

import billswitch.connector.http.CallbackNotice;
import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.connector.http.HttpCall;
import billswitch.connector.http.Protocol;
import billswitch.connector.http.ProtocolType;
import billswitch.connector.http.ReportFormat;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal upstream protocol for routing tests (type "stub", credential "token"), so routing, failover, breakers,
 * floats and callbacks are tested against WireMock without any provider's details:
 * POST /pay {"reference","code","account","amount"} and GET /status/{reference} answer
 * {"status":"SUCCESS|FAILED|PENDING|DOWN","ref":"..."} (DOWN: a decline that may go elsewhere); GET /balance answers
 * {"balance":N}; callbacks carry header X-Token = token and the body {"reference","status","ref"}, and count as
 * signing their whole body unless header X-Signed is "no".
 */
public final class StubProtocol implements Protocol {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String token;

    StubProtocol(String token) {
        this.token = token;
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        ProtocolType stubProtocolType() {
            return new ProtocolType() {
                @Override
                public String type() {
                    return "stub";
                }

                @Override
                public List<String> credentialNames() {
                    return List.of("token");
                }

                @Override
                public List<String> requiredCredentials() {
                    return List.of("token");
                }

                @Override
                public Protocol create(Map<String, String> credentials) {
                    return new StubProtocol(credentials.get("token"));
                }
            };
        }
    }

    @Override
    public HttpCall fetchBill(BillQuery query, Instant now) {
        return HttpCall.get("/bill/" + query.upstreamCode() + "/" + query.accountNumber(), Map.of("X-Token", token));
    }

    @Override
    public BillResult fetchAnswer(BillQuery query, HttpAnswer answer) {
        JsonNode body = JSON.readTree(answer.body());
        if (!"SUCCESS".equals(body.path("status").asString())) {
            return new BillResult(Outcome.FAILED, null, body.path("status").asString(), "no bill", "DOWN".equals(body.path("status").asString()));
        }
        return new BillResult(Outcome.SUCCESS, new Bill(body.path("amount").asLong(), "STUB CUSTOMER", "B1", "Jan",
                null, null, false, body.path("context").isMissingNode() ? null : body.path("context").asString()), "00", "ok");
    }

    @Override
    public HttpCall pay(PaymentInstruction i, Instant now) {
        return HttpCall.post("/pay", Map.of("X-Token", token), "application/json",
                JSON.writeValueAsString(Map.of("reference", i.reference(), "code", String.valueOf(i.upstreamCode()),
                        "account", i.accountNumber(), "amount", i.amountMinor())));
    }

    @Override
    public ConnectorResult payAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return read(answer);
    }

    @Override
    public HttpCall status(PaymentInstruction i, Instant now) {
        return HttpCall.get("/status/" + i.reference(), Map.of("X-Token", token));
    }

    @Override
    public ConnectorResult statusAnswer(PaymentInstruction instruction, HttpAnswer answer) {
        return read(answer);
    }

    @Override
    public Optional<HttpCall> balance(Instant now) {
        return Optional.of(HttpCall.get("/balance", Map.of("X-Token", token)));
    }

    @Override
    public long balanceAnswer(HttpAnswer answer) {
        return JSON.readTree(answer.body()).get("balance").asLong();
    }

    @Override
    public Optional<CallbackNotice> callback(CallbackRequest request) {
        if (!token.equals(request.header("X-Token"))) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        String reference = body.path("reference").asString();
        // X-Signed: no plays an upstream whose signature does not cover the body: the switch must confirm it.
        return Optional.of("no".equals(request.header("X-Signed")) ? new CallbackNotice(reference, result(body))
                : CallbackNotice.signed(reference, result(body)));
    }

    private static ConnectorResult read(HttpAnswer answer) {
        return result(JSON.readTree(answer.body()));
    }

    private static ConnectorResult result(JsonNode body) {
        String status = body.get("status").asString();
        String ref = body.path("ref").isMissingNode() ? null : body.path("ref").asString();
        return switch (status) {
            case "SUCCESS" -> ConnectorResult.of(Outcome.SUCCESS, ref, status, "paid");
            case "FAILED" -> ConnectorResult.of(Outcome.FAILED, null, status, "declined");
            case "DOWN" -> ConnectorResult.failedTryElsewhere(status, "upstream down for this operator");
            case "PENDING" -> ConnectorResult.of(Outcome.PENDING, ref, status, "processing");
            default -> throw new IllegalArgumentException("unknown status " + status);
        };
    }

    /**
     * The stub's daily report: CSV ref,reference,amount,status,time, amounts in rupees, statuses SUCCESS, FAILED,
     * PENDING, DOWN read as its answers are.
     */
    @Override
    public Optional<ReportFormat> report() {
        return Optional.of(new ReportFormat(ReportFormat.Syntax.CSV, null, "ref", "reference", "amount",
                ReportFormat.AmountUnit.MAJOR, "status", "time",
                (status, ref) -> {
                    if (!List.of("SUCCESS", "FAILED", "PENDING", "DOWN").contains(status)) {
                        throw new IllegalArgumentException("status '" + status + "' is not a stub status");
                    }
                    ObjectNode node = JSON.createObjectNode().put("status", status);
                    if (ref != null) {
                        node.put("ref", ref);
                    }
                    return result(node);
                }));
    }
}
