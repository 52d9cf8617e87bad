-- Each document's position in the change log: the sequence number of its
-- latest stored change. A new device is sent snapshots in this order, one
-- page at a time, so bootstrapping never holds every document in memory and
-- a document changed during the bootstrap is simply sent again later.
ALTER TABLE documents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;

UPDATE documents SET seq = (SELECT COALESCE(MAX(c.seq), 0) FROM changes c WHERE c.doc_id = documents.id);

CREATE INDEX documents_by_seq ON documents (seq);
