package billswitch.catalog;

import billswitch.shared.Currency;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the catalog's tables, row by row into the catalog's records: for the in-memory snapshot
 * ({@link Catalog}) and for the admin API's answers ({@link CatalogAdmin}), which show what is stored.
 */
@Component
class CatalogTables {
    private static final TypeReference<List<Param>> PARAMS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CatalogTables(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The change marker the catalog tables' triggers bump (V11_1__catalog_version.sql). */
    long version() {
        return jdbc.sql("select version from catalog_version").query(Long.class).single();
    }

    List<Category> categories() {
        return jdbc.sql("select id, name, grp, country, provider_id, enabled from categories order by country, id")
                .query((rs, n) -> new Category(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6)))
                .list();
    }

    Optional<Category> category(String id) {
        return jdbc.sql("select id, name, grp, country, provider_id, enabled from categories where id = :id").param("id", id)
                .query((rs, n) -> new Category(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6)))
                .optional();
    }

    List<Location> locations() {
        return jdbc.sql("select id, name, abbreviation, country, provider_id, enabled from locations order by country, id")
                .query((rs, n) -> new Location(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6)))
                .list();
    }

    Optional<Location> location(String id) {
        return jdbc.sql("select id, name, abbreviation, country, provider_id, enabled from locations where id = :id").param("id", id)
                .query((rs, n) -> new Location(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBoolean(6)))
                .optional();
    }

    List<Operator> operators() {
        return jdbc.sql("select * from operators order by country, category_id, name, id").query(this::operatorRow).list();
    }

    Optional<Operator> operator(String id) {
        return jdbc.sql("select * from operators where id = :id").param("id", id).query(this::operatorRow).optional();
    }

    /** The operator, its row locked until the transaction ends: an edit reads and writes it without a lost update. */
    Optional<Operator> operatorForUpdate(String id) {
        return jdbc.sql("select * from operators where id = :id for update").param("id", id).query(this::operatorRow).optional();
    }

    List<Plan> plans(String operatorId) {
        return jdbc.sql("select operator_id, code, location_id, amount_minor, description, validity from plans where operator_id = :id order by amount_minor, code")
                .param("id", operatorId)
                .query((rs, n) -> new Plan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    List<Plan> plans() {
        return jdbc.sql("select operator_id, code, location_id, amount_minor, description, validity from plans order by operator_id, amount_minor, code")
                .query((rs, n) -> new Plan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    private Operator operatorRow(ResultSet rs, int row) throws SQLException {
        Array channels = rs.getArray("channels");
        return new Operator(
                rs.getString("id"), rs.getString("name"), rs.getString("category_id"), rs.getString("location_id"),
                Operator.Kind.valueOf(rs.getString("kind")), rs.getString("country"), Currency.valueOf(rs.getString("currency")),
                Operator.FetchOption.valueOf(rs.getString("fetch_option")), Operator.Exactness.valueOf(rs.getString("exactness")),
                rs.getLong("min_amount_minor"), rs.getLong("max_amount_minor"), rs.getBoolean("partial_payment"),
                Arrays.stream((String[]) channels.getArray()).map(Operator.Channel::valueOf).toList(),
                rs.getLong("fee_flat_minor"), rs.getInt("fee_bps"), rs.getInt("commission_bps"), rs.getBoolean("kyc_required"),
                rs.getString("connector"), rs.getBoolean("enabled"),
                new Operator.ProviderCodes(rs.getString("aopay_operator"), (Integer) rs.getObject("aopay_product_id"),
                        (Integer) rs.getObject("eko_operator_id"), rs.getString("appota_service_code"), rs.getString("appota_telco")),
                json.readValue(rs.getString("params"), PARAMS));
    }
}
