package billswitch.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import billswitch.api.breach.ApiBreach;
import billswitch.console.breach.ConsoleBreach;
import billswitch.connector.breach.ConnectorBreach;
import billswitch.ledger.breach.LedgerBreach;
import billswitch.payment.breach.PaymentBreach;
import billswitch.routing.breach.RoutingBreach;
import billswitch.shared.breach.SharedBreach;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which package may use which, as a test: the boundaries docs/ARCHITECTURE.md draws. Each rule is checked
 * against the product's classes, and shown to catch a breach against a class written to break it
 * (the {@code breach} packages of the test sources, one beside each package the rules guard).
 */
class ArchitectureTest {
    private static JavaClasses product;

    @BeforeAll
    static void importTheProduct() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("billswitch");
    }

    /** shared/ holds values only: it depends on nothing of ours and on no framework. */
    static final ArchRule SHARED_HOLDS_VALUES = classes().that().resideInAPackage("billswitch.shared..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("billswitch.shared..", "java..")
            .because("shared/ holds values (Money, Currency, ErrorCode, Secret) that every package may use");

    /** The ledger moves money; it knows nothing of what the money is for. */
    static final ArchRule LEDGER_KNOWS_NO_PAYMENTS = noClasses().that().resideInAPackage("billswitch.ledger..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.payment..", "billswitch.connector..",
                    "billswitch.catalog..", "billswitch.partner..", "billswitch.webhook..", "billswitch.api..")
            .because("the ledger is accounts and transfers, whatever moves money through it");

    /** Connectors talk to upstreams; they never touch the database. */
    static final ArchRule CONNECTORS_KNOW_NO_DATABASE = noClasses().that().resideInAPackage("billswitch.connector..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.infra.db..", "java.sql..", "javax.sql..",
                    "org.springframework.jdbc..", "org.springframework.transaction..", "billswitch.ledger..",
                    "billswitch.payment..")
            .because("a connector builds requests and parses answers; the payment path owns state");

    /** Routing picks where a payment goes and watches upstreams' health; it knows nothing of orders or money. */
    static final ArchRule ROUTING_KNOWS_NO_PAYMENTS = noClasses().that().resideInAPackage("billswitch.routing..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.payment..", "billswitch.ledger..",
                    "billswitch.partner..", "billswitch.webhook..", "billswitch.api..")
            .because("the payment path asks routing for routes and calls; routing never reaches back into it");

    /** Payments announce changes through OrderEvents; the webhooks' wire format is the webhook package's own. */
    static final ArchRule PAYMENTS_KNOW_NO_WEBHOOKS = noClasses().that().resideInAPackage("billswitch.payment..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.webhook..")
            .because("payment/ tells OrderEvents listeners; it does not know webhooks exist");

    /** The dialects and the native API translate and call services: no SQL, no transactions. */
    static final ArchRule APIS_ONLY_CALL_SERVICES = noClasses().that().resideInAPackage("billswitch.api..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.infra.db..", "java.sql..", "javax.sql..",
                    "org.springframework.jdbc..", "org.springframework.transaction..")
            .because("a dialect only translates: every rule and every write is behind a service");

    /** The console shows and asks what the services answer: no SQL of its own, and it never calls the admin API. */
    static final ArchRule CONSOLE_ONLY_CALLS_SERVICES = noClasses().that().resideInAPackage("billswitch.console..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.infra.db..", "java.sql..", "javax.sql..",
                    "org.springframework.jdbc..", "org.springframework.transaction..", "billswitch.api..")
            .because("the console and the admin API are two faces of the same services");

    /** The domain knows nothing of HTTP: only api/ and infra/http speak it. */
    static final ArchRule DOMAIN_KNOWS_NO_HTTP_LAYER = noClasses().that().resideInAnyPackage("billswitch.ledger..",
                    "billswitch.payment..", "billswitch.catalog..", "billswitch.partner..", "billswitch.connector..",
                    "billswitch.routing..", "billswitch.webhook..", "billswitch.shared..", "billswitch.admin..")
            .should().dependOnClassesThat().resideInAnyPackage("billswitch.api..", "billswitch.console..", "billswitch.infra.http..",
                    "jakarta.servlet..", "org.springframework.web..")
            .because("the same services serve every dialect");

    static final List<ArchRule> RULES = List.of(SHARED_HOLDS_VALUES, LEDGER_KNOWS_NO_PAYMENTS,
            CONNECTORS_KNOW_NO_DATABASE, ROUTING_KNOWS_NO_PAYMENTS, PAYMENTS_KNOW_NO_WEBHOOKS, APIS_ONLY_CALL_SERVICES,
            CONSOLE_ONLY_CALLS_SERVICES, DOMAIN_KNOWS_NO_HTTP_LAYER);

    @Test
    void theProductKeepsEveryBoundary() {
        RULES.forEach(rule -> rule.check(product));
    }

    @Test
    void eachRuleCatchesAClassThatBreaksIt() {
        JavaClasses breaches = new ClassFileImporter().importClasses(SharedBreach.class, LedgerBreach.class,
                ConnectorBreach.class, RoutingBreach.class, PaymentBreach.class, ApiBreach.class, ConsoleBreach.class);
        for (ArchRule rule : RULES) {
            EvaluationResult result = rule.evaluate(breaches);
            assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        }
    }
}
