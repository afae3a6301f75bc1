package billswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.support.FaultInjectingConnector.Fault;
import billswitch.support.Http;
import billswitch.support.IntegrationTest;
import billswitch.support.NativeClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Every upstream call ends well inside the initiated grace (4 s here: calls are cut at 3 s), so the janitor never
 * re-asks an INITIATED payment whose call could still answer: a connector that hangs past the cut leaves its payment
 * UNKNOWN (the hold kept, asked about later), never INITIATED; and the admin API refuses a connector whose timeouts
 * end after the cut.
 */
@TestPropertySource(properties = "billswitch.resolution.initiated-grace=4s")
class CallBoundTest extends IntegrationTest {
    @Autowired
    JdbcClient jdbc;

    @Test
    void aCallThatOutlivesTheCutIsUnknownNotInitiated() throws Exception {
        NativeClient client = newPartner(1_000_000);
        String operator = faults.operator();
        String reference = "cut-" + UUID.randomUUID().toString().substring(0, 8);
        faults.armGate();
        faults.next(Fault.HANG);
        try {
            Http answer = client.post("/v1/recharges", """
                    {"operatorId":"%s","accountNumber":"9876543210","amountMinor":10000,"currency":"INR"}"""
                    .formatted(operator), reference);
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            assertThat(answer.text("status")).isEqualTo("UNKNOWN");
            assertThat(jdbc.sql("select status from orders where partner_id = :p and reference = :r")
                    .param("p", client.partnerId).param("r", reference).query(String.class).single()).isEqualTo("UNKNOWN");
        } finally {
            faults.release();
        }
    }

    @Test
    void aConnectorWhoseTimeoutsEndAfterTheCutIsRefused() {
        Http refused = admin().post("/admin/connectors", """
                {"name":"slow-%s","type":"stub","baseUrl":"http://localhost:9","credentials":{"token":"t"},
                 "timeouts":{"connectMs":1000,"readMs":1500}}""".formatted(UUID.randomUUID().toString().substring(0, 6)));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("three quarters of billswitch.resolution.initiated-grace");
        Http accepted = admin().post("/admin/connectors", """
                {"name":"quick-%s","type":"stub","baseUrl":"http://localhost:9","credentials":{"token":"t"},
                 "timeouts":{"connectMs":500,"readMs":1000}}""".formatted(UUID.randomUUID().toString().substring(0, 6)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    }
}
