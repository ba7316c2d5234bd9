package com.mlplatform.logexport.api.download;

import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptRoutes;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * GET /usecases/{usecaseId}/trainings/{trainingId}/logs/download, the seed's original route: 303 to the file of a
 * recent SUCCEEDED export (with its status document as the body), else an export starts as with POST (202).
 */
public final class DownloadRoute {

    private final AccessControl access;
    private final RecentExports recent;
    private final DownloadLinks links;
    private final AcceptRoutes accept;
    private final BiFunction<ExportJob, DownloadLink, Object> statusDocument;
    private final Duration reuseWindow;
    private final Clock clock;

    /**
     * @param statusDocument the status routes' document of an export, the body of the 303 (passed in: the status
     *                       package depends on this one for its download links)
     */
    public DownloadRoute(AccessControl access, RecentExports recent, DownloadLinks links, AcceptRoutes accept,
                         BiFunction<ExportJob, DownloadLink, Object> statusDocument, Duration reuseWindow,
                         Clock clock) {
        this.access = access;
        this.recent = recent;
        this.links = links;
        this.accept = accept;
        this.statusDocument = statusDocument;
        this.reuseWindow = reuseWindow;
        this.clock = clock;
    }

    public Reply download(Caller caller, String usecaseId, String trainingId) {
        UseCase useCase = access.requireMember(usecaseId, caller);
        Optional<ExportJob> done = recent.latestSucceeded(caller.userId(), usecaseId, trainingId,
                clock.instant().minus(reuseWindow));
        if (done.isPresent()) {
            DownloadLink link = links.mint(done.get().result());
            return Reply.of(303, statusDocument.apply(done.get(), link)).withHeader("Location", link.url());
        }
        return accept.startOne(caller, useCase, trainingId, ExportOptions.DEFAULT);
    }
}
