package billswitch.pricing;

/** How the customer paid the partner (BBPS payment modes): a biller's convenience fee may depend on it. */
public enum PaymentMode {
    CASH, WALLET, UPI, INTERNET_BANKING, DEBIT_CARD, CREDIT_CARD, PREPAID_CARD, IMPS, NEFT, ACCOUNT_TRANSFER,
    BHARAT_QR, AEPS, USSD, CHEQUE
}
