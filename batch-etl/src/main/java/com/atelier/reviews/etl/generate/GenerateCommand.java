package com.atelier.reviews.etl.generate;

import com.atelier.reviews.etl.load.SourceFile;

import java.nio.file.Path;

/**
 * {@code generate --products N --out DIR [--seed S] [--dirty-percent P]} or {@code generate --scale full --out DIR}:
 * writes the four files (see {@link DatasetGenerator}). Defaults: seed 42, 2 % dirty rows per file.
 */
public final class GenerateCommand {

    private GenerateCommand() {
    }

    public static int run(String[] args) {
        Integer products = null;
        Path out = null;
        long seed = 42;
        double dirtyPercent = 2;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--products" -> products = Integer.parseInt(value(args, ++i));
                    case "--scale" -> {
                        String scale = value(args, ++i);
                        if (!scale.equals("full")) {
                            throw new IllegalArgumentException("--scale takes only 'full'");
                        }
                        products = DatasetGenerator.FULL_SCALE_PRODUCTS;
                    }
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "--dirty-percent" -> dirtyPercent = Double.parseDouble(value(args, ++i));
                    default -> throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
            }
            if (products == null || products < 1 || out == null) {
                throw new IllegalArgumentException("--products N (or --scale full) and --out DIR are required");
            }
            if (dirtyPercent < 0 || dirtyPercent > 50) {
                throw new IllegalArgumentException("--dirty-percent must be between 0 and 50");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("generate: " + e.getMessage());
            System.err.println("usage: generate --products N --out DIR [--seed S] [--dirty-percent P]"
                    + " | generate --scale full --out DIR [--seed S] [--dirty-percent P]");
            return 2;
        }
        try {
            long started = System.nanoTime();
            DatasetGenerator.Counts counts = DatasetGenerator.generate(
                    new DatasetGenerator.Spec(products, seed, dirtyPercent), out);
            System.out.printf("generated %,d products in %s (seed %d) in %.1f s%n", products, out.toAbsolutePath(),
                    seed, (System.nanoTime() - started) / 1e9);
            for (SourceFile f : SourceFile.values()) {
                System.out.printf("  %-27s %,12d rows + %,9d dirty%n", f.fileName(), counts.good().get(f),
                        counts.dirty().get(f));
            }
            return 0;
        } catch (Exception e) {
            System.err.println("generate: " + e);
            return 1;
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
