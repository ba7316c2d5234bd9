package com.mlplatform.logexport.shared.job;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Reads an option's value as the API and the job record spell it: case-insensitive, by its wire name. */
final class WireNames {

    private WireNames() {
    }

    static <E extends Enum<E>> Optional<E> find(E[] values, Function<E, String> wireName, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT);
        for (E e : values) {
            if (wireName.apply(e).equals(v)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
