package com.mlplatform.logexport.worker.reconcile;

import java.util.Optional;

/**
 * What the reconciler remembers of each export between runs ({@link RedriveMark}). Kept apart from the job record:
 * the worker rewrites the whole record at every claim, which would erase a count kept there at each restart, and
 * a job that crashes its worker at every hop would then be restarted until its maximum age.
 */
public interface RedriveMarks {

    Optional<RedriveMark> find(String exportId);

    void save(RedriveMark mark);
}
