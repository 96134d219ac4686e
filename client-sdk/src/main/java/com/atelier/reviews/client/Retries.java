package com.atelier.reviews.client;

import com.atelier.reviews.client.invoker.ApiException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Bounded retries of one logical call, with Stripe's backoff (stripe-java {@code HttpClient.sleepTime}: the initial
 * delay doubled per retry, capped, 75-100 % jitter, never under the initial delay) and, like Stripe's other
 * libraries, at least the server's {@code Retry-After}. A {@code Retry-After} longer than the cap is not waited for:
 * the error goes to the caller, who can read it from {@link ReviewsException#retryAfter()}.
 */
final class Retries {

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;

    Retries(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Runs {@code call} until it succeeds, fails for good, or runs out of attempts. Writes pass a fixed key in. */
    <T> T run(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ApiException e) {
                ReviewsException error = ReviewsException.from(e, attempt);
                Optional<Duration> wait = attempt < maxAttempts && error.isRetryable()
                        ? delayBeforeRetry(attempt, error.retryAfter()) : Optional.empty();
                if (wait.isEmpty()) {
                    throw error;
                }
                try {
                    Thread.sleep(wait.get().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw error;
                }
            }
        }
    }

    /** The pause before retry number {@code retry} (1 = the second attempt); empty: do not retry. */
    Optional<Duration> delayBeforeRetry(int retry, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent() && retryAfter.get().compareTo(maxDelay) > 0) {
            return Optional.empty();
        }
        double backoff = Math.min(initialDelay.toNanos() * Math.pow(2, retry - 1), maxDelay.toNanos());
        Duration delay = Duration.ofNanos((long) (backoff * ThreadLocalRandom.current().nextDouble(0.75, 1.0)));
        if (delay.compareTo(initialDelay) < 0) {
            delay = initialDelay;
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        return Optional.of(delay);
    }
}
