package billswitch;

import billswitch.ledger.LedgerVerifier;
import billswitch.infra.config.BillSwitchProperties;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the BillSwitch server, or runs a subcommand: {@code verify} checks the ledger's invariants
 * and exits 0 when they hold, 1 when they do not.
 */
@SpringBootApplication
@EnableConfigurationProperties(BillSwitchProperties.class)
@EnableScheduling
public class BillSwitchApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("verify")) {
            System.exit(verify(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(BillSwitchApplication.class, args);
    }

    static int verify(String[] args) {
        SpringApplication app = new SpringApplication(BillSwitchApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] all = Arrays.copyOf(args, args.length + 5);
        all[args.length] = "--billswitch.db.attach-to-running=true";
        all[args.length + 1] = "--logging.level.root=WARN";
        all[args.length + 2] = "--spring.main.log-startup-info=false";
        all[args.length + 3] = "--billswitch.resolution.enabled=false";
        all[args.length + 4] = "--billswitch.webhooks.enabled=false";
        try (ConfigurableApplicationContext context = app.run(all)) {
            LedgerVerifier.Report report = context.getBean(LedgerVerifier.class).verify();
            JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            System.out.println(mapper.writeValueAsString(report));
            return report.ok() ? 0 : 1;
        }
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
