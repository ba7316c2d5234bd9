package com.mlplatform.logexport.api.exportstable;

import com.mlplatform.logexport.shared.compress.GzipText;

/**
 * Text stored as a gzip binary attribute: a DynamoDB item holds at most 400 KB, and what the API stores of a
 * client's request (a replayed answer, a batch's per-item errors) echoes the client's ids, which a body of 256 KiB
 * can make larger than that. JSON with repeated messages compresses to a fraction; since gzip never grows its input
 * by more than a few bytes per 32 KiB block, anything derived from one request body stays under the item limit.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-items">DynamoDB item size limit</a>
 */
final class Gzip {

    /**
     * Most bytes we put into one attribute: the 400 KB item limit less room for the key and the other attributes
     * of the item.
     */
    static final int MAX_STORED_BYTES = 380 * 1024;

    private Gzip() {
    }

    static byte[] compress(String text) {
        return GzipText.compress(text);
    }

    static String decompress(byte[] bytes) {
        return GzipText.decompress(bytes);
    }
}
