-- A document's `seq` (0003) follows its latest stored change. The database
-- keeps it as each change is stored, within the same statement, so the
-- sync writer need not send an UPDATE of its own for every push (each
-- statement is a hand-off to SQLite's connection thread). A replayed change
-- (`ON CONFLICT DO NOTHING`) inserts no row and leaves `seq` as it was.
CREATE TRIGGER changes_move_document_seq AFTER INSERT ON changes
BEGIN
    UPDATE documents SET seq = NEW.seq WHERE id = NEW.doc_id;
END;
