DROP TABLE notifications;
DROP TABLE alerts;
