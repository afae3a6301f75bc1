package billswitch.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.ErrorCode;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.RawClient;
import billswitch.support.SocketClient;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** GET /v1/openapi.json through the real server, unsigned, checked against the controllers Spring maps. */
class OpenApiDocumentTest extends IntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private Http document() {
        return new RawClient("http://localhost:" + port).get("/v1/openapi.json", Map.of());
    }

    @Test
    void isServedWithoutAuthenticationAsOpenApi31Json() {
        Http doc = document();
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.header("Content-Type")).startsWith("application/json");
        assertThat(doc.json().get("openapi").asString()).startsWith("3.1");
        assertThat(doc.json().get("info").get("title").asString()).contains("BillSwitch");
    }

    @Test
    void onlyThatPathIsUnsigned() {
        RawClient raw = new RawClient("http://localhost:" + port);
        assertThat(raw.get("/v1/openapi.json.yaml", Map.of()).errorCode()).isEqualTo("MISSING_CREDENTIALS");
        assertThat(raw.get("/v1/openapi.json/x", Map.of()).errorCode()).isEqualTo("MISSING_CREDENTIALS");
        assertThat(raw.post("/v1/openapi.json", "{}", Map.of("Content-Type", "application/json")).errorCode())
                .isEqualTo("MISSING_CREDENTIALS");
        assertThat(raw.get("/v1/wallet", Map.of()).errorCode()).isEqualTo("MISSING_CREDENTIALS");
    }

    /** Spellings the container normalises: the document or a refusal, never another /v1 answer unsigned. */
    @Test
    void noOtherSpellingReachesAnotherCallUnsigned() throws Exception {
        for (String target : List.of("/v1/openapi.json/../wallet", "/v1/openapi.json/..;/wallet", "/v1/openapi.json;x/../wallet",
                "/v1/openapi.json%2F..%2Fwallet", "/v1/./openapi.json/../transactions?reference=x")) {
            String answer = SocketClient.exchange("127.0.0.1", port, "GET", target, Map.of(), null);
            assertThat(SocketClient.status(answer)).as(target + ": " + answer).isIn(-1, 400, 401, 404);
        }
        for (String target : List.of("/v1/./openapi.json", "/v1/openapi%2Ejson", "/v1/x/../openapi.json")) {
            String answer = SocketClient.exchange("127.0.0.1", port, "GET", target, Map.of(), null);
            assertThat(SocketClient.status(answer) == 200 ? answer : "").as(target + ": " + answer)
                    .satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).contains("\"openapi\":\"3.1"));
        }
    }

    @Test
    void listsEveryNativeAndAdminHandlerAndNothingElse() {
        Set<String> handlers = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            String pkg = e.getValue().getBeanType().getPackageName();
            if (!pkg.startsWith("billswitch.api.v1") && !pkg.startsWith("billswitch.api.admin")) {
                continue;
            }
            Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
            assertThat(methods).as("%s maps every method", e.getValue()).isNotEmpty();
            for (String path : e.getKey().getPatternValues()) {
                methods.forEach(m -> handlers.add(m.name() + " " + path));
            }
        }
        assertThat(handlers).anyMatch(h -> h.equals("POST /v1/recharges")).anyMatch(h -> h.startsWith("GET /admin/"));

        Set<String> documented = new TreeSet<>();
        JsonNode paths = document().json().get("paths");
        for (String path : paths.propertyNames()) {
            for (String method : paths.get(path).propertyNames()) {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(method)) {
                    documented.add(method.toUpperCase() + " " + path);
                }
            }
        }
        assertThat(documented).isEqualTo(handlers);
        assertThat(documented).as("the admin bodies described are of calls that exist")
                .containsAll(OpenApiDocument.ADMIN_BODIES.keySet());
        assertThat(documented).noneMatch(p -> p.contains("/console") || p.contains("/callbacks") || p.contains("/api/")
                || p.contains("/ekoapi/"));
    }

    @Test
    void theErrorCatalogIsEveryErrorCodeWithItsStatus() {
        JsonNode components = document().json().get("components");
        JsonNode codes = components.get("schemas").get("ErrorCode");
        Set<String> inEnum = new HashSet<>();
        codes.get("enum").forEach(c -> inEnum.add(c.asString()));
        Set<String> all = new HashSet<>(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        assertThat(inEnum).isEqualTo(all);
        Set<String> inCatalog = new HashSet<>();
        for (JsonNode entry : codes.get("x-error-catalog")) {
            ErrorCode code = ErrorCode.valueOf(entry.get("code").asString());
            assertThat(entry.get("httpStatus").intValue()).isEqualTo(code.httpStatus());
            assertThat(entry.get("meaning").asString()).isEqualTo(code.defaultMessage());
            inCatalog.add(code.name());
        }
        assertThat(inCatalog).isEqualTo(all);
        assertThat(components.get("schemas").get("ErrorBody").get("properties").has("error")).isTrue();
        assertThat(components.get("responses").get("Error").get("content").get("application/json").get("examples")
                .propertyNames()).containsAll(all);
        assertThat(components.get("securitySchemes").get("adminToken").get("scheme").asString()).isEqualTo("bearer");
        Set<String> headers = new HashSet<>();
        components.get("securitySchemes").forEach(s -> {
            if (s.has("name")) {
                headers.add(s.get("name").asString());
            }
        });
        assertThat(headers).contains("X-Api-Key", "X-Timestamp", "X-Signature", "X-Signature-Version");
    }

    @Test
    void thePaymentCallsHaveTheirBodiesAnswersAndExamples() {
        JsonNode doc = document().json();
        for (String path : new String[] {"/v1/recharges", "/v1/bills/pay", "/v1/bills/fetch"}) {
            JsonNode post = doc.get("paths").get(path).get("post");
            JsonNode body = post.get("requestBody").get("content").get("application/json");
            assertThat(body.get("example").get("operatorId").asString()).as(path).isNotBlank();
            String schema = body.get("schema").get("$ref").asString().replace("#/components/schemas/", "");
            assertThat(doc.get("components").get("schemas").get(schema).get("properties").has("accountNumber")).isTrue();
            JsonNode ok = post.get("responses").get("200").get("content").get("application/json");
            assertThat(ok.get("example").get("status").asString()).as(path).isEqualTo("SUCCESS");
            assertThat(ok.get("schema").get("$ref").asString()).endsWith("/TransactionView");
            assertThat(post.get("responses").get("default").get("$ref").asString()).endsWith("/responses/Error");
            assertThat(post.get("security").get(0).has("nativeSignature")).isTrue();
        }
        JsonNode recharge = doc.get("paths").get("/v1/recharges").get("post");
        assertThat(recharge.get("responses").get("202").get("content").get("application/json").get("example")
                .get("status").asString()).isEqualTo("PENDING");
        assertThat(recharge.get("parameters").toString()).contains("Idempotency-Key");
        JsonNode transaction = doc.get("components").get("schemas").get("TransactionView").get("properties");
        assertThat(transaction.has("wallet")).isTrue();
        assertThat(transaction.get("status").get("enum").toString()).contains("\"SUCCESS\"", "\"NEEDS_REVIEW\"");
        for (String path : new String[] {"/v1/transactions/{id}", "/v1/transactions", "/v1/wallet", "/v1/wallet/statement",
                "/v1/categories", "/v1/operators"}) {
            assertThat(doc.get("paths").get(path).get("get").get("responses").get("200").get("content")
                    .get("application/json").has("example")).as(path).isTrue();
        }
        JsonNode categories = doc.get("paths").get("/v1/categories").get("get").get("responses").get("200");
        assertThat(categories.get("content").get("application/json").get("schema").get("$ref").asString())
                .endsWith("/Categories");
        JsonNode settle = doc.get("paths").get("/admin/orders/{id}/settle").get("post").get("requestBody")
                .get("content").get("application/json").get("schema");
        assertThat(settle.get("required").toString()).contains("outcome", "reason");
        assertThat(settle.get("properties").get("outcome").get("enum").toString()).isEqualTo("[\"SUCCESS\",\"FAILED\"]");
        JsonNode adminGet = doc.get("paths").get("/admin/ledger/verify");
        assertThat(adminGet.get("get").get("security").get(0).has("adminToken")).isTrue();
        assertThat(adminGet.get("servers").get(0).get("description").asString()).contains("billswitch.admin.port");
    }

    @Test
    void theComplaintCallsHaveTheirBodiesAnswersAndExamples() {
        JsonNode doc = document().json();
        JsonNode post = doc.get("paths").get("/v1/complaints").get("post");
        JsonNode body = post.get("requestBody").get("content").get("application/json");
        assertThat(body.get("schema").get("$ref").asString()).endsWith("/ComplaintRequest");
        assertThat(body.get("example").get("type").asString()).isEqualTo("NOT_CREDITED");
        JsonNode request = doc.get("components").get("schemas").get("ComplaintRequest");
        assertThat(request.get("required").valueStream().map(JsonNode::stringValue).toList())
                .containsExactlyInAnyOrder("type", "description");
        assertThat(request.get("properties").has("transactionId")).isTrue();
        assertThat(request.get("properties").has("reference")).isTrue();
        assertThat(request.get("properties").get("type").get("enum").toString())
                .isEqualTo("[\"NOT_CREDITED\",\"PAID_TWICE\",\"WRONG_AMOUNT\",\"WRONG_ACCOUNT\"]");
        assertThat(request.get("properties").get("description").get("maxLength").intValue()).isEqualTo(256);
        assertThat(request.get("description").asString()).contains("Exactly one of transactionId", "COMPLAINT_EXISTS");

        assertThat(post.get("responses").has("200")).isFalse();
        JsonNode created = post.get("responses").get("201").get("content").get("application/json");
        assertThat(created.get("schema").get("$ref").asString()).endsWith("/ComplaintView");
        assertThat(created.get("example").get("status").asString()).isEqualTo("INITIALIZED");
        assertThat(created.get("example").has("dueAt")).isTrue();
        assertThat(post.get("responses").get("default").get("$ref").asString()).endsWith("/responses/Error");
        assertThat(post.get("security").get(0).has("nativeSignature")).isTrue();

        JsonNode read = doc.get("paths").get("/v1/complaints/{id}").get("get");
        JsonNode ok = read.get("responses").get("200").get("content").get("application/json");
        assertThat(ok.get("schema").get("$ref").asString()).endsWith("/ComplaintView");
        assertThat(ok.get("example").get("id").asString()).isEqualTo("5000001");
        assertThat(read.get("security").get(0).has("nativeSignature")).isTrue();
        JsonNode view = doc.get("components").get("schemas").get("ComplaintView").get("properties");
        assertThat(view.get("status").get("enum").toString())
                .isEqualTo("[\"INITIALIZED\",\"ASSIGNED\",\"ESCALATED\",\"RESOLVED\",\"REJECTED\"]");
        assertThat(view.get("type").get("enum").toString()).contains("\"PAID_TWICE\"");
        for (String field : List.of("id", "transactionId", "reference", "disposition", "description", "dueAt",
                "resolution", "refundMinor", "createdAt", "updatedAt")) {
            assertThat(view.has(field)).as(field).isTrue();
        }
        JsonNode resolve = doc.get("paths").get("/admin/complaints/{id}/resolve").get("post").get("requestBody")
                .get("content").get("application/json").get("schema");
        assertThat(resolve.get("required").toString()).contains("resolution");
        assertThat(resolve.get("properties").has("refund")).isTrue();
    }

    @Test
    void carriesNoSecret() {
        String body = document().body();
        assertThat(body).doesNotContain("demo-secret", "demo-admin", "demo-key", "demo-webhook-secret", "demo-aopay-secret",
                "demo-appota-secret", "whsec_");
    }
}
