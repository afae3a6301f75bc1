package billswitch.connector.http;

import java.util.List;
import java.util.Map;

/**
 * A kind of upstream ("eko", "aopay", "appotapay", "billswitch"): the credentials it takes and how to make its
 * {@link Protocol} from them. One Spring bean per type; the connector registry finds them.
 */
public interface ProtocolType {

    /** The {@code type} of POST /admin/connectors. */
    String type();

    /** Every credential name this type accepts. */
    List<String> credentialNames();

    /** The credentials that must be given. */
    List<String> requiredCredentials();

    /** The protocol for these credentials (already checked against {@link #requiredCredentials}). */
    Protocol create(Map<String, String> credentials);
}
