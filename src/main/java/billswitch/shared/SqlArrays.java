package billswitch.shared;

import java.util.Collection;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Array parameters for the multi-row statements ({@code unnest(:ids, ...)}): one place that names the
 * PostgreSQL element types the repositories bind.
 */
public final class SqlArrays {
    private SqlArrays() {
    }

    public static SqlArrayValue text(Object[] values) {
        return new SqlArrayValue("text", values);
    }

    public static SqlArrayValue text(Collection<?> values) {
        return text(values.toArray());
    }

    public static SqlArrayValue bigint(Object[] values) {
        return new SqlArrayValue("bigint", values);
    }

    public static SqlArrayValue bigint(Collection<?> values) {
        return bigint(values.toArray());
    }
}
