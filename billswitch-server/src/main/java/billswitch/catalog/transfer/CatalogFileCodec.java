package billswitch.catalog.transfer;

import tools.jackson.databind.JsonNode;

/**
 * The catalog file's JSON, read and written as the admin API does (GET /admin/catalog/export, POST
 * /admin/catalog/import), for the console and the {@code catalog-import} command.
 */
public interface CatalogFileCodec {

    /** The file: MALFORMED_JSON when it is not JSON, INVALID_REQUEST naming every bad place ({@code operators[2].id}). */
    CatalogFile read(byte[] json);

    /** The export's JSON, byte for byte what GET /admin/catalog/export answers. */
    byte[] write(CatalogFile file);

    /** An uploaded body as JSON (an upstream's operator list): MALFORMED_JSON when it is not JSON. */
    JsonNode json(byte[] body);
}
