package com.atelier.reviews.etl.generate;

/** Placeholder until the generator lands. */
public final class GenerateCommand {
    private GenerateCommand() {
    }

    public static int run(String[] args) {
        System.err.println("generate: not yet");
        return 2;
    }
}
