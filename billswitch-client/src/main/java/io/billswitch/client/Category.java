package io.billswitch.client;

/** A biller category ({@code GET /v1/categories}). */
public record Category(String id, String name, String group, String country) {
}
