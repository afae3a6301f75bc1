package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog admin API over HTTP: what it creates and edits is what partners see, at once on this node and,
 * when the database changes under it, after the next refresh; every bad request is refused, naming the field,
 * with nothing written.
 */
class CatalogAdminApiTest extends IntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Ids, provider ids and provider codes no other test (nor the sandbox catalog) uses. */
    private static final AtomicInteger NUMBERS = new AtomicInteger(700_000 + ThreadLocalRandom.current().nextInt(100_000) * 10);

    @Autowired
    private JdbcClient jdbc;

    /** A category and a location in India, made through the API, for the operators of one test. */
    private record Place(String categoryId, String locationId) {
    }

    private Place newPlace() {
        int n = NUMBERS.incrementAndGet();
        Http category = admin().post("/admin/categories", """
                {"id":"test-cat-%d","name":"Test Category %d","group":"Utility","country":"IN","providerId":%d}""".formatted(n, n, n));
        assertThat(category.status()).as(category.body()).isEqualTo(201);
        Http location = admin().post("/admin/locations", """
                {"id":"IN-T%d","name":"Test Location %d","abbreviation":"T%d","country":"IN","providerId":%d}""".formatted(n, n, n, n));
        assertThat(location.status()).as(location.body()).isEqualTo(201);
        return new Place("test-cat-" + n, "IN-T" + n);
    }

    /** A whole operator as the API takes it, every field given: a biller with an account number and a list. */
    private ObjectNode operatorBody(Place place) {
        int n = NUMBERS.incrementAndGet();
        return (ObjectNode) JSON.readTree("""
                {"id":"test-power-%d","name":"Test Power %d","categoryId":"%s","locationId":"%s","kind":"UTILITY",
                 "country":"IN","currency":"INR","fetchOption":"MANDATORY","exactness":"EXACT_AND_ABOVE",
                 "minAmountMinor":100,"maxAmountMinor":5000000,"partialPayment":false,"channels":["INSTANT","HIGH_COMMISSION"],
                 "feeFlatMinor":500,"feeBps":10,"commissionBps":40,"kycRequired":false,"enabled":true,
                 "codes":{"aopayOperator":"T%d","aopayProductId":null,"ekoOperatorId":%d,"appotaServiceCode":null,"appotaTelco":null},
                 "params":[
                   {"name":"utility_acc_no","label":"Consumer Number","type":"Numeric","regex":"^[0-9]{10}$",
                    "errorMessage":"Consumer number is 10 digits","required":true,"account":true,"values":[]},
                   {"name":"district","label":"District","type":"List","regex":null,"errorMessage":"Pick a district",
                    "required":false,"account":false,"values":["North","South"]}]}"""
                .formatted(n, n, place.categoryId(), place.locationId(), n, n));
    }

    private ObjectNode createOperator(Place place) {
        ObjectNode body = operatorBody(place);
        Http created = admin().post("/admin/operators", body.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return body;
    }

    private Http patch(String operatorId, String body) {
        return admin().send("PATCH", "/admin/operators/" + operatorId, body);
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").stringValue()).toList();
    }

    @Test
    void anOperatorBuiltThroughTheApiIsWhatPartnersSee() {
        Place place = newPlace();
        assertThat(ids(admin().get("/admin/categories").json().get("categories"))).contains(place.categoryId(), "electricity");
        assertThat(ids(admin().get("/admin/locations").json().get("locations"))).contains(place.locationId(), "IN-DL");

        ObjectNode sent = operatorBody(place);
        String id = sent.get("id").stringValue();
        Http created = admin().post("/admin/operators", sent.toString());
        assertThat(created.status()).isEqualTo(201);
        ObjectNode expected = sent.deepCopy().put("connector", (String) null);
        assertThat(created.json()).isEqualTo(expected);
        assertThat(admin().get("/admin/operators/" + id).json()).isEqualTo(expected);

        NativeClient partner = newPartner(0);
        assertThat(ids(partner.get("/v1/categories").json().get("categories"))).contains(place.categoryId());
        Http listed = partner.get("/v1/operators?category=" + place.categoryId() + "&location=" + place.locationId());
        assertThat(ids(listed.json().get("operators"))).containsExactly(id);
        JsonNode detail = partner.get("/v1/operators/" + id).json();
        assertThat(detail.get("operator").get("exactness").stringValue()).isEqualTo("EXACT_AND_ABOVE");
        assertThat(detail.get("operator").get("maxAmountMinor").longValue()).isEqualTo(5_000_000);
        assertThat(detail.get("params").get(0).get("regex").stringValue()).isEqualTo("^[0-9]{10}$");
        assertThat(detail.get("params").get(1).get("values").toString()).isEqualTo("[\"North\",\"South\"]");
        assertThat(detail.get("fee").get("flatMinor").longValue()).isEqualTo(500);
        assertThat(detail.get("providerCodes").get("ekoOperatorId").intValue()).isEqualTo(sent.get("codes").get("ekoOperatorId").intValue());

        Http plan = admin().post("/admin/operators/" + id + "/plans",
                "{\"code\":\"TP500\",\"locationId\":\"" + place.locationId() + "\",\"amountMinor\":50000,\"description\":\"Prepaid units\"}");
        assertThat(plan.status()).as(plan.body()).isEqualTo(201);
        JsonNode plans = partner.get("/v1/operators/" + id).json().get("plans");
        assertThat(plans.get(0).get("code").stringValue()).isEqualTo("TP500");
        assertThat(plans.get(0).get("amount").stringValue()).isEqualTo("500.00");
    }

    @Test
    void aPatchChangesLimitsAndParametersAndPaymentsAreCheckedAgainstThem() {
        ObjectNode sent = createOperator(newPlace());
        String id = sent.get("id").stringValue();
        int productId = NUMBERS.incrementAndGet();

        Http patched = patch(id, """
                {"minAmountMinor":1000,"maxAmountMinor":200000,"codes":{"aopayProductId":%d},
                 "params":[{"name":"consumer_no","label":"Consumer No","type":"AlphaNumeric","regex":"^[A-Z]{2}[0-9]{6}$",
                            "errorMessage":"Two capital letters and six digits","account":true}]}""".formatted(productId));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        JsonNode now = patched.json();
        assertThat(now.get("minAmountMinor").longValue()).isEqualTo(1000);
        assertThat(now.get("maxAmountMinor").longValue()).isEqualTo(200_000);
        assertThat(now.get("name")).isEqualTo(sent.get("name"));
        assertThat(now.get("codes").get("ekoOperatorId")).as("codes merge key by key").isEqualTo(sent.get("codes").get("ekoOperatorId"));
        assertThat(now.get("codes").get("aopayProductId").intValue()).isEqualTo(productId);
        assertThat(now.get("params")).hasSize(1);
        assertThat(now.get("params").get(0).get("required").booleanValue()).as("a parameter is required unless it says not").isTrue();
        assertThat(admin().get("/admin/operators/" + id).json()).isEqualTo(now);

        NativeClient partner = newPartner(100_000);
        JsonNode detail = partner.get("/v1/operators/" + id).json();
        assertThat(detail.get("operator").get("minAmountMinor").longValue()).isEqualTo(1000);
        assertThat(detail.get("params").get(0).get("name").stringValue()).isEqualTo("consumer_no");
        Http oldAccount = partner.post("/v1/bills/fetch", "{\"operatorId\":\"" + id + "\",\"accountNumber\":\"1234567890\"}", null);
        assertThat(oldAccount.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(oldAccount.json().get("error").get("fields").get("consumer_no").stringValue())
                .isEqualTo("Two capital letters and six digits");
        Http tooMuch = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + id
                + "\",\"accountNumber\":\"AB123456\",\"amountMinor\":300000,\"currency\":\"INR\"}", "catalog-patch-1");
        assertThat(tooMuch.errorCode()).isEqualTo("AMOUNT_OUT_OF_RANGE");
        assertThat(partner.availableInr()).isEqualTo(100_000);

        Http disabled = patch(id, "{\"locationId\":null,\"enabled\":false}");
        assertThat(disabled.json().get("locationId").isNull()).isTrue();
        assertThat(disabled.json().get("enabled").booleanValue()).isFalse();
        assertThat(partner.post("/v1/bills/fetch", "{\"operatorId\":\"" + id + "\",\"accountNumber\":\"AB123456\"}", null)
                .errorCode()).isEqualTo("OPERATOR_DISABLED");
    }

    @Test
    void patchingASandboxOperatorKeepsEverythingItDoesNotName() {
        JsonNode before = admin().get("/admin/operators/mseb").json();
        assertThat(before.get("connector").stringValue()).isEqualTo("sandbox");
        Http patched = patch("mseb", "{\"name\":\"" + before.get("name").stringValue() + "\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json()).isEqualTo(before);
    }

    /** One bad operator: how it is made from a good one, and the status, code and field it is refused with. */
    private record Bad(String what, Consumer<ObjectNode> change, int status, String code, String field) {
    }

    @Test
    void everyBadOperatorIsRefusedNamingTheFieldAndNothingIsWritten() {
        Place place = newPlace();
        List<Bad> cases = List.of(
                new Bad("unknown category", o -> o.put("categoryId", "no-such-category"), 400, "INVALID_REQUEST", "categoryId"),
                new Bad("unknown location", o -> o.put("locationId", "IN-NOWHERE"), 400, "INVALID_REQUEST", "locationId"),
                new Bad("category of another country", o -> o.put("country", "VN").put("currency", "VND").remove("locationId"),
                        400, "INVALID_REQUEST", "categoryId"),
                new Bad("min above max", o -> o.put("minAmountMinor", 6_000_000), 400, "INVALID_REQUEST", "maxAmountMinor"),
                new Bad("zero minimum", o -> o.put("minAmountMinor", 0), 400, "INVALID_REQUEST", "minAmountMinor"),
                new Bad("amount as text", o -> o.put("minAmountMinor", "100"), 400, "INVALID_REQUEST", "minAmountMinor"),
                new Bad("bad kind", o -> o.put("kind", "PREPAYED"), 400, "INVALID_REQUEST", "kind"),
                new Bad("lowercase exactness", o -> o.put("exactness", "exact"), 400, "INVALID_REQUEST", "exactness"),
                new Bad("bad fetch option", o -> o.put("fetchOption", "ALWAYS"), 400, "INVALID_REQUEST", "fetchOption"),
                new Bad("bad channel", o -> o.set("channels", JSON.createArrayNode().add("INSTANT").add("PIGEON")),
                        400, "INVALID_REQUEST", "channels"),
                new Bad("no channel", o -> o.set("channels", JSON.createArrayNode()), 400, "INVALID_REQUEST", "channels"),
                new Bad("unknown currency", o -> o.put("currency", "USD"), 400, "INVALID_REQUEST", "currency"),
                new Bad("fee above 100%", o -> o.put("feeBps", 20_000), 400, "INVALID_REQUEST", "feeBps"),
                new Bad("bad country", o -> o.put("country", "India"), 400, "INVALID_REQUEST", "country"),
                new Bad("bad id", o -> o.put("id", "bad id!"), 400, "INVALID_REQUEST", "id"),
                new Bad("no name", o -> o.remove("name"), 400, "INVALID_REQUEST", "name"),
                new Bad("unknown field", o -> o.put("colour", "red"), 400, "INVALID_REQUEST", "colour"),
                new Bad("a connector", o -> o.put("connector", "sandbox"), 400, "INVALID_REQUEST", "connector"),
                new Bad("bad regex", o -> param(o, 0).put("regex", "^[0-9{10$"), 400, "INVALID_REQUEST", "params[0].regex"),
                new Bad("no account parameter", o -> param(o, 0).put("account", false), 400, "INVALID_REQUEST", "params"),
                new Bad("two account parameters", o -> param(o, 1).put("account", true).put("required", true),
                        400, "INVALID_REQUEST", "params"),
                new Bad("no parameters", o -> o.set("params", JSON.createArrayNode()), 400, "INVALID_REQUEST", "params"),
                new Bad("a list without values", o -> param(o, 1).set("values", JSON.createArrayNode()),
                        400, "INVALID_REQUEST", "params[1].values"),
                new Bad("a regex without its message", o -> param(o, 0).remove("errorMessage"),
                        400, "INVALID_REQUEST", "params[0].errorMessage"),
                new Bad("two parameters of one name", o -> param(o, 1).put("name", "utility_acc_no"),
                        400, "INVALID_REQUEST", "params[1].name"),
                new Bad("bad parameter type", o -> param(o, 0).put("type", "Number"), 400, "INVALID_REQUEST", "params[0].type"),
                new Bad("an uppercase AppotaPay telco", o -> codes(o).put("appotaTelco", "Viettel2"),
                        400, "INVALID_REQUEST", "codes.appotaTelco"),
                new Bad("an unknown code", o -> codes(o).put("bbpsId", "X"), 400, "INVALID_REQUEST", "codes.bbpsId"),
                new Bad("BSES Rajdhani's Eko id", o -> codes(o).put("ekoOperatorId", 22), 409, "CATALOG_CONFLICT", "codes.ekoOperatorId"),
                new Bad("Airtel Postpaid's AOPay code", o -> codes(o).put("aopayOperator", "11"),
                        409, "CATALOG_CONFLICT", "codes.aopayOperator"),
                new Bad("Airtel Prepaid's AOPay product", o -> codes(o).put("aopayProductId", 518),
                        409, "CATALOG_CONFLICT", "codes.aopayProductId"),
                new Bad("Viettel's AppotaPay telco", o -> codes(o).put("appotaTelco", "viettel"),
                        409, "CATALOG_CONFLICT", "codes.appotaTelco"));
        List<String> refusedIds = new ArrayList<>();
        for (Bad bad : cases) {
            ObjectNode body = operatorBody(place);
            bad.change().accept(body);
            Http refused = admin().post("/admin/operators", body.toString());
            assertThat(refused.status()).as(bad.what() + ": " + refused.body()).isEqualTo(bad.status());
            assertThat(refused.errorCode()).as(bad.what()).isEqualTo(bad.code());
            assertThat(refused.json().get("error").get("fields").has(bad.field())).as(bad.what() + ": " + refused.body()).isTrue();
            assertThat(refused.json().get("error").get("fields").get(bad.field()).stringValue()).as(bad.what()).isNotBlank();
            if (body.has("id") && body.get("id").stringValue().startsWith("test-power-")) {
                refusedIds.add(body.get("id").stringValue());
            }
        }
        assertThat(refusedIds).hasSizeGreaterThan(cases.size() - 2);
        for (String id : refusedIds) {
            assertThat(admin().get("/admin/operators/" + id).errorCode()).as(id).isEqualTo("UNKNOWN_OPERATOR");
        }
        assertThat(admin().post("/admin/operators", "{\"id\":").errorCode()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void anIdTakenIsAConflictAndTheOperatorHoldingItIsUntouched() {
        JsonNode airtel = admin().get("/admin/operators/airtel-prepaid").json();
        ObjectNode body = operatorBody(newPlace()).put("id", "airtel-prepaid").put("name", "Not Airtel");
        Http refused = admin().post("/admin/operators", body.toString());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("CATALOG_CONFLICT");
        assertThat(refused.json().get("error").get("fields").get("id").stringValue()).isEqualTo("is already taken");
        assertThat(admin().get("/admin/operators/airtel-prepaid").json()).isEqualTo(airtel);
    }

    @Test
    void badPatchesAreRefusedAndTheOperatorIsUnchanged() {
        String id = createOperator(newPlace()).get("id").stringValue();
        JsonNode stored = admin().get("/admin/operators/" + id).json();
        record BadPatch(String body, int status, String code, String field) {
        }
        List<BadPatch> cases = List.of(
                new BadPatch("{\"minAmountMinor\":9000000}", 400, "INVALID_REQUEST", "maxAmountMinor"),
                new BadPatch("{\"id\":\"renamed\"}", 400, "INVALID_REQUEST", "id"),
                new BadPatch("{\"name\":null}", 400, "INVALID_REQUEST", "name"),
                new BadPatch("{\"connector\":\"sandbox\"}", 400, "INVALID_REQUEST", "connector"),
                new BadPatch("{\"params\":[{\"name\":\"n\",\"label\":\"N\",\"type\":\"Numeric\"}]}", 400, "INVALID_REQUEST", "params"),
                new BadPatch("{\"codes\":{\"ekoOperatorId\":22}}", 409, "CATALOG_CONFLICT", "codes.ekoOperatorId"));
        for (BadPatch bad : cases) {
            Http refused = patch(id, bad.body());
            assertThat(refused.status()).as(bad.body() + ": " + refused.body()).isEqualTo(bad.status());
            assertThat(refused.errorCode()).as(bad.body()).isEqualTo(bad.code());
            assertThat(refused.json().get("error").get("fields").has(bad.field())).as(bad.body() + ": " + refused.body()).isTrue();
        }
        assertThat(patch(id, "[1]").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(admin().get("/admin/operators/" + id).json()).isEqualTo(stored);
        assertThat(patch("no-such-operator", "{\"enabled\":false}").errorCode()).isEqualTo("UNKNOWN_OPERATOR");
        assertThat(admin().get("/admin/operators/no-such-operator").status()).isEqualTo(404);
    }

    @Test
    void badCategoriesLocationsAndPlansAreRefused() {
        int n = NUMBERS.incrementAndGet();
        Http takenProviderId = admin().post("/admin/categories",
                "{\"id\":\"test-cat-%d\",\"name\":\"X\",\"group\":\"Utility\",\"country\":\"IN\",\"providerId\":8}".formatted(n));
        assertThat(takenProviderId.status()).isEqualTo(409);
        assertThat(takenProviderId.json().get("error").get("fields").has("providerId")).isTrue();
        Http takenId = admin().post("/admin/categories",
                "{\"id\":\"electricity\",\"name\":\"X\",\"group\":\"Utility\",\"country\":\"IN\",\"providerId\":%d}".formatted(n));
        assertThat(takenId.errorCode()).isEqualTo("CATALOG_CONFLICT");
        assertThat(takenId.json().get("error").get("fields").has("id")).isTrue();
        Http badCategory = admin().post("/admin/categories", "{\"id\":\"test-cat-%d\",\"name\":\"X\",\"country\":\"India\",\"providerId\":\"9\"}".formatted(n));
        assertThat(badCategory.status()).isEqualTo(400);
        assertThat(badCategory.json().get("error").get("fields").propertyNames()).contains("group", "providerId");
        Http badCountry = admin().post("/admin/categories",
                "{\"id\":\"test-cat-%d\",\"name\":\"X\",\"group\":\"Utility\",\"country\":\"India\",\"providerId\":%d}".formatted(n, n));
        assertThat(badCountry.json().get("error").get("fields").has("country")).isTrue();
        assertThat(ids(admin().get("/admin/categories").json().get("categories"))).doesNotContain("test-cat-" + n);
        Http takenLocation = admin().post("/admin/locations",
                "{\"id\":\"IN-T%d\",\"name\":\"X\",\"abbreviation\":\"X\",\"country\":\"IN\",\"providerId\":1}".formatted(n));
        assertThat(takenLocation.errorCode()).isEqualTo("CATALOG_CONFLICT");
        assertThat(ids(admin().get("/admin/locations").json().get("locations"))).doesNotContain("IN-T" + n);

        String id = createOperator(newPlace()).get("id").stringValue();
        String plans = "/admin/operators/" + id + "/plans";
        assertThat(admin().post(plans, "{\"code\":\"P1\",\"amountMinor\":50,\"description\":\"Below the minimum\"}")
                .json().get("error").get("fields").has("amountMinor")).isTrue();
        assertThat(admin().post(plans, "{\"code\":\"P1\",\"locationId\":\"IN-NOWHERE\",\"amountMinor\":5000,\"description\":\"x\"}")
                .json().get("error").get("fields").has("locationId")).isTrue();
        assertThat(admin().post(plans, "{\"code\":\"P1\",\"amountMinor\":5000,\"description\":\"x\"}").status()).isEqualTo(201);
        Http again = admin().post(plans, "{\"code\":\"P1\",\"amountMinor\":6000,\"description\":\"y\"}");
        assertThat(again.errorCode()).isEqualTo("CATALOG_CONFLICT");
        assertThat(again.json().get("error").get("fields").has("code")).isTrue();
        assertThat(admin().post("/admin/operators/no-such-operator/plans", "{\"code\":\"P1\",\"amountMinor\":5000,\"description\":\"x\"}")
                .errorCode()).isEqualTo("UNKNOWN_OPERATOR");
        JsonNode stored = newPartner(0).get("/v1/operators/" + id).json().get("plans");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("amountMinor").longValue()).isEqualTo(5000);
    }

    @Test
    void aChangeMadeInTheDatabaseByAnotherNodeIsSeenAfterTheNextRefresh() {
        String id = createOperator(newPlace()).get("id").stringValue();
        NativeClient partner = newPartner(0);
        assertThat(partner.get("/v1/operators/" + id).json().get("operator").get("maxAmountMinor").longValue()).isEqualTo(5_000_000);

        jdbc.sql("update operators set max_amount_minor = 4321000, name = 'Renamed elsewhere' where id = :id").param("id", id).update();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode operator = partner.get("/v1/operators/" + id).json().get("operator");
            assertThat(operator.get("maxAmountMinor").longValue()).isEqualTo(4_321_000);
            assertThat(operator.get("name").stringValue()).isEqualTo("Renamed elsewhere");
        });
    }

    private static ObjectNode param(ObjectNode operator, int index) {
        return (ObjectNode) ((ArrayNode) operator.get("params")).get(index);
    }

    private static ObjectNode codes(ObjectNode operator) {
        return (ObjectNode) operator.get("codes");
    }
}
