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
 * Re-seals every sealed value under the current master key, bound to its row and the row's bound columns ({@code java -jar billswitch.jar
 * rotate-master-key}), while servers run: row by row, each in its own one-statement transaction that replaces the
 * value only if it is still the one read (a value rewritten meanwhile, under the writer's current key, is read
 * again). A value already sealed in the current form under the current key is left as it is, so a second run changes
 * nothing. Values of the earlier forms (v2, bound to the row key alone; no key id, bound to nothing) are re-sealed too
 * while billswitch.sealed.accept-unbound is true: the first rotation after an upgrade binds them to what the row says
 * now (its partner and dialect, its type and base URL). With it false they do not open and are reported as failed.
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
            List<String> names = new ArrayList<>(List.of(c.table(), c.keyColumn(), c.valueColumn()));
            names.addAll(c.boundColumns());
            for (String name : names) {
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

    /** A row's sealed value as read, with the values of its bound columns (as text). */
    private record Read(String sealed, String[] bound) {
    }

    /** One row, in its own short transaction (one conditional UPDATE), tried again if the row changed meanwhile. */
    private Done rotateRow(SecretBox.SealedColumn column, String row) {
        String bound = column.boundColumns().stream().map(c -> ", " + c + "::text").reduce("", String::concat);
        String sameBound = column.boundColumns().stream().map(c -> " and " + c + "::text = :b_" + c).reduce("", String::concat);
        for (int i = 0; i < TRIES; i++) {
            Optional<Read> read = jdbc.sql("select %s%s from %s where %s::text = :row"
                            .formatted(column.valueColumn(), bound, column.table(), column.keyColumn()))
                    .param("row", row).query((rs, n) -> {
                        String[] values = new String[column.boundColumns().size()];
                        for (int b = 0; b < values.length; b++) {
                            values[b] = rs.getString(b + 2);
                        }
                        return new Read(rs.getString(1), values);
                    }).optional();
            if (read.isEmpty() || read.get().sealed() == null || box.sealedUnderCurrentKey(read.get().sealed())) {
                return Done.CURRENT;
            }
            SecretBox.Place place;
            Secret<String> secret;
            try {
                place = column.at(row, read.get().bound());
                secret = box.open(read.get().sealed(), place);
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.error("Master key rotation: {}", e.getMessage());
                return Done.FAILED;
            }
            // Replaced only if neither the value nor what it is bound to changed since it was read.
            var update = jdbc.sql("update %s set %s = :fresh where %s::text = :row and %s = :old%s"
                            .formatted(column.table(), column.valueColumn(), column.keyColumn(), column.valueColumn(), sameBound))
                    .param("fresh", box.seal(secret, place)).param("row", row).param("old", read.get().sealed());
            for (int b = 0; b < column.boundColumns().size(); b++) {
                update = update.param("b_" + column.boundColumns().get(b), read.get().bound()[b]);
            }
            if (update.update() == 1) {
                return Done.RESEALED;
            }
        }
        log.error("Master key rotation: {}.{} of row {} kept changing; run the rotation again", column.table(),
                column.valueColumn(), row);
        return Done.FAILED;
    }
}
