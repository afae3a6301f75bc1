package billswitch.reconciliation;

import billswitch.connector.http.ReportFormat;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an upstream's report as its {@link ReportFormat} says; a report that does not read is refused whole
 * (INVALID_REQUEST), naming the line and the field, before anything is matched or moved.
 */
final class ReportReader {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportReader() {
    }

    static List<ReportLine> read(ReportFormat format, byte[] content) {
        String text = utf8(content);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw refused("report", "is empty");
        }
        return format.syntax() == ReportFormat.Syntax.CSV ? csv(format, text) : json(format, text);
    }

    private static List<ReportLine> csv(ReportFormat format, String text) {
        List<List<String>> rows = CsvRows.parse(text);
        List<String> header = rows.getFirst().stream().map(String::trim).toList();
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i), i);
        }
        for (String field : format.fields()) {
            if (!column.containsKey(field)) {
                throw refused("line 1", "the header lacks the column '" + field + "' (the columns are "
                        + String.join(",", format.fields()) + ")");
            }
        }
        List<ReportLine> lines = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.getFirst().isBlank()) {
                continue;
            }
            int lineNo = r + 1;
            if (row.size() != header.size()) {
                throw refused("line " + lineNo, "has " + row.size() + " fields, the header " + header.size());
            }
            Map<String, String> values = new HashMap<>();
            for (String field : format.fields()) {
                values.put(field, blankToNull(row.get(column.get(field))));
            }
            lines.add(line(format, lineNo, "line " + lineNo, values));
        }
        return lines;
    }

    private static List<ReportLine> json(ReportFormat format, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw refused("report", "is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode list = root == null ? null : root.get(format.listField());
        if (list == null || !list.isArray()) {
            throw refused(format.listField(), "must be a list of transactions ({\"" + format.listField() + "\":[...]})");
        }
        List<ReportLine> lines = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String place = format.listField() + "[" + i + "]";
            if (!item.isObject()) {
                throw refused(place, "must be an object");
            }
            Map<String, String> values = new HashMap<>();
            for (String field : format.fields()) {
                JsonNode v = item.get(field);
                if (v != null && !v.isNull() && !v.isValueNode()) {
                    throw refused(place + "." + field, "must be a string or a number");
                }
                values.put(field, v == null || v.isNull() ? null : blankToNull(v.asString()));
            }
            lines.add(line(format, i + 1, place, values));
        }
        return lines;
    }

    private static ReportLine line(ReportFormat format, int lineNo, String place, Map<String, String> values) {
        String upstreamId = values.get(format.upstreamId());
        String reference = values.get(format.reference());
        if (reference == null && upstreamId == null) {
            throw refused(place, "names neither " + format.reference() + " nor " + format.upstreamId());
        }
        String amountText = values.get(format.amount());
        if (amountText == null) {
            throw refused(place + " " + format.amount(), "is required");
        }
        boolean minor = format.unit() == ReportFormat.AmountUnit.MINOR;
        if (!amountText.matches(minor ? "[0-9]{1,18}" : "[0-9]{1,16}(\\.[0-9]{1,4})?")) {
            throw refused(place + " " + format.amount(), "'" + amountText + "' is not an amount"
                    + (minor ? " in minor units (e.g. 10000)" : " (e.g. 100.00)"));
        }
        String status = values.get(format.status());
        if (status == null) {
            throw refused(place + " " + format.status(), "is required");
        }
        try {
            return new ReportLine(lineNo, upstreamId, reference, new BigDecimal(amountText), minor, status,
                    format.read(status, upstreamId), values.get(format.time()));
        } catch (IllegalArgumentException e) {
            throw refused(place + " " + format.status(), e.getMessage());
        }
    }

    private static String utf8(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw refused("report", "is not UTF-8 text");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw refused("report", "contains a NUL character, which no report's text may hold");
        }
        return text;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static BillSwitchException refused(String place, String problem) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(place, problem);
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, "The report is refused, nothing was done: " + place + " "
                + problem + ".", fields);
    }

    /** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. */
    static final class CsvRows {
        private CsvRows() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int line = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                } else if (c == '"' && field.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue;
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    line++;
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                throw refused("line " + line, "has a quote that is never closed");
            }
            if (!field.isEmpty() || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
