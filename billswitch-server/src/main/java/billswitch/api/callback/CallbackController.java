package billswitch.api.callback;

import billswitch.connector.http.CallbackRequest;
import billswitch.connector.http.HttpAnswer;
import billswitch.infra.config.BillSwitchProperties;
import billswitch.payment.UpstreamCallbacks;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /callbacks/{connector}: where an upstream posts its asynchronous status notifications. No partner or admin
 * authentication: the connector's protocol authenticates each notification with that connector's credentials
 * (401 when it is not authentic; 400 unreadable; 404 for an unknown connector or reference).
 */
@RestController
class CallbackController {
    private final UpstreamCallbacks callbacks;
    private final int maxBodyBytes;

    CallbackController(UpstreamCallbacks callbacks, BillSwitchProperties props) {
        this.callbacks = callbacks;
        this.maxBodyBytes = props.api().maxBodyBytes();
    }

    @PostMapping(path = "/callbacks/{connector}")
    ResponseEntity<String> receive(@PathVariable String connector, HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw new BillSwitchException(ErrorCode.BODY_TOO_LARGE);
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, request.getHeader(name));
        }
        HttpAnswer answer = callbacks.receive(connector, new CallbackRequest(headers, request.getQueryString(), body));
        String type = answer.header("Content-Type");
        return ResponseEntity.status(answer.status())
                .contentType(type == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(type))
                .body(answer.text());
    }
}
