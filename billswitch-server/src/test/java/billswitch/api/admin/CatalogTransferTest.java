package billswitch.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole catalog as one file, over HTTP: the export imported again changes nothing; an edited file is previewed
 * (a diff, nothing written) and then applied in one transaction, its new operator payable at once and the operator
 * it no longer lists disabled; a bad file is refused naming the place of each problem, with nothing written.
 */
class CatalogTransferTest extends IntegrationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NUMBERS = new AtomicInteger(600_000 + ThreadLocalRandom.current().nextInt(100_000) * 10);

    @Autowired
    private JdbcClient jdbc;

    private long catalogVersion() {
        return jdbc.sql("select version from catalog_version").query(Long.class).single();
    }

    private long routingVersion() {
        return jdbc.sql("select version from routing_version").query(Long.class).single();
    }

    private ObjectNode export() {
        Http export = admin().get("/admin/catalog/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Disposition")).contains("catalog.json");
        return (ObjectNode) export.json();
    }

    private static ObjectNode operator(JsonNode file, String id) {
        for (JsonNode o : file.get("operators")) {
            if (o.get("id").stringValue().equals(id)) {
                return (ObjectNode) o;
            }
        }
        throw new AssertionError("no operator " + id + " in the file");
    }

    @Test
    void importingTheExportChangesNothing() {
        CatalogManagementTest.makeOperator(admin(), NUMBERS);
        ObjectNode file = export();
        assertThat(file.get("format").stringValue()).isEqualTo("billswitch-catalog/1");
        assertThat(operator(file, "mseb").get("params").size()).isPositive();
        long catalog = catalogVersion();
        long routing = routingVersion();

        Http imported = admin().post("/admin/catalog/import", file.toString());
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode diff = imported.json();
        assertThat(diff.get("applied").booleanValue()).isFalse();
        for (String kind : new String[] {"categories", "locations", "operators"}) {
            assertThat(diff.get(kind).get("created")).as(kind).isEmpty();
            assertThat(diff.get(kind).get("changed")).as(kind).isEmpty();
            assertThat(diff.get(kind).get("disabled")).as(kind).isEmpty();
            assertThat(diff.get(kind).get("unchanged").intValue()).isEqualTo(file.get(kind).size());
        }
        assertThat(catalogVersion()).isEqualTo(catalog);
        assertThat(routingVersion()).isEqualTo(routing);
        assertThat(export()).isEqualTo(file);
    }

    @Test
    void anEditedFileIsPreviewedThenAppliedInOneGo() {
        CatalogManagementTest.Made kept = CatalogManagementTest.makeOperator(admin(), NUMBERS);
        CatalogManagementTest.Made dropped = CatalogManagementTest.makeOperator(admin(), NUMBERS);
        ObjectNode file = export();
        int n = NUMBERS.incrementAndGet();
        String category = "imported-cat-" + n;
        String created = "imported-op-" + n;
        ((ArrayNode) file.get("categories")).add(JSON.readTree("""
                {"id":"%s","name":"Imported","group":"Utility","country":"IN","providerId":%d,"enabled":true}"""
                .formatted(category, n)));
        operator(file, kept.operator()).put("maxAmountMinor", 90_000).put("commissionBps", 25);
        ObjectNode copy = operator(file, kept.operator()).deepCopy();
        copy.put("id", created).put("name", "Imported Operator").put("categoryId", category);
        ((ArrayNode) copy.get("params")).removeAll().add(JSON.readTree("""
                {"name":"utility_acc_no","label":"Customer ID","type":"AlphaNumeric","regex":"^CU[0-9]{6}$",
                 "errorMessage":"CU and six digits","required":true,"account":true,"values":[]}"""));
        ((ArrayNode) copy.get("plans")).add(JSON.readTree("""
                {"code":"IMP50","locationId":null,"amountMinor":5000,"description":"Fifty","validity":null}"""));
        ((ArrayNode) copy.get("routes")).removeAll().add(JSON.readTree("""
                {"connector":"sandbox","upstreamCode":"%s","priority":1,"weight":1,"cost":null}""".formatted(created)));
        ((ArrayNode) file.get("operators")).add(copy);
        ArrayNode operators = (ArrayNode) file.get("operators");
        for (int i = 0; i < operators.size(); i++) {
            if (operators.get(i).get("id").stringValue().equals(dropped.operator())) {
                operators.remove(i);
                break;
            }
        }
        long catalog = catalogVersion();

        Http preview = admin().post("/admin/catalog/import?dryRun=true", file.toString());
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        JsonNode diff = preview.json();
        assertThat(diff.get("dryRun").booleanValue()).isTrue();
        assertThat(diff.get("applied").booleanValue()).isFalse();
        assertThat(diff.get("categories").get("created").toString()).isEqualTo("[\"" + category + "\"]");
        assertThat(diff.get("operators").get("created").toString()).isEqualTo("[\"" + created + "\"]");
        assertThat(diff.get("operators").get("changed")).hasSize(1);
        assertThat(diff.get("operators").get("changed").get(0).get("id").stringValue()).isEqualTo(kept.operator());
        assertThat(diff.get("operators").get("changed").get(0).get("fields").toString())
                .isEqualTo("[\"maxAmountMinor\",\"commissionBps\"]");
        assertThat(diff.get("operators").get("changed").get(0).get("before").toString())
                .isEqualTo("{\"maxAmountMinor\":100000,\"commissionBps\":0}");
        assertThat(diff.get("operators").get("changed").get(0).get("after").toString())
                .isEqualTo("{\"maxAmountMinor\":90000,\"commissionBps\":25}");
        assertThat(diff.get("operators").get("disabled").toString()).isEqualTo("[\"" + dropped.operator() + "\"]");
        assertThat(catalogVersion()).as("a preview writes nothing").isEqualTo(catalog);
        assertThat(admin().get("/admin/operators/" + created).status()).isEqualTo(404);

        Http applied = admin().post("/admin/catalog/import", file.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().get("applied").booleanValue()).isTrue();
        assertThat(applied.json().get("operators")).isEqualTo(diff.get("operators"));
        assertThat(admin().get("/admin/operators/" + kept.operator()).json().get("maxAmountMinor").longValue()).isEqualTo(90_000);
        assertThat(admin().get("/admin/operators/" + dropped.operator()).json().get("enabled").booleanValue()).isFalse();
        assertThat(admin().get("/admin/operators/" + created + "/routes").json().get(0).get("connector").stringValue())
                .isEqualTo("sandbox");

        NativeClient partner = newPartner(1_000_000);
        Http bad = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + created
                + "\",\"accountNumber\":\"1234567890\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
        assertThat(bad.errorCode()).isEqualTo("INVALID_PARAMETER");
        Http paid = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + created
                + "\",\"accountNumber\":\"CU123456\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        Http refused = partner.post("/v1/bills/pay", "{\"operatorId\":\"" + dropped.operator()
                + "\",\"accountNumber\":\"1234567890\",\"amountMinor\":5000,\"currency\":\"INR\"}", UUID.randomUUID().toString());
        assertThat(refused.errorCode()).isEqualTo("OPERATOR_DISABLED");
        JsonNode entry = admin().get("/admin/audit?action=catalog.import").json().get("entries").get(0);
        assertThat(entry.get("after").toString()).contains(created);
        assertThat(entry.get("before").get("operators").get(kept.operator()).get("maxAmountMinor").longValue())
                .as("the audit keeps the old limit").isEqualTo(100000);

        Http again = admin().post("/admin/catalog/import", file.toString());
        assertThat(again.json().get("applied").booleanValue()).as("the same file twice: nothing more").isFalse();
        assertThat(again.json().get("operators").get("changed")).isEmpty();
    }

    /** An operator entry without "plans" or "routes" keeps the stored ones, even with the missing disabled; [] clears them. */
    @Test
    void anOperatorWithoutPlansOrRoutesKeepsItsOwn() {
        CatalogManagementTest.Made made = CatalogManagementTest.makeOperator(admin(), NUMBERS);
        String plans = "/admin/operators/" + made.operator() + "/plans";
        assertThat(admin().post(plans, "{\"code\":\"KEEP100\",\"amountMinor\":10000,\"description\":\"Hundred\"}").status()).isEqualTo(201);
        ObjectNode file = export();
        ObjectNode entry = operator(file, made.operator());
        entry.remove("plans");
        entry.remove("routes");
        entry.put("name", "Renamed without plans or routes");

        Http imported = admin().post("/admin/catalog/import", file.toString());
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().get("operators").get("changed").get(0).get("fields").toString()).isEqualTo("[\"name\"]");
        assertThat(admin().get("/admin/operators/" + made.operator()).json().get("name").stringValue()).startsWith("Renamed");
        assertThat(admin().get(plans).json().get("plans")).as("no \"plans\" key: the plans stay").hasSize(1);
        assertThat(admin().get("/admin/operators/" + made.operator() + "/routes").json()).as("no \"routes\" key").hasSize(1);

        entry.putArray("plans");
        entry.putArray("routes");
        Http cleared = admin().post("/admin/catalog/import", file.toString());
        assertThat(cleared.json().get("operators").get("changed").get(0).get("fields").toString())
                .isEqualTo("[\"plans\",\"routes\"]");
        assertThat(admin().get(plans).json().get("plans")).as("an empty array: none").isEmpty();
        assertThat(admin().get("/admin/operators/" + made.operator() + "/routes").json()).isEmpty();
    }

    @Test
    void aBadFileIsRefusedNamingEachProblemAndNothingIsWritten() {
        CatalogManagementTest.Made made = CatalogManagementTest.makeOperator(admin(), NUMBERS);
        ObjectNode file = export();
        long catalog = catalogVersion();

        ObjectNode wrongFormat = file.deepCopy().put("format", "billswitch-catalog/99");
        Http format = admin().post("/admin/catalog/import?dryRun=true", wrongFormat.toString());
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().get("error").get("fields").get("format").stringValue()).contains("billswitch-catalog/1");

        ObjectNode badValues = file.deepCopy();
        int index = 0;
        ArrayNode operators = (ArrayNode) badValues.get("operators");
        while (!operators.get(index).get("id").stringValue().equals(made.operator())) {
            index++;
        }
        ObjectNode bad = (ObjectNode) operators.get(index);
        ((ObjectNode) bad.get("params").get(0)).put("regex", "^[0-9{10}$");
        bad.put("minAmountMinor", 500_000);
        bad.put("name", "Changed before the problem");
        Http refused = admin().post("/admin/catalog/import", badValues.toString());
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        JsonNode fields = refused.json().get("error").get("fields");
        String at = "operators[" + index + "].";
        assertThat(fields.get(at + "params[0].regex").stringValue()).startsWith("is not a valid regular expression");
        assertThat(fields.get(at + "maxAmountMinor").stringValue()).contains("must not be less than minAmountMinor");

        ObjectNode unknownConnector = file.deepCopy();
        ((ArrayNode) operator(unknownConnector, made.operator()).get("routes")).removeAll().add(JSON.readTree("""
                {"connector":"no-such-upstream","upstreamCode":"x","priority":1}"""));
        operator(unknownConnector, made.operator()).put("name", "Changed before the problem");
        Http connector = admin().post("/admin/catalog/import", unknownConnector.toString());
        assertThat(connector.errorCode()).as(connector.body()).isEqualTo("CONNECTOR_NOT_FOUND");
        assertThat(connector.body()).contains("operators[" + index + "].routes", "no-such-upstream");

        ObjectNode twice = file.deepCopy();
        ((ArrayNode) twice.get("operators")).add(operator(twice, made.operator()).deepCopy());
        Http duplicate = admin().post("/admin/catalog/import", twice.toString());
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.body()).contains("is listed twice");

        assertThat(catalogVersion()).isEqualTo(catalog);
        assertThat(admin().get("/admin/operators/" + made.operator()).json().get("name").stringValue())
                .doesNotContain("Changed");
    }
}
