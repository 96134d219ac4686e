package com.atelier.reviews.etl;

import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.etl.job.CsvLoad;
import com.atelier.reviews.etl.job.LoadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * {@code etl DIR [--every DURATION | --cron "CRON"] [--chunk-size N]}. Exit 0 when the files are loaded (rejects
 * included) or already were, 1 when the load failed (run again to resume), 2 for a usage or configuration error,
 * 3 when another load holds the database.
 */
final class EtlCommand {

    private EtlCommand() {
    }

    static int run(String[] args) {
        Path dir = null;
        Schedule schedule = null;
        LoadOptions options = LoadOptions.defaults();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--every" -> schedule = Schedule.every(value(args, ++i, "--every"));
                    case "--cron" -> schedule = Schedule.cron(value(args, ++i, "--cron"));
                    case "--chunk-size" -> options.chunkSize(Integer.parseInt(value(args, ++i, "--chunk-size")));
                    case "--progress-seconds" -> options.progressSeconds(Long.parseLong(value(args, ++i, "--progress-seconds")));
                    default -> {
                        if (args[i].startsWith("--") || dir != null) {
                            throw new IllegalArgumentException("unexpected argument " + args[i]);
                        }
                        dir = Path.of(args[i]);
                    }
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("the directory of the CSV files is missing");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("etl: " + e.getMessage());
            EtlApplication.usage();
            return 2;
        }
        ConnectionSettings db;
        try {
            db = ConnectionSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("etl: " + e.getMessage());
            return 2;
        }
        if (db == null) {
            System.err.println("etl: DATABASE_URL is not set (e.g. DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/reviews"
                    + " DATABASE_USER=postgres DATABASE_PASSWORD=...)");
            return 2;
        }
        if (schedule == null) {
            return loadOnce(db, dir, options);
        }
        System.out.printf("loading %s %s into %s%n", dir, schedule, db);
        while (true) {
            LocalDateTime started = LocalDateTime.now();
            int exit = loadOnce(db, dir, options);
            if (exit == 2) {
                return exit; // a configuration error will not fix itself
            }
            LocalDateTime next = schedule.next(started);
            System.out.printf("next load at %s%n", next.withNano(0));
            try {
                Thread.sleep(Math.max(0, Duration.between(LocalDateTime.now(), next).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private static int loadOnce(ConnectionSettings db, Path dir, LoadOptions options) {
        try {
            CsvLoad.Outcome outcome = CsvLoad.run(db, dir, options);
            return switch (outcome.status()) {
                case LOADED, ALREADY_LOADED -> 0;
                case FAILED -> 1;
                case BUSY -> 3;
            };
        } catch (IllegalArgumentException e) {
            System.err.println("etl: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("etl: the load failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
