package dev.largo.service.frontier;

import dev.largo.api.model.AdapterFormat;
import dev.largo.api.model.Frontier;
import dev.largo.api.model.FrontierRequest;
import dev.largo.api.server.FrontierApi;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** The robustness frontier endpoints of the contract ({@code openapi.yaml}, tag Frontier). */
@RestController
public class FrontierController implements FrontierApi {

    private final FrontierRequests requests;
    private final FrontierViews views;
    private final FrontierDownloads downloads;

    public FrontierController(FrontierRequests requests, FrontierViews views, FrontierDownloads downloads) {
        this.requests = requests;
        this.views = views;
        this.downloads = downloads;
    }

    @Override
    public ResponseEntity<Frontier> requestFrontier(UUID jobId, String idempotencyKey, FrontierRequest request) {
        return requests.request(jobId, request, idempotencyKey).toResponse();
    }

    @Override
    public ResponseEntity<Frontier> getFrontier(UUID jobId, Double tolerance) {
        return ResponseEntity.ok(views.get(jobId, tolerance));
    }

    @Override
    public ResponseEntity<Resource> downloadAtAlpha(UUID jobId, Double alpha, AdapterFormat format) {
        return downloads.download(jobId, alpha, format);
    }
}
