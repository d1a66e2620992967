package dev.largo.service.adapters;

import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.largo.api.model.Adapter;
import dev.largo.api.model.AdapterFormat;
import dev.largo.api.server.AdaptersApi;
import lombok.RequiredArgsConstructor;

/** {@code /v1/adapters}: what succeeded jobs produced. */
@RestController
@RequiredArgsConstructor
public class AdaptersController implements AdaptersApi {

    private final AdapterFiles files;

    @Override
    public ResponseEntity<Adapter> getAdapter(UUID adapterId) {
        return ResponseEntity.ok(files.get(adapterId));
    }

    @Override
    public ResponseEntity<Resource> downloadAdapter(UUID adapterId, AdapterFormat format) {
        return files.download(adapterId, format == null ? AdapterFormat.PEFT : format);
    }
}
