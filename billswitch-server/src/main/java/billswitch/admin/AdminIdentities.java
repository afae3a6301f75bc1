package billswitch.admin;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.infra.crypto.Hmac;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The admin API's and the console's identities. The built-in "admin" (role ADMIN) has billswitch.admin-token as its
 * token, compared in constant time and never stored; every other identity is a row of admin_identities holding
 * SHA-256 of its token (256 random bits, shown once when it is issued). Disabling or rotating takes effect at once on
 * every node: each admin request looks its token up, and each console request checks its session's identity
 * ({@link #stillValid}). The console's login is an identity's name with its token as the password.
 */
@Service
public class AdminIdentities {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{1,39}$");
    private static final String TOKEN_PREFIX = "bsa_";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final byte[] rootToken;
    private final SecureRandom random = new SecureRandom();

    AdminIdentities(JdbcClient jdbc, AuditLog audit, BillSwitchProperties props) {
        this.jdbc = jdbc;
        this.audit = audit;
        String token = props.adminToken();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("billswitch.admin-token (env BILLSWITCH_ADMIN_TOKEN) must be set.");
        }
        if (!props.sandbox().enabled() && token.length() < 24) {
            throw new IllegalStateException("billswitch.admin-token must be at least 24 characters outside sandbox mode.");
        }
        this.rootToken = token.getBytes(StandardCharsets.UTF_8);
    }

    /** An identity as listed: never its token. */
    public record IdentityView(String name, String role, String status, boolean builtIn, String createdBy,
                               Instant createdAt, Instant rotatedAt, Instant disabledAt) {
    }

    /** An identity with its new token, shown this once. */
    public record Issued(IdentityView identity, String token) {
    }

    /** The identity a bearer token belongs to, if it is active. */
    public Optional<AdminIdentity> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (Hmac.equal(token.getBytes(StandardCharsets.UTF_8), rootToken)) {
            return Optional.of(new AdminIdentity(AdminIdentity.ROOT, AdminRole.ADMIN));
        }
        if (token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("select name, role from admin_identities where token_hash = :hash and status = 'ACTIVE'")
                .param("hash", hash(token))
                .query((rs, n) -> new AdminIdentity(rs.getString(1), AdminRole.valueOf(rs.getString(2))))
                .optional();
    }

    /** The console's login: the identity named, if the token is its own and it is active. */
    public Optional<AdminIdentity> authenticate(String name, String token) {
        return authenticate(token).filter(identity -> identity.name().equals(name));
    }

    /**
     * Whether a console session opened at {@code since} may go on: its identity is still active and its token has
     * not been rotated since (the built-in identity's token is the configuration: valid while this node runs).
     */
    public boolean stillValid(String name, Instant since) {
        if (AdminIdentity.ROOT.equals(name)) {
            return true;
        }
        return jdbc.sql("""
                select 1 from admin_identities
                where name = :name and status = 'ACTIVE' and (rotated_at is null or rotated_at <= :since)""")
                .param("name", name).param("since", java.sql.Timestamp.from(since))
                .query(Integer.class).optional().isPresent();
    }

    /**
     * Sandbox mode's demo identity with a known token (the README's viewer / demo-viewer), made once; a token
     * rotated since stays rotated.
     */
    public void ensureDemo(String name, AdminRole role, String token) {
        jdbc.sql("""
                insert into admin_identities (name, role, token_hash, created_by)
                values (:name, :role, :hash, 'sandbox') on conflict do nothing""")
                .param("name", name).param("role", role.name()).param("hash", hash(token)).update();
    }

    public Issued create(AdminIdentity actor, String request, String name, AdminRole role) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(AdminIdentity.ROOT)) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "name must be 2-40 lower-case letters, digits, '.', '_' or '-', and not '" + AdminIdentity.ROOT + "'", Map.of("name", "invalid"));
        }
        String token = newToken();
        return audit.change(actor, "identity.create", request, "identity:" + name, () -> null, () -> {
            try {
                jdbc.sql("""
                        insert into admin_identities (name, role, token_hash, created_by)
                        values (:name, :role, :hash, :by)""")
                        .param("name", name).param("role", role.name()).param("hash", hash(token))
                        .param("by", actor.name()).update();
            } catch (DuplicateKeyException e) {
                throw new BillSwitchException(ErrorCode.IDENTITY_EXISTS, "An admin identity '" + name + "' already exists.");
            }
            return new Issued(require(name), token);
        }, Issued::identity);
    }

    public List<IdentityView> list() {
        List<IdentityView> all = new ArrayList<>();
        all.add(new IdentityView(AdminIdentity.ROOT, AdminRole.ADMIN.name(), "ACTIVE", true, null, null, null, null));
        all.addAll(jdbc.sql(SELECT + " order by name").query(AdminIdentities::view).list());
        return all;
    }

    public IdentityView disable(AdminIdentity actor, String request, String name) {
        refuseRoot(name);
        return audit.change(actor, "identity.disable", request, "identity:" + name, () -> require(name), () -> {
            jdbc.sql("update admin_identities set status = 'DISABLED', disabled_at = coalesce(disabled_at, now()) where name = :name")
                    .param("name", name).update();
            return require(name);
        }, v -> v);
    }

    /** Issues a new token; the old one stops working at once. A disabled identity stays disabled. */
    public Issued rotate(AdminIdentity actor, String request, String name) {
        refuseRoot(name);
        String token = newToken();
        return audit.change(actor, "identity.rotate-token", request, "identity:" + name, () -> require(name), () -> {
            jdbc.sql("update admin_identities set token_hash = :hash, rotated_at = now(), rotated_by = :by where name = :name")
                    .param("hash", hash(token)).param("by", actor.name()).param("name", name).update();
            return new Issued(require(name), token);
        }, Issued::identity);
    }

    private static final String SELECT =
            "select name, role, status, created_by, created_at, rotated_at, disabled_at from admin_identities";

    private IdentityView require(String name) {
        return jdbc.sql(SELECT + " where name = :name").param("name", name).query(AdminIdentities::view).optional()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.IDENTITY_NOT_FOUND, "No admin identity '" + name + "'."));
    }

    private static void refuseRoot(String name) {
        if (AdminIdentity.ROOT.equals(name)) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    AdminIdentity.ROOT + " is built in: its token is billswitch.admin-token; change that setting to rotate it.");
        }
    }

    private static IdentityView view(ResultSet rs, int row) throws SQLException {
        return new IdentityView(rs.getString(1), rs.getString(2), rs.getString(3), false, rs.getString(4),
                instant(rs, 5), instant(rs, 6), instant(rs, 7));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + HexFormat.of().formatHex(bytes);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
