-- How many systems each organisation holds per combination of the list filters, kept by
-- triggers, so the total of a list page is a sum over a few hundred rows instead of a count
-- over the whole register (100,000 systems) on every page.
CREATE TABLE system_tallies (
    organization_id           TEXT NOT NULL,
    -- 0 when the level is not determined; '' when the kind is not given.
    computed_level            INTEGER NOT NULL,
    status                    TEXT NOT NULL,
    kind                      TEXT NOT NULL,
    below_criteria            BOOLEAN NOT NULL,
    redetermination_required  BOOLEAN NOT NULL,
    total                     BIGINT NOT NULL,
    PRIMARY KEY (organization_id, computed_level, status, kind, below_criteria, redetermination_required)
);

INSERT INTO system_tallies
SELECT organization_id, COALESCE(computed_level, 0), status, COALESCE(kind, ''), below_criteria,
       redetermination_required, COUNT(*)
FROM systems
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION system_tally_add(org TEXT, lvl INTEGER, st TEXT, k TEXT, below BOOLEAN,
                                 redet BOOLEAN, delta BIGINT) RETURNS void AS $$
    INSERT INTO system_tallies VALUES (org, COALESCE(lvl, 0), st, COALESCE(k, ''), below, redet, delta)
    ON CONFLICT (organization_id, computed_level, status, kind, below_criteria, redetermination_required)
    DO UPDATE SET total = system_tallies.total + EXCLUDED.total;
$$ LANGUAGE sql;

CREATE FUNCTION systems_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM system_tally_add(OLD.organization_id, OLD.computed_level, OLD.status, OLD.kind,
                                 OLD.below_criteria, OLD.redetermination_required, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM system_tally_add(NEW.organization_id, NEW.computed_level, NEW.status, NEW.kind,
                                 NEW.below_criteria, NEW.redetermination_required, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER systems_tally_insert_delete AFTER INSERT OR DELETE ON systems
    FOR EACH ROW EXECUTE FUNCTION systems_tally();
CREATE TRIGGER systems_tally_update AFTER UPDATE ON systems
    FOR EACH ROW
    WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id
          OR OLD.computed_level IS DISTINCT FROM NEW.computed_level
          OR OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind
          OR OLD.below_criteria IS DISTINCT FROM NEW.below_criteria
          OR OLD.redetermination_required IS DISTINCT FROM NEW.redetermination_required)
    EXECUTE FUNCTION systems_tally();
