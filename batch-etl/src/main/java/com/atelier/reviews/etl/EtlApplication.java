package com.atelier.reviews.etl;

import com.atelier.reviews.etl.generate.GenerateCommand;

import java.util.Arrays;

/**
 * {@code java -jar batch-etl.jar etl DIR [--every DURATION | --cron "CRON"]} loads the client's CSV files;
 * {@code java -jar batch-etl.jar generate --products N --out DIR [--seed S] | --scale full --out DIR} writes a dataset
 * in their format.
 */
public final class EtlApplication {

    private EtlApplication() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int exit = switch (command) {
            case "etl" -> EtlCommand.run(rest);
            case "generate" -> GenerateCommand.run(rest);
            case "help", "-h", "--help" -> {
                usage();
                yield 0;
            }
            default -> {
                usage();
                yield 2;
            }
        };
        System.exit(exit);
    }

    static void usage() {
        System.err.println("""
                usage: java -jar batch-etl.jar etl DIR [--every DURATION | --cron "CRON"]
                         loads reviews.csv, reviews_photos.csv, characteristics.csv and characteristic_reviews.csv
                         from DIR into DATABASE_URL (DATABASE_USER, DATABASE_PASSWORD); run it again to resume.
                         --every 1h / 30m / 90s / PT1H, or --cron "0 0 * * * *": keep running and load on schedule
                       java -jar batch-etl.jar generate --products N --out DIR [--seed S] [--dirty-percent P]
                       java -jar batch-etl.jar generate --scale full --out DIR [--seed S] [--dirty-percent P]""");
    }
}
