DROP TABLE dossier_steps;
DROP TABLE dossier_components;
DROP TABLE dossiers;
