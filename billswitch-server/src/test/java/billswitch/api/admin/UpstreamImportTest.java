package billswitch.api.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An upstream's operator list imported for a connector, through the real server: Eko's operators and parameters
 * pulled from the upstream (WireMock) or uploaded in Eko's own format, AppotaPay's topup product codes uploaded;
 * a preview changes nothing, the import creates new operators disabled, updates the known ones' parameters, codes
 * and plans, routes them through the connector, and reports those the upstream no longer lists.
 */
class UpstreamImportTest extends IntegrationTest {
    private WireMockServer eko;
    private String tag;
    /** Eko operator ids no sandbox operator carries. */
    private int code;

    @BeforeEach
    void upstream() {
        eko = new WireMockServer(options().dynamicPort());
        eko.start();
        tag = UUID.randomUUID().toString().substring(0, 8);
        code = 800_000 + ThreadLocalRandom.current().nextInt(100_000) * 10;
    }

    @AfterEach
    void stop() {
        eko.stop();
    }

    private String connector(String type, String credentials) {
        String name = type + "-" + tag;
        Http created = admin().post("/admin/connectors", """
                {"name":"%s","type":"%s","baseUrl":"http://localhost:%d","credentials":%s,
                 "timeouts":{"connectMs":500,"readMs":2000}}""".formatted(name, type, eko.port(), credentials));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }

    private String ekoConnector() {
        return connector("eko", """
                {"developerKey":"becbbce45f79c6f5109f848acd540567","accessKey":"d2fe1d99-6298-4af2-8cc5-d97dcf46df30",
                 "initiatorId":"9962981729","userCode":"20810200"}""");
    }

    private String operatorsAnswer() {
        return """
                {"status":0,"response_status_id":-1,"response_type_id":1000,"message":"Success","data":[
                  {"operator_id":%d,"name":"Eko Water Board %s","billFetchResponse":1,"high_commission_channel":0,
                   "kyc_required":0,"operator_category":11,"location_id":1},
                  {"operator_id":%d,"name":"Known Power","billFetchResponse":0,"high_commission_channel":1,
                   "kyc_required":0,"operator_category":8,"location_id":0}]}""".formatted(code, tag, code + 1);
    }

    private String paramsAnswer(int operator, String regex) {
        return """
                {"status":0,"response_status_id":-1,"response_type_id":1000,"message":"Success","operator_id":%d,
                 "fetchBill":1,"BBPS":1,"data":[
                  {"param_name":"utility_acc_no","param_label":"K Number","param_id":1,"param_type":"Numeric",
                   "regex":"%s","error_message":"K Number is 12 digits"},
                  {"param_name":"district","param_label":"District","param_id":2,"param_type":"List","regex":null,
                   "error_message":"Pick a district","list_elements":["North","South"]}]}""".formatted(operator, regex);
    }

    /** An operator of ours already carrying the second code, and one routed through the connector Eko no longer lists. */
    private void knownOperators(String connector) {
        for (String id : new String[] {"known-" + tag, "gone-" + tag}) {
            Http made = admin().post("/admin/operators", """
                    {"id":"%s","name":"Known Power","categoryId":"electricity","kind":"UTILITY","country":"IN","currency":"INR",
                     "fetchOption":"OPTIONAL","exactness":"EXACT","minAmountMinor":100,"maxAmountMinor":500000,
                     "codes":{"ekoOperatorId":%d},
                     "params":[{"name":"utility_acc_no","label":"Consumer","type":"Numeric","account":true}]}"""
                    .formatted(id, id.startsWith("known") ? code + 1 : code + 2));
            assertThat(made.status()).as(made.body()).isEqualTo(201);
        }
        assertThat(admin().send("PUT", "/admin/operators/gone-" + tag + "/routes",
                "[{\"connector\":\"" + connector + "\",\"upstreamCode\":\"" + (code + 2) + "\",\"priority\":1}]").status())
                .isEqualTo(200);
    }

    @Test
    void ekosListPulledThroughTheConnectorIsPreviewedThenApplied() {
        String connector = ekoConnector();
        knownOperators(connector);
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v2/billpayments/operators")).willReturn(aResponse().withBody(operatorsAnswer())));
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v2/billpayments/operators/" + code))
                .willReturn(aResponse().withBody(paramsAnswer(code, "^[0-9]{12}$"))));
        eko.stubFor(get(urlPathEqualTo("/ekoapi/v2/billpayments/operators/" + (code + 1)))
                .willReturn(aResponse().withBody(paramsAnswer(code + 1, "^[0-9]{10}$"))));

        Http preview = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", "");
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        JsonNode diff = preview.json();
        assertThat(diff.get("listed").intValue()).isEqualTo(2);
        assertThat(diff.get("operators").get("created").toString()).isEqualTo("[\"eko-" + code + "\"]");
        assertThat(diff.get("operators").get("changed").get(0).get("id").stringValue()).isEqualTo("known-" + tag);
        assertThat(diff.get("operators").get("changed").get(0).get("fields").toString())
                .contains("fetchOption", "channels", "params", "routes");
        assertThat(diff.get("missingUpstream").toString()).isEqualTo("[\"gone-" + tag + "\"]");
        assertThat(diff.get("paramsAdded").toString()).as("a parameter Eko requires that ours lacks is added, and said")
                .isEqualTo("[{\"operatorId\":\"known-" + tag + "\",\"name\":\"district\",\"label\":\"District\",\"regex\":null}]");
        JsonNode route = diff.get("routeChanges").get(1);
        assertThat(route.get("operatorId").stringValue()).as("the live route the import adds is listed").isEqualTo("known-" + tag);
        assertThat(route.get("operatorEnabled").booleanValue()).isTrue();
        assertThat(route.get("upstreamCode").stringValue()).isEqualTo(String.valueOf(code + 1));
        assertThat(admin().get("/admin/operators/eko-" + code).status()).as("a preview writes nothing").isEqualTo(404);
        eko.verify(1, getRequestedFor(urlPathEqualTo("/ekoapi/v2/billpayments/operators")).withHeader("developer_key",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("becbbce45f79c6f5109f848acd540567")));

        Http applied = admin().post("/admin/connectors/" + connector + "/catalog-import", "");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().get("applied").booleanValue()).isTrue();
        JsonNode created = admin().get("/admin/operators/eko-" + code).json();
        assertThat(created.get("enabled").booleanValue()).as("a new operator waits for a person").isFalse();
        assertThat(created.get("categoryId").stringValue()).isEqualTo("water");
        assertThat(created.get("locationId").stringValue()).isEqualTo("IN-DL");
        assertThat(created.get("codes").get("ekoOperatorId").intValue()).isEqualTo(code);
        assertThat(created.get("params").get(0).get("regex").stringValue()).isEqualTo("^[0-9]{12}$");
        assertThat(created.get("params").get(1).get("values").toString()).isEqualTo("[\"North\",\"South\"]");
        assertThat(admin().get("/admin/operators/eko-" + code + "/routes").json().get(0).get("upstreamCode").stringValue())
                .isEqualTo(String.valueOf(code));
        JsonNode known = admin().get("/admin/operators/known-" + tag).json();
        assertThat(known.get("fetchOption").stringValue()).isEqualTo("NOT_SUPPORTED");
        assertThat(known.get("channels").toString()).isEqualTo("[\"INSTANT\",\"HIGH_COMMISSION\"]");
        assertThat(known.get("params").get(0).get("label").stringValue()).as("our parameter's rules stay ours").isEqualTo("Consumer");
        assertThat(known.get("params").get(0).get("regex").isNull()).isTrue();
        assertThat(known.get("params").get(1).get("name").stringValue()).isEqualTo("district");
        assertThat(known.get("params").get(1).get("required").booleanValue()).isTrue();
        assertThat(known.get("params")).hasSize(2);
        assertThat(known.get("maxAmountMinor").longValue()).isEqualTo(500000);
        assertThat(known.get("enabled").booleanValue()).isTrue();
        JsonNode entry = admin().get("/admin/audit?action=catalog.upstream-import&target=connector:" + connector).json()
                .get("entries").get(0);
        assertThat(entry.get("before").get("known-" + tag).get("fetchOption").stringValue())
                .as("the audit keeps the old values").isEqualTo("OPTIONAL");
        assertThat(entry.get("before").get("known-" + tag).get("params").get(0).get("label").stringValue()).isEqualTo("Consumer");
        assertThat(entry.get("before").get("known-" + tag).get("routes")).isEmpty();
        assertThat(entry.get("after").get("diff").get("operators").get("changed").get(0).get("after").get("fetchOption")
                .stringValue()).isEqualTo("NOT_SUPPORTED");

        Http again = admin().post("/admin/connectors/" + connector + "/catalog-import", "");
        assertThat(again.json().get("applied").booleanValue()).as("the same list twice: nothing more").isFalse();
        assertThat(again.json().get("operators").get("unchanged").intValue()).isEqualTo(2);
    }

    @Test
    void anUploadedEkoListWithABadRegexIsRefusedNamingTheUpstreamOperator() {
        String connector = ekoConnector();
        String upload = "{\"operators\":" + operatorsAnswer() + ",\"parameters\":[" + paramsAnswer(code, "^[0-9{12}$") + "]}";
        Http refused = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", upload);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("error").get("fields").get("upstream[" + code + "].params[0].regex").stringValue())
                .startsWith("is not a valid regular expression");
        Http notEko = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", "{\"data\":[]}");
        assertThat(notEko.status()).isEqualTo(400);
        assertThat(notEko.body()).contains("operators");
        assertThat(admin().post("/admin/connectors/no-such-" + tag + "/catalog-import?dryRun=true", "{}").errorCode())
                .isEqualTo("CONNECTOR_NOT_FOUND");
        eko.verify(0, getRequestedFor(urlPathEqualTo("/ekoapi/v2/billpayments/operators")));
    }

    @Test
    void appotaPaysTopupProductCodesBecomePlans() {
        String connector = connector("appotapay", "{\"partnerCode\":\"P\",\"apiKey\":\"K\",\"secretKey\":\"S\"}");
        String telco = "tel" + tag;
        String upload = """
                {"errorCode":0,"message":"ok","data":[{"telco":"%s","description":"Telco %s","products":[
                  {"id":1,"productCode":"%s-10K","amount":10000},{"id":2,"productCode":"%s-50K","amount":50000}]}]}"""
                .formatted(telco.toUpperCase(), tag, telco, telco);
        Http preview = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", upload);
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().get("operators").get("created").toString()).isEqualTo("[\"appota-" + telco + "\"]");

        Http applied = admin().post("/admin/connectors/" + connector + "/catalog-import", upload);
        assertThat(applied.json().get("applied").booleanValue()).as(applied.body()).isTrue();
        JsonNode operator = admin().get("/admin/operators/appota-" + telco).json();
        assertThat(operator.get("codes").get("appotaTelco").stringValue()).isEqualTo(telco);
        assertThat(operator.get("currency").stringValue()).isEqualTo("VND");
        assertThat(operator.get("enabled").booleanValue()).isFalse();
        JsonNode plans = admin().get("/admin/operators/appota-" + telco + "/plans").json().get("plans");
        assertThat(plans).hasSize(2);
        assertThat(plans.get(1).get("code").stringValue()).isEqualTo(telco + "-50K");
        assertThat(plans.get(1).get("amountMinor").longValue()).isEqualTo(50000);

        String changed = upload.replace("\"amount\":50000", "\"amount\":100000").replace(telco + "-10K", telco + "-20K")
                .replace("\"amount\":10000", "\"amount\":20000");
        Http second = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", changed);
        assertThat(second.json().get("operators").get("changed").get(0).get("fields").toString())
                .as("an existing operator's limits stay ours").isEqualTo("[\"plans\"]");
        assertThat(second.json().get("productsOutsideLimits").get(0).get("code").stringValue()).isEqualTo(telco + "-50K");
        assertThat(second.json().get("plansNotListed").get(0).get("code").stringValue()).isEqualTo(telco + "-10K");
    }

    /**
     * A live AppotaPay operator of ours matched by its telco code: the import keeps its limits, its plans and its
     * other routes, adds the connector's route last, and lists all of it (and the product beyond its limits).
     */
    @Test
    void anExistingLiveOperatorKeepsItsLimitsPlansAndRoutes() {
        String connector = connector("appotapay", "{\"partnerCode\":\"P\",\"apiKey\":\"K\",\"secretKey\":\"S\"}");
        String telco = "vt" + tag;
        String id = "viettel-" + tag;
        Http made = admin().post("/admin/operators", """
                {"id":"%s","name":"Viettel %s","categoryId":"TOPUP_MOBILE","kind":"PREPAID","country":"VN","currency":"VND",
                 "fetchOption":"NOT_SUPPORTED","exactness":"ADHOC","minAmountMinor":10000,"maxAmountMinor":500000,
                 "feeFlatMinor":1000,"codes":{"appotaTelco":"%s"},
                 "params":[{"name":"phone_number","label":"Phone","type":"Numeric","account":true}]}""".formatted(id, tag, telco));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(admin().send("PUT", "/admin/operators/" + id + "/routes",
                "[{\"connector\":\"sandbox\",\"upstreamCode\":\"" + id + "\",\"priority\":1}]").status()).isEqualTo(200);
        assertThat(admin().post("/admin/operators/" + id + "/plans",
                "{\"code\":\"OURS-20K\",\"amountMinor\":20000,\"description\":\"Ours\"}").status())
                .isEqualTo(201);
        String upload = """
                {"errorCode":0,"message":"ok","data":[{"telco":"%s","description":"Viettel","products":[
                  {"id":1,"productCode":"%s-100K","amount":100000},{"id":2,"productCode":"%s-5M","amount":5000000}]}]}"""
                .formatted(telco, telco, telco);

        Http preview = admin().post("/admin/connectors/" + connector + "/catalog-import?dryRun=true", upload);
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        JsonNode diff = preview.json();
        assertThat(diff.get("productsOutsideLimits").toString()).isEqualTo("[{\"operatorId\":\"" + id + "\",\"code\":\"" + telco
                + "-5M\",\"amountMinor\":5000000,\"minAmountMinor\":10000,\"maxAmountMinor\":500000}]");
        assertThat(diff.get("plansNotListed").toString()).isEqualTo("[{\"operatorId\":\"" + id + "\",\"code\":\"OURS-20K\"}]");
        assertThat(diff.get("routeChanges").toString()).isEqualTo("[{\"operatorId\":\"" + id + "\",\"operatorEnabled\":true,"
                + "\"connector\":\"" + connector + "\",\"upstreamCode\":\"" + telco + "\",\"priority\":2,\"previousUpstreamCode\":null}]");
        assertThat(diff.get("operators").get("changed").get(0).get("fields").toString()).isEqualTo("[\"plans\",\"routes\"]");

        Http applied = admin().post("/admin/connectors/" + connector + "/catalog-import", upload);
        assertThat(applied.json().get("applied").booleanValue()).as(applied.body()).isTrue();
        JsonNode operator = admin().get("/admin/operators/" + id).json();
        assertThat(operator.get("maxAmountMinor").longValue()).as("no 5,000,000 VND ad-hoc payment after an import").isEqualTo(500000);
        assertThat(operator.get("minAmountMinor").longValue()).isEqualTo(10000);
        assertThat(operator.get("feeFlatMinor").longValue()).isEqualTo(1000);
        assertThat(operator.get("enabled").booleanValue()).isTrue();
        JsonNode plans = admin().get("/admin/operators/" + id + "/plans").json().get("plans");
        assertThat(plans.toString()).contains("OURS-20K", telco + "-100K").doesNotContain(telco + "-5M");
        assertThat(plans).hasSize(2);
        JsonNode routes = admin().get("/admin/operators/" + id + "/routes").json();
        assertThat(routes).hasSize(2);
        assertThat(routes.toString()).contains("\"connector\":\"sandbox\"");
        for (JsonNode r : routes) {
            assertThat(r.get("priority").intValue()).isEqualTo(r.get("connector").stringValue().equals("sandbox") ? 1 : 2);
        }
        JsonNode entry = admin().get("/admin/audit?action=catalog.upstream-import&target=connector:" + connector).json()
                .get("entries").get(0);
        assertThat(entry.get("before").get(id).get("plans").get(0).get("code").stringValue()).isEqualTo("OURS-20K");
        assertThat(entry.get("before").get(id).get("routes")).hasSize(1);
    }
}
