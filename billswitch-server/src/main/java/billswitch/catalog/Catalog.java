package billswitch.catalog;

import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator catalog, read from the database into an immutable in-memory snapshot: every payment
 * consults it, so it must not cost a query. {@link #reload()} swaps in a fresh snapshot.
 */
@Service
public class Catalog {
    private static final TypeReference<List<Param>> PARAMS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private volatile Snapshot snapshot;

    Catalog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        reload();
    }

    private record Snapshot(List<Category> categories, List<Location> locations, List<Operator> operators,
                            Map<String, Operator> byId, List<Plan> plans) {
    }

    public void reload() {
        List<Category> categories = jdbc.sql("select id, name, grp, country, provider_id from categories order by country, id")
                .query((rs, n) -> new Category(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
        List<Location> locations = jdbc.sql("select id, name, abbreviation, country, provider_id from locations order by country, id")
                .query((rs, n) -> new Location(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
        List<Operator> operators = jdbc.sql("select * from operators order by country, category_id, name, id")
                .query(this::operator).list();
        List<Plan> plans = jdbc.sql("select operator_id, code, location_id, amount_minor, description, validity from plans order by operator_id, amount_minor, code")
                .query((rs, n) -> new Plan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)))
                .list();
        snapshot = new Snapshot(categories, locations, operators,
                operators.stream().collect(Collectors.toUnmodifiableMap(Operator::id, Function.identity())), plans);
    }

    public List<Category> categories() {
        return snapshot.categories();
    }

    public List<Location> locations() {
        return snapshot.locations();
    }

    public List<Operator> operators() {
        return snapshot.operators();
    }

    /** Operators matching every filter given (null filters match all). */
    public List<Operator> operators(String categoryId, String locationId, String country) {
        return snapshot.operators().stream()
                .filter(o -> categoryId == null || o.categoryId().equals(categoryId))
                .filter(o -> locationId == null || locationId.equals(o.locationId()))
                .filter(o -> country == null || o.country().equals(country))
                .toList();
    }

    public Optional<Operator> find(String operatorId) {
        return Optional.ofNullable(operatorId == null ? null : snapshot.byId().get(operatorId));
    }

    /** The operator, or UNKNOWN_OPERATOR. */
    public Operator require(String operatorId) {
        return find(operatorId).orElseThrow(() ->
                new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "No operator '" + operatorId + "'."));
    }

    /** Finds an operator by one of its provider codes. */
    public Optional<Operator> findBy(Function<Operator.ProviderCodes, Object> code, Object value) {
        return snapshot.operators().stream().filter(o -> value != null && value.equals(code.apply(o.codes()))).findFirst();
    }

    public List<Plan> plans(String operatorId) {
        return snapshot.plans().stream().filter(p -> p.operatorId().equals(operatorId))
                .sorted(Comparator.comparingLong(Plan::amountMinor)).toList();
    }

    public Optional<Plan> plan(String operatorId, String code) {
        return snapshot.plans().stream().filter(p -> p.operatorId().equals(operatorId) && p.code().equals(code)).findFirst();
    }

    private Operator operator(ResultSet rs, int row) throws SQLException {
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
