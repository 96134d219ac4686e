package com.atelier.reviews.etl;

import org.springframework.scheduling.support.CronExpression;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When scheduled loads run: every fixed duration, or at the times of a cron expression. */
sealed interface Schedule {

    /** The next run after {@code last} (the start of the previous run). */
    LocalDateTime next(LocalDateTime last);

    record Every(Duration period) implements Schedule {
        @Override
        public LocalDateTime next(LocalDateTime last) {
            return last.plus(period);
        }

        @Override
        public String toString() {
            return "every " + period.toString().substring(2).toLowerCase(Locale.ROOT);
        }
    }

    record Cron(CronExpression expression, String text) implements Schedule {
        @Override
        public LocalDateTime next(LocalDateTime last) {
            return expression.next(last);
        }

        @Override
        public String toString() {
            return "cron \"" + text + "\"";
        }
    }

    Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** 90s, 30m, 1h, 2d, or ISO-8601 (PT1H30M). */
    static Every every(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(t);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the period must be positive: " + text);
        }
        return new Every(d);
    }

    /** Spring's six fields (second minute hour day month weekday); classic five-field crontab lines get second 0. */
    static Cron cron(String text) {
        String t = text.trim();
        String six = t.split("\\s+").length == 5 ? "0 " + t : t;
        return new Cron(CronExpression.parse(six), t);
    }
}
