-- name: instrument_find_by_id :one
-- params: id
SELECT id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
       description, is_active, created_at, updated_at
FROM instruments
WHERE id = :id;

-- name: instrument_find_by_symbol :one
-- params: symbol
SELECT id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
       description, is_active, created_at, updated_at
FROM instruments
WHERE symbol = :symbol;

-- name: instrument_insert :one
-- params: symbol, name, instrument_type, exchange, currency, sector, industry, country, isin
-- params: description, is_active
INSERT INTO instruments (symbol, name, instrument_type, exchange, currency, sector, industry,
                         country, isin, description, is_active)
VALUES (:symbol, :name, :instrument_type, :exchange, :currency, :sector, :industry, :country,
        :isin, :description, :is_active)
RETURNING id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
          description, is_active, created_at, updated_at;

-- name: instrument_update :one
-- params: id, symbol, name, instrument_type, exchange, currency, sector, industry, country
-- params: isin, description, is_active
-- No row when the instrument does not exist (any more).
UPDATE instruments
SET symbol = :symbol, name = :name, instrument_type = :instrument_type, exchange = :exchange,
    currency = :currency, sector = :sector, industry = :industry, country = :country,
    isin = :isin, description = :description, is_active = :is_active
WHERE id = :id
RETURNING id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
          description, is_active, created_at, updated_at;

-- name: instrument_list :many
-- params: instrument_type, sector, active_only, limit, offset
-- A page of instruments by symbol; a NULL filter matches everything.
SELECT id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
       description, is_active, created_at, updated_at
FROM instruments
WHERE (:instrument_type::text IS NULL OR instrument_type = :instrument_type)
  AND (:sector::text IS NULL OR sector = :sector)
  AND (is_active OR NOT :active_only::boolean)
ORDER BY symbol
LIMIT :limit OFFSET :offset;

-- name: instrument_search_by_name :many
-- params: text, limit
-- Names containing the text, case-insensitively. The text is matched literally: LIKE's
-- wildcards % and _ and its escape character \ are escaped before it becomes a pattern.
SELECT id, symbol, name, instrument_type, exchange, currency, sector, industry, country, isin,
       description, is_active, created_at, updated_at
FROM instruments
WHERE name ILIKE '%' || replace(replace(replace(:text::text, '\', '\\'), '%', '\%'), '_', '\_')
                 || '%' ESCAPE '\'
ORDER BY name, symbol
LIMIT :limit;

-- name: instrument_delete :execute
-- params: id
DELETE FROM instruments WHERE id = :id;
