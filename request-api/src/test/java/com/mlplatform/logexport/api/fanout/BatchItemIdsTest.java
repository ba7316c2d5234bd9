package com.mlplatform.logexport.api.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportIds;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchItemIdsTest {

    @Property
    void exportId_isAValidPublicId_andLeadsBackToItsBatchAndIndex(@ForAll @IntRange(min = 0, max = 1_048_575) int index) {
        String batchId = ExportIds.newBatchId();
        String id = BatchItemIds.exportId(batchId, index);
        assertThat(id).matches(ExportIds.EXPORT_ID);
        assertThat(BatchItemIds.parse(id)).hasValue(new BatchItemIds.Ref(BatchItemIds.prefix(batchId), index));
    }

    @Test
    void parse_refusesWhatIsNotAnExportId() {
        assertThat(BatchItemIds.parse("bat-0123456789abcdefghjkmnpqrs")).isEmpty();
        assertThat(BatchItemIds.parse("exp-short")).isEmpty();
        assertThat(BatchItemIds.parse(null)).isEmpty();
    }
}
