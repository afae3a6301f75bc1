package billswitch.infra.crypto;

import billswitch.shared.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Re-seals every sealed value under the current master key, bound to its row ({@code java -jar billswitch.jar
 * rotate-master-key}), while servers run: row by row, each in its own one-statement transaction that replaces the
 * value only if it is still the one read (a value rewritten meanwhile, under the writer's current key, is read
 * again). A value already sealed under the current key is left as it is, so a second run changes nothing. Values
 * of the earlier form (no key id, no row binding) are re-sealed too: the first rotation after an upgrade binds them.
 */
@Component
public class MasterKeyRotation {
    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int PAGE = 100;
    private static final int TRIES = 5;

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final List<SecretBox.SealedColumn> columns;

    MasterKeyRotation(JdbcClient jdbc, SecretBox box, List<SecretBox.SealedColumn> columns) {
        this.jdbc = jdbc;
        this.box = box;
        for (SecretBox.SealedColumn c : columns) {
            for (String name : List.of(c.table(), c.keyColumn(), c.valueColumn())) {
                if (!IDENTIFIER.matcher(name).matches()) {
                    throw new IllegalArgumentException("not an SQL identifier: " + name);
                }
            }
        }
        this.columns = List.copyOf(columns);
    }

    /** What a rotation did to one column. {@code failed}: the rows no configured key opens (left as they were). */
    public record ColumnReport(String column, long resealed, long alreadyCurrent, List<String> failed) {
    }

    /** What a rotation did; ok when every value is now sealed under {@code currentKeyId}. */
    public record Report(String currentKeyId, boolean ok, long resealed, long alreadyCurrent, List<ColumnReport> columns) {
    }

    public Report rotate() {
        List<ColumnReport> reports = new ArrayList<>();
        for (SecretBox.SealedColumn column : columns) {
            reports.add(rotate(column));
        }
        return new Report(box.currentKeyId(), reports.stream().allMatch(r -> r.failed().isEmpty()),
                reports.stream().mapToLong(ColumnReport::resealed).sum(),
                reports.stream().mapToLong(ColumnReport::alreadyCurrent).sum(), reports);
    }

    private ColumnReport rotate(SecretBox.SealedColumn column) {
        long resealed = 0;
        long current = 0;
        List<String> failed = new ArrayList<>();
        String after = "";
        while (true) {
            List<String> rows = jdbc.sql("select %s::text from %s where %s is not null and %s::text > :after order by %s::text limit %d"
                            .formatted(column.keyColumn(), column.table(), column.valueColumn(), column.keyColumn(),
                                    column.keyColumn(), PAGE))
                    .param("after", after).query(String.class).list();
            for (String row : rows) {
                switch (rotateRow(column, row)) {
                    case RESEALED -> resealed++;
                    case CURRENT -> current++;
                    case FAILED -> failed.add(row);
                }
            }
            if (rows.size() < PAGE) {
                break;
            }
            after = rows.getLast();
        }
        log.info("Master key rotation: {}.{}: {} re-sealed, {} already under key {}, {} failed", column.table(),
                column.valueColumn(), resealed, current, box.currentKeyId(), failed.size());
        return new ColumnReport(column.table() + "." + column.valueColumn(), resealed, current, failed);
    }

    private enum Done { RESEALED, CURRENT, FAILED }

    /** One row, in its own short transaction (one conditional UPDATE), tried again if the value changed meanwhile. */
    private Done rotateRow(SecretBox.SealedColumn column, String row) {
        for (int i = 0; i < TRIES; i++) {
            Optional<String> sealed = jdbc.sql("select %s from %s where %s::text = :row"
                            .formatted(column.valueColumn(), column.table(), column.keyColumn()))
                    .param("row", row).query(String.class).optional();
            if (sealed.isEmpty() || sealed.get() == null || box.sealedUnderCurrentKey(sealed.get())) {
                return Done.CURRENT;
            }
            Secret<String> secret;
            try {
                secret = box.open(sealed.get(), column.at(row));
            } catch (IllegalStateException e) {
                log.error("Master key rotation: {}", e.getMessage());
                return Done.FAILED;
            }
            int updated = jdbc.sql("update %s set %s = :fresh where %s::text = :row and %s = :old"
                            .formatted(column.table(), column.valueColumn(), column.keyColumn(), column.valueColumn()))
                    .param("fresh", box.seal(secret, column.at(row))).param("row", row).param("old", sealed.get()).update();
            if (updated == 1) {
                return Done.RESEALED;
            }
        }
        log.error("Master key rotation: {}.{} of row {} kept changing; run the rotation again", column.table(),
                column.valueColumn(), row);
        return Done.FAILED;
    }
}
