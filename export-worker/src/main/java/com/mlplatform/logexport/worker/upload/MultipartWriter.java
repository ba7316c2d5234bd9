package com.mlplatform.logexport.worker.upload;

import com.mlplatform.logexport.worker.failure.Retrier;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an export's body into one S3 multipart upload, holding at most two parts in memory: the "head" (part 1,
 * written last, as header + head, because the header's counts are known only at the end) and the "tail" (parts 2,
 * 3, … uploaded as they fill). Parts are cut only between events, so a resumed export cuts exactly the same parts;
 * at a checkpoint head and tail go to a working object (the "stash"). Why and how: docs/worker.md, "Streaming
 * upload".
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html">Amazon S3 multipart upload limits</a>
 */
public final class MultipartWriter extends OutputStream {

    /**
     * Upload progress that survives an invocation (stored in the checkpoint).
     *
     * @param nextPartNumber the number the next tail part gets (2 for the first)
     * @param bodyBytes      body bytes written so far (header excluded)
     * @param headSealed     the head is full; new bytes go to the tail
     * @param headLength     bytes of the head in the stash
     * @param tailLength     bytes of the unfinished tail part in the stash
     */
    public record State(int nextPartNumber, long bodyBytes, boolean headSealed, int headLength, int tailLength) {
        public static final State EMPTY = new State(2, 0, false, 0, 0);
    }

    private final MultipartStore store;
    private final String key;
    private final String uploadId;
    private final PartSizePolicy policy;
    private final Retrier retrier;
    private final PartBuffer head;
    private final PartBuffer tail;
    private boolean headSealed;
    private int nextPartNumber;
    private long bodyBytes;

    private MultipartWriter(MultipartStore store, String key, String uploadId, PartSizePolicy policy, Retrier retrier,
                            State state) {
        this.store = store;
        this.key = key;
        this.uploadId = uploadId;
        this.policy = policy;
        this.retrier = retrier;
        this.head = new PartBuffer(Math.max(64 * 1024, state.headLength()), policy.sizeOf(1) + (1 << 20));
        this.tail = new PartBuffer(Math.max(64 * 1024, state.tailLength()),
                policy.sizeOf(state.nextPartNumber()) + (1 << 20));
        this.headSealed = state.headSealed();
        this.nextPartNumber = state.nextPartNumber();
        this.bodyBytes = state.bodyBytes();
    }

    public static MultipartWriter start(MultipartStore store, String key, String uploadId, PartSizePolicy policy,
                                        Retrier retrier) {
        return new MultipartWriter(store, key, uploadId, policy, retrier, State.EMPTY);
    }

    /** Continues from a checkpoint: {@code stash} holds the head followed by the tail, as {@link #stash()} wrote. */
    public static MultipartWriter resume(MultipartStore store, String key, String uploadId, PartSizePolicy policy,
                                         Retrier retrier, State state, byte[] stash) {
        if (stash.length != state.headLength() + state.tailLength()) {
            throw new IllegalStateException("stash has " + stash.length + " bytes, checkpoint expects "
                    + (state.headLength() + state.tailLength()));
        }
        MultipartWriter w = new MultipartWriter(store, key, uploadId, policy, retrier, state);
        w.head.write(stash, 0, state.headLength());
        w.tail.write(stash, state.headLength(), state.tailLength());
        return w;
    }

    @Override
    public void write(int b) {
        current().write(b);
        bodyBytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        current().write(b, off, len);
        bodyBytes += len;
    }

    private PartBuffer current() {
        return headSealed ? tail : head;
    }

    /**
     * Called between events: seals the head once it is a full part, uploads the tail once it is. If the upload
     * fails (or runs out of time), nothing has changed and the caller can checkpoint.
     */
    public void cutIfFull() {
        if (!headSealed) {
            if (head.size() >= policy.sizeOf(1)) {
                headSealed = true;
            }
            return;
        }
        if (tail.size() >= policy.sizeOf(nextPartNumber)) {
            uploadTail();
        }
    }

    private void uploadTail() {
        int partNumber = nextPartNumber;
        if (partNumber > PartSizePolicy.MAX_PARTS) {
            throw new IllegalStateException("export exceeds S3's 10,000 parts");
        }
        ByteSlice body = tail.slice();
        retrier.run(() -> store.uploadPart(key, uploadId, partNumber, List.of(body)));
        tail.reset();
        nextPartNumber = partNumber + 1;
        if (nextPartNumber <= PartSizePolicy.MAX_PARTS) {
            tail.target(policy.sizeOf(nextPartNumber) + (1 << 20));
        }
    }

    public State state() {
        return new State(nextPartNumber, bodyBytes, headSealed, head.size(), tail.size());
    }

    /** Head then tail, for the checkpoint's working object. */
    public List<ByteSlice> stash() {
        return List.of(head.slice(), tail.slice());
    }

    public long bodyBytes() {
        return bodyBytes;
    }

    /**
     * Uploads the last tail part and part 1 (header + head), then completes the upload: only now does the object
     * appear. Returns the object's size.
     */
    public long finish(byte[] header) {
        if (headSealed && tail.size() > 0) {
            uploadTail();
        }
        List<ByteSlice> first = new ArrayList<>(2);
        first.add(ByteSlice.of(header));
        first.add(head.slice());
        retrier.run(() -> store.uploadPart(key, uploadId, 1, first));
        int lastPart = headSealed ? nextPartNumber - 1 : 1;
        return retrier.call(() -> store.complete(key, uploadId, lastPart));
    }
}
