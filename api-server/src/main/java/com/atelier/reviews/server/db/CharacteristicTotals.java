package com.atelier.reviews.server.db;

/** A characteristic of a product with the sum and number of the values given to it. */
public record CharacteristicTotals(int id, String name, long valueSum, long valueCount) {
}
