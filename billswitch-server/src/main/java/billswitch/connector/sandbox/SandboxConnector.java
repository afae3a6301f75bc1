package billswitch.connector.sandbox;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Bill;
import billswitch.connector.spi.BillQuery;
import billswitch.connector.spi.BillResult;
import billswitch.connector.spi.Connector;
import billswitch.connector.spi.ConnectorResult;
import billswitch.connector.spi.Outcome;
import billswitch.connector.spi.PaymentInstruction;
import billswitch.infra.config.BillSwitchProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A deterministic operator network, keyed on the last digit of the account or customer number:
 * 8 -> the operator declines (FAILED); 9 -> the upstream does not answer (UNKNOWN, the hold stays, and a
 * status enquiry settles it after resolveDelay); anything else -> SUCCESS with an operator reference.
 * The high-commission channel answers PENDING and settles the same way.
 * Bills derive from the account number, so the same account always shows the same bill in a month.
 * It exists in sandbox mode only: outside it, nothing can be routed to it and paid for nothing.
 */
@Component
@ConditionalOnProperty(name = "billswitch.sandbox.enabled", havingValue = "true")
class SandboxConnector implements Connector {
    private static final List<String> INDIAN_NAMES = List.of("SALMAN KHAN", "PRIYA SHARMA", "ARJUN MEHTA", "ANANYA IYER",
            "RAHUL VERMA", "KAVYA NAIR", "VIKRAM SINGH", "MEERA PATEL");
    private static final List<String> VIETNAMESE_NAMES = List.of("NGUYEN VAN AN", "TRAN THI BINH", "LE VAN CUONG",
            "PHAM THI DUNG", "HOANG VAN EM", "VU THI PHUONG");

    private static final Executor ANSWERS = Executors.newVirtualThreadPerTaskExecutor();

    private final long latencyMs;
    private final Duration resolveDelay;
    private final Clock clock;

    SandboxConnector(BillSwitchProperties props, Clock clock) {
        this.latencyMs = props.sandbox().latencyMs();
        this.resolveDelay = props.sandbox().resolveDelay();
        this.clock = clock;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    /** The configured latency and a margin: checked at start to end well inside the initiated grace. */
    @Override
    public Duration deadline() {
        return Duration.ofMillis(latencyMs).plus(BillSwitchProperties.Resolution.CALL_MARGIN);
    }

    @Override
    public CompletableFuture<BillResult> fetchBill(BillQuery query) {
        return later(() -> fetched(query.operator(), query.accountNumber()));
    }

    private BillResult fetched(Operator operator, String accountNumber) {
        switch (lastDigit(accountNumber)) {
            case '8':
                return BillResult.of(Outcome.FAILED, "NO_BILL", "No bill is due on account " + accountNumber);
            case '9':
                return BillResult.of(Outcome.UNKNOWN, "TIMEOUT", "The biller did not answer in time");
            default:
                return new BillResult(Outcome.SUCCESS, bill(operator, accountNumber), "00", "Bill fetched");
        }
    }

    /** Answers after the configured latency without holding a thread meanwhile. */
    @Override
    public CompletableFuture<ConnectorResult> pay(PaymentInstruction instruction) {
        return later(() -> answer(instruction));
    }

    private ConnectorResult answer(PaymentInstruction instruction) {
        return switch (lastDigit(instruction.accountNumber())) {
            case '8' -> ConnectorResult.of(Outcome.FAILED, null, "DECLINED", "The operator declined the payment");
            case '9' -> ConnectorResult.of(Outcome.UNKNOWN, null, "TIMEOUT", "The operator did not answer in time");
            default -> instruction.channel() == Operator.Channel.HIGH_COMMISSION
                    ? ConnectorResult.of(Outcome.PENDING, null, "INITIATED", "Accepted on the high-commission channel")
                    : ConnectorResult.of(Outcome.SUCCESS, operatorRef(instruction), "00", "Payment successful");
        };
    }

    /**
     * What became of an earlier attempt. Declines stay declined; an unanswered (9) or high-commission
     * payment is still processing until resolveDelay after it was sent, then settled: an account ending
     * 99 as declined, any other as paid.
     */
    @Override
    public CompletableFuture<ConnectorResult> status(PaymentInstruction instruction) {
        return later(() -> statusOf(instruction));
    }

    private ConnectorResult statusOf(PaymentInstruction instruction) {
        String account = instruction.accountNumber();
        char last = lastDigit(account);
        if (last == '8') {
            return ConnectorResult.of(Outcome.FAILED, null, "DECLINED", "The operator declined the payment");
        }
        boolean delayed = last == '9' || instruction.channel() == Operator.Channel.HIGH_COMMISSION;
        if (delayed && clock.instant().isBefore(instruction.sentAt().plus(resolveDelay))) {
            return ConnectorResult.of(Outcome.PENDING, null, "PROCESSING", "Still processing at the operator");
        }
        if (account.endsWith("99")) {
            return ConnectorResult.of(Outcome.FAILED, null, "DECLINED", "The operator declined the payment after processing");
        }
        return ConnectorResult.of(Outcome.SUCCESS, operatorRef(instruction), "00", "Payment successful");
    }

    private static String operatorRef(PaymentInstruction instruction) {
        return "SBX" + instruction.orderId() + "A" + instruction.attemptId();
    }

    /**
     * The providers' documented example accounts answer with the documented bills, so their published
     * samples work against the sandbox as printed.
     */
    private static final Map<String, Bill> DOCUMENTED = Map.of(
            "airtel-postpaid|102277100", new Bill(82_000, "SALMAN", "B102277100", "Jan 2021",
                    LocalDate.of(1990, 1, 1), LocalDate.of(2021, 1, 6), false),
            "bses-rajdhani|151627591", new Bill(5_000, "SEED CUSTOMER", "B151627591", "Jan 2024",
                    LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31), false),
            "evnhn|PD12121", new Bill(100_000, "NGUYEN VAN AN", "117934", "4/2020",
                    LocalDate.of(2020, 4, 1), LocalDate.of(2020, 5, 1), false));

    private Bill bill(Operator operator, String accountNumber) {
        Bill documented = DOCUMENTED.get(operator.id() + "|" + accountNumber);
        if (documented != null) {
            return documented;
        }
        LocalDate today = LocalDate.now(clock);
        long h = hash(operator.id() + "|" + accountNumber + "|" + today.getYear() + "-" + today.getMonthValue());
        long amount = operator.currency().minorDigits() == 2
                ? (150 + Math.floorMod(h, 4850)) * 100L              // Rs 150 .. Rs 4,999
                : (50 + Math.floorMod(h, 1950)) * 1000L;             // 50,000 .. 1,999,000 dong
        amount = Math.max(operator.minAmountMinor(), Math.min(operator.maxAmountMinor(), amount));
        List<String> names = operator.country().equals("VN") ? VIETNAMESE_NAMES : INDIAN_NAMES;
        String name = names.get((int) Math.floorMod(h >>> 16, names.size()));
        LocalDate billDate = today.withDayOfMonth(1 + (int) Math.floorMod(h >>> 24, 10));
        String period = billDate.format(DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH));
        String billNumber = "B" + (1_000_000L + Math.floorMod(h >>> 8, 9_000_000L));
        return new Bill(amount, name, billNumber, period, billDate, billDate.plusDays(30), operator.partialPayment());
    }

    /** The answer after the configured latency, holding no thread meanwhile. */
    private <T> CompletableFuture<T> later(Supplier<T> answer) {
        if (latencyMs == 0) {
            return CompletableFuture.completedFuture(answer.get());
        }
        return CompletableFuture.supplyAsync(answer, CompletableFuture.delayedExecutor(latencyMs, TimeUnit.MILLISECONDS, ANSWERS));
    }

    private static char lastDigit(String accountNumber) {
        return accountNumber.isEmpty() ? '0' : accountNumber.charAt(accountNumber.length() - 1);
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
