INSERT INTO cache_staging (run_id, kind, record_key, content_hash, gone, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
VALUES (:#run_id, :#kind, :#record_key, :#content_hash, :#gone, :#c1, :#c2, :#c3, :#c4, :#c5, :#c6, :#c7, :#c8, :#c9, :#c10)
