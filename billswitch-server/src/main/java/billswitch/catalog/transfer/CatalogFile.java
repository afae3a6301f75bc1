package billswitch.catalog.transfer;

import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Plan;
import billswitch.routing.RoutingAdmin;
import java.util.List;

/**
 * The whole catalog as one document: categories, locations, and each operator with its plans and its routes (the
 * connectors they name are referred to by name; connectors and their credentials are not part of it). What
 * {@code GET /admin/catalog/export} writes and {@code POST /admin/catalog/import} reads.
 */
public record CatalogFile(List<Category> categories, List<Location> locations, List<Entry> operators) {
    /** The format's name and version, the document's "format" field: a reader refuses any other. */
    public static final String FORMAT = "billswitch-catalog/1";

    public CatalogFile {
        categories = List.copyOf(categories);
        locations = List.copyOf(locations);
        operators = List.copyOf(operators);
    }

    /**
     * An operator (its connector is the installation's, not the file's) with its plans and routes; null plans or
     * routes (the file has no such key) leave the stored ones as they are, an empty list means none.
     */
    public record Entry(Operator operator, List<Plan> plans, List<RoutingAdmin.RouteDraft> routes) {
        public Entry {
            plans = plans == null ? null : List.copyOf(plans);
            routes = routes == null ? null : List.copyOf(routes);
        }
    }
}
