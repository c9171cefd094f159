-- A cache run stages only its new, changed and returning records (an unchanged record is compared in Java with
-- the stored content hash and not written at all), plus one mark per stored record it did not read: gone = TRUE,
-- the key columns in c1..cN and nothing else. The apply updates the first kind and marks the second gone.
ALTER TABLE cache_staging ADD COLUMN gone BOOLEAN DEFAULT FALSE NOT NULL;
