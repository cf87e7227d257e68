DROP TABLE alert_deliveries;
DROP TABLE alerts;
