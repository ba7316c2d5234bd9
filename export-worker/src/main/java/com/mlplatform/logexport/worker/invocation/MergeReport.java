package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.format.ExportSummary;
import com.mlplatform.logexport.worker.merge.KWayMerge;
import com.mlplatform.logexport.worker.merge.StreamCursor;
import java.util.ArrayList;
import java.util.List;

/** What a merge has done so far, as the job record's progress and as the file's header and closing line. */
final class MergeReport {

    private MergeReport() {
    }

    static Progress progress(KWayMerge merge, long bytes) {
        int done = (int) merge.cursors().stream().filter(StreamCursor::isDone).count();
        long events = merge.cursors().stream().mapToLong(StreamCursor::events).sum();
        return new Progress(merge.cursors().size(), done, events, bytes);
    }

    static ExportSummary summary(ExportJob job, KWayMerge merge, List<String> labels, EventSpan span) {
        List<ExportSummary.StreamCount> counts = new ArrayList<>();
        for (int i = 0; i < merge.cursors().size(); i++) {
            StreamCursor c = merge.cursors().get(i);
            counts.add(new ExportSummary.StreamCount(c.name(), labels.get(i), c.events()));
        }
        // "Generated at" is the export's request time, not the wall clock of the last invocation: the file is then
        // a pure function of the job and its logs, and a resumed export is byte-identical to an uninterrupted one.
        return new ExportSummary(job.trainingId(), job.usecaseId(), job.exportId(), job.requestedBy(),
                job.createdAt(), job.options().startTime(), job.options().endTime(), span.first, span.last, counts);
    }
}
