-- name: notification_insert :one
-- params: user_id, alert_id, notification_type, title, message, data, channels, is_read, read_at
-- params: sent_at
INSERT INTO notifications (user_id, alert_id, notification_type, title, message, data, channels,
                           is_read, read_at, sent_at)
VALUES (:user_id, :alert_id, :notification_type, :title, :message, :data, :channels, :is_read,
        :read_at, :sent_at)
RETURNING id, user_id, alert_id, notification_type, title, message, data, channels, is_read,
          read_at, sent_at, created_at;

-- name: notification_find_by_id :one
-- params: id
SELECT id, user_id, alert_id, notification_type, title, message, data, channels, is_read,
       read_at, sent_at, created_at
FROM notifications
WHERE id = :id;

-- name: notification_list_for_user :many
-- params: user_id, limit, offset
-- Newest first, along notifications_user_created_idx.
SELECT id, user_id, alert_id, notification_type, title, message, data, channels, is_read,
       read_at, sent_at, created_at
FROM notifications
WHERE user_id = :user_id
ORDER BY created_at DESC, id DESC
LIMIT :limit OFFSET :offset;

-- name: notification_list_unread_for_user :many
-- params: user_id, limit, offset
-- Newest unread first, along the partial index notifications_unread_idx.
SELECT id, user_id, alert_id, notification_type, title, message, data, channels, is_read,
       read_at, sent_at, created_at
FROM notifications
WHERE user_id = :user_id AND NOT is_read
ORDER BY created_at DESC, id DESC
LIMIT :limit OFFSET :offset;

-- name: notification_count_unread :scalar
-- params: user_id
-- not null: count
SELECT count(*) FROM notifications WHERE user_id = :user_id AND NOT is_read;

-- name: notification_mark_read :execute
-- params: id, at
-- Already-read notifications keep the time they were first read.
UPDATE notifications SET is_read = true, read_at = :at WHERE id = :id AND NOT is_read;

-- name: notification_mark_all_read :execute
-- params: user_id, at
UPDATE notifications SET is_read = true, read_at = :at WHERE user_id = :user_id AND NOT is_read;

-- name: notification_delete :execute
-- params: id
DELETE FROM notifications WHERE id = :id;
