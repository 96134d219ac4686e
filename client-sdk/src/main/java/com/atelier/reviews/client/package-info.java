/**
 * The Atelier Reviews Java client: {@link com.atelier.reviews.client.ReviewsClient} (one shared HTTP client,
 * timeouts, retries with one {@code Idempotency-Key} per write), {@link com.atelier.reviews.client.ReviewsException}
 * (every error shape of the API, and transport failures), {@link com.atelier.reviews.client.ReviewStats} (metadata as
 * numbers) and {@link com.atelier.reviews.client.ReviewSort}. The API and model classes in the {@code api},
 * {@code model} and {@code invoker} subpackages are generated from the contract at build time.
 */
package com.atelier.reviews.client;
