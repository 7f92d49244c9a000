-- The headers an answer was sent with besides its media type, so that a retry gets them too: a v2 answer with
-- binary tensors says where its JSON ends only in Inference-Header-Content-Length. JSON text of name to value;
-- NULL for none (and for answers kept before this column).
ALTER TABLE idempotent_answers ADD COLUMN headers TEXT;
