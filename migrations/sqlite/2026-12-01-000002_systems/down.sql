DROP TABLE system_search;
DROP TABLE system_components;
DROP TABLE system_products;
DROP TABLE system_contacts;
DROP TABLE system_documents;
DROP TABLE systems;
