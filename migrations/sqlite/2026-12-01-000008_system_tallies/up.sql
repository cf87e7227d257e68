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

CREATE TRIGGER systems_tally_insert AFTER INSERT ON systems
BEGIN
    INSERT OR IGNORE INTO system_tallies VALUES (NEW.organization_id, COALESCE(NEW.computed_level, 0),
        NEW.status, COALESCE(NEW.kind, ''), NEW.below_criteria, NEW.redetermination_required, 0);
    UPDATE system_tallies SET total = total + 1
    WHERE organization_id = NEW.organization_id AND computed_level = COALESCE(NEW.computed_level, 0)
      AND status = NEW.status AND kind = COALESCE(NEW.kind, '') AND below_criteria = NEW.below_criteria
      AND redetermination_required = NEW.redetermination_required;
END;

CREATE TRIGGER systems_tally_delete AFTER DELETE ON systems
BEGIN
    UPDATE system_tallies SET total = total - 1
    WHERE organization_id = OLD.organization_id AND computed_level = COALESCE(OLD.computed_level, 0)
      AND status = OLD.status AND kind = COALESCE(OLD.kind, '') AND below_criteria = OLD.below_criteria
      AND redetermination_required = OLD.redetermination_required;
END;

CREATE TRIGGER systems_tally_update AFTER UPDATE ON systems
WHEN OLD.organization_id IS NOT NEW.organization_id OR OLD.computed_level IS NOT NEW.computed_level
  OR OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind
  OR OLD.below_criteria IS NOT NEW.below_criteria
  OR OLD.redetermination_required IS NOT NEW.redetermination_required
BEGIN
    UPDATE system_tallies SET total = total - 1
    WHERE organization_id = OLD.organization_id AND computed_level = COALESCE(OLD.computed_level, 0)
      AND status = OLD.status AND kind = COALESCE(OLD.kind, '') AND below_criteria = OLD.below_criteria
      AND redetermination_required = OLD.redetermination_required;
    INSERT OR IGNORE INTO system_tallies VALUES (NEW.organization_id, COALESCE(NEW.computed_level, 0),
        NEW.status, COALESCE(NEW.kind, ''), NEW.below_criteria, NEW.redetermination_required, 0);
    UPDATE system_tallies SET total = total + 1
    WHERE organization_id = NEW.organization_id AND computed_level = COALESCE(NEW.computed_level, 0)
      AND status = NEW.status AND kind = COALESCE(NEW.kind, '') AND below_criteria = NEW.below_criteria
      AND redetermination_required = NEW.redetermination_required;
END;
