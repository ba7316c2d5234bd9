package com.mlplatform.logexport.shared.hash;

/**
 * Lower-case Crockford base 32: the digits and the lower-case letters without {@code i}, {@code l}, {@code o} and
 * {@code u}, so that an id or a hash read aloud or copied by hand cannot be mistaken. Export ids and the hashes in
 * STS session names use it: both must stay lower-case (IAM compares some names case-insensitively) and URL-safe.
 *
 * @see <a href="https://www.crockford.com/base32.html">Crockford's base 32</a>
 */
public final class Base32 {

    /** The alphabet as a regular-expression character class. */
    public static final String CHARACTER_CLASS = "[0-9a-hjkmnp-tv-z]";

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Base32() {
    }

    /** The first {@code length} characters of {@code bytes} read as one bit string, most significant bit first. */
    public static String encode(byte[] bytes, int length) {
        if (length < 0 || 5L * length > 8L * bytes.length) {
            throw new IllegalArgumentException(length + " characters need more than " + bytes.length + " bytes");
        }
        StringBuilder sb = new StringBuilder(length);
        long buffer = 0;
        int bits = 0;
        int i = 0;
        while (sb.length() < length) {
            if (bits < 5) {
                buffer = (buffer << 8) | (bytes[i++] & 0xff);
                bits += 8;
            }
            sb.append(ALPHABET[(int) ((buffer >>> (bits - 5)) & 31)]);
            bits -= 5;
        }
        return sb.toString();
    }

    /** The low {@code 5 * length} bits of {@code value} in {@code length} characters, most significant first. */
    public static String encode(long value, int length) {
        if (length < 0 || length > 12) {
            throw new IllegalArgumentException("a long holds 12 characters at most, not " + length);
        }
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[(int) ((value >>> (5 * (length - 1 - i))) & 31)];
        }
        return new String(out);
    }
}
