package billswitch.shared;

import java.util.Collection;

/**
 * The bigint and text array parameters of the multi-row statements ({@code unnest(:ids, ...)}). They go to
 * pgjdbc as Java arrays ({@code Long[]}, {@code String[]}: the element type follows from the Java type),
 * which it sends in PostgreSQL's binary array format: no array literal is built and no
 * element escaped, where {@code Connection.createArrayOf} formats and quotes every element as text (a JSON
 * answer body is quoted character by character). That text encoding was a fifth of the batch worker's
 * samples, on the one thread every payment waits on (docs/PERFORMANCE.md).
 */
public final class SqlArrays {
    private SqlArrays() {
    }

    public static String[] text(Object[] values) {
        String[] a = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            a[i] = (String) values[i];
        }
        return a;
    }

    public static String[] text(Collection<?> values) {
        return text(values.toArray());
    }

    public static Long[] bigint(Object[] values) {
        Long[] a = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            a[i] = values[i] == null ? null : ((Number) values[i]).longValue();
        }
        return a;
    }

    public static Long[] bigint(Collection<?> values) {
        return bigint(values.toArray());
    }
}
