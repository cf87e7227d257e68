-- The systems flagged for re-determination, longest flagged first (the deadline list and the
-- home page): a small partial index instead of walking the whole register by update time.
CREATE INDEX systems_flagged_idx ON systems(updated_at, id) WHERE redetermination_required;
