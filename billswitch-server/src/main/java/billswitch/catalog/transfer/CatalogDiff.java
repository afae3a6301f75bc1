package billswitch.catalog.transfer;

import java.util.List;

/** What an import creates, changes and disables, by kind of entry; empty when the file is the catalog as stored. */
public record CatalogDiff(Changes categories, Changes locations, Changes operators) {

    /** The ids created, changed (with the fields that change), and disabled (stored, enabled, and not in the file). */
    public record Changes(List<String> created, List<Change> changed, List<String> disabled, int unchanged) {
        public boolean empty() {
            return created.isEmpty() && changed.isEmpty() && disabled.isEmpty();
        }
    }

    /** An entry that changes, and which of its fields do ("plans" and "routes" for an operator's). */
    public record Change(String id, List<String> fields) {
    }

    public boolean empty() {
        return categories.empty() && locations.empty() && operators.empty();
    }
}
