package billswitch.admin;

/**
 * What an admin identity may do (the full matrix is in the README and in the admin API's security chain):
 * READ_ONLY reads; OPERATIONS settles and reviews orders, redelivers webhooks, runs connectors, routes and the
 * catalog, suspends and reactivates partners; FINANCE tops up wallets; ADMIN does all of it and manages
 * partners' credentials and the admin identities.
 */
public enum AdminRole {
    READ_ONLY, OPERATIONS, FINANCE, ADMIN
}
