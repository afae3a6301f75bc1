package billswitch.export;

/**
 * One CSV field (RFC 4180), safe to open in a spreadsheet: a value starting with {@code =}, {@code +}, {@code -},
 * {@code @}, tab or CR gets a leading single quote (OWASP's advice against CSV/formula injection), and a value holding
 * a comma, a quote, CR or LF is quoted, its quotes doubled. Null is an empty field.
 */
public final class Csv {
    private Csv() {
    }

    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        String v = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return '"' + v.replace("\"", "\"\"") + '"';
            }
        }
        return v;
    }
}
