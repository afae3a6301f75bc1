package billswitch.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import billswitch.shared.Currency;
import billswitch.support.IntegrationTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The catalog's change marker: every write to a catalog table moves it, whoever makes the write, and a
 * refresh re-reads the catalog when, and only when, it moved.
 */
class CatalogRefreshTest extends IntegrationTest {

    @Autowired
    private Catalog catalog;

    @Autowired
    private CatalogAdmin admin;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private TransactionTemplate tx;

    private long version() {
        return jdbc.sql("select version from catalog_version").query(Long.class).single();
    }

    private Operator newOperator() {
        String id = "refresh-" + UUID.randomUUID().toString().substring(0, 8);
        Operator operator = new Operator(id, "Refresh Test", "water", "IN-DL", Operator.Kind.UTILITY, "IN", Currency.INR,
                Operator.FetchOption.OPTIONAL, Operator.Exactness.ADHOC, 100, 100_000, true, List.of(Operator.Channel.INSTANT),
                0, 0, 0, false, null, true, new Operator.ProviderCodes(null, null, null, null, null),
                List.of(new Param("k_number", "K Number", Param.Type.Numeric, "^[0-9]{10}$", "K number is 10 digits", true, true, null)));
        return admin.createOperator(operator);
    }

    @Test
    void everyWriteToACatalogTableMovesTheMarker() {
        long before = version();
        Operator created = newOperator();
        long afterCreate = version();
        assertThat(afterCreate).isGreaterThan(before);
        assertThat(catalog.require(created.id()).connector()).as("no default connector").isNull();

        jdbc.sql("insert into plans (operator_id, code, amount_minor, description) values (:id, 'W1', 500, 'x')")
                .param("id", created.id()).update();
        assertThat(version()).isGreaterThan(afterCreate);
    }

    @Test
    void aRefreshReloadsOnlyWhenTheMarkerMoved() {
        Operator created = newOperator();
        assertThat(catalog.require(created.id()).maxAmountMinor()).isEqualTo(100_000);

        // A write the triggers do not see (replication mode skips them): the marker stays, and so does the catalog.
        tx.executeWithoutResult(s -> {
            jdbc.sql("set local session_replication_role = replica").update();
            jdbc.sql("update operators set max_amount_minor = 200000 where id = :id").param("id", created.id()).update();
        });
        catalog.refresh();
        assertThat(catalog.require(created.id()).maxAmountMinor()).isEqualTo(100_000);

        jdbc.sql("update catalog_version set version = version + 1").update();
        catalog.refresh();
        assertThat(catalog.require(created.id()).maxAmountMinor()).isEqualTo(200_000);
    }
}
