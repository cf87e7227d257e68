DROP TABLE compliance_evidence;
DROP TABLE compliance_group_tallies;
DROP TABLE compliance_items;
DROP TABLE compliance_reviews;
