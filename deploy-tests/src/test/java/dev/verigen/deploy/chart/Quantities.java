package dev.verigen.deploy.chart;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/** Kubernetes quantities as numbers. */
final class Quantities {

    private Quantities() {
    }

    static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.UP).longValueExact();
    }

    static BigDecimal amount(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }
}
