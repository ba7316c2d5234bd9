package com.mlplatform.logexport.shared.session;

/**
 * A role session name that has passed {@link SessionNameGenerator#validate(String)}. Code that calls AssumeRole takes
 * this type, not a String, so an unvalidated name cannot be sent (seed property 6).
 */
public record SessionName(String value) {

    public SessionName {
        if (!SessionNameGenerator.validate(value)) {
            throw new InvalidSessionNameException(SessionNameGenerator.explain(value));
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
