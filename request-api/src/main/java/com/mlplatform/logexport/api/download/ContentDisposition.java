package com.mlplatform.logexport.api.download;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a download (RFC 6266). The plain {@code filename} is an ASCII
 * stand-in for old clients; a name with other characters also goes into {@code filename*} as RFC 8187
 * UTF-8 percent-encoding, which every current browser prefers.
 */
public final class ContentDisposition {

    private ContentDisposition() {
    }

    public static String attachment(String filename) {
        String fallback = asciiFallback(filename);
        StringBuilder sb = new StringBuilder("attachment; filename=\"").append(fallback).append('"');
        if (!fallback.equals(filename)) {
            sb.append("; filename*=UTF-8''").append(encodeRfc8187(filename));
        }
        return sb.toString();
    }

    /** Printable ASCII minus the characters a quoted-string would need to escape. */
    static String asciiFallback(String filename) {
        StringBuilder sb = new StringBuilder(filename.length());
        filename.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\'
                ? (char) cp : '_'));
        return sb.toString();
    }

    /** attr-char from RFC 8187 stays as is; every other UTF-8 byte becomes %XX. */
    static String encodeRfc8187(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isAttrChar(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}
