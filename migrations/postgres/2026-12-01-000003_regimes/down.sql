DROP TABLE system_regimes;
