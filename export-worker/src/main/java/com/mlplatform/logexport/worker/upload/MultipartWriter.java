package com.mlplatform.logexport.worker.upload;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.worker.failure.Retrier;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an export's body into one S3 multipart upload, holding at most two parts in memory: the "head" (part 1,
 * written last, as header + head, because the header's counts are known only at the end) and the "tail" (parts 2,
 * 3, … uploaded as they fill). Parts are cut only between events, so a resumed export cuts exactly the same parts;
 * at a checkpoint head and tail go to a working object (the "stash"). Why and how: docs/worker.md, "Streaming
 * upload". With gzip the buffers hold compressed bytes and part sizes count compressed bytes; every part, the
 * stash and the header are whole gzip members ({@link GzipMembers}), so nothing of the compressor survives an
 * invocation.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html">Amazon S3 multipart upload limits</a>
 */
public final class MultipartWriter extends OutputStream {

    /**
     * Upload progress that survives an invocation (stored in the checkpoint).
     *
     * @param nextPartNumber the number the next tail part gets (2 for the first)
     * @param bodyBytes      body bytes written so far (header excluded), before compression
     * @param headSealed     the head is full; new bytes go to the tail
     * @param headLength     bytes of the head in the stash (compressed, when the export is)
     * @param tailLength     bytes of the unfinished tail part in the stash (compressed, when the export is)
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
    private final PartEncoding encoding;
    private boolean headSealed;
    private int nextPartNumber;
    private long bodyBytes;

    private MultipartWriter(MultipartStore store, String key, String uploadId, PartSizePolicy policy, Retrier retrier,
                            State state, PartEncoding encoding) {
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
        this.encoding = encoding;
    }

    /**
     * Continues from a checkpoint ({@link State#EMPTY} and no stash for a new upload): {@code stash} holds the head
     * followed by the tail, as {@link #stash()} wrote.
     */
    public static MultipartWriter resume(MultipartStore store, String key, String uploadId, PartSizePolicy policy,
                                         Retrier retrier, State state, byte[] stash, ExportCompression compression) {
        if (stash.length != state.headLength() + state.tailLength()) {
            throw new IllegalStateException("stash has " + stash.length + " bytes, checkpoint expects "
                    + (state.headLength() + state.tailLength()));
        }
        MultipartWriter w = new MultipartWriter(store, key, uploadId, policy, retrier, state,
                PartEncoding.of(compression));
        w.head.write(stash, 0, state.headLength());
        w.tail.write(stash, state.headLength(), state.tailLength());
        return w;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        encoding.write(b, off, len, current());
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
                encoding.close(head);
                headSealed = true;
            }
            return;
        }
        if (tail.size() >= policy.sizeOf(nextPartNumber)) {
            encoding.close(tail);
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

    /** For the checkpoint; ends the open gzip member first, so state and stash hold whole members. */
    public State state() {
        encoding.close(current());
        return new State(nextPartNumber, bodyBytes, headSealed, head.size(), tail.size());
    }

    /** Head then tail, for the checkpoint's working object. */
    public List<ByteSlice> stash() {
        encoding.close(current());
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
        encoding.close(current());
        if (headSealed && tail.size() > 0) {
            uploadTail();
        }
        List<ByteSlice> first = new ArrayList<>(2);
        first.add(ByteSlice.of(encoding.whole(header)));
        first.add(head.slice());
        retrier.run(() -> store.uploadPart(key, uploadId, 1, first));
        int lastPart = headSealed ? nextPartNumber - 1 : 1;
        long size = retrier.call(() -> store.complete(key, uploadId, lastPart));
        encoding.release();
        return size;
    }
}
