package billswitch.api;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat sized for many small requests in flight: the per-connection application buffers shrink from
 * 8 KiB each way to 4 KiB (request bodies are capped at 64 KiB and read in pieces), which keeps ten
 * thousand waiting connections well inside a 512 MB heap.
 */
@Configuration(proxyBeanMethods = false)
class ServerConfig {

    @Bean
    TomcatConnectorCustomizer smallConnectionBuffers() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", "4096");
            connector.setProperty("socket.appWriteBufSize", "4096");
        };
    }
}
