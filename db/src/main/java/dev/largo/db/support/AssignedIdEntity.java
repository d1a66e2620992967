package dev.largo.db.support;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * Base of entities whose id is chosen by the application (a UUID known before the row exists, so it can
 * be used in artifact names, Location headers and log lines from the start).
 *
 * <p>Spring Data decides between {@code persist} and {@code merge} with {@link #isNew()}; for an assigned id
 * its default (id != null means not new) would make every {@code save} of a new entity issue a SELECT and a
 * merge. The transient flag below is flipped by the JPA lifecycle instead.
 */
@MappedSuperclass
public abstract class AssignedIdEntity<ID> implements Persistable<ID> {

    @Transient
    private boolean isNew = true;

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markNotNew() {
        isNew = false;
    }
}
