package billswitch.api.admin;

import billswitch.catalog.transfer.CatalogFile;
import billswitch.catalog.transfer.CatalogFileCodec;
import billswitch.infra.http.JsonBody;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** The catalog file as the admin API reads and writes it ({@link CatalogFileJson}), for the console and the command line. */
@Component
class CatalogFileCodecJson implements CatalogFileCodec {

    @Override
    public CatalogFile read(byte[] json) {
        return CatalogFileJson.read(CatalogJson.body(json));
    }

    @Override
    public byte[] write(CatalogFile file) {
        return JsonBody.mapper().writeValueAsBytes(CatalogFileJson.write(file));
    }

    @Override
    public JsonNode json(byte[] body) {
        return CatalogJson.body(body);
    }
}
