package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.AdminClient;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Managing the catalog over HTTP beyond creating it: categories and locations edited and disabled (their operators
 * hidden from partners and refused, then back when enabled), operators listed and disabled, plans edited and
 * removed; every change audited, and refused for a READ_ONLY identity.
 */
class CatalogManagementTest extends IntegrationTest {
    private static final AtomicInteger NUMBERS = new AtomicInteger(500_000 + ThreadLocalRandom.current().nextInt(100_000) * 10);

    @Autowired
    private JdbcClient jdbc;

    /** A category, a location and an operator in them, routed to the sandbox connector: payable at once. */
    record Made(String category, String location, String operator) {
    }

    static Made makeOperator(AdminClient admin, AtomicInteger numbers) {
        int n = numbers.incrementAndGet();
        String category = "mgmt-cat-" + n;
        String location = "IN-M" + n;
        String operator = "mgmt-op-" + n;
        assertThat(admin.post("/admin/categories", """
                {"id":"%s","name":"Mgmt %d","group":"Utility","country":"IN","providerId":%d}""".formatted(category, n, n))
                .status()).isEqualTo(201);
        assertThat(admin.post("/admin/locations", """
                {"id":"%s","name":"Mgmt Location %d","abbreviation":"M%d","country":"IN","providerId":%d}"""
                .formatted(location, n, n, n)).status()).isEqualTo(201);
        Http created = admin.post("/admin/operators", """
                {"id":"%s","name":"Mgmt Operator %d","categoryId":"%s","locationId":"%s","kind":"UTILITY","country":"IN",
                 "currency":"INR","fetchOption":"OPTIONAL","exactness":"ADHOC","minAmountMinor":100,"maxAmountMinor":100000,
                 "params":[{"name":"utility_acc_no","label":"Consumer Number","type":"Numeric","regex":"^[0-9]{10}$",
                            "errorMessage":"Consumer number is 10 digits","account":true}]}"""
                .formatted(operator, n, category, location));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http routed = admin.send("PUT", "/admin/operators/" + operator + "/routes",
                "[{\"connector\":\"sandbox\",\"upstreamCode\":\"" + operator + "\",\"priority\":1}]");
        assertThat(routed.status()).as(routed.body()).isEqualTo(200);
        return new Made(category, location, operator);
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").stringValue()).toList();
    }

    private static Http pay(NativeClient partner, String operator) {
        return partner.post("/v1/bills/pay", "{\"operatorId\":\"" + operator
                + "\",\"accountNumber\":\"1234567890\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
    }

    private AdminClient identity(String role) {
        String name = "cat-" + role.toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http created = admin().post("/admin/identities", "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role));
        assertThat(created.status()).isEqualTo(201);
        return new AdminClient("http://localhost:" + port, created.text("token"));
    }

    @Test
    void aDisabledCategoryHidesAndRefusesItsOperatorsUntilItIsEnabledAgain() {
        Made made = makeOperator(admin(), NUMBERS);
        NativeClient partner = newPartner(1_000_000);
        assertThat(pay(partner, made.operator()).status()).isEqualTo(200);

        Http renamed = admin().send("PATCH", "/admin/categories/" + made.category(), "{\"name\":\"Renamed\",\"enabled\":false}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("name").stringValue()).isEqualTo("Renamed");
        assertThat(renamed.json().get("enabled").booleanValue()).isFalse();
        assertThat(admin().get("/admin/categories/" + made.category()).json()).isEqualTo(renamed.json());

        assertThat(ids(partner.get("/v1/categories").json().get("categories"))).doesNotContain(made.category());
        assertThat(ids(partner.get("/v1/operators?location=" + made.location()).json().get("operators"))).isEmpty();
        Http refused = pay(partner, made.operator());
        assertThat(refused.errorCode()).as(refused.body()).isEqualTo("OPERATOR_DISABLED");
        // the operator itself is unchanged and still listed for the back office
        assertThat(admin().get("/admin/operators/" + made.operator()).json().get("enabled").booleanValue()).isTrue();
        assertThat(ids(admin().get("/admin/operators?category=" + made.category()).json().get("operators")))
                .containsExactly(made.operator());

        assertThat(admin().send("PATCH", "/admin/categories/" + made.category(), "{\"enabled\":true}").status()).isEqualTo(200);
        assertThat(ids(partner.get("/v1/categories").json().get("categories"))).contains(made.category());
        assertThat(ids(partner.get("/v1/operators?location=" + made.location()).json().get("operators")))
                .containsExactly(made.operator());
        assertThat(pay(partner, made.operator()).status()).isEqualTo(200);

        JsonNode audit = admin().get("/admin/audit?target=category:" + made.category()).json();
        assertThat(audit.toString()).contains("catalog.category.change", "Renamed");
    }

    @Test
    void aDisabledLocationOrOperatorIsHiddenAndRefused() {
        Made made = makeOperator(admin(), NUMBERS);
        NativeClient partner = newPartner(1_000_000);

        assertThat(admin().send("PATCH", "/admin/locations/" + made.location(), "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(ids(partner.get("/v1/operators?category=" + made.category()).json().get("operators"))).isEmpty();
        assertThat(pay(partner, made.operator()).errorCode()).isEqualTo("OPERATOR_DISABLED");
        assertThat(admin().send("PATCH", "/admin/locations/" + made.location(), "{\"enabled\":true}").status()).isEqualTo(200);

        assertThat(admin().send("PATCH", "/admin/operators/" + made.operator(), "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(ids(partner.get("/v1/operators?category=" + made.category()).json().get("operators"))).isEmpty();
        assertThat(pay(partner, made.operator()).errorCode()).isEqualTo("OPERATOR_DISABLED");
        assertThat(ids(admin().get("/admin/operators?enabled=false&q=" + made.operator().toUpperCase()).json().get("operators")))
                .containsExactly(made.operator());
        assertThat(admin().send("PATCH", "/admin/operators/" + made.operator(), "{\"enabled\":true}").status()).isEqualTo(200);
        assertThat(pay(partner, made.operator()).status()).isEqualTo(200);
    }

    @Test
    void badCategoryAndLocationEditsAreRefusedNamingTheField() {
        Made made = makeOperator(admin(), NUMBERS);
        Http country = admin().send("PATCH", "/admin/categories/" + made.category(), "{\"country\":\"VN\"}");
        assertThat(country.status()).isEqualTo(400);
        assertThat(country.json().get("error").get("fields").get("country").stringValue())
                .isEqualTo("cannot change while operators are in this category");
        Http id = admin().send("PATCH", "/admin/locations/" + made.location(), "{\"id\":\"IN-OTHER\",\"enabled\":\"no\"}");
        assertThat(id.status()).isEqualTo(400);
        assertThat(id.json().get("error").get("fields").get("enabled").stringValue()).isEqualTo("must be true or false");
        Http taken = admin().send("PATCH", "/admin/categories/" + made.category(), "{\"providerId\":8}");
        assertThat(taken.status()).as(taken.body()).isEqualTo(409);
        assertThat(taken.errorCode()).isEqualTo("CATALOG_CONFLICT");
        assertThat(taken.json().get("error").get("fields").has("providerId")).isTrue();
        assertThat(admin().get("/admin/categories/no-such-category").status()).isEqualTo(404);
        assertThat(admin().send("PATCH", "/admin/locations/no-such-location", "{\"enabled\":false}").status()).isEqualTo(404);
        assertThat(admin().get("/admin/categories/" + made.category()).json().get("providerId").intValue())
                .isNotEqualTo(8);
    }

    @Test
    void plansAreEditedAndRemoved() {
        Made made = makeOperator(admin(), NUMBERS);
        String plans = "/admin/operators/" + made.operator() + "/plans";
        assertThat(admin().post(plans, "{\"code\":\"P100\",\"amountMinor\":10000,\"description\":\"Hundred\"}").status())
                .isEqualTo(201);
        Http edited = admin().send("PATCH", plans + "/P100", "{\"amountMinor\":20000,\"validity\":\"30 days\"}");
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("amountMinor").longValue()).isEqualTo(20000);
        assertThat(edited.json().get("description").stringValue()).isEqualTo("Hundred");
        Http tooBig = admin().send("PATCH", plans + "/P100", "{\"amountMinor\":999999999}");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("error").get("fields").get("amountMinor").stringValue()).contains("within the operator's limits");
        assertThat(admin().get(plans).json().get("plans").get(0).get("amountMinor").longValue()).isEqualTo(20000);

        NativeClient partner = newPartner(0);
        assertThat(partner.get("/v1/operators/" + made.operator()).json().get("plans").get(0).get("amount").stringValue())
                .isEqualTo("200.00");
        assertThat(admin().send("DELETE", plans + "/P100", null).status()).isEqualTo(204);
        assertThat(admin().get(plans).json().get("plans")).isEmpty();
        assertThat(partner.get("/v1/operators/" + made.operator()).json().get("plans")).isEmpty();
        assertThat(admin().send("DELETE", plans + "/P100", null).status()).isEqualTo(404);
        assertThat(admin().get("/admin/audit?target=operator:" + made.operator()).json().toString())
                .contains("catalog.plan.change", "catalog.plan.delete");
    }

    @Test
    void aViewerIsRefusedEveryCatalogChangeAndOperationsMayMakeThem() {
        Made made = makeOperator(admin(), NUMBERS);
        AdminClient viewer = identity("READ_ONLY");
        assertThat(viewer.get("/admin/operators/" + made.operator()).status()).isEqualTo(200);
        assertThat(viewer.get("/admin/catalog/export").status()).isEqualTo(200);
        for (Http refused : List.of(
                viewer.send("PATCH", "/admin/categories/" + made.category(), "{\"enabled\":false}"),
                viewer.send("PATCH", "/admin/locations/" + made.location(), "{\"enabled\":false}"),
                viewer.send("PATCH", "/admin/operators/" + made.operator(), "{\"enabled\":false}"),
                viewer.send("DELETE", "/admin/operators/" + made.operator() + "/plans/X", null),
                viewer.post("/admin/catalog/import?dryRun=true", "{}"),
                viewer.post("/admin/connectors/eko-x/catalog-import?dryRun=true", "{}"))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("ADMIN_FORBIDDEN");
        }
        assertThat(admin().get("/admin/categories/" + made.category()).json().get("enabled").booleanValue()).isTrue();
        AdminClient operations = identity("OPERATIONS");
        assertThat(operations.send("PATCH", "/admin/categories/" + made.category(), "{\"name\":\"By operations\"}").status())
                .isEqualTo(200);
    }
}
