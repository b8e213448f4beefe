DROP TABLE fundamental_data;
DROP TABLE instruments;
