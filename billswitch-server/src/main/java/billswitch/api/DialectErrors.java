package billswitch.api;

import billswitch.shared.BillSwitchException;
import org.springframework.http.ResponseEntity;

/**
 * How a provider dialect answers an error: its own envelope, code and HTTP status for each catalog code.
 * Every error on a dialect's paths, wherever it arises (filter, controller, Spring, the container),
 * goes through its implementation, so a client always hears its own provider's shape.
 */
public interface DialectErrors {

    /** True for the request paths this dialect serves. */
    boolean serves(String path);

    ResponseEntity<String> render(BillSwitchException e);
}
