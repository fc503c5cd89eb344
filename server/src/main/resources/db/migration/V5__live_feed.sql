-- Live feed: wake the servers' event relays when incident events commit. The payload is empty:
-- the relays read incident_event itself (the outbox) in id order, up to a safe high-water mark.
-- A statement-level trigger sends one notification per statement, not per row.
CREATE FUNCTION incident_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incident_event', '');
    RETURN NULL;
END $$;
CREATE TRIGGER incident_event_notify
    AFTER INSERT ON incident_event
    FOR EACH STATEMENT EXECUTE FUNCTION incident_event_notify();
