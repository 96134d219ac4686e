package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.generate.DatasetGenerator;
import com.atelier.reviews.etl.load.SourceFile;

import java.nio.file.Path;

/** A generated dataset for a test, with the counts the generator reports. */
record GeneratedData(Path dir, DatasetGenerator.Counts counts) {

    static GeneratedData generate(Path dir, int products, long seed, double dirtyPercent) throws Exception {
        return new GeneratedData(dir, DatasetGenerator.generate(new DatasetGenerator.Spec(products, seed, dirtyPercent), dir));
    }

    long good(SourceFile f) {
        return counts.good().get(f);
    }

    long dirty(SourceFile f) {
        return counts.dirty().get(f);
    }
}
