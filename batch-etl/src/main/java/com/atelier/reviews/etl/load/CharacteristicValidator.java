package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;
import com.atelier.reviews.etl.csv.CsvRecord;

import java.nio.file.Path;

/** characteristics.csv: id,product_id,name */
public final class CharacteristicValidator extends RowValidator {

    public CharacteristicValidator(Path file) {
        super(SourceFile.CHARACTERISTICS, file);
    }

    @Override
    protected int encode(CsvRecord r, CopyTuple t) throws Rejection {
        int id = id(r, 0, "id");
        int productId = id(r, 1, "product_id");
        byte[] name = requiredText(r, 2, "name");
        t.int4(id).int4(productId).text(name);
        return id;
    }

    @Override
    public void handOverAcceptedIds(ReferenceIds references) {
        references.handOverCharacteristics(acceptedIds());
    }
}
