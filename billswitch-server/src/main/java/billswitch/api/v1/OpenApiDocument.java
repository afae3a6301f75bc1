package billswitch.api.v1;

import billswitch.admin.AdminRole;
import billswitch.api.ErrorBody;
import billswitch.api.v1.NativeViews.CategoryView;
import billswitch.api.v1.NativeViews.OperatorSummary;
import billswitch.api.v1.NativeViews.TransactionView;
import billswitch.payment.OrderKind;
import billswitch.payment.OrderStatus;
import billswitch.shared.ErrorCode;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 document of the native API v1 and the admin API, served by springdoc at GET /v1/openapi.json
 * (application.yml: springdoc.*; {@link NativeAuthFilter} lets exactly that path through unsigned). springdoc
 * reads the controllers; this class adds what their signatures cannot say: the signature headers and the admin
 * token, the bodies the native controller parses itself (and the JSON shapes behind its Maps), examples, and the
 * error catalog, generated from {@link ErrorCode}. Built once, on the first request for the document: nothing
 * of it runs on a payment.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {
    static final String NATIVE_SCHEME = "nativeSignature";
    static final String ADMIN_SCHEME = "adminToken";
    private static final String JSON = "application/json";
    private static final String ERROR_RESPONSE = "Error";
    private static final String ADMIN_SERVER = "The admin port: billswitch.admin.port (default 8082, loopback) outside "
            + "sandbox mode; in sandbox mode the partners' port. The admin paths are listed in this document although "
            + "outside sandbox mode they are not served on the port that serves it.";

    /** The native API's request bodies, as NativeController reads them (JsonBody.allowOnly: no other field). */
    record BillFetchRequest(String operatorId, String accountNumber, Map<String, String> params, String reference) {
    }

    record BillPayRequest(String operatorId, String accountNumber, Map<String, String> params, long amountMinor,
                          String currency, String billFetchId, String channel) {
    }

    record RechargeRequest(String operatorId, String accountNumber, long amountMinor, String currency,
                           String productCode) {
    }

    record Categories(List<CategoryView> categories) {
    }

    record Operators(List<OperatorSummary> operators) {
    }

    @Bean
    OpenAPI billSwitchOpenApi() {
        Components components = new Components()
                .addSecuritySchemes(NATIVE_SCHEME + "KeyId", header("X-Api-Key", "The native API key id."))
                .addSecuritySchemes(NATIVE_SCHEME + "Timestamp", header("X-Timestamp",
                        "Unix time in milliseconds; refused (STALE_TIMESTAMP) when more than 5 minutes from the server's clock."))
                .addSecuritySchemes(NATIVE_SCHEME + "Version", header("X-Signature-Version", "2."))
                .addSecuritySchemes(NATIVE_SCHEME, header("X-Signature", "base64(HMAC-SHA256(secret, \"v2\" + \"\\n\" "
                        + "+ timestamp + \"\\n\" + METHOD + \"\\n\" + path_with_query + \"\\n\" + content_type + \"\\n\" "
                        + "+ idempotency_key + \"\\n\" + raw_body)): content_type and idempotency_key are those headers as "
                        + "sent (empty text when not sent), raw_body the exact bytes sent (empty for a GET). A signed "
                        + "request is accepted once (REPLAYED_REQUEST): to retry, sign again with a fresh timestamp and "
                        + "the same Idempotency-Key."))
                .addSecuritySchemes(ADMIN_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("Authorization: Bearer <token> of an admin identity."))
                .addParameters("Idempotency-Key", new Parameter().in("header").name("Idempotency-Key").required(true)
                        .description("Your reference for the payment, 1-64 of A-Z a-z 0-9 . _ : -. The same key with the "
                                + "same request returns the original answer; with another request IDEMPOTENCY_KEY_REUSED.")
                        .schema(string().pattern("^[A-Za-z0-9._:-]{1,64}$")).example("order-2026-0001"));
        return new OpenAPI()
                .info(new Info().title("BillSwitch native API v1 and admin API").version("v1")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0"))
                        .description("""
                                The native JSON API (/v1/**, on the partners' port) and the admin API (/admin/**). \
                                Native calls are signed (security schemes nativeSignature*: all four headers on every \
                                call); money-moving calls also carry an Idempotency-Key. Admin calls carry an admin \
                                identity's bearer token. The admin API is served on billswitch.admin.port (default \
                                8082, loopback) outside sandbox mode and on the partners' port in sandbox mode: its \
                                paths are listed here with their own servers entry. Every error answers \
                                {"error":{"code","message","fields"}} (ErrorBody) with the HTTP status of its code; \
                                the catalog of codes is the ErrorCode schema (x-error-catalog). Amounts are integer \
                                minor units (amountMinor) with the decimal text beside them."""))
                .servers(List.of(new Server().url("/").description(
                        "The partners' port (server.port, default 8080): /v1/** and this document.")))
                .components(components);
    }

    @Bean
    OpenApiCustomizer billSwitchOpenApiDetails() {
        return openApi -> {
            Components components = openApi.getComponents();
            addSchemas(components, ErrorBody.class, Categories.class, Operators.class, TransactionView.class,
                    BillFetchRequest.class, BillPayRequest.class, RechargeRequest.class,
                    ComplaintController.ComplaintRequest.class, ComplaintController.ComplaintView.class);
            components.addSchemas("ErrorCode", errorCatalog());
            @SuppressWarnings("rawtypes") Map<String, Schema> transaction = components.getSchemas().get("TransactionView").getProperties();
            transaction.put("status", enumOf(OrderStatus.values()).description("SUCCESS, FAILED: final at once; "
                    + "PENDING, UNKNOWN: accepted, not settled, the money held (202); NEEDS_REVIEW: unsettled past the "
                    + "maximum age, settled by an operator; REFUNDED: accepted, later failed, the hold refunded; "
                    + "INITIATED: taken, the upstream not answered yet."));
            transaction.put("kind", enumOf(OrderKind.values()));
            @SuppressWarnings("rawtypes") Map<String, Schema> complaint = components.getSchemas().get("ComplaintView").getProperties();
            complaint.put("status", enumOf(billswitch.complaint.ComplaintStatus.values()).description("INITIALIZED: "
                    + "raised; ASSIGNED: a person took it; ESCALATED: still open past dueAt; RESOLVED (with refundMinor "
                    + "when the payment was refunded), REJECTED: closed, with the resolution or reason."));
            complaint.put("type", enumOf(billswitch.complaint.ComplaintType.values()));
            complaint.put("disposition", string().description("The type's BBPS disposition: D11, D22, D23, D21."));
            complaint.put("dueAt", string().format("date-time").description("The resolution deadline: raised + the "
                    + "type's turnaround time."));
            complaint.put("refundMinor", integer().description("What a refund through the complaint gave back to the "
                    + "wallet, in minor units; null: no refund."));
            @SuppressWarnings("rawtypes") Map<String, Schema> complaintIn = components.getSchemas().get("ComplaintRequest").getProperties();
            complaintIn.put("type", enumOf(billswitch.complaint.ComplaintType.values()).description("Or its BBPS "
                    + "disposition: D11, D22, D23, D21."));
            complaintIn.put("description", string().minLength(1).maxLength(256));
            ErrorCode[] codes = ErrorCode.values();
            Map<String, Example> errorExamples = new LinkedHashMap<>();
            for (ErrorCode code : codes) {
                Example example = new Example().summary("HTTP " + code.httpStatus() + ": " + code.defaultMessage())
                        .value(Map.of("error", Map.of("code", code.name(), "message", code.defaultMessage(), "fields", Map.of())));
                components.addExamples(code.name(), example);
                errorExamples.put(code.name(), new Example().$ref("#/components/examples/" + code.name()));
            }
            components.addResponses(ERROR_RESPONSE, new ApiResponse()
                    .description("An error of the catalog (ErrorCode) with its HTTP status. A 4xx moved no money, "
                            + "except 409 REQUEST_IN_PROGRESS: the payment goes on, ask again with the same "
                            + "Idempotency-Key. 503 BUSY, DATABASE_UNAVAILABLE and 429 RATE_LIMITED carry Retry-After: "
                            + "retry with the same Idempotency-Key; 503 NO_ROUTE and 504 UPSTREAM_UNAVAILABLE charged "
                            + "nothing.")
                    .content(new Content().addMediaType(JSON, new MediaType().schema(ref("ErrorBody")).examples(errorExamples))));

            nativeBodies(openApi);
            Server admin = new Server().url("/").description(ADMIN_SERVER);
            openApi.getPaths().forEach((path, item) -> {
                boolean isAdmin = path.startsWith("/admin");
                if (isAdmin) {
                    item.setServers(List.of(admin));
                }
                for (Operation operation : item.readOperations()) {
                    operation.setSecurity(List.of(isAdmin ? new SecurityRequirement().addList(ADMIN_SCHEME)
                            : new SecurityRequirement().addList(NATIVE_SCHEME + "KeyId").addList(NATIVE_SCHEME + "Timestamp")
                                    .addList(NATIVE_SCHEME + "Version").addList(NATIVE_SCHEME)));
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    operation.getResponses().remove("400");
                    operation.getResponses().remove("404");
                    operation.getResponses().remove("500");
                    operation.getResponses().setDefault(new ApiResponse().$ref("#/components/responses/" + ERROR_RESPONSE));
                }
            });
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (path.startsWith("/admin") && operation.getRequestBody() != null) {
                    // The admin controllers read their bodies themselves (byte[] in their signatures).
                    Schema<?> body = ADMIN_BODIES.get(method + " " + path);
                    operation.setRequestBody(new RequestBody().required(body != null).description(body != null ? null
                            : "A JSON object: its fields are in README.md, \"The admin API\".")
                            .content(new Content().addMediaType(JSON, new MediaType().schema(body != null ? body : object()))));
                }
            }));
        };
    }

    /**
     * The admin API's bodies as its controllers read them (JsonBody.allowOnly: no other field), by "METHOD path".
     * The catalog's (categories, locations, operators, plans) are described in README.md.
     */
    static final Map<String, Schema<?>> ADMIN_BODIES = Map.ofEntries(
            Map.entry("POST /admin/partners", fields(List.of("name"), "id", string(), "name", string(),
                    "callbackUrl", string(), "ipAllowList", strings())),
            Map.entry("POST /admin/partners/{id}/credentials", fields(List.of("dialect", "keyId"), "dialect", string(),
                    "keyId", string(), "secret", string().description("generated and answered once when left out"),
                    "ipAllowList", strings(), "attributes", object())),
            Map.entry("PATCH /admin/partners/{id}/credentials/{keyId}", fields(List.of("attributes"), "attributes", object())),
            Map.entry("POST /admin/partners/{id}/wallets/{currency}/top-ups", fields(List.of("amountMinor", "reference"),
                    "amountMinor", integer(), "reference", string())),
            Map.entry("PUT /admin/partners/{id}/wallets/{currency}/credit-limit", fields(List.of("creditLimitMinor"),
                    "creditLimitMinor", integer())),
            Map.entry("PUT /admin/partners/{id}/wallets/{currency}/low-balance-threshold",
                    fields(List.of("thresholdMinor"), "thresholdMinor", integer())),
            Map.entry("POST /admin/partners/{id}/webhook", fields(List.of(), "callbackUrl", string())),
            Map.entry("PUT /admin/partners/{id}/limits", fields(List.of(), "requestsPerSecond", integer(), "burst", integer(),
                    "maxInFlight", integer())),
            Map.entry("POST /admin/orders/{id}/settle", fields(List.of("outcome", "reason"),
                    "outcome", enumOf(new Enum<?>[] {OrderStatus.SUCCESS, OrderStatus.FAILED}), "reason", string())),
            Map.entry("POST /admin/complaints/{id}/resolve", fields(List.of("resolution"), "resolution", string(),
                    "refund", bool().description("refund the payment (SUCCESS) through the order state machine"))),
            Map.entry("POST /admin/complaints/{id}/reject", fields(List.of("reason"), "reason", string())),
            Map.entry("POST /admin/identities", fields(List.of("name", "role"), "name", string(),
                    "role", enumOf(AdminRole.values()))),
            Map.entry("POST /admin/approvals/{id}/reject", fields(List.of(), "reason", string())),
            Map.entry("POST /admin/connectors", connector(List.of("name", "type", "baseUrl"))),
            Map.entry("PATCH /admin/connectors/{name}", connector(List.of())),
            Map.entry("PUT /admin/operators/{operatorId}/routes", array(fields(List.of("connector", "upstreamCode"),
                    "connector", string(), "upstreamCode", string(), "priority", integer(), "weight", integer(),
                    "cost", integer(), "commissionBps", integer()))));

    private static Schema<?> connector(List<String> required) {
        return fields(required, "name", string(), "type", string(), "baseUrl", string(),
                "credentials", object().additionalProperties(string()),
                "timeouts", fields(List.of(), "connectMs", integer(), "readMs", integer()),
                "maxInFlight", integer(), "enabled", bool());
    }

    /** The native calls whose bodies the controller parses itself, and the answers it writes as text or Maps. */
    private static void nativeBodies(OpenAPI openApi) {
        Map<String, Object> rechargeIn = ordered("operatorId", "airtel-prepaid", "accountNumber", "9876543210",
                "amountMinor", 19900, "currency", "INR");
        Map<String, Object> rechargeOut = ordered("id", "1000001", "reference", "order-2026-0001", "kind", "RECHARGE",
                "status", "SUCCESS", "operatorId", "airtel-prepaid", "accountNumber", "9876543210", "amountMinor", 19900,
                "amount", "199.00", "feeMinor", 0, "commissionMinor", 497, "ccfMinor", 0, "gstMinor", 0, "tdsMinor", 10,
                "currency", "INR", "channel", "INSTANT",
                "operatorRef", "SBX1000001A7Q2", "wallet", ordered("openingMinor", 10000000, "closingMinor", 9980100));
        Map<String, Object> fetchIn = ordered("operatorId", "bses-rajdhani", "accountNumber", "102277100");
        Map<String, Object> fetchOut = ordered("id", "1000002", "kind", "BILL_FETCH", "status", "SUCCESS",
                "operatorId", "bses-rajdhani", "accountNumber", "102277100", "currency", "INR",
                "bill", ordered("amountMinor", 184250, "amount", "1842.50", "customerName", "A. Kumar",
                        "billNumber", "BSES-2026-11-102277100", "period", "2026-11", "dueDate", "2026-12-21",
                        "partialPaymentAllowed", false));
        Map<String, Object> payIn = ordered("operatorId", "bses-rajdhani", "accountNumber", "102277100",
                "amountMinor", 184250, "currency", "INR", "billFetchId", "1000002");
        Map<String, Object> payOut = ordered("id", "1000003", "reference", "bill-2026-0001", "kind", "BILL_PAY",
                "status", "SUCCESS", "operatorId", "bses-rajdhani", "accountNumber", "102277100", "amountMinor", 184250,
                "amount", "1842.50", "currency", "INR", "operatorRef", "SBX1000003A9K1", "billFetchId", "1000002",
                "wallet", ordered("openingMinor", 9980597, "closingMinor", 9796347));

        body(openApi, "/v1/bills/fetch", "BillFetchRequest", List.of("operatorId", "accountNumber"), fetchIn);
        answer(openApi, "/v1/bills/fetch", "200", "The fetch and the bill found (status SUCCESS).", fetchOut);
        body(openApi, "/v1/bills/pay", "BillPayRequest", List.of("operatorId", "accountNumber", "amountMinor", "currency"), payIn);
        payAnswers(openApi, "/v1/bills/pay", payOut);
        body(openApi, "/v1/recharges", "RechargeRequest", List.of("operatorId", "accountNumber", "amountMinor", "currency"), rechargeIn);
        payAnswers(openApi, "/v1/recharges", rechargeOut);
        answer(openApi, "/v1/categories", "200", "The categories.", "Categories", ordered("categories",
                List.of(ordered("id", "electricity", "name", "Electricity", "group", "Utilities", "country", "IN"))));
        answer(openApi, "/v1/operators", "200", "The operators, filtered.", "Operators", ordered("operators",
                List.of(ordered("id", "bses-rajdhani", "name", "BSES Rajdhani", "category", "electricity",
                        "location", "IN-DL", "kind", "UTILITY", "country", "IN", "currency", "INR",
                        "fetchOption", "MANDATORY", "exactness", "EXACT_AND_ABOVE", "minAmountMinor", 100,
                        "maxAmountMinor", 10000000, "partialPayment", false, "channels", List.of("INSTANT"),
                        "enabled", true))));
        Map<String, Object> complaintIn = ordered("transactionId", "1000003", "type", "NOT_CREDITED",
                "description", "Paid on 1 Dec, the biller still shows the bill as due.");
        Map<String, Object> complaintOut = ordered("id", "5000001", "transactionId", "1000003",
                "reference", "bill-2026-0001", "type", "NOT_CREDITED", "disposition", "D11",
                "description", "Paid on 1 Dec, the biller still shows the bill as due.", "status", "INITIALIZED",
                "dueAt", "2026-12-04T10:15:30Z", "resolution", null, "refundMinor", null,
                "createdAt", "2026-12-01T10:15:30Z", "updatedAt", "2026-12-01T10:15:30Z");
        body(openApi, "/v1/complaints", "ComplaintRequest", List.of("type", "description"), complaintIn);
        openApi.getComponents().getSchemas().get("ComplaintRequest").description("Exactly one of transactionId (our id) "
                + "and reference (yours). type: NOT_CREDITED (BBPS D11), PAID_TWICE (D22), WRONG_AMOUNT (D23), "
                + "WRONG_ACCOUNT (D21). description: 1-256 characters. At most one open complaint per transaction and "
                + "type (COMPLAINT_EXISTS).");
        answer(openApi, "/v1/complaints", "201", "The complaint raised: its id, status INITIALIZED and resolution "
                + "deadline dueAt (the type's turnaround time). Every later change is a complaint.updated webhook.",
                "ComplaintView", complaintOut);
        openApi.getPaths().get("/v1/complaints").getPost().getResponses().remove("200");
        answer(openApi, "/v1/complaints/{id}", "200", "The partner's complaint (another partner's is "
                + "COMPLAINT_NOT_FOUND).", "ComplaintView", complaintOut);
        example(openApi, "/v1/transactions/{id}", payOut);
        example(openApi, "/v1/transactions", payOut);
        example(openApi, "/v1/wallet", ordered("partnerId", "AOP-554", "wallets", List.of(
                ordered("currency", "INR", "balanceMinor", 9796347, "heldMinor", 0, "availableMinor", 9796347,
                        "available", "97963.47", "creditLimitMinor", 0, "creditLimit", "0.00", "balance", "97963.47",
                        "lowBalanceThresholdMinor", 0))));
        example(openApi, "/v1/wallet/statement", ordered("currency", "INR", "entries", List.of(
                ordered("id", "2000007", "type", "HOLD", "direction", "DEBIT", "amountMinor", 184250,
                        "openingMinor", 9980597, "closingMinor", 9796347, "transactionId", "1000003",
                        "reference", "bill-2026-0001", "at", "2026-12-01T10:15:30Z")), "nextBefore", null));
    }

    /** An example for a GET's answer, its schema as springdoc read it from the controller. */
    private static void example(OpenAPI openApi, String path, Map<String, Object> example) {
        openApi.getPaths().get(path).getGet().getResponses().get("200").getContent().get(JSON).setExample(example);
    }

    private static void payAnswers(OpenAPI openApi, String path, Map<String, Object> example) {
        Operation post = openApi.getPaths().get(path).getPost();
        post.addParametersItem(new Parameter().$ref("#/components/parameters/Idempotency-Key"));
        answer(openApi, path, "200", "Final: SUCCESS or FAILED (a FAILED payment's hold is refunded, see refund).", example);
        Map<String, Object> pending = new LinkedHashMap<>(example);
        pending.put("status", "PENDING");
        pending.remove("operatorRef");
        answer(openApi, path, "202", "Accepted, not settled yet (PENDING, UNKNOWN): the money stays held; ask "
                + "GET /v1/transactions/{id} or wait for the webhook.", pending);
    }

    private static void body(OpenAPI openApi, String path, String schema, List<String> required, Map<String, Object> example) {
        Schema<?> requestSchema = openApi.getComponents().getSchemas().get(schema);
        requestSchema.setRequired(required);
        openApi.getPaths().get(path).getPost().setRequestBody(new RequestBody().required(true)
                .content(new Content().addMediaType(JSON, new MediaType().schema(ref(schema)).example(example))));
    }

    private static void answer(OpenAPI openApi, String path, String status, String description, Map<String, Object> example) {
        answer(openApi, path, status, description, "TransactionView", example);
    }

    private static void answer(OpenAPI openApi, String path, String status, String description, String schema,
                               Map<String, Object> example) {
        PathItem item = openApi.getPaths().get(path);
        Operation operation = item.getPost() != null ? item.getPost() : item.getGet();
        MediaType media = new MediaType().schema(ref(schema));
        if (example != null) {
            media.example(example);
        }
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        operation.getResponses().remove(status);
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType(JSON, media)));
    }

    /** The catalog: every ErrorCode, its HTTP status and meaning, from the enum itself. */
    private static Schema<?> errorCatalog() {
        Schema<String> schema = string();
        List<Map<String, Object>> catalog = new ArrayList<>();
        StringBuilder table = new StringBuilder("The error catalog (ErrorBody.error.code):\n\n| code | HTTP | meaning |\n|---|---|---|\n");
        for (ErrorCode code : ErrorCode.values()) {
            schema.addEnumItemObject(code.name());
            catalog.add(ordered("code", code.name(), "httpStatus", code.httpStatus(), "meaning", code.defaultMessage()));
            table.append("| ").append(code.name()).append(" | ").append(code.httpStatus()).append(" | ")
                    .append(code.defaultMessage()).append(" |\n");
        }
        schema.setDescription(table.toString());
        schema.addExtension("x-error-catalog", catalog);
        return schema;
    }

    private static Schema<?> fields(List<String> required, Object... namesAndSchemas) {
        Schema<Object> schema = object();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            schema.addProperty((String) namesAndSchemas[i], (Schema<?>) namesAndSchemas[i + 1]);
        }
        schema.setAdditionalProperties(false);
        if (!required.isEmpty()) {
            schema.setRequired(required);
        }
        return schema;
    }

    private static Schema<?> array(Schema<?> items) {
        Schema<Object> s = new Schema<>();
        s.setTypes(Set.of("array"));
        s.setType("array");
        s.setItems(items);
        return s;
    }

    private static Schema<?> strings() {
        return array(string());
    }

    private static Schema<Object> integer() {
        Schema<Object> s = new Schema<>();
        s.setTypes(Set.of("integer"));
        s.setType("integer");
        return s;
    }

    private static Schema<Object> bool() {
        Schema<Object> s = new Schema<>();
        s.setTypes(Set.of("boolean"));
        s.setType("boolean");
        return s;
    }

    private static Schema<String> enumOf(Enum<?>[] values) {
        Schema<String> schema = string();
        for (Enum<?> value : values) {
            schema.addEnumItemObject(value.name());
        }
        return schema;
    }

    private static void addSchemas(Components components, Class<?>... types) {
        for (Class<?> type : types) {
            ModelConverters.getInstance(true).readAll(new AnnotatedType(type)).forEach(components::addSchemas);
        }
    }

    private static SecurityScheme header(String name, String description) {
        return new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(name)
                .description(description);
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private static Schema<String> string() {
        Schema<String> s = new Schema<>();
        s.setTypes(Set.of("string"));
        s.setType("string");
        return s;
    }

    private static Schema<Object> object() {
        Schema<Object> s = new Schema<>();
        s.setTypes(Set.of("object"));
        s.setType("object");
        return s;
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
