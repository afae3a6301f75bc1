package billswitch.api;

import billswitch.shared.BillSwitchException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * Errors Jetty answers itself, before any servlet (an ambiguous URI such as %2F or %2e%2e in a path, a bad
 * percent-encoding): in the native error shape as JSON, never Jetty's HTML page. The dialect cannot be
 * told from a URI Jetty refused to read, so these are always native.
 */
@Configuration(proxyBeanMethods = false)
class JettyErrors {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> jsonContainerErrors() {
        return factory -> factory.addServerCustomizers(server -> server.setErrorHandler(new JsonErrorHandler()));
    }

    private static byte[] body(int status, String reason) {
        var code = FallbackErrorController.errorFor(status);
        // Jetty's reason for a 4xx ("Ambiguous URI path separator") tells the client what to fix; a 5xx's stays inside.
        String message = reason != null && status < 500 ? reason : code.defaultMessage();
        return ErrorBody.bytes(new BillSwitchException(code, message));
    }

    /** Jetty's error handler, writing {"error":{...}} with Jetty's status. */
    static final class JsonErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            response.getHeaders().put(JSON);
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(JSON);
            return ByteBuffer.wrap(body(status, reason));
        }
    }
}
