-- What decides a system's regime when one regime replaces another (Law 116 Đ45 k1, NĐ331
-- Đ39 k1): a transitional project and its chosen regime, and the regime of the approval.
CREATE TABLE system_regimes (
    system_id                TEXT PRIMARY KEY NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    investment_before_law    BOOLEAN NOT NULL,
    chosen_regime            TEXT,
    approved_regime_id       TEXT,
    approved_regime_version  TEXT
);

-- Every approval recorded so far was made under the only regime capdo knew then.
INSERT INTO system_regimes (system_id, investment_before_law, chosen_regime, approved_regime_id, approved_regime_version)
SELECT id, FALSE, NULL, regime_id, regime_version FROM systems WHERE approved_level IS NOT NULL;
