package billswitch.catalog.transfer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an import creates, changes and disables, by kind of entry; empty when the file is the catalog as stored. */
public record CatalogDiff(Changes categories, Changes locations, Changes operators) {

    /** The ids created, changed (with the fields that change), and disabled (stored, enabled, and not in the file). */
    public record Changes(List<String> created, List<Change> changed, List<String> disabled, int unchanged) {
        public boolean empty() {
            return created.isEmpty() && changed.isEmpty() && disabled.isEmpty();
        }
    }

    /**
     * An entry that changes, which of its fields do ("plans" and "routes" for an operator's), and each of those
     * fields' values before and after (an operator's plans and routes as whole lists).
     */
    public record Change(String id, List<String> fields, Map<String, Object> before, Map<String, Object> after) {
    }

    public boolean empty() {
        return categories.empty() && locations.empty() && operators.empty();
    }

    /** The changed fields' values before the import, by kind and id: what an audit entry keeps as "before". */
    public Map<String, Map<String, Map<String, Object>>> before() {
        Map<String, Map<String, Map<String, Object>>> before = new LinkedHashMap<>();
        before.put("categories", before(categories));
        before.put("locations", before(locations));
        before.put("operators", before(operators));
        return before;
    }

    private static Map<String, Map<String, Object>> before(Changes changes) {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        changes.changed().forEach(c -> byId.put(c.id(), c.before()));
        return byId;
    }
}
