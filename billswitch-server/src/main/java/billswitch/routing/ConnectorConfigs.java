package billswitch.routing;

import billswitch.connector.http.ProtocolType;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.crypto.SecretBox;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.shared.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connectors configured through the admin API, in PostgreSQL: validated on the way in (a known type, its
 * credentials, an absolute http(s) base URL, timeouts whose deadline ends before the janitor's initiated grace),
 * credentials sealed under the master key. Every change bumps routing_version in the same transaction.
 */
@Repository
class ConnectorConfigs {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConnectorConfigs.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    /**
     * Each connector's credentials, bound to its name and to where they are sent: its type and base URL. A base URL
     * repointed in the database leaves the credentials sealed and the connector out of routing; a change through the
     * admin API re-seals them for the new URL in the same transaction ({@link #patch}).
     */
    static final SecretBox.SealedColumn CREDENTIALS = new SecretBox.SealedColumn("connectors", "name", "credentials_enc",
            List.of("type", "base_url"));

    /** The connectors' sealed column, for the master key's rotation. */
    @Bean
    static SecretBox.SealedColumn connectorCredentials() {
        return CREDENTIALS;
    }
    static final int MAX_IN_FLIGHT = 100_000;
    static final int MAX_TIMEOUT_MS = 600_000;

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final JsonMapper json;
    private final Map<String, ProtocolType> types;
    private final Duration initiatedGrace;
    private final Duration longestCall;

    ConnectorConfigs(JdbcClient jdbc, SecretBox box, JsonMapper json, List<ProtocolType> types, BillSwitchProperties props) {
        this.jdbc = jdbc;
        this.box = box;
        this.json = json;
        this.types = types.stream().collect(Collectors.toUnmodifiableMap(ProtocolType::type, Function.identity()));
        this.initiatedGrace = props.resolution().initiatedGrace();
        this.longestCall = props.resolution().longestCall();
    }

    Optional<ProtocolType> type(String type) {
        return Optional.ofNullable(types.get(type));
    }

    Set<String> typeNames() {
        return new TreeMap<>(types).keySet();
    }

    /** Every connector whose credentials open; one that does not (sealed for another row, altered) is left out, logged. */
    List<ConnectorConfig> all() {
        return jdbc.sql("select * from connectors order by name").query((rs, n) -> {
            try {
                return config(rs, n);
            } catch (IllegalStateException e) {
                log.error("Connector {} is left out: {}", rs.getString("name"), e.getMessage());
                return null;
            }
        }).list().stream().filter(java.util.Objects::nonNull).toList();
    }

    /** The connector, if its credentials open (one that does not is left out, as from routing, and logged). */
    Optional<ConnectorConfig> find(String name) {
        return jdbc.sql("select * from connectors where name = :name").param("name", name).query((rs, n) -> {
            try {
                return Optional.of(config(rs, n));
            } catch (IllegalStateException e) {
                log.error("Connector {} is left out: {}", name, e.getMessage());
                return Optional.<ConnectorConfig>empty();
            }
        }).optional().flatMap(c -> c);
    }

    private boolean exists(String name) {
        return jdbc.sql("select count(*) from connectors where name = :name").param("name", name).query(Long.class).single() > 0;
    }

    /** A connector to create, as the admin API received it (any field may be missing or wrong). */
    record Draft(String name, String type, String baseUrl, Map<String, String> credentials, Integer connectTimeoutMs,
                 Integer readTimeoutMs, Integer maxInFlight, Boolean enabled) {
    }

    /** Inserts a new connector; refuses a taken name (built-in ones included) with CONNECTOR_EXISTS. In a transaction. */
    ConnectorConfig create(Draft d, Set<String> builtIn) {
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            throw invalid("name must be 1-40 of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }
        if (builtIn.contains(d.name()) || exists(d.name())) {
            throw new BillSwitchException(ErrorCode.CONNECTOR_EXISTS, "A connector named '" + d.name() + "' exists.");
        }
        ProtocolType type = requireType(d.type());
        ConnectorConfig config = validated(new ConnectorConfig(d.name(), type.type(), baseUrl(d.baseUrl()),
                Secret.of(credentials(type, d.credentials() == null ? Map.of() : d.credentials())),
                orDefault(d.connectTimeoutMs(), 2_000), orDefault(d.readTimeoutMs(), 30_000),
                orDefault(d.maxInFlight(), 1_000), d.enabled() == null || d.enabled(), null));
        jdbc.sql("""
                insert into connectors (name, type, base_url, credentials_enc, connect_timeout_ms, read_timeout_ms,
                    max_in_flight, enabled)
                values (:name, :type, :url, :credentials, :connect, :read, :inFlight, :enabled)""")
                .params(columns(config)).update();
        bumpVersion();
        return find(d.name()).orElseThrow();
    }

    /**
     * Changes the fields given; credentials given replace those of the same names. In a transaction; the credentials
     * are sealed again in it, bound to the base URL as changed.
     */
    ConnectorConfig patch(String name, Draft d) {
        ConnectorConfig old = jdbc.sql("select * from connectors where name = :name for update").param("name", name)
                .query((rs, n) -> {
                    try {
                        return config(rs, n);
                    } catch (IllegalStateException e) {
                        log.error("Connector {} is left out: {}", name, e.getMessage());
                        throw new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "Connector '" + name + "' is left out: "
                                + "its credentials do not open (its base URL or type was changed outside this API?).");
                    }
                }).optional()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.CONNECTOR_NOT_FOUND, "No connector '" + name + "'."));
        if (d.name() != null && !d.name().equals(name)) {
            throw invalid("name cannot change");
        }
        if (d.type() != null && !d.type().equals(old.type())) {
            throw invalid("type cannot change; create a new connector");
        }
        ProtocolType type = requireType(old.type());
        Map<String, String> credentials = new LinkedHashMap<>(old.credentials().reveal());
        if (d.credentials() != null) {
            credentials.putAll(d.credentials());
            credentials.values().removeIf(v -> v == null || v.isEmpty());
        }
        boolean accountChanges = !credentials.equals(old.credentials().reveal())
                || (d.baseUrl() != null && !baseUrl(d.baseUrl()).equals(old.baseUrl()));
        long unsettled = accountChanges ? unsettledAttempts(name) : 0;
        if (unsettled > 0) {
            // Their status enquiries would go to another account or host, which would answer "not found": read as
            // FAILED, that refunds payments the old one may have made.
            throw new BillSwitchException(ErrorCode.CONNECTOR_IN_USE, unsettled + " payment(s) sent through '" + name
                    + "' are still unsettled; change its base URL or credentials once they are settled (or disable it"
                    + " meanwhile: status enquiries go on).");
        }
        ConnectorConfig config = validated(new ConnectorConfig(name, old.type(),
                d.baseUrl() == null ? old.baseUrl() : baseUrl(d.baseUrl()), Secret.of(credentials(type, credentials)),
                d.connectTimeoutMs() == null ? old.connectTimeoutMs() : d.connectTimeoutMs(),
                d.readTimeoutMs() == null ? old.readTimeoutMs() : d.readTimeoutMs(),
                d.maxInFlight() == null ? old.maxInFlight() : d.maxInFlight(),
                d.enabled() == null ? old.enabled() : d.enabled(), null));
        jdbc.sql("""
                update connectors set base_url = :url, credentials_enc = :credentials, connect_timeout_ms = :connect,
                    read_timeout_ms = :read, max_in_flight = :inFlight, enabled = :enabled, updated_at = clock_timestamp()
                where name = :name""")
                .params(columns(config)).update();
        bumpVersion();
        return find(name).orElseThrow();
    }

    /** Orders still unsettled whose latest attempt went through this connector. */
    private long unsettledAttempts(String name) {
        return jdbc.sql("""
                select count(*) from orders o
                join lateral (select connector from attempts a where a.order_id = o.id order by a.id desc limit 1) a on true
                where o.status in ('INITIATED', 'PENDING', 'UNKNOWN', 'NEEDS_REVIEW') and a.connector = :name""")
                .param("name", name).query(Long.class).single();
    }

    void bumpVersion() {
        jdbc.sql("update routing_version set version = version + 1 where id = 1").update();
    }

    long version() {
        return jdbc.sql("select version from routing_version where id = 1").query(Long.class).single();
    }

    private ConnectorConfig validated(ConnectorConfig c) {
        if (c.connectTimeoutMs() < 1 || c.connectTimeoutMs() > MAX_TIMEOUT_MS) {
            throw invalid("timeouts.connectMs must be 1.." + MAX_TIMEOUT_MS);
        }
        if (c.readTimeoutMs() < 1 || c.readTimeoutMs() > MAX_TIMEOUT_MS) {
            throw invalid("timeouts.readMs must be 1.." + MAX_TIMEOUT_MS);
        }
        if (c.maxInFlight() < 1 || c.maxInFlight() > MAX_IN_FLIGHT) {
            throw invalid("maxInFlight must be 1.." + MAX_IN_FLIGHT);
        }
        Duration deadline = c.settings().deadline();
        if (deadline.compareTo(longestCall) > 0) {
            throw invalid("connectMs + readMs + " + deadline.minus(Duration.ofMillis(c.connectTimeoutMs() + (long) c.readTimeoutMs())).toMillis()
                    + " ms must end within three quarters of billswitch.resolution.initiated-grace (" + longestCall.toMillis()
                    + " of " + initiatedGrace.toMillis() + " ms), or the janitor could ask about a payment still in flight");
        }
        return c;
    }

    private Map<String, Object> columns(ConnectorConfig c) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("name", c.name());
        columns.put("type", c.type());
        columns.put("url", c.baseUrl().toString());
        columns.put("credentials", box.seal(Secret.of(json.writeValueAsString(new TreeMap<>(c.credentials().reveal()))),
                CREDENTIALS.at(c.name(), c.type(), c.baseUrl().toString())));
        columns.put("connect", c.connectTimeoutMs());
        columns.put("read", c.readTimeoutMs());
        columns.put("inFlight", c.maxInFlight());
        columns.put("enabled", c.enabled());
        return columns;
    }

    private ProtocolType requireType(String type) {
        if (type == null || !types.containsKey(type)) {
            throw invalid("type must be one of " + typeNames());
        }
        return types.get(type);
    }

    private static Map<String, String> credentials(ProtocolType type, Map<String, String> given) {
        List<String> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!type.credentialNames().contains(name)) {
                problems.add(name + " is not a credential of type " + type.type() + " (" + type.credentialNames() + ")");
            }
        }
        for (String name : type.requiredCredentials()) {
            String value = given.get(name);
            if (value == null || value.isBlank()) {
                problems.add("credentials." + name + " is required");
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        try {
            // The type's own checks of the values' form (an Eko initiatorId is 10 digits...): its messages name a
            // credential, never its value.
            type.create(given);
        } catch (IllegalArgumentException e) {
            throw invalid("credentials: " + e.getMessage());
        }
        return Map.copyOf(given);
    }

    private static URI baseUrl(String text) {
        if (text == null) {
            throw invalid("baseUrl is required");
        }
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw invalid("baseUrl must be an absolute http or https URL without query, e.g. https://api.example.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid("baseUrl is not a URL: " + e.getMessage());
        }
    }

    private static int orDefault(Integer value, int byDefault) {
        return value == null ? byDefault : value;
    }

    private static BillSwitchException invalid(String message) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, message);
    }

    private ConnectorConfig config(ResultSet rs, int row) throws SQLException {
        Map<String, String> credentials = json.readValue(box.open(rs.getString("credentials_enc"),
                CREDENTIALS.at(rs.getString("name"), rs.getString("type"), rs.getString("base_url"))).reveal(), STRING_MAP);
        return new ConnectorConfig(rs.getString("name"), rs.getString("type"), URI.create(rs.getString("base_url")),
                Secret.of(Map.copyOf(credentials)), rs.getInt("connect_timeout_ms"), rs.getInt("read_timeout_ms"),
                rs.getInt("max_in_flight"), rs.getBoolean("enabled"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
