-- A reference for the engine bench: one batch of the rows and index entries the engine writes
-- for each new call record (the customer, 3 provenance rows, 2 identifiers, up to 3 blocking
-- keys, the interaction, 2 journal entries, the applied record), written by SQLite alone with
-- INSERT … SELECT from the `.import`ed calls, in one transaction like the engine's batch. No
-- normalization, matching, reads or statement per record: about the fastest any engine could
-- write this schema with SQLite.
--
-- bench/10-engine.sh runs it once per 1,000 calls (rowid @lo to @hi) on an empty store with
-- custsync's schema, the `calls` table (key, observed_at, name, phone, email, call_key, summary,
-- agent, duration) attached as `src`.
BEGIN;
INSERT INTO customers(code, name, email, phone, stage, tier, created_at, updated_at)
SELECT printf('KH-%07d', rowid), name, email, '+86' || phone, 'potential', 'potential', observed_at, observed_at
FROM src.calls WHERE rowid BETWEEN @lo AND @hi;

INSERT INTO field_values(customer_code, field, source, value, observed_at, recorded_at, chosen_by)
SELECT printf('KH-%07d', c.rowid), f.column1, 'bench',
       CASE f.column1 WHEN 'name' THEN c.name WHEN 'email' THEN c.email ELSE '+86' || c.phone END,
       c.observed_at, c.observed_at, 'first-value'
FROM src.calls c CROSS JOIN (VALUES ('email'), ('name'), ('phone')) f WHERE c.rowid BETWEEN @lo AND @hi;

INSERT INTO identifiers(kind, value, customer_code, source, first_seen)
SELECT f.column1, CASE f.column1 WHEN 'email' THEN c.email ELSE '+86' || c.phone END,
       printf('KH-%07d', c.rowid), 'bench', c.observed_at
FROM src.calls c CROSS JOIN (VALUES ('email'), ('phone')) f WHERE c.rowid BETWEEN @lo AND @hi;

INSERT INTO match_keys(kind, value, customer_code)
SELECT kind, value, code FROM (
    SELECT f.column1 AS kind, printf('KH-%07d', c.rowid) AS code,
           CASE f.column1 WHEN 'name' THEN lower(c.name)
                          WHEN 'phone-suffix' THEN substr(c.phone, -8)
                          ELSE substr(c.email, 1, instr(c.email, '@') - 1) END AS value
    FROM src.calls c CROSS JOIN (VALUES ('name'), ('phone-suffix'), ('email-local')) f WHERE c.rowid BETWEEN @lo AND @hi)
WHERE kind != 'email-local' OR length(value) >= 3;

INSERT INTO interactions(customer_code, kind, source, source_key, occurred_at, summary, details, recorded_at, updated_at)
SELECT printf('KH-%07d', rowid), 'call', 'bench', call_key, observed_at, summary,
       json_object('agent', agent, 'duration', duration), observed_at, observed_at
FROM src.calls WHERE rowid BETWEEN @lo AND @hi;

INSERT INTO journal(at, source, kind, customer_code, after)
SELECT c.observed_at, 'bench', f.column1, printf('KH-%07d', c.rowid),
       CASE f.column1 WHEN 'customer.created' THEN json_object('name', c.name, 'email', c.email, 'phone', '+86' || c.phone)
                      ELSE json_object('kind', 'call', 'key', c.call_key, 'status', NULL, 'amount', NULL) END
FROM src.calls c CROSS JOIN (VALUES ('customer.created'), ('interaction.recorded')) f WHERE c.rowid BETWEEN @lo AND @hi;

INSERT INTO applied_records(source, source_key, content_hash, customer_code, applied_at)
SELECT 'bench', key, hex(randomblob(8)), printf('KH-%07d', rowid), observed_at FROM src.calls WHERE rowid BETWEEN @lo AND @hi;
COMMIT;
