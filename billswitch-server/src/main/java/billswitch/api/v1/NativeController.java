package billswitch.api.v1;

import billswitch.infra.http.CachedBodyRequest;
import billswitch.api.Responses;
import billswitch.api.v1.NativeViews.CategoryView;
import billswitch.api.v1.NativeViews.OperatorDetail;
import billswitch.api.v1.NativeViews.OperatorSummary;
import billswitch.api.v1.NativeViews.ParamView;
import billswitch.api.v1.NativeViews.PlanView;
import billswitch.api.v1.NativeViews.Statement;
import billswitch.api.v1.NativeViews.StatementEntryView;
import billswitch.api.v1.NativeViews.TransactionView;
import billswitch.api.v1.NativeViews.WalletView;
import billswitch.catalog.Catalog;
import billswitch.catalog.Operator;
import billswitch.ledger.Ledger;
import billswitch.partner.PartnerService;
import billswitch.payment.Answer;
import billswitch.payment.FetchCommand;
import billswitch.payment.Order;
import billswitch.payment.OrderKind;
import billswitch.payment.OrderQuery;
import billswitch.api.TimeRange;
import billswitch.payment.OrderStatus;
import billswitch.payment.PayCommand;
import billswitch.payment.PaymentService;
import billswitch.pricing.PaymentMode;
import billswitch.pricing.Pricing;
import billswitch.pricing.PricingJson;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import billswitch.infra.http.JsonBody;
import billswitch.shared.Money;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The native JSON API, v1. Authentication happened in {@link NativeAuthFilter}. */
@RestController
@RequestMapping(path = "/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class NativeController {
    static final String DIALECT = "NATIVE";
    private static final Pattern REFERENCE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final Pattern ID = Pattern.compile("^[0-9]{1,18}$");
    private static final int MAX_PAGE = 200;
    private static final int DEFAULT_LIST = 100;
    private static final int MAX_LIST = 500;

    private final Catalog catalog;
    private final PaymentService payments;
    private final PartnerService partners;
    private final Ledger ledger;
    private final Pricing pricing;
    private final JsonMapper json = JsonBody.mapper();

    NativeController(Catalog catalog, PaymentService payments, PartnerService partners, Ledger ledger, Pricing pricing) {
        this.catalog = catalog;
        this.pricing = pricing;
        this.payments = payments;
        this.partners = partners;
        this.ledger = ledger;
    }

    @GetMapping("/categories")
    Map<String, Object> categories() {
        return Map.of("categories", catalog.categories().stream().map(CategoryView::of).toList());
    }

    @GetMapping("/operators")
    Map<String, Object> operators(@RequestParam(required = false) String category,
                                  @RequestParam(required = false) String location,
                                  @RequestParam(required = false) String country) {
        return Map.of("operators", catalog.operators(category, location, country).stream().map(OperatorSummary::of).toList());
    }

    @GetMapping("/operators/{id}")
    OperatorDetail operator(@PathVariable String id) {
        Operator o = catalog.require(id);
        Map<String, Object> codes = new LinkedHashMap<>();
        codes.put("aopayOperator", o.codes().aopayOperator());
        codes.put("aopayProductId", o.codes().aopayProductId());
        codes.put("ekoOperatorId", o.codes().ekoOperatorId());
        codes.put("appotaServiceCode", o.codes().appotaServiceCode());
        codes.put("appotaTelco", o.codes().appotaTelco());
        codes.values().removeIf(v -> v == null);
        return new OperatorDetail(OperatorSummary.of(o), o.params().stream().map(ParamView::of).toList(),
                new NativeViews.Fee(o.feeFlatMinor(), o.feeBps()), o.commissionBps(), codes,
                catalog.plans(o.id()).stream().map(p -> PlanView.of(p, o.currency())).toList());
    }

    @PostMapping("/bills/fetch")
    ResponseEntity<String> fetchBill(HttpServletRequest request) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        byte[] body = CachedBodyRequest.body(request);
        requireJson(request);
        JsonBody in = JsonBody.parse(body).allowOnly(Set.of("operatorId", "accountNumber", "params", "reference"));
        String operatorId = in.requiredString("operatorId");
        String account = in.requiredString("accountNumber");
        Map<String, String> params = in.optionalStringMap("params");
        String reference = in.optionalString("reference");
        if (reference != null && !REFERENCE.matcher(reference).matches()) {
            in.problem("reference", "must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
        in.validate();
        Answer answer = payments.fetchBill(
                new FetchCommand(caller.partner().id(), DIALECT, reference, operatorId, account, params), this::renderFetch);
        return Responses.json(answer);
    }

    @PostMapping("/bills/pay")
    CompletableFuture<ResponseEntity<String>> payBill(HttpServletRequest request) {
        return pay(request, OrderKind.BILL_PAY);
    }

    @PostMapping("/recharges")
    CompletableFuture<ResponseEntity<String>> recharge(HttpServletRequest request) {
        return pay(request, OrderKind.RECHARGE);
    }

    private CompletableFuture<ResponseEntity<String>> pay(HttpServletRequest request, OrderKind kind) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        String key = request.getHeader("Idempotency-Key");
        byte[] body = CachedBodyRequest.body(request);
        if (key == null || key.isBlank()) {
            throw new BillSwitchException(ErrorCode.MISSING_IDEMPOTENCY_KEY);
        }
        if (!REFERENCE.matcher(key).matches()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "Idempotency-Key must be 1-64 letters, digits, '.', '_', ':' or '-'.");
        }
        requireJson(request);
        Set<String> fields = kind == OrderKind.BILL_PAY
                ? Set.of("operatorId", "accountNumber", "params", "amountMinor", "currency", "billFetchId", "channel",
                        "paymentMode")
                : Set.of("operatorId", "accountNumber", "amountMinor", "currency", "productCode", "paymentMode");
        JsonBody in = JsonBody.parse(body).allowOnly(fields);
        String operatorId = in.requiredString("operatorId");
        String account = in.requiredString("accountNumber");
        Map<String, String> params = in.optionalStringMap("params");
        Long amountMinor = in.requiredLong("amountMinor");
        String currencyCode = in.requiredString("currency");
        String fetchId = in.optionalString("billFetchId");
        String channelName = in.optionalString("channel");
        String productCode = in.optionalString("productCode");
        String modeName = in.optionalString("paymentMode");
        PaymentMode mode = modeName == null ? PaymentMode.CASH : PricingJson.mode(modeName);
        if (mode == null) {
            in.problem("paymentMode", "must be one of " + Arrays.toString(PaymentMode.values()));
        }
        if (amountMinor != null && (amountMinor <= 0 || amountMinor > Money.MAX_MAJOR * 100)) {
            in.problem("amountMinor", "must be a positive whole number of minor units, at most " + Money.MAX_MAJOR * 100);
        }
        Currency currency = null;
        if (currencyCode != null) {
            try {
                currency = Currency.parse(currencyCode);
            } catch (BillSwitchException e) {
                in.problem("currency", "must be one of " + Arrays.toString(Currency.values()));
            }
        }
        if (fetchId != null && !ID.matcher(fetchId).matches()) {
            in.problem("billFetchId", "must be the id of a bill fetch");
        }
        Operator.Channel channel = Operator.Channel.INSTANT;
        if (channelName != null) {
            try {
                channel = Operator.Channel.valueOf(channelName);
            } catch (IllegalArgumentException e) {
                in.problem("channel", "must be INSTANT or HIGH_COMMISSION");
            }
        }
        in.validate();
        PayCommand command = new PayCommand(caller.partner().id(), DIALECT, key, kind, operatorId, account, params,
                Money.of(amountMinor, currency), channel, fetchId == null ? null : Long.parseLong(fetchId), productCode, mode);
        return payments.pay(command, this::render, NativeAuthFilter.replayMark(request)).thenApply(Responses::json);
    }

    @GetMapping("/transactions/{id}")
    TransactionView transaction(HttpServletRequest request,
                                @PathVariable String id) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        if (!ID.matcher(id).matches()) {
            throw new BillSwitchException(ErrorCode.TRANSACTION_NOT_FOUND);
        }
        return TransactionView.of(payments.order(caller.partner().id(), Long.parseLong(id)));
    }

    /**
     * With {@code reference}: that payment. Without: the partner's payments, newest first, created in the range
     * (TimeRange), in a status, {@code limit} at a time (1-500, default 100), after the page {@code cursor} ended.
     */
    @GetMapping("/transactions")
    Object transactions(HttpServletRequest request,
                        @RequestParam(required = false) String reference,
                        @RequestParam(required = false) String from,
                        @RequestParam(required = false) String to,
                        @RequestParam(required = false) String status,
                        @RequestParam(required = false) String limit,
                        @RequestParam(required = false) String cursor) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        if (reference != null) {
            return TransactionView.of(payments.orderByReference(caller.partner().id(), reference));
        }
        Map<String, String> problems = new LinkedHashMap<>();
        TimeRange range = null;
        try {
            range = TimeRange.parse(from, to);
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
        }
        OrderStatus wanted = null;
        if (status != null) {
            try {
                wanted = OrderStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                problems.put("status", "must be one of " + Arrays.toString(OrderStatus.values()));
            }
        }
        int size = DEFAULT_LIST;
        if (limit != null) {
            size = limit.matches("^[0-9]{1,4}$") ? Integer.parseInt(limit) : -1;
            if (size < 1 || size > MAX_LIST) {
                problems.put("limit", "must be a whole number from 1 to " + MAX_LIST);
            }
        }
        ListCursor position = null;
        if (cursor != null) {
            position = ListCursor.parse(cursor);
            if (position == null) {
                problems.put("cursor", "is not a cursor this listing gave");
            }
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "Invalid query parameters: " + problems + ".", problems);
        }
        List<Order> page = payments.orders(caller.partner().id(), new OrderQuery(range.from(), range.to(), wanted,
                position == null ? null : position.createdAt(), position == null ? null : position.id(), size));
        String next = page.size() == size ? ListCursor.of(page.get(page.size() - 1)) : null;
        return new NativeViews.TransactionPage(page.stream().map(TransactionView::of).toList(), next);
    }

    @GetMapping("/wallet")
    NativeViews.Wallets wallet(HttpServletRequest request,
                               @RequestParam(required = false) String currency) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        List<Currency> currencies = currency == null ? List.of(Currency.values()) : List.of(Currency.parse(currency));
        return new NativeViews.Wallets(caller.partner().id(), currencies.stream()
                .map(c -> WalletView.of(ledger.balance(partners.walletId(caller.partner().id(), c)))).toList());
    }

    @GetMapping("/wallet/statement")
    Statement statement(HttpServletRequest request,
                        @RequestParam String currency,
                        @RequestParam(defaultValue = "50") int limit,
                        @RequestParam(required = false) String before) {
        PartnerService.Credential caller = NativeAuthFilter.caller(request);
        Currency c = Currency.parse(currency);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_PAGE + ".",
                    Map.of("limit", "out of range"));
        }
        if (before != null && !ID.matcher(before).matches()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "before must be a statement entry id.",
                    Map.of("before", "not an id"));
        }
        List<Ledger.StatementEntry> entries = ledger.statement(partners.walletId(caller.partner().id(), c),
                before == null ? Long.MAX_VALUE : Long.parseLong(before), limit);
        String next = entries.size() == limit ? Long.toString(entries.get(entries.size() - 1).transferId()) : null;
        return new Statement(c.name(), entries.stream().map(StatementEntryView::of).toList(), next);
    }

    /** Final outcomes answer 200; accepted-but-unsettled ones 202. */
    /**
     * A bill fetch's answer: the transaction, and the biller's convenience fee (CCF) on the bill's amount for the
     * default payment mode (CASH) and for every mode, which a payment of that amount by that mode adds to the debit.
     */
    private Answer renderFetch(Order order) {
        tools.jackson.databind.node.ObjectNode body = json.valueToTree(TransactionView.of(order));
        catalog.find(order.operatorId()).ifPresent(operator -> {
            long amount = order.bill() != null ? order.bill().amountMinor() : order.amountMinor();
            Map<PaymentMode, Long> byMode = pricing.ccfByMode(operator, amount);
            long cash = byMode.get(PaymentMode.CASH);
            body.set("ccf", json.valueToTree(new NativeViews.CcfView(PaymentMode.CASH.name(), cash,
                    order.currency().format(cash), byMode)));
        });
        return new Answer(200, json.writeValueAsString(body));
    }

    private Answer render(Order order) {
        int status = order.status() == OrderStatus.PENDING || order.status() == OrderStatus.UNKNOWN
                || order.status() == OrderStatus.INITIATED ? 202 : 200;
        return new Answer(status, json.writeValueAsString(TransactionView.of(order)));
    }


    static void requireJson(HttpServletRequest request) {
        String type = request.getContentType();
        boolean json;
        try {
            json = type != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type));
        } catch (InvalidMediaTypeException e) {
            json = false;
        }
        if (!json) {
            throw new BillSwitchException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json; got " + (type == null ? "none" : "'" + type + "'") + ".");
        }
    }
}
