package com.mlplatform.logexport.emulator;

/**
 * The account ids the emulator plays. The platform is moto's default account, so requests without an account
 * header (the Lambdas' own) land there; use cases live in accounts of their own.
 */
public final class Accounts {
    public static final String PLATFORM = "123456789012";
    public static final String USECASE_A = "111111111111";
    public static final String USECASE_B = "222222222222";

    private Accounts() {
    }
}
